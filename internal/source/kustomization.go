package source

import (
	"path/filepath"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
)

// RuleKustomizationSkipped: a kustomization file was met while reading a
// directory; it is not an object, and reading it as one would fail.
const RuleKustomizationSkipped = "KustomizationSkipped"

// KustomizationFileNames are the names kustomize looks for in a directory,
// in the order it looks.
var KustomizationFileNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// IsKustomizationFile reports whether path names a kustomization file.
func IsKustomizationFile(path string) bool {
	base := filepath.Base(path)
	for _, n := range KustomizationFileNames {
		if base == n {
			return true
		}
	}
	return false
}

// skipKustomizations drops kustomization files from files and says so: a
// folder is often a kustomize base and an input at once, and its
// kustomization.yaml is kustomize's build instructions, not an object to
// apply. The note is information, not a problem: the rest of the folder is
// read as usual, and -k builds the kustomization instead.
func skipKustomizations(files []string) ([]string, finding.List) {
	var keep []string
	var notes finding.List
	for _, f := range files {
		if f == Stdin || !IsKustomizationFile(f) {
			keep = append(keep, f)
			continue
		}
		notes = append(notes, finding.Finding{
			Rule: RuleKustomizationSkipped, Severity: finding.Info,
			Pos: finding.Position{File: displayName(f)},
			Message: "a kustomization, not an object: skipped. To build it with kustomize and expand the result, use -k " +
				filepath.ToSlash(filepath.Dir(filepath.Clean(f))),
		})
	}
	return keep, notes
}
