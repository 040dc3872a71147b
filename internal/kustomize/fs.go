package kustomize

import (
	"path/filepath"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// overlayFS is the disk with some files replaced: the kustomization -k
// names, as the build must read it (origin annotations on, kubectl-mgi's
// function taken out). Nothing is written to disk.
type overlayFS struct {
	filesys.FileSystem
	files map[string][]byte
}

func (o overlayFS) ReadFile(path string) ([]byte, error) {
	if b, ok := o.files[absolute(path)]; ok {
		return b, nil
	}
	return o.FileSystem.ReadFile(path)
}

func absolute(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return filepath.Clean(path)
}
