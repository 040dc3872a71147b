package codec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Value is the object held by n as JSON's types (map[string]any, []any,
// string, int64, float64, bool, nil), the form unstructured objects use.
// It reads the node tree directly; anything unusual (anchors, merge keys,
// tags of its own, numbers JSON cannot hold) goes the long way through
// kyaml's JSON encoding, which handles every case.
func Value(n *yaml.RNode) (map[string]any, error) {
	if v, ok := fastValue(n.YNode()); ok {
		if m, ok := v.(map[string]any); ok {
			return m, nil
		}
	}
	b, err := n.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if err := numbers(m); err != nil {
		return nil, err
	}
	return m, nil
}

func fastValue(n *yaml.Node) (any, bool) {
	if n.Anchor != "" || n.Alias != nil {
		return nil, false
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode || k.Value == "<<" || (k.Tag != "" && k.Tag != yaml.NodeTagString) {
				return nil, false
			}
			v, ok := fastValue(n.Content[i+1])
			if !ok {
				return nil, false
			}
			m[k.Value] = v
		}
		return m, true
	case yaml.SequenceNode:
		l := make([]any, len(n.Content))
		for i, c := range n.Content {
			v, ok := fastValue(c)
			if !ok {
				return nil, false
			}
			l[i] = v
		}
		return l, true
	case yaml.ScalarNode:
		switch n.Tag {
		case yaml.NodeTagString, "":
			if n.Tag == "" && n.Style == 0 {
				return nil, false // untagged plain scalar: let the decoder resolve it
			}
			return n.Value, true
		case yaml.NodeTagInt:
			i, err := strconv.ParseInt(n.Value, 10, 64)
			return i, err == nil
		case yaml.NodeTagFloat:
			f, err := strconv.ParseFloat(n.Value, 64)
			return f, err == nil && !math.IsInf(f, 0) && !math.IsNaN(f)
		case yaml.NodeTagBool:
			b, err := strconv.ParseBool(n.Value)
			return b, err == nil && (n.Value == "true" || n.Value == "false")
		case yaml.NodeTagNull:
			return nil, true
		}
	}
	return nil, false
}

// numbers turns json.Numbers into int64 or float64, as unstructured wants.
func numbers(v any) error {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if n, ok := e.(json.Number); ok {
				c, err := number(n)
				if err != nil {
					return fmt.Errorf("%s: %w", k, err)
				}
				x[k] = c
				continue
			}
			if err := numbers(e); err != nil {
				return err
			}
		}
	case []any:
		for i, e := range x {
			if n, ok := e.(json.Number); ok {
				c, err := number(n)
				if err != nil {
					return err
				}
				x[i] = c
				continue
			}
			if err := numbers(e); err != nil {
				return err
			}
		}
	}
	return nil
}

func number(n json.Number) (any, error) {
	if i, err := n.Int64(); err == nil {
		return i, nil
	}
	return n.Float64()
}
