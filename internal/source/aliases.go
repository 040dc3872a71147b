package source

import (
	"fmt"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Limits on YAML aliases. An alias is cheap in the parsed tree but is
// expanded wherever the object becomes JSON (plan, apply, render -o json),
// so a few lines can stand for gigabytes (a "billion laughs"). Real
// manifests use a handful of aliases, if any.
const (
	// MaxAliases is the most aliases one document may hold.
	MaxAliases = 1000
	// MaxExpandedNodes is the most nodes a document may expand to when
	// its aliases are replaced by what they stand for.
	MaxExpandedNodes = 1_000_000
)

// checkAliases refuses a document whose aliases are too many or expand
// too far, naming the line of the first alias. nodes and free are what
// aliasFree says of n, which the reader knows already.
func checkAliases(n *yaml.Node, nodes int, free bool) (line int, msg string) {
	if free {
		// No alias: nothing expands, the document is its nodes.
		if nodes > MaxExpandedNodes {
			return 0, fmt.Sprintf("the document's YAML aliases (*name) expand to more than %d values (an alias bomb); write the values out instead of nesting aliases", MaxExpandedNodes)
		}
		return 0, ""
	}
	aliases, first := 0, 0
	memo := map[*yaml.Node]int{}
	onPath := map[*yaml.Node]bool{}
	var size func(*yaml.Node) int
	size = func(n *yaml.Node) int {
		if n == nil {
			return 0
		}
		if v, ok := memo[n]; ok {
			return v
		}
		if onPath[n] {
			return MaxExpandedNodes + 1 // a cycle expands forever
		}
		onPath[n] = true
		total := 1
		if n.Kind == yaml.AliasNode {
			aliases++
			if first == 0 {
				first = n.Line
			}
			total += size(n.Alias)
		}
		for _, c := range n.Content {
			if total += size(c); total > MaxExpandedNodes {
				break
			}
		}
		onPath[n] = false
		memo[n] = total
		return total
	}
	expanded := size(n)
	switch {
	case aliases > MaxAliases:
		return first, fmt.Sprintf("the document holds %d YAML aliases (*name), more than the %d allowed; write the values out", aliases, MaxAliases)
	case expanded > MaxExpandedNodes:
		return first, fmt.Sprintf("the document's YAML aliases (*name) expand to more than %d values (an alias bomb); write the values out instead of nesting aliases", MaxExpandedNodes)
	}
	return 0, ""
}

// aliasFree counts the nodes of n and reports whether none of them is an
// alias. Such a tree shares no node, so walking it needs no memory of the
// nodes seen: almost every document is one, and the maps the general walks
// keep cost an allocation per node.
func aliasFree(n *yaml.Node) (nodes int, ok bool) {
	if n == nil {
		return 0, true
	}
	if n.Kind == yaml.AliasNode || n.Alias != nil {
		return 0, false
	}
	nodes = 1
	for _, c := range n.Content {
		k, ok := aliasFree(c)
		if !ok {
			return 0, false
		}
		nodes += k
	}
	return nodes, true
}
