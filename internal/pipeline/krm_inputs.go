package pipeline

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// AnnotationInputs on the functionConfig turns on generator mode: a
// comma-separated list of directories or files, relative to the
// kustomization, whose objects are read and expanded as if they were
// items. It is an annotation, not a spec field, because it tells the
// function where to read, not how Kuma builds a gateway; render and
// validate ignore it.
const AnnotationInputs = "kubectl-mgi.kuma.io/inputs"

// readInputs reads the generator inputs. A path that cannot be read is an
// error result on the functionConfig, not a crash: the person can fix it.
// Paths in annotations and findings stay relative to the kustomization, so
// that results point at files the person can open.
func (f *Function) readInputs(ctx *Context, fc *yaml.RNode, s settings) ([]*yaml.RNode, error) {
	paths := s.inputs
	if len(paths) == 0 {
		return nil, nil
	}
	resolved := make([]string, len(paths))
	for i, p := range paths {
		resolved[i] = f.dir(p)
	}
	nodes, fs, err := source.Reader{Paths: resolved}.Read()
	if err != nil {
		ctx.report(finding.Finding{
			Rule: RuleInvalidFunctionConfig, Severity: finding.Error, Object: source.Ref(fc),
			Field:   s.inputsField,
			Message: fmt.Sprintf("cannot read the generator inputs: %v; paths are relative to the kustomization's directory", f.relative(err.Error())),
		})
		return nil, nil
	}
	for _, x := range fs {
		// Duplicates are checked once over items and inputs together.
		if x.Rule == source.RuleDuplicateObject {
			continue
		}
		x.Pos.File = f.relative(x.Pos.File)
		ctx.report(x)
	}
	for _, n := range nodes {
		if err := f.annotateInput(n); err != nil {
			return nil, fmt.Errorf("%s: annotating a generator input: %w", source.Ref(n), err)
		}
	}
	return nodes, nil
}

// annotateInput sets the orchestrator annotations of an input read from a
// file, in a fixed order (so output bytes never vary) and with the path
// relative to the kustomization.
func (f *Function) annotateInput(n *yaml.RNode) error {
	pos := source.Position(n)
	rel, idx := f.relative(pos.File), strconv.Itoa(pos.Index)
	for _, a := range [][2]string{
		//lint:ignore SA1019 kyaml v0.21's own ByteReader still sets the legacy names (and ByteWriter clears them); objects carry both forms
		{kioutil.PathAnnotation, rel}, {kioutil.LegacyPathAnnotation, rel},
		//lint:ignore SA1019 as above
		{kioutil.IndexAnnotation, idx}, {kioutil.LegacyIndexAnnotation, idx},
	} {
		if err := n.PipeE(yaml.ClearAnnotation(a[0])); err != nil {
			return err
		}
	}
	for _, a := range [][2]string{
		//lint:ignore SA1019 as above
		{kioutil.PathAnnotation, rel}, {kioutil.LegacyPathAnnotation, rel},
		//lint:ignore SA1019 as above
		{kioutil.IndexAnnotation, idx}, {kioutil.LegacyIndexAnnotation, idx},
	} {
		if err := n.PipeE(yaml.SetAnnotation(a[0], a[1])); err != nil {
			return err
		}
	}
	return nil
}

func splitInputs(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// relative strips WorkDir from a path (or from every path in a message),
// undoing dir().
func (f *Function) relative(s string) string {
	if f.WorkDir == "" {
		return s
	}
	prefix := filepath.ToSlash(filepath.Clean(f.WorkDir)) + "/"
	return strings.ReplaceAll(filepath.ToSlash(s), prefix, "")
}
