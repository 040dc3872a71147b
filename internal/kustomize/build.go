package kustomize

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// RuleFunctionTakenOut: -k took kubectl-mgi's function out of the build and
// expands afterwards.
const RuleFunctionTakenOut = "FunctionTakenOut"

// Build is a built kustomization.
type Build struct {
	// Dir is the kustomization's directory as given.
	Dir string
	// Objects are what kustomize built, in kustomize's order, each with
	// the path, index and line numbers of the file it came from where
	// kustomize recorded one (see positions.go).
	Objects []*yaml.RNode
	// Function is the config of kubectl-mgi's function listed in the
	// kustomization (transformers: or validators:), or nil. It carries its
	// file and lines.
	Function *yaml.RNode
	// Findings are notes about the build.
	Findings finding.List

	// sortOptions is the kustomization's own sortOptions, for Write.
	sortOptions *yaml.RNode
	// keepOrigin: the kustomization asked for origin annotations itself.
	keepOrigin bool
}

// Run builds the kustomization in dir as kubectl apply -k does: no
// plugins, load restrictions as kustomize's default (root only), with
// kubectl-mgi's own function taken out. The error says what to change.
func Run(dir string) (*Build, error) {
	kfile, err := kustomizationFile(dir)
	if err != nil {
		return nil, err
	}
	k, err := yaml.ReadFile(kfile)
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("-k %s: %s is empty, which kustomize refuses; list the objects under resources: in it", dir, kfile)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w; fix the YAML", kfile, err)
	}
	b := &Build{Dir: dir}
	fns, err := findFunctions(kfile, k)
	if err != nil {
		return nil, err
	}
	if err := b.takeOut(kfile, k, fns); err != nil {
		return nil, err
	}
	b.keepOrigin = setOriginAnnotations(k)
	if f := k.Field("sortOptions"); f != nil {
		b.sortOptions = f.Value
	}
	text, err := k.String()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", kfile, err)
	}
	fsys := overlayFS{FileSystem: filesys.MakeFsOnDisk(), files: map[string][]byte{absolute(kfile): []byte(text)}}
	opts := options()
	m, err := krusty.MakeKustomizer(opts).Run(fsys, dir)
	if err != nil {
		return nil, explain(dir, err)
	}
	b.Objects = m.ToRNodeSlice()
	if err := b.trace(); err != nil {
		return nil, err
	}
	return b, nil
}

// kustomizationFile finds the kustomization in dir under the names
// kustomize accepts.
func kustomizationFile(dir string) (string, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return "", fmt.Errorf("-k %s: %w; pass a directory that holds a kustomization.yaml", dir, err)
	}
	if !info.IsDir() {
		return "", fmt.Errorf("-k %s: not a directory; -k takes the folder that holds the kustomization.yaml (for plain files, pass them without -k)", dir)
	}
	var found []string
	for _, n := range source.KustomizationFileNames {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			found = append(found, n)
		}
	}
	switch len(found) {
	case 0:
		return "", fmt.Errorf("-k %s: no %s in it; pass the folder of a kustomization, or the folder itself without -k", dir, strings.Join(source.KustomizationFileNames, ", "))
	case 1:
		return filepath.Join(dir, found[0]), nil
	}
	return "", fmt.Errorf("-k %s: found %s; kustomize refuses more than one, keep one", dir, strings.Join(found, " and "))
}

// takeOut removes kubectl-mgi's function from the kustomization's plugin
// lists. The caller expands afterwards, which is the same as the function
// running last: so as a transformer it must be the last one (a later
// transformer would have seen its Deployments, not the instances).
func (b *Build) takeOut(kfile string, k *yaml.RNode, fns []functionEntry) error {
	var validator *yaml.RNode
	for _, fn := range fns {
		list := k.Field(fn.field).Value
		switch fn.field {
		case "generators":
			return fmt.Errorf("%s: generators[%d] runs kubectl-mgi's function as a generator; -k does not run generators: list its inputs under resources: and its config under transformers: (or build with kustomize build --enable-alpha-plugins --enable-exec %s | kubectl mgi render -)", kfile, fn.index, b.Dir)
		case "transformers":
			if hasInputs(fn.config) {
				return fmt.Errorf("%s: transformers[%d] names generator inputs (kubectl-mgi.kuma.io/inputs); -k reads only what the kustomization builds: list the inputs under resources: instead", kfile, fn.index)
			}
			if fn.index != len(list.Content())-1 {
				return fmt.Errorf("%s: transformers[%d] is kubectl-mgi's function but not the last transformer; -k expands after the build, so move it last (the transformers after it would see the instance, not its Deployment and Service)", kfile, fn.index)
			}
			b.Function = fn.config
		case "validators":
			if validator == nil {
				validator = fn.config
			}
		}
		b.Findings = append(b.Findings, finding.Finding{
			Rule: RuleFunctionTakenOut, Severity: finding.Info, Object: source.Ref(fn.config), Pos: source.Position(fn.config),
			Message: fmt.Sprintf("%s[%d] of %s is kubectl-mgi's function: -k builds without it and expands the result itself, with this config", fn.field, fn.index, filepath.ToSlash(kfile)),
		})
	}
	if b.Function == nil {
		// A validator's config is the configuration only when no
		// transformer gives one.
		b.Function = validator
	}
	// Remove from the end, so that the indexes still hold.
	for i := len(fns) - 1; i >= 0; i-- {
		list := k.Field(fns[i].field).Value.YNode()
		list.Content = append(list.Content[:fns[i].index], list.Content[fns[i].index+1:]...)
	}
	return nil
}

// setOriginAnnotations turns on kustomize's origin annotations (which file
// each object came from), and reports whether they were on already.
func setOriginAnnotations(k *yaml.RNode) bool {
	f := k.Field("buildMetadata")
	if f == nil || f.Value.YNode().Kind != yaml.SequenceNode {
		_ = k.PipeE(yaml.SetField("buildMetadata", yaml.NewListRNode(types.OriginAnnotations)))
		return false
	}
	for _, c := range f.Value.Content() {
		if c.Value == types.OriginAnnotations {
			return true
		}
	}
	f.Value.YNode().Content = append(f.Value.YNode().Content, yaml.NewStringRNode(types.OriginAnnotations).YNode())
	return false
}

// explain adds what to do to kustomize's errors where the cause is -k's
// own choice: no plugins.
func explain(dir string, err error) error {
	msg := err.Error()
	if strings.Contains(msg, "plugin") || strings.Contains(msg, "function") {
		return fmt.Errorf("-k %s: %w; -k builds without plugins or KRM functions, as kubectl apply -k does. kubectl-mgi's own function is taken out only from the kustomization -k names: move it there (last under transformers:), or build with kustomize build --enable-alpha-plugins --enable-exec %s | kubectl mgi render -", dir, err, dir)
	}
	return fmt.Errorf("-k %s: kustomize: %w", dir, err)
}

// options are kustomize build's: the API's defaults but for the order,
// which the CLI (and kubectl apply -k) takes from the kustomization's
// sortOptions, else kustomize's legacy order.
func options() *krusty.Options {
	o := krusty.MakeDefaultOptions()
	o.Reorder = krusty.ReorderOptionUnspecified
	return o
}

// hasInputs reports a function config that names generator inputs.
func hasInputs(fc *yaml.RNode) bool {
	if fc.GetAnnotations()["kubectl-mgi.kuma.io/inputs"] != "" {
		return true
	}
	v, err := fc.Pipe(yaml.Lookup("data", "inputs"))
	return err == nil && v != nil
}
