package strict

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

type sample struct {
	Name  string            `json:"name"`
	Port  uint32            `json:"port"`
	On    *bool             `json:"on,omitempty"`
	Env   map[string]string `json:"env,omitempty"`
	Limit uint32            `json:"limit" alias:"the_limit"`
}

func TestDecoderReportsEveryProblemWithItsPath(t *testing.T) {
	var got []string
	d := Decoder{Owner: "Sample", Report: func(rule string, p Path, msg string, at *yaml.Node) {
		line := rule + " " + p.String() + ": " + msg
		if at != nil {
			line += " @" + strings.Repeat("|", at.Line)
		}
		got = append(got, line)
	}}
	n := yaml.MustParse("name: 5\nport: -1\non: yes please\nenv: {a.b: x, c: null}\nhidden: x\nname: again\nthe_limit: 3\n")
	val := d.Walk(n.YNode(), Of(reflect.TypeFor[sample]()), Path{"spec"})
	want := []string{
		`InvalidType spec.name: must be a string, not the number 5; put the value in quotes`,
		`InvalidType spec.port: -1 is out of range; use a number from 0 to 4294967295`,
		`InvalidType spec.on: must be true or false, not "yes please"`,
		`InvalidType spec.env.c: must not be null; give it a value or remove the key`,
		`UnknownField spec.hidden: Sample has no field "hidden" here (allowed: env, limit, name, on, port); remove it`,
		`DuplicateField spec.name: is set more than once; keep one @||||||`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("reports:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	m, _ := val.(map[string]any)
	if m["limit"] != int64(3) || m["env"].(map[string]any)["a.b"] != "x" || len(m) != 2 {
		t.Errorf("cleaned value %v: want only env (its valid keys) and limit under its canonical name", val)
	}
}

func TestPathQuotesKeysThatAreNotWords(t *testing.T) {
	p := Path{"metadata"}.Key("annotations").Key("kuma.io/envoy-admin-port")
	if got := p.String(); got != `metadata.annotations["kuma.io/envoy-admin-port"]` {
		t.Errorf("got %s", got)
	}
	if got := (Path{"spec"}).Key("listeners").Index(0).Key("port").String(); got != "spec.listeners[0].port" {
		t.Errorf("got %s", got)
	}
}

func TestOfRefusesWhatItCannotDescribe(t *testing.T) {
	for _, bad := range []any{map[int]string{}, struct{ NoTag string }{}, func() {}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Of(%T) did not refuse", bad)
				}
			}()
			Of(reflect.TypeOf(bad))
		}()
	}
}

func TestDecodeStoresTheValidPartInTypedValues(t *testing.T) {
	var reports []string
	d := Decoder{Owner: "Sample", Report: func(rule string, p Path, msg string, _ *yaml.Node) {
		reports = append(reports, rule+" "+p.String())
	}}
	n := yaml.MustParse("name: 5\nport: 80\non: true\nenv: {a: x, c: null}\nthe_limit: 3\nlimit: -1\n")
	got := sample{Name: "kept"} // what is not set stays, as with encoding/json
	if !d.Decode(n.YNode(), Of(reflect.TypeFor[sample]()), Path{"spec"}, &got) {
		t.Fatal("a map must be stored")
	}
	if got.Name != "kept" || got.Port != 80 || got.On == nil || !*got.On || len(got.Env) != 1 || got.Env["a"] != "x" || got.Limit != 3 {
		t.Errorf("decoded %+v", got)
	}
	if want := "InvalidType spec.name InvalidType spec.env.c InvalidType spec.limit"; strings.Join(reports, " ") != want {
		t.Errorf("reports %q, want %q", reports, want)
	}
	// A Go type that cannot hold what the schema accepts is reported, not a panic.
	reports = nil
	var wrong struct {
		Name int `json:"name"`
	}
	d.Decode(yaml.MustParse("name: x\n").YNode(), Of(reflect.TypeFor[sample]()), nil, &wrong)
	if len(reports) != 1 || reports[0] != "InvalidType name" {
		t.Errorf("mismatch reports %q", reports)
	}
	var null sample
	if d.Decode(yaml.MustParse("null\n").YNode(), Of(reflect.TypeFor[sample]()), nil, &null) {
		t.Error("null must not be stored")
	}
}

func TestRepeatedKeysInSmallAndLargeMaps(t *testing.T) {
	for _, pairs := range []int{2, smallMap, smallMap + 1, 40} {
		var b strings.Builder
		for i := range pairs - 1 {
			b.WriteString("k" + strconv.Itoa(i) + ": v\n")
		}
		b.WriteString("k0: again\n")
		var got []string
		d := Decoder{Owner: "Sample", Report: func(rule string, p Path, _ string, at *yaml.Node) {
			got = append(got, rule+" "+p.String()+" @"+strconv.Itoa(at.Line))
		}}
		out := d.Walk(yaml.MustParse(b.String()).YNode(), StringMap, nil).(map[string]any)
		if want := "DuplicateField k0 @" + strconv.Itoa(pairs); len(got) != 1 || got[0] != want || out["k0"] != "v" || len(out) != pairs-1 {
			t.Errorf("%d pairs: reports %q, want %q; kept %v", pairs, got, want, out)
		}
	}
}
