package config

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// IsConfigMap reports whether rn is a core ConfigMap, the functionConfig
// kpt and kustomize users write by habit (and kustomize fn run sends).
func IsConfigMap(rn *yaml.RNode) bool {
	return rn.GetApiVersion() == "v1" && rn.GetKind() == "ConfigMap"
}

// scalarKind is the YAML tag a ConfigMap string becomes for the spec
// field at the dotted path: a number or a boolean where Config's field is
// one (read off the struct, so a new field needs no entry here), else a
// string.
func scalarKind(path string) string {
	t := reflect.TypeOf(Config{})
	for _, step := range strings.Split(path, ".") {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return yaml.NodeTagString
		}
		found := false
		for i := 0; i < t.NumField(); i++ {
			if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name == step {
				t, found = t.Field(i).Type, true
				break
			}
		}
		if !found {
			return yaml.NodeTagString
		}
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return yaml.NodeTagInt
	case reflect.Bool:
		return yaml.NodeTagBool
	}
	return yaml.NodeTagString
}

// fields lists the keys of each group of settings ("spec", "spec.dns",
// "spec.resources") in Config's field order, read off the struct that the
// strict decoder's schema is derived from: a new setting needs no entry
// here either.
var fields = func() map[string][]string {
	out := map[string][]string{}
	var walk func(t reflect.Type, path string)
	walk = func(t reflect.Type, path string) {
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			out[path] = append(out[path], name)
			if f.Type.Kind() == reflect.Struct {
				walk(f.Type, path+"."+name)
			}
		}
	}
	walk(reflect.TypeFor[Config](), "spec")
	return out
}()

// freeMaps are the spec maps whose keys are the user's (variable names,
// resource names); their ConfigMap keys are field.key.
var freeMaps = []string{"envVars", "resources.requests", "resources.limits"}

// listFields are the spec fields that are lists of objects, which a
// ConfigMap's strings cannot hold.
var listFields = []string{"ignore"}

// FromConfigMap decodes a ConfigMap whose data keys are the spec fields of
// a ControlPlaneConfig, dotted for nested ones (dataplaneImage,
// dns.enabled, resources.limits.cpu, envVars.KUMA_X), as strictly as the
// object itself: an unknown key is an error naming it. skip lists keys
// that are not configuration (the function's own settings). Findings name
// the data key.
func FromConfigMap(rn *yaml.RNode, baseDir string, skip ...string) (Config, finding.List) {
	report := func(key, msg string) finding.Finding {
		field := "data"
		if key != "" {
			field += "." + key
		}
		return finding.Finding{
			Rule: RuleInvalidConfig, Severity: finding.Error, Object: source.Ref(rn),
			Field: field, Message: msg, Pos: source.FieldPosition(rn, "data"),
		}
	}
	data, err := stringData(rn)
	if err != nil {
		return Config{}, finding.List{report("", err.Error())}
	}
	spec := yaml.NewMapRNode(nil)
	var out finding.List
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if slices.Contains(skip, k) {
			continue
		}
		path, err := configMapPath(k)
		if err != nil {
			out = append(out, report(k, err.Error()))
			continue
		}
		value, err := typedScalar(k, data[k])
		if err != nil {
			out = append(out, report(k, err.Error()))
			continue
		}
		if err := spec.PipeE(yaml.LookupCreate(yaml.MappingNode, path[:len(path)-1]...), yaml.SetField(path[len(path)-1], value)); err != nil {
			out = append(out, report(k, err.Error()))
		}
	}
	if len(out) > 0 {
		return Config{}, out
	}
	obj := yaml.NewMapRNode(nil)
	obj.SetApiVersion(APIVersion)
	obj.SetKind(Kind)
	_ = obj.SetName(rn.GetName())
	if err := obj.PipeE(yaml.SetField("spec", spec)); err != nil {
		return Config{}, finding.List{report("", err.Error())}
	}
	cfg, fs := FromRNode(obj, baseDir)
	cfg.node, cfg.inConfigMap = rn, true
	for i := range fs {
		// Say it in the ConfigMap's terms: the key, not the spec field.
		fs[i].Object, fs[i].Pos = source.Ref(rn), source.FieldPosition(rn, "data")
		if rest, ok := strings.CutPrefix(fs[i].Field, "spec."); ok {
			fs[i].Field = "data." + rest
		}
	}
	return cfg, fs
}

// stringData is the ConfigMap's data: a map of strings, or nothing.
func stringData(rn *yaml.RNode) (map[string]string, error) {
	f := rn.Field("data")
	if f == nil || yaml.IsMissingOrNull(f.Value) {
		return nil, nil
	}
	if f.Value.YNode().Kind != yaml.MappingNode {
		return nil, fmt.Errorf("data must be a map of strings")
	}
	out := map[string]string{}
	for i := 0; i+1 < len(f.Value.YNode().Content); i += 2 {
		k, v := f.Value.YNode().Content[i], f.Value.YNode().Content[i+1]
		if v.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("data.%s must be a string; nested settings are written as dotted keys (dns.enabled: \"false\")", k.Value)
		}
		out[k.Value] = v.Value
	}
	return out, nil
}

// configMapPath splits a data key into the spec path it sets, or says why
// no spec field has that name.
func configMapPath(key string) ([]string, error) {
	for _, m := range freeMaps {
		if rest, ok := strings.CutPrefix(key, m+"."); ok && rest != "" {
			return append(strings.Split(m, "."), rest), nil
		}
	}
	parts := strings.Split(key, ".")
	if slices.Contains(listFields, parts[0]) {
		return nil, fmt.Errorf("key %q: spec.%s is a list of rules, which a ConfigMap's strings cannot hold; write the configuration as a ControlPlaneConfig", key, parts[0])
	}
	parent := "spec"
	for i, p := range parts {
		if !slices.Contains(fields[parent], p) {
			return nil, fmt.Errorf("unknown key %q; the keys are %s", key, strings.Join(ConfigMapKeys(), ", "))
		}
		child := parent + "." + p
		if _, nested := fields[child]; nested && i == len(parts)-1 {
			return nil, fmt.Errorf("key %q names a group of settings; set its fields as %s.FIELD", key, key)
		}
		if _, nested := fields[child]; !nested && i < len(parts)-1 {
			return nil, fmt.Errorf("unknown key %q: %s is not a group of settings; the keys are %s", key, strings.Join(parts[:i+1], "."), strings.Join(ConfigMapKeys(), ", "))
		}
		parent = child
	}
	for _, m := range freeMaps {
		if key == m {
			return nil, fmt.Errorf("key %q is a map; set one entry per key as %s.NAME", key, key)
		}
	}
	return parts, nil
}

// ConfigMapKeys are the data keys a ConfigMap functionConfig accepts, in
// the order of the ControlPlaneConfig's fields (NAME is a variable or
// resource name of the user's choice).
func ConfigMapKeys() []string {
	var out []string
	var walk func(parent, prefix string)
	walk = func(parent, prefix string) {
		for _, f := range fields[parent] {
			key := prefix + f
			switch {
			case parent == "spec" && slices.Contains(listFields, f):
			case slices.Contains(freeMaps, key):
				out = append(out, key+".NAME")
			case fields[parent+"."+f] != nil:
				walk(parent+"."+f, key+".")
			default:
				out = append(out, key)
			}
		}
	}
	walk("spec", "")
	return out
}

// typedScalar is the value node for a data string: a number or a boolean
// where the field is one, else the string as it is.
func typedScalar(key, value string) (*yaml.RNode, error) {
	switch scalarKind(key) {
	case yaml.NodeTagInt:
		if _, err := strconv.ParseInt(value, 10, 32); err != nil {
			return nil, fmt.Errorf("%q is not a whole number", value)
		}
		return yaml.NewScalarRNode(value).Pipe(setTag(yaml.NodeTagInt))
	case yaml.NodeTagBool:
		b, err := strconv.ParseBool(value)
		if err != nil {
			return nil, fmt.Errorf("%q is not true or false", value)
		}
		return yaml.NewScalarRNode(strconv.FormatBool(b)).Pipe(setTag(yaml.NodeTagBool))
	}
	return yaml.NewStringRNode(value), nil
}

func setTag(tag string) yaml.FilterFunc {
	return func(rn *yaml.RNode) (*yaml.RNode, error) {
		rn.YNode().Tag = tag
		return rn, nil
	}
}
