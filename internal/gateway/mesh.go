package gateway

import (
	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/kuma"
)

// DefaultMesh is the mesh of an instance that names none.
const DefaultMesh = "default"

// ResolveMesh picks the instance's mesh the way Kuma does: the first
// non-empty of the MGI's kuma.io/mesh label, its (deprecated) annotation,
// the Namespace's label, the Namespace's (deprecated) annotation, "default".
// A mesh taken from an annotation is a warning. Kuma 2.7 does not read the
// Namespace's label (util.MeshOfByLabelOrAnnotation at v2.7.29), and its
// Namespace annotation is not deprecated there.
func ResolveMesh(inst *Instance, namespaces map[string]Namespace, rel kuma.Release) (string, finding.List) {
	if inst == nil {
		return DefaultMesh, nil
	}
	r := instanceReporter(inst)
	if m := inst.Labels[AnnotationMesh]; m != "" {
		return m, nil
	}
	if m := inst.Annotations[AnnotationMesh]; m != "" {
		r.add(DeprecatedMeshAnnotation, fieldPath("metadata", "annotations", AnnotationMesh),
			"Kuma no longer supports the kuma.io/mesh annotation; move it to a label (metadata.labels[\"kuma.io/mesh\"]: %s)", m)
		return m, r.list
	}
	ns := namespaces[inst.Namespace]
	if m := ns.Labels[AnnotationMesh]; m != "" {
		if rel.NamespaceMeshLabel {
			return m, nil
		}
		if ns.Annotations[AnnotationMesh] == "" {
			r.add(NamespaceMeshLabelIgnored, fieldPath("metadata", "namespace"),
				"Kuma %s ignores the kuma.io/mesh label on Namespace %s, so the instance is in mesh %q, not %q; label the instance itself (metadata.labels[\"kuma.io/mesh\"]: %s)", rel.Line, inst.Namespace, DefaultMesh, m, m)
		}
	}
	if m := ns.Annotations[AnnotationMesh]; m != "" {
		if !rel.NamespaceMeshLabel {
			return m, r.list
		}
		r.add(DeprecatedMeshAnnotation, fieldPath("metadata", "namespace"),
			"the mesh %q comes from the deprecated kuma.io/mesh annotation on Namespace %s; make it a label on the Namespace", m, inst.Namespace)
		return m, r.list
	}
	return DefaultMesh, r.list
}
