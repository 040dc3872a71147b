package gateway

import "github.com/kubectl-mgi/kubectl-mgi/internal/finding"

// DefaultMesh is the mesh of an instance that names none.
const DefaultMesh = "default"

// ResolveMesh picks the instance's mesh the way Kuma does: the first
// non-empty of the MGI's kuma.io/mesh label, its (deprecated) annotation,
// the Namespace's label, the Namespace's (deprecated) annotation, "default".
// A mesh taken from an annotation is a warning.
func ResolveMesh(inst *Instance, namespaces map[string]Namespace) (string, finding.List) {
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
		return m, nil
	}
	if m := ns.Annotations[AnnotationMesh]; m != "" {
		r.add(DeprecatedMeshAnnotation, fieldPath("metadata", "namespace"),
			"the mesh %q comes from the deprecated kuma.io/mesh annotation on Namespace %s; make it a label on the Namespace", m, inst.Namespace)
		return m, r.list
	}
	return DefaultMesh, nil
}
