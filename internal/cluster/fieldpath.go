package cluster

import (
	"sigs.k8s.io/structured-merge-diff/v6/fieldpath"
	"sigs.k8s.io/structured-merge-diff/v6/value"
)

// Walking managed-fields paths over unstructured content. Paths name map
// fields, items of associative lists by their keys, items of sets by value,
// and items of atomic lists by index.

// removePath deletes the node at p from obj; a missing node is no error.
func removePath(obj map[string]interface{}, p fieldpath.Path) {
	removeIn(obj, p)
}

// removeIn returns node without the element at p (lists are rebuilt, so
// the caller stores the returned value).
func removeIn(node interface{}, p fieldpath.Path) interface{} {
	if len(p) == 0 {
		return node
	}
	pe := p[0]
	if pe.FieldName != nil {
		m, ok := node.(map[string]interface{})
		if !ok {
			return node
		}
		child, ok := m[*pe.FieldName]
		if !ok {
			return node
		}
		if len(p) == 1 {
			delete(m, *pe.FieldName)
		} else {
			m[*pe.FieldName] = removeIn(child, p[1:])
		}
		return m
	}
	l, ok := node.([]interface{})
	if !ok {
		return node
	}
	i := itemIndex(l, pe)
	if i < 0 {
		return node
	}
	if len(p) == 1 {
		return append(l[:i:i], l[i+1:]...)
	}
	l[i] = removeIn(l[i], p[1:])
	return l
}

// lookupPath returns the node at p, or nil.
func lookupPath(obj map[string]interface{}, p fieldpath.Path) interface{} {
	var node interface{} = obj
	for _, pe := range p {
		if pe.FieldName != nil {
			m, ok := node.(map[string]interface{})
			if !ok {
				return nil
			}
			node = m[*pe.FieldName]
			continue
		}
		l, ok := node.([]interface{})
		if !ok {
			return nil
		}
		i := itemIndex(l, pe)
		if i < 0 {
			return nil
		}
		node = l[i]
	}
	return node
}

// itemIndex finds the list item that pe selects, or -1.
func itemIndex(l []interface{}, pe fieldpath.PathElement) int {
	for i, item := range l {
		switch {
		case pe.Index != nil && *pe.Index == i:
			return i
		case pe.Value != nil && value.Equals(*pe.Value, value.NewValueInterface(item)):
			return i
		case pe.Key != nil && keyMatches(item, *pe.Key):
			return i
		}
	}
	return -1
}

func keyMatches(item interface{}, key value.FieldList) bool {
	m, ok := item.(map[string]interface{})
	if !ok {
		return false
	}
	for _, f := range key {
		v, ok := m[f.Name]
		if !ok || !value.Equals(f.Value, value.NewValueInterface(v)) {
			return false
		}
	}
	return true
}

// isEmpty reports a map or list with nothing left in it (what remains of a
// parent whose children were all removed); an item of an associative list
// (last is a key) is empty when only its key fields are left.
func isEmpty(node interface{}, last fieldpath.PathElement) bool {
	switch n := node.(type) {
	case map[string]interface{}:
		if last.Key == nil {
			return len(n) == 0
		}
		for k := range n {
			if !hasField(*last.Key, k) {
				return false
			}
		}
		return true
	case []interface{}:
		return len(n) == 0
	default:
		return false
	}
}

// isKeyField reports a path to a key field of an associative list item
// (containers[name=x].name).
func isKeyField(p fieldpath.Path) bool {
	n := len(p)
	return n >= 2 && p[n-1].FieldName != nil && p[n-2].Key != nil && hasField(*p[n-2].Key, *p[n-1].FieldName)
}

func hasField(key value.FieldList, name string) bool {
	for _, f := range key {
		if f.Name == name {
			return true
		}
	}
	return false
}
