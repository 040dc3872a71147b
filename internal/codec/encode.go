package codec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Encode turns a typed object into an RNode with apiVersion and kind set and
// without the empty values typed marshalling adds (creationTimestamp: null,
// status: {}, strategy: {}, resources: {}). Keys come out sorted, so the
// output is the same on every run.
func Encode(obj runtime.Object) (*yaml.RNode, error) {
	return (&Encoder{}).Encode(obj)
}

// Encoder encodes many objects and shares the YAML nodes of identical pod
// specs between them. Gateways of one mesh and configuration have the same
// pod spec, and it is four fifths of a Deployment's nodes: sharing it keeps
// the memory of rendering 10,000 instances within bounds. The nodes of
// spec.template.spec are therefore read-only: Copy an object before editing
// anything below its own metadata. The zero value is ready to use and safe
// for concurrent use.
type Encoder struct {
	mu       sync.Mutex
	podSpecs map[string]*yaml.Node // by appendKey of the spec
	keys     keys
}

// Encode is the package's Encode, sharing pod specs with earlier objects.
func (e *Encoder) Encode(obj runtime.Object) (*yaml.RNode, error) {
	if obj == nil {
		return nil, fmt.Errorf("encode: no object given")
	}
	apiVersion, kind := typeOf(obj)
	if kind == "" {
		return nil, fmt.Errorf("encode %T: kind unknown; set its TypeMeta (apiVersion and kind)", obj)
	}
	var podSpec *yaml.Node
	if d, ok := obj.(*appsv1.Deployment); ok {
		// Encode the pod spec once per distinct spec, and the rest of the
		// Deployment (small) every time.
		var err error
		if podSpec, err = e.podSpec(&d.Spec.Template.Spec); err != nil {
			return nil, fmt.Errorf("encode %s: %w", kind, err)
		}
		// The rest is walked in a pooled copy (a Deployment is 1.2 KB): the
		// nodes hold nothing of it.
		rest := restPool.Get().(*appsv1.Deployment)
		*rest = *d
		rest.Spec.Template.Spec = corev1.PodSpec{}
		defer func() { *rest = appsv1.Deployment{}; restPool.Put(rest) }()
		obj = rest
	}
	n, err := e.keys.encodeValue(obj)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", kind, err)
	}
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("encode %s: not an object", kind)
	}
	setField(n, "apiVersion", apiVersion)
	setField(n, "kind", kind)
	if podSpec != nil {
		setPodSpec(n, podSpec)
	}
	return yaml.NewRNode(n), nil
}

// Key is the node of a mapping key that the Encoder shares between the
// objects it builds, for callers adding fields to them; like every key
// node, it must not be edited.
func (e *Encoder) Key(name string) *yaml.Node { return e.keys.node(name) }

// encodeValue is the pruned YAML nodes of a typed value (a pointer to a
// struct), built directly (typed.go) or, for what that walk does not know,
// through JSON.
func (kk *keys) encodeValue(v any) (*yaml.Node, error) {
	n, err := kk.typed(reflect.ValueOf(v), infoOf(reflect.TypeOf(v)), "", 0)
	switch {
	case errors.Is(err, errUnsupported):
		return kk.encodeJSON(v)
	case err != nil:
		return nil, err
	case n == nil:
		return kk.toNode(map[string]any{})
	}
	return n, nil
}

// encodeJSON is typed value → JSON → pruned generic value → YAML nodes:
// the reference the direct walk is held to (TestDirectEncoderMatchesJSON).
func (kk *keys) encodeJSON(v any) (*yaml.Node, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m any
	if err := decodeJSON(b, &m); err != nil {
		return nil, err
	}
	pruned := prune(m, "")
	if pruned == nil {
		pruned = map[string]any{}
	}
	return kk.toNode(pruned)
}

func decodeJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return dec.Decode(v)
}

// podSpec returns the shared node of spec, building it the first time.
func (e *Encoder) podSpec(spec *corev1.PodSpec) (*yaml.Node, error) {
	buf := keyScratch.Get().(*[]byte)
	defer keyScratch.Put(buf)
	key, ok := appendKey((*buf)[:0], reflect.ValueOf(spec).Elem(), 0)
	*buf = key
	if !ok {
		return e.keys.encodeValue(spec)
	}
	e.mu.Lock()
	n, found := e.podSpecs[string(key)]
	e.mu.Unlock()
	if found {
		return n, nil
	}
	n, err := e.keys.encodeValue(spec)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if prev, found := e.podSpecs[string(key)]; found {
		return prev, nil // built meanwhile by another worker
	}
	if e.podSpecs == nil {
		e.podSpecs = map[string]*yaml.Node{}
	}
	e.podSpecs[string(key)] = n
	return n, nil
}

// restPool holds the copies of Deployments without their pod spec.
var restPool = sync.Pool{New: func() any { return new(appsv1.Deployment) }}

// keyScratch holds the buffers pod spec keys are written into.
var keyScratch = sync.Pool{New: func() any { b := make([]byte, 0, 4<<10); return &b }}

// setField sets a string field of a mapping, keeping keys sorted.
func setField(m *yaml.Node, key, value string) {
	v := &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: value}
	for i := 0; i+1 < len(m.Content); i += 2 {
		switch {
		case m.Content[i].Value == key:
			m.Content[i+1] = v
			return
		case m.Content[i].Value > key:
			k := &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: key}
			m.Content = append(m.Content[:i], append([]*yaml.Node{k, v}, m.Content[i:]...)...)
			return
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: key}, v)
}

// setPodSpec puts the shared pod spec at spec.template.spec; the empty
// spec was pruned away, so the key is added in its sorted place.
func setPodSpec(obj, podSpec *yaml.Node) {
	tmpl := mapValue(mapValue(obj, "spec"), "template")
	if tmpl == nil {
		return
	}
	for i := 0; i+1 < len(tmpl.Content); i += 2 {
		if tmpl.Content[i].Value == "spec" {
			tmpl.Content[i+1] = podSpec
			return
		}
	}
	tmpl.Content = append(tmpl.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: "spec"}, podSpec)
}

// typeOf prefers the object's own TypeMeta and knows the two kinds this
// package builds.
func typeOf(obj runtime.Object) (string, string) {
	if gvk := obj.GetObjectKind().GroupVersionKind(); gvk.Kind != "" {
		return gvk.GroupVersion().String(), gvk.Kind
	}
	switch obj.(type) {
	case *appsv1.Deployment:
		return "apps/v1", "Deployment"
	case *corev1.Service:
		return "v1", "Service"
	}
	return "", ""
}

// keepEmpty are keys whose empty map means something: emptyDir: {} is a
// volume source, not noise.
var keepEmpty = map[string]bool{"emptyDir": true}

// prune drops nulls and empty maps and lists, bottom up, and turns JSON
// numbers into int64 (or float64) so YAML writes 5678, not 5.678e+03.
func prune(v any, key string) any {
	switch x := v.(type) {
	case nil:
		return nil
	case map[string]any:
		for k, e := range x {
			if p := prune(e, k); p == nil {
				delete(x, k)
			} else {
				x[k] = p
			}
		}
		if len(x) == 0 && !keepEmpty[key] {
			return nil
		}
		return x
	case []any:
		out := make([]any, 0, len(x))
		for _, e := range x {
			if p := prune(e, ""); p != nil {
				out = append(out, p)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	default:
		return v
	}
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
