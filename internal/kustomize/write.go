package kustomize

import (
	"bytes"
	"fmt"
	"io"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Write prints objects as kustomize build prints a build: in the order
// kustomize sorts them (the kustomization's sortOptions, else kustomize's
// legacy order) and encoded as kustomize encodes them (keys sorted,
// comments dropped). It runs kustomize itself over the objects, in
// memory, with nothing but them and the sort options, so the bytes are
// kustomize's: render -k equals kustomize build with kubectl-mgi's
// function as the last transformer. objects must carry no reader
// annotations (codec.Clean removes them).
func (b *Build) Write(w io.Writer, objects []*yaml.RNode) error {
	if len(objects) == 0 {
		return nil
	}
	var stream bytes.Buffer
	if err := (kio.ByteWriter{Writer: &stream}).Write(objects); err != nil {
		return fmt.Errorf("encoding the expanded objects: %w", err)
	}
	k := yaml.NewMapRNode(&map[string]string{})
	if err := k.PipeE(yaml.SetField("resources", yaml.NewListRNode("objects.yaml"))); err != nil {
		return err
	}
	if b.sortOptions != nil {
		if err := k.PipeE(yaml.SetField("sortOptions", b.sortOptions)); err != nil {
			return err
		}
	}
	text, err := k.String()
	if err != nil {
		return err
	}
	fsys := filesys.MakeFsInMemory()
	if err := fsys.WriteFile("/build/kustomization.yaml", []byte(text)); err != nil {
		return err
	}
	if err := fsys.WriteFile("/build/objects.yaml", stream.Bytes()); err != nil {
		return err
	}
	m, err := krusty.MakeKustomizer(options()).Run(fsys, "/build")
	if err != nil {
		return fmt.Errorf("ordering the expanded objects as kustomize does: %w", err)
	}
	out, err := m.AsYaml()
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}
