package diff

import (
	"fmt"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Brief is the one line that stands for a whole object in a compact plan
// (--diff-style compact): the fields a reviewer checks on a create or a
// delete, e.g. "replicas 2, image kumahq/kuma-dp:2.13.0" for a Deployment
// or "type LoadBalancer, ports 80/TCP, 443/TCP" for a Service. Only names
// and sizes of Secret and ConfigMap data are named, never values. A nil
// object, or a kind without key fields, gives "".
func Brief(obj *unstructured.Unstructured) string {
	if obj == nil || obj.Object == nil {
		return ""
	}
	var parts []string
	switch obj.GetKind() {
	case "Deployment", "StatefulSet", "ReplicaSet", "DaemonSet":
		parts = workloadBrief(obj.Object)
	case "Service":
		parts = serviceBrief(obj.Object)
	case "ConfigMap", "Secret":
		parts = dataBrief(obj.Object)
	default:
		parts = specBrief(obj.Object)
	}
	return oneLine(strings.Join(parts, ", "))
}

// briefMax bounds a brief: a value from the directory may be long.
const briefMax = 160

// oneLine keeps a brief on one line and below briefMax bytes.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > briefMax {
		cut := briefMax
		for cut > 0 && s[cut]&0xC0 == 0x80 { // not inside a UTF-8 sequence
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// workloadBrief: replicas and the images of the pod template's containers.
func workloadBrief(obj map[string]interface{}) []string {
	var parts []string
	if n, ok, _ := unstructured.NestedFieldNoCopy(obj, "spec", "replicas"); ok {
		parts = append(parts, fmt.Sprintf("replicas %v", n))
	}
	containers, _, _ := unstructured.NestedSlice(obj, "spec", "template", "spec", "containers")
	var images []string
	for _, c := range containers {
		if m, ok := c.(map[string]interface{}); ok {
			if img, ok := m["image"].(string); ok {
				images = append(images, img)
			}
		}
	}
	switch len(images) {
	case 0:
	case 1:
		parts = append(parts, "image "+images[0])
	default:
		parts = append(parts, "images "+strings.Join(images, " "))
	}
	return parts
}

// serviceBrief: the type (ClusterIP when unset, as the server defaults
// it) and the ports as port/protocol.
func serviceBrief(obj map[string]interface{}) []string {
	typ, _, _ := unstructured.NestedString(obj, "spec", "type")
	if typ == "" {
		typ = "ClusterIP"
	}
	parts := []string{"type " + typ}
	ports, _, _ := unstructured.NestedSlice(obj, "spec", "ports")
	var ps []string
	for _, p := range ports {
		m, ok := p.(map[string]interface{})
		if !ok {
			continue
		}
		proto, _ := m["protocol"].(string)
		if proto == "" {
			proto = "TCP"
		}
		ps = append(ps, fmt.Sprintf("%v/%s", m["port"], proto))
	}
	if len(ps) > 0 {
		parts = append(parts, "ports "+strings.Join(ps, " "))
	}
	return parts
}

// dataBrief: the keys of data, stringData and binaryData, sorted. Keys are
// names, not secrets (kubectl diff shows them too).
func dataBrief(obj map[string]interface{}) []string {
	seen := map[string]bool{}
	for _, field := range []string{"data", "stringData", "binaryData"} {
		m, _ := obj[field].(map[string]interface{})
		for k := range m {
			seen[k] = true
		}
	}
	if len(seen) == 0 {
		return []string{"no data"}
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	word := "keys "
	if len(keys) == 1 {
		word = "key "
	}
	return []string{word + strings.Join(keys, " ")}
}

// specBrief: for other kinds, the scalar fields directly under spec (a
// MeshGatewayInstance's replicas and serviceType), sorted by name.
func specBrief(obj map[string]interface{}) []string {
	spec, _ := obj["spec"].(map[string]interface{})
	keys := make([]string, 0, len(spec))
	for k, v := range spec {
		switch v.(type) {
		case string, bool, int64, float64, int:
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %v", k, spec[k]))
	}
	return parts
}
