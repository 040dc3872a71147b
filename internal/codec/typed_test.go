package codec_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/codec"
	"github.com/kubectl-mgi/kubectl-mgi/internal/pipeline"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/kustomize/kyaml/yaml"
	"sigs.k8s.io/randfill"
)

// sameNodes reports where two node trees differ in anything the writers
// read (kind, tag, style, value, order), or "".
func sameNodes(a, b *yaml.Node, at string) string {
	switch {
	case a == nil || b == nil:
		if a != b {
			return at + ": one side missing"
		}
		return ""
	case a.Kind != b.Kind || a.Tag != b.Tag || a.Style != b.Style || a.Value != b.Value:
		return fmt.Sprintf("%s: %v %s %v %q, want %v %s %v %q", at, a.Kind, a.Tag, a.Style, a.Value, b.Kind, b.Tag, b.Style, b.Value)
	case len(a.Content) != len(b.Content):
		return fmt.Sprintf("%s: %d children, want %d", at, len(a.Content), len(b.Content))
	}
	for i := range a.Content {
		if d := sameNodes(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", at, i)); d != "" {
			return d
		}
	}
	return ""
}

func checkBoth(t *testing.T, what string, v any) bool {
	t.Helper()
	direct, viaJSON, unsupported, err := codec.EncodeBoth(v)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if unsupported {
		t.Errorf("%s: the direct encoder declined an API object", what)
		return false
	}
	if d := sameNodes(direct, viaJSON, ""); d != "" {
		t.Errorf("%s: direct encoding differs from the JSON round trip at %s\n--- json\n%s--- direct\n%s", what, d,
			yaml.NewRNode(viaJSON).MustString(), yaml.NewRNode(direct).MustString())
		return false
	}
	return true
}

// TestDirectEncoderMatchesJSON holds the direct typed → node walk to the
// JSON round trip (json.Marshal, decode, prune, toNode) it replaces, on
// every Deployment and Service the golden cases generate, read back into
// their types.
func TestDirectEncoderMatchesJSON(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join(goldenRoot, "*", "input"))
	checked := 0
	for _, d := range dirs {
		res, err := pipeline.Run(pipeline.Options{Paths: []string{d}})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range res.Objects {
			var v any
			switch n.GetKind() {
			case "Deployment":
				v = &appsv1.Deployment{}
			case "Service":
				v = &corev1.Service{}
			default:
				continue
			}
			b, err := n.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, v); err != nil {
				t.Fatalf("%s: %v", d, err)
			}
			if checkBoth(t, d+" "+n.GetKind()+"/"+n.GetName(), v) {
				checked++
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d objects checked", checked)
	}
}

// filler fills API objects at random, with the values their own types
// accept where a random one would not marshal (quantities, times).
func filler(seed int64) *randfill.Filler {
	return randfill.NewWithSeed(seed).NilChance(0.3).NumElements(0, 3).MaxDepth(12).Funcs(
		func(q *resource.Quantity, c randfill.Continue) {
			*q = *resource.NewMilliQuantity(c.Int63n(1<<20)-1<<10, resource.DecimalSI)
		},
		func(t *metav1.Time, c randfill.Continue) {
			if c.Bool() {
				*t = metav1.Unix(c.Int63n(1<<31), 0)
			}
		},
		func(t *metav1.MicroTime, c randfill.Continue) {
			if c.Bool() {
				*t = metav1.NewMicroTime(metav1.Unix(c.Int63n(1<<31), 0).Time)
			}
		},
		func(x *intstr.IntOrString, c randfill.Continue) {
			if c.Bool() {
				*x = intstr.FromInt32(c.Int31n(100) - 10)
			} else {
				*x = intstr.FromString(strings.Repeat("p", c.Intn(3)))
			}
		},
		func(m *metav1.FieldsV1, c randfill.Continue) {},
		func(f *float64, c randfill.Continue) { *f = float64(c.Intn(2000)-1000) / 8 },
	)
}

// TestDirectEncoderMatchesJSONOnRandomObjects fills Deployments, Services
// and pod specs at random (empty and nil values included, which pruning
// must drop as the round trip does).
func TestDirectEncoderMatchesJSONOnRandomObjects(t *testing.T) {
	for seed := int64(0); seed < 300; seed++ {
		f := filler(seed)
		var dep appsv1.Deployment
		var svc corev1.Service
		var pod corev1.PodSpec
		f.Fill(&dep)
		f.Fill(&svc)
		f.Fill(&pod)
		checkBoth(t, fmt.Sprint("Deployment seed ", seed), &dep)
		checkBoth(t, fmt.Sprint("Service seed ", seed), &svc)
		checkBoth(t, fmt.Sprint("PodSpec seed ", seed), &pod)
		checkBoth(t, fmt.Sprint("empty ", seed), &corev1.Service{})
	}
}

// TestPodSpecKey holds the pod spec key to its promise: two specs get
// the same key exactly when reflect.DeepEqual says they are equal, on
// random specs, their copies and copies with one field changed.
func TestPodSpecKey(t *testing.T) {
	differ := 0
	for seed := int64(0); seed < 300; seed++ {
		var a, b corev1.PodSpec
		filler(seed).Fill(&a)
		filler(seed + 1000).Fill(&b)
		c := a.DeepCopy()
		d := a.DeepCopy()
		if len(d.Containers) > 0 {
			d.Containers[0].Image += "x"
		} else {
			d.Hostname += "x"
		}
		e := a.DeepCopy()
		e.NodeSelector = map[string]string{"a": "b", "c": "d"}
		f := a.DeepCopy()
		f.NodeSelector = map[string]string{"c": "d", "a": "b"}
		for _, p := range [][2]*corev1.PodSpec{{&a, &b}, {&a, c}, {&a, d}, {c, d}, {e, f}, {e, &a}} {
			ka, oka := codec.Key(p[0])
			kb, okb := codec.Key(p[1])
			if !oka || !okb {
				t.Fatalf("seed %d: a pod spec cannot be keyed", seed)
			}
			want := reflect.DeepEqual(p[0], p[1])
			if got := ka == kb; got != want {
				t.Fatalf("seed %d: same key %v, reflect.DeepEqual %v", seed, got, want)
			}
			if !want {
				differ++
			}
		}
	}
	if differ < 600 {
		t.Errorf("only %d unequal pairs compared", differ)
	}
}

// rawJSON marshals as its own text, to put any JSON a Marshaler may write
// in front of the walk.
type rawJSON string

func (r rawJSON) MarshalJSON() ([]byte, error) { return []byte(r), nil }

// TestMarshaledNumbersMatchJSON: the walk reads a Marshaler's integers
// without a JSON decoder (IntOrString ports); what it makes of every kind of
// number must be what the decoder and prune make of it.
func TestMarshaledNumbersMatchJSON(t *testing.T) {
	for _, text := range []string{"0", "-0", "7", "12", "-12", "5678", "9223372036854775807", "-9223372036854775808",
		"9223372036854775808", "-9223372036854775809", "18446744073709551616", "1.5", "-0.0", "1e3", "1E-2", "10.0", `"80"`, `"x"`, "true", "null"} {
		v := &struct {
			V rawJSON `json:"v"`
		}{rawJSON(text)}
		direct, viaJSON, unsupported, err := codec.EncodeBoth(v)
		if err != nil || unsupported {
			t.Fatalf("%s: %v (unsupported %v)", text, err, unsupported)
		}
		if d := sameNodes(direct, viaJSON, text); d != "" {
			t.Errorf("%s", d)
		}
	}
}
