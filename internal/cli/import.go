package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubectl-mgi/kubectl-mgi/internal/cluster"
	"github.com/kubectl-mgi/kubectl-mgi/internal/codec"
	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
)

// ImportOptions are the inputs of `import`.
type ImportOptions struct {
	IO   genericiooptions.IOStreams
	Kube *genericclioptions.ConfigFlags
	// Dir is where the files go; Names limit the instances.
	Dir   string
	Names []string
	// Group writes one file per kind instead of one per object.
	Group bool
	// Overwrite replaces files that exist.
	Overwrite bool
	// ControlPlane is the kuma-cp Deployment, NAMESPACE/NAME; "" is the one
	// the gateways' control-plane URL names, else kuma-system/kuma-control-plane.
	ControlPlane string
}

var _ = register(NewImportCmd)

// NewImportCmd builds `kubectl mgi import`.
func NewImportCmd(streams genericiooptions.IOStreams) *cobra.Command {
	return newImportCmd(streams, runImport)
}

func newImportCmd(streams genericiooptions.IOStreams, runF func(context.Context, *ImportOptions) error) *cobra.Command {
	o := &ImportOptions{IO: streams, Kube: genericclioptions.NewConfigFlags(true)}
	cmd := &cobra.Command{
		Use:   "import DIR [INSTANCE...]",
		Short: "Write the cluster's MeshGatewayInstances, MeshGateways and control-plane settings into a directory",
		Long: `import writes the MeshGatewayInstances of the cluster (all of them, those of
-n NAMESPACE, or the named ones) and every MeshGateway (they are cluster-scoped,
and any of them can match an instance) as clean YAML into DIR: no status, no
server-set metadata (managedFields, uid, resourceVersion, creationTimestamp,
generation, ...), no kubectl last-applied annotation, and no value equal to its
CRD's default (the server fills those in whether written or not).

It also writes controlplaneconfig.yaml, a ControlPlaneConfig with the gateway
settings of the control plane (Kuma version, dataplane image, control-plane
URL, CA certificate, admin port, drain time, DNS settings, extra variables,
default resources), so that the first plan shows no change to a pod template.
They are read from the kuma-cp Deployment itself where it states them: the
Kuma version from its image tag, the rest from its KUMA_* variables, its
--config-file (from the ConfigMap mounted there) and the CA certificate file
(from the Secret or ConfigMap mounted there). What it does not state comes from
the first gateway Deployment Kuma built, else Kuma's defaults. import notes
where each setting came from, and every setting a gateway was built with
otherwise. The control plane is --control-plane, else the one the gateways'
control-plane URL names (https://NAME.NAMESPACE:5678), else
kuma-system/kuma-control-plane. The node-port range is read off the API
server's pod in kube-system (component=kube-apiserver, as kubeadm and kind run
it) when there is one.

One file per object (meshgatewayinstance-NAMESPACE-NAME.yaml,
meshgateway-NAME.yaml), or one per kind with --group. Files that exist are not
overwritten unless --overwrite; then nothing is written.

Then: kubectl mgi plan DIR --take-over (docs/takeover.md).`,
		Example: `  # Everything Kuma runs, one file per object
  kubectl mgi import ./gateways

  # The instances of one namespace, one file per kind
  kubectl mgi import ./gateways -n shop --group

  # Two instances, replacing files written before
  kubectl mgi import ./gateways -n shop edge admin --overwrite

  # A control plane installed under another name
  kubectl mgi import ./gateways --control-plane mesh-system/kuma-control-plane`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Dir, o.Names = args[0], args[1:]
			return runF(cmd.Context(), o)
		},
	}
	o.Kube.AddFlags(cmd.Flags())
	cmd.Flags().BoolVar(&o.Group, "group", false, "one file per kind (meshgatewayinstances.yaml, meshgateways.yaml) instead of one per object")
	cmd.Flags().BoolVar(&o.Overwrite, "overwrite", false, "replace files that exist")
	cmd.Flags().BoolVar(&o.Overwrite, "force", false, "the same as --overwrite")
	cmd.Flags().StringVar(&o.ControlPlane, "control-plane", "", "the kuma-cp Deployment to read, NAMESPACE/NAME (default: the one the gateways' control-plane URL names, else kuma-system/kuma-control-plane)")
	return cmd
}

// importFile is one file import writes.
type importFile struct {
	name  string
	nodes []*yaml.RNode
}

func runImport(ctx context.Context, o *ImportOptions) error {
	c, err := cluster.New(ctx, o.Kube, cluster.Options{})
	if err != nil {
		return err
	}
	ns := ""
	if o.Kube.Namespace != nil {
		ns = *o.Kube.Namespace
	}
	exp, err := c.Export(ctx, cluster.ExportOptions{Namespace: ns, Names: o.Names})
	if err != nil {
		return err
	}
	if len(exp.Instances) == 0 {
		return fmt.Errorf("no MeshGatewayInstance found%s: nothing to import (kubectl get meshgatewayinstances -A lists them)", namespaceSuffix(ns))
	}
	var cp *cluster.ControlPlane
	if o.ControlPlane != "" {
		ns, name, ok := strings.Cut(o.ControlPlane, "/")
		if !ok || ns == "" || name == "" || strings.Contains(name, "/") {
			return fmt.Errorf("--control-plane %q: give the kuma-cp Deployment as NAMESPACE/NAME, for example kuma-system/kuma-control-plane", o.ControlPlane)
		}
		cp = &cluster.ControlPlane{Namespace: ns, Name: name}
	}
	cfg, notes, err := inferConfig(ctx, c, exp, cp)
	if err != nil {
		return err
	}
	if r, err := c.NodePortRange(ctx); err != nil {
		notes = append(notes, fmt.Sprintf("%v; controlplaneconfig.yaml keeps the default nodePortRange, set spec.nodePortRange if your cluster has another", err))
	} else if r != config.Default().NodePortRange {
		cfg.SetMapField(yaml.NewScalarRNode(r), "spec", "nodePortRange")
	}
	files, err := importFiles(exp, cfg, o.Group)
	if err != nil {
		return err
	}
	if err := writeImport(o.Dir, files, o.Overwrite); err != nil {
		return err
	}
	for _, n := range append(exp.Notes, notes...) {
		fmt.Fprintln(o.IO.ErrOut, "note: "+n)
	}
	for _, f := range files {
		fmt.Fprintf(o.IO.Out, "%s (%d %s)\n", filepath.Join(o.Dir, f.name), len(f.nodes), pluralWord(len(f.nodes), "object", "objects"))
	}
	return nil
}

func namespaceSuffix(ns string) string {
	if ns == "" {
		return ""
	}
	return " in namespace " + ns
}

// inferConfig reads the control-plane settings: those the control plane's
// own Deployment states (its image, environment and config file), then
// for the rest those the first Kuma-built gateway Deployment shows, else
// Kuma's defaults. Notes say where each came from and what disagrees.
func inferConfig(ctx context.Context, c *cluster.Client, exp *cluster.Export, given *cluster.ControlPlane) (*yaml.RNode, []string, error) {
	cfg, built, notes, err := fromGateways(exp)
	if err != nil {
		return nil, nil, err
	}
	cp := cluster.ControlPlaneOf(cfg.ControlPlaneURL)
	if given != nil {
		cp = *given
	}
	s, cpNotes := fromControlPlane(ctx, c, cp)
	notes = append(notes, cpNotes...)
	switch {
	case s == nil && built == "":
		notes = append(notes, "no gateway Deployment built by Kuma was found: controlplaneconfig.yaml holds Kuma's defaults; set the dataplane image, control-plane URL and CA certificate your control plane uses")
	case s != nil:
		notes = append(notes, cpDifferences(*s, cfg, cp, built)...)
		cfg = s.Over(cfg)
		from := "the rest from Deployment " + built
		if built == "" {
			from = "the rest are Kuma's defaults"
		}
		notes = append(notes, fmt.Sprintf("controlplaneconfig.yaml: %s from Deployment %s; %s", strings.Join(s.StatedFields(), ", "), cp, from))
	}
	node, err := configNode(cfg)
	return node, notes, err
}

// fromGateways is the configuration the first Kuma-built gateway
// Deployment shows, and the name of that Deployment ("" when none).
func fromGateways(exp *cluster.Export) (config.Config, string, []string, error) {
	var notes []string
	var cfg config.Config
	built := ""
	for _, u := range exp.Deployments {
		c, ok, err := gatewayConfig(u, exp.Instances)
		if err != nil {
			return cfg, "", nil, err
		}
		if !ok {
			continue
		}
		ref := u.GetNamespace() + "/" + u.GetName()
		if built == "" {
			cfg, built = c, ref
			continue
		}
		if a, b := configJSON(cfg), configJSON(c); a != b {
			notes = append(notes, fmt.Sprintf("Deployment %s was built with other control-plane settings than Deployment %s; controlplaneconfig.yaml follows the first, so plan will show changes for this one", ref, built))
		}
	}
	return cfg, built, notes, nil
}

// fromControlPlane reads what the control plane's Deployment states; nil
// (with a note saying why) when it cannot be read.
func fromControlPlane(ctx context.Context, c *cluster.Client, cp cluster.ControlPlane) (*config.ControlPlaneSettings, []string) {
	r, err := c.ReadControlPlane(ctx, cp)
	if err != nil {
		return nil, []string{fmt.Sprintf("the control plane's Deployment %s was not read (%v): the settings come from the gateway Deployments; reading it needs get on deployments, configmaps and secrets in namespace %s", cp, err, cp.Namespace)}
	}
	notes := r.Notes
	s, err := config.FromControlPlane(r.Image, r.ConfigData, r.Env)
	if err != nil {
		return nil, append(notes, fmt.Sprintf("Deployment %s: %v; its settings are not used", cp, err))
	}
	if s.CACertFile != "" {
		b, err := r.File(ctx, c, s.CACertFile)
		if err != nil {
			notes = append(notes, fmt.Sprintf("the CA certificate %s of Deployment %s was not read (%v): caCert comes from the gateway Deployments", s.CACertFile, cp, err))
		} else {
			s.Config.CACert, s.Stated["caCert"] = string(b), true
		}
	}
	return &s, notes
}

// cpDifferences notes each setting the control plane states otherwise
// than the gateway Deployment was built with: Kuma would rebuild the
// gateway with the control plane's, so the config follows it.
func cpDifferences(s config.ControlPlaneSettings, built config.Config, cp cluster.ControlPlane, dep string) []string {
	if dep == "" {
		return nil
	}
	var notes []string
	for _, f := range s.StatedFields() {
		if f == "kumaVersion" {
			// The dataplane image's tag is no statement of the release.
			continue
		}
		one := config.ControlPlaneSettings{Config: s.Config, Stated: map[string]bool{f: true}}
		if configJSON(one.Over(built)) != configJSON(built) {
			notes = append(notes, fmt.Sprintf("Deployment %s was built with another %s than Deployment %s states now: controlplaneconfig.yaml follows the control plane (what Kuma builds on its next reconcile), so plan will show that change", dep, f, cp))
		}
	}
	return notes
}

// gatewayConfig is the configuration a Kuma-built Deployment shows.
func gatewayConfig(u *unstructured.Unstructured, insts []*unstructured.Unstructured) (config.Config, bool, error) {
	var dep appsv1.Deployment
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &dep); err != nil {
		return config.Config{}, false, fmt.Errorf("%s: reading: %w", object.Ref{Kind: "Deployment", Namespace: u.GetNamespace(), Name: u.GetName()}, err)
	}
	for _, c := range dep.Spec.Template.Spec.Containers {
		if c.Name != "kuma-gateway" {
			continue
		}
		inst := config.Instance{}
		for _, i := range insts {
			if i.GetNamespace() == u.GetNamespace() && i.GetName() == u.GetName() {
				inst.Annotations = i.GetAnnotations()
				_, inst.HasResources, _ = unstructured.NestedFieldNoCopy(i.Object, "spec", "resources")
			}
		}
		return config.FromGatewayContainer(c, inst), true, nil
	}
	return config.Config{}, false, nil
}

func configJSON(c config.Config) string {
	b, _ := json.Marshal(c)
	return string(b)
}

// configNode is the ControlPlaneConfig object holding cfg.
func configNode(cfg config.Config) (*yaml.RNode, error) {
	b, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	var spec map[string]interface{}
	if err := json.Unmarshal(b, &spec); err != nil {
		return nil, err
	}
	if dns, ok := spec["dns"].(map[string]interface{}); ok && len(dns) == 0 {
		delete(spec, "dns")
	}
	if r, ok := spec["resources"].(map[string]interface{}); ok && len(r) == 0 {
		delete(spec, "resources")
	}
	return yaml.FromMap(map[string]interface{}{
		"apiVersion": config.APIVersion, "kind": config.Kind,
		"metadata": map[string]interface{}{"name": "kuma"},
		"spec":     spec,
	})
}

// importFiles lays the objects out in files.
func importFiles(exp *cluster.Export, cfg *yaml.RNode, group bool) ([]importFile, error) {
	var files []importFile
	add := func(name string, objs []*unstructured.Unstructured) error {
		f := importFile{name: name}
		for _, u := range objs {
			n, err := yaml.FromMap(u.Object)
			if err != nil {
				return fmt.Errorf("%s %s: converting to YAML: %w", u.GetKind(), u.GetName(), err)
			}
			f.nodes = append(f.nodes, n)
		}
		if len(f.nodes) > 0 {
			files = append(files, f)
		}
		return nil
	}
	if group {
		if err := add("meshgatewayinstances.yaml", exp.Instances); err != nil {
			return nil, err
		}
		if err := add("meshgateways.yaml", exp.Gateways); err != nil {
			return nil, err
		}
	} else {
		for _, u := range exp.Instances {
			if err := add(fmt.Sprintf("meshgatewayinstance-%s-%s.yaml", u.GetNamespace(), u.GetName()), []*unstructured.Unstructured{u}); err != nil {
				return nil, err
			}
		}
		for _, u := range exp.Gateways {
			if err := add(fmt.Sprintf("meshgateway-%s.yaml", u.GetName()), []*unstructured.Unstructured{u}); err != nil {
				return nil, err
			}
		}
	}
	return append(files, importFile{name: "controlplaneconfig.yaml", nodes: []*yaml.RNode{cfg}}), nil
}

// writeImport writes every file, or none when one exists and overwrite is
// off. Each file is written to a temporary name and renamed into place.
func writeImport(dir string, files []importFile, overwrite bool) error {
	var existing []string
	for _, f := range files {
		if _, err := os.Lstat(filepath.Join(dir, f.name)); err == nil {
			existing = append(existing, filepath.Join(dir, f.name))
		}
	}
	if len(existing) > 0 && !overwrite {
		return fmt.Errorf("%s: %s already; nothing was written. Pass --overwrite to replace, or import into another directory",
			strings.Join(existing, ", "), pluralWord(len(existing), "exists", "exist"))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	for _, f := range files {
		var b strings.Builder
		if err := codec.WriteYAML(&b, f.nodes); err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p+".tmp", []byte(b.String()), 0o644); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if err := os.Rename(p+".tmp", p); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	return nil
}
