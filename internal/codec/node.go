package codec

import (
	"fmt"
	"sort"
	"strconv"
	"sync"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// keys shares the scalar nodes of mapping keys ("metadata", "name", ...)
// between the objects one Encoder builds: a third of their nodes. Key nodes
// are never edited in place (setting a field replaces its value node), so
// sharing them is safe.
type keys struct {
	mu sync.Mutex
	m  map[string]*yaml.Node
}

func (k *keys) node(s string) *yaml.Node {
	k.mu.Lock()
	defer k.mu.Unlock()
	n, ok := k.m[s]
	if !ok {
		if k.m == nil {
			k.m = map[string]*yaml.Node{}
		}
		n = &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: s}
		k.m[s] = n
	}
	return n
}

// toNode builds the YAML node tree of a pruned JSON value directly, keys
// sorted. kyaml's FromMap does the same by writing YAML text and parsing it
// back, which cost a third of render's time.
func (kk *keys) toNode(v any) (*yaml.Node, error) {
	switch x := v.(type) {
	case map[string]any:
		names := make([]string, 0, len(x))
		for k := range x {
			names = append(names, k)
		}
		sort.Strings(names)
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: yaml.NodeTagMap, Content: make([]*yaml.Node, 0, 2*len(names))}
		for _, k := range names {
			c, err := kk.toNode(x[k])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			n.Content = append(n.Content, kk.node(k), c)
		}
		if len(names) == 0 {
			n.Style = yaml.FlowStyle
		}
		return n, nil
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: yaml.NodeTagSeq, Content: make([]*yaml.Node, 0, len(x))}
		for i, e := range x {
			c, err := kk.toNode(e)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			n.Content = append(n.Content, c)
		}
		if len(x) == 0 {
			n.Style = yaml.FlowStyle
		}
		return n, nil
	case string:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: x}, nil
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagBool, Value: strconv.FormatBool(x)}, nil
	case int64:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagInt, Value: strconv.FormatInt(x, 10)}, nil
	case float64:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagFloat, Value: strconv.FormatFloat(x, 'g', -1, 64)}, nil
	default:
		return nil, fmt.Errorf("unexpected value %T", v)
	}
}
