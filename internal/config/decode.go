package config

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/kuma"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"github.com/kubectl-mgi/kubectl-mgi/internal/strict"
	"k8s.io/apimachinery/pkg/api/resource"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// RuleInvalidConfig is the rule id of every finding about the configuration object.
const RuleInvalidConfig = "InvalidConfig"

// IsConfig reports whether rn is the tool's configuration object.
func IsConfig(rn *yaml.RNode) bool {
	av, kind := source.TypeOf(rn) // kyaml's getters, without their allocations: run for every input
	return av == APIVersion && kind == Kind
}

// specSchema is the strict decoder's schema of spec, derived from Config:
// a new setting is a field of Config, nothing else; anything not there is
// a typo that would otherwise be silently ignored.
var specSchema = strict.Of(reflect.TypeFor[Config]())

// FromRNode decodes a ControlPlaneConfig object strictly, through the same
// decoder as Kuma's objects (internal/strict), and applies defaults. A
// relative caCertFile is read from baseDir (the directory of the file that
// held the object). Findings name file, line, column and field, and say
// what to do.
func FromRNode(rn *yaml.RNode, baseDir string) (Config, finding.List) {
	c := Config{node: rn}
	report := func(field, msg string) finding.Finding {
		return finding.Finding{
			Rule: RuleInvalidConfig, Severity: finding.Error, Object: source.Ref(rn),
			Field: field, Message: msg, Pos: source.FieldPosition(rn, field),
		}
	}
	spec := rn.Field("spec")
	if spec == nil || yaml.IsMissingOrNull(spec.Value) {
		c.ApplyDefaults()
		return c, nil
	}
	var out finding.List
	d := strict.Decoder{Owner: Kind, Report: func(_ string, p strict.Path, msg string, at *yaml.Node) {
		f := finding.Finding{
			Rule: RuleInvalidConfig, Severity: finding.Error, Object: source.Ref(rn),
			Field: p.String(), Message: msg, Pos: strict.Position(rn, p),
		}
		if at != nil && at.Line > 0 {
			f.Pos.Line, f.Pos.Column = at.Line, at.Column
		}
		out = append(out, f)
	}}
	tree := d.Walk(spec.Value.YNode(), specSchema, strict.Path{"spec"})
	if len(out) == 0 {
		out = checkIgnore(spec.Value, report)
	}
	if len(out) > 0 {
		return c, out
	}
	// The tree holds only values the schema accepted, so this fails only if
	// the schema and the struct disagree: a bug, still reported.
	raw, err := json.Marshal(tree)
	if err == nil {
		err = json.Unmarshal(raw, &c)
	}
	if err != nil {
		return c, finding.List{report("spec", fmt.Sprintf("cannot be read: %v", err))}
	}
	out = append(out, c.check(baseDir, report)...)
	c.nodePortRangeSet = c.NodePortRange != ""
	for i := range c.Ignore {
		c.Ignore[i].source = source.FieldPosition(rn, fmt.Sprintf("spec.ignore[%d]", i)).String()
	}
	c.ApplyDefaults()
	return c, out
}

// check validates values that decode but cannot work, and reads caCertFile.
func (c *Config) check(baseDir string, report func(string, string) finding.Finding) finding.List {
	var out finding.List
	if c.KumaVersion != "" {
		if _, err := kuma.Lookup(c.KumaVersion); err != nil {
			out = append(out, report("spec.kumaVersion", err.Error()))
		}
	}
	if c.DrainTime != "" {
		if _, err := time.ParseDuration(c.DrainTime); err != nil {
			out = append(out, report("spec.drainTime", fmt.Sprintf("%q is not a duration; write it like 30s or 1m", c.DrainTime)))
		}
	}
	for field, port := range map[string]int32{"spec.envoyAdminPort": c.EnvoyAdminPort, "spec.readinessPort": c.ReadinessPort, "spec.dns.coreDNSPort": c.DNS.CoreDNSPort, "spec.dns.envoyDNSPort": c.DNS.EnvoyDNSPort} {
		if port < 0 || port > 65535 {
			out = append(out, report(field, fmt.Sprintf("port %d is out of range; use 1-65535", port)))
		}
	}
	if c.ControlPlaneURL != "" {
		if u, err := url.Parse(c.ControlPlaneURL); err != nil || u.Scheme == "" || u.Host == "" {
			out = append(out, report("spec.controlPlaneURL", fmt.Sprintf("%q is not an absolute URL; write it like https://kuma-control-plane.kuma-system:5678", c.ControlPlaneURL)))
		}
	}
	if c.NodePortRange != "" {
		if _, _, err := ParsePortRange(c.NodePortRange); err != nil {
			out = append(out, report("spec.nodePortRange", err.Error()))
		}
	}
	for _, group := range []struct {
		name string
		q    map[string]resource.Quantity
	}{{"requests", c.Resources.Requests}, {"limits", c.Resources.Limits}} {
		for k := range group.q {
			if k == "" {
				out = append(out, report("spec.resources."+group.name, "resource names must not be empty"))
			}
		}
	}
	if c.CACert != "" && c.CACertFile != "" {
		out = append(out, report("spec.caCertFile", "set caCert or caCertFile, not both"))
	} else if c.CACertFile != "" {
		p := c.CACertFile
		if !filepath.IsAbs(p) {
			p = filepath.Join(baseDir, p)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			out = append(out, report("spec.caCertFile", fmt.Sprintf("cannot read the CA certificate: %v; the path is relative to the config file", err)))
		} else {
			c.CACert = string(b)
		}
	}
	return out
}

// ParsePortRange reads "30000-32767".
func ParsePortRange(s string) (int32, int32, error) {
	lo, hi, ok := strings.Cut(s, "-")
	a, err1 := strconv.ParseInt(strings.TrimSpace(lo), 10, 32)
	b, err2 := strconv.ParseInt(strings.TrimSpace(hi), 10, 32)
	if !ok || err1 != nil || err2 != nil || a < 1 || b > 65535 || a > b {
		return 0, 0, fmt.Errorf("%q is not a port range; write it like 30000-32767", s)
	}
	return int32(a), int32(b), nil
}
