package cluster

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"reflect"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/utils/dump"
)

var replicaSetsGVR = schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "replicasets"}

// podTemplateHash is the pod-template-hash label kube-controller-manager's
// Deployment controller gives a Deployment's ReplicaSet: FNV-1a (32 bits)
// over the typed pod template as k8s.io/utils/dump.ForHash prints it, then
// the collision count as 8 little-endian bytes when it is set; the sum in
// decimal, mapped through rand.SafeEncodeString. (Read in k8s.io/kubernetes
// v1.37.2: pkg/controller/controller_utils.go ComputeHash and
// pkg/util/hash DeepHashObject; the Deployment controller hashes
// spec.template before it adds the label.)
func podTemplateHash(tpl corev1.PodTemplateSpec, collisionCount *int32) string {
	h := fnv.New32a()
	fmt.Fprintf(h, "%v", dump.ForHash(tpl))
	if collisionCount != nil {
		b := make([]byte, 8)
		binary.LittleEndian.PutUint32(b, uint32(*collisionCount))
		h.Write(b)
	}
	return rand.SafeEncodeString(fmt.Sprint(h.Sum32()))
}

func typedDeployment(t *testing.T, ns, name string) *appsv1.Deployment {
	t.Helper()
	var d appsv1.Deployment
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(get(t, deployments, ns, name).Object, &d); err != nil {
		t.Fatal(err)
	}
	return &d
}

// playDeploymentController creates the ReplicaSet the Deployment
// controller creates for the live Deployment (envtest runs no
// controllers): named after the Deployment and the hash of its template,
// which it carries as the pod-template-hash label in its selector and
// template, controlled by the Deployment.
func playDeploymentController(t *testing.T, ns, name string) *appsv1.ReplicaSet {
	t.Helper()
	d := typedDeployment(t, ns, name)
	hash := podTemplateHash(d.Spec.Template, d.Status.CollisionCount)
	withHash := func(m map[string]string) map[string]string {
		out := map[string]string{appsv1.DefaultDeploymentUniqueLabelKey: hash}
		for k, v := range m {
			out[k] = v
		}
		return out
	}
	yes := true
	rs := &appsv1.ReplicaSet{
		TypeMeta: metav1.TypeMeta{APIVersion: "apps/v1", Kind: "ReplicaSet"},
		ObjectMeta: metav1.ObjectMeta{
			Name: name + "-" + hash, Namespace: ns, Labels: withHash(d.Spec.Template.Labels),
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "Deployment", Name: name, UID: d.UID, Controller: &yes, BlockOwnerDeletion: &yes}},
		},
		Spec: appsv1.ReplicaSetSpec{
			Replicas: d.Spec.Replicas,
			Selector: &metav1.LabelSelector{MatchLabels: withHash(d.Spec.Selector.MatchLabels)},
			Template: *d.Spec.Template.DeepCopy(),
		},
	}
	rs.Spec.Template.Labels = withHash(d.Spec.Template.Labels)
	u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(rs)
	if err != nil {
		t.Fatal(err)
	}
	created, err := admin(t).Resource(replicaSetsGVR).Namespace(ns).Create(context.Background(), &unstructured.Unstructured{Object: u}, metav1.CreateOptions{FieldManager: "kube-controller-manager"})
	if err != nil {
		t.Fatal(err)
	}
	var out appsv1.ReplicaSet
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(created.Object, &out); err != nil {
		t.Fatal(err)
	}
	playReplicaSetController(t, &out)
	return &out
}

var podsGVR = schema.GroupVersionResource{Version: "v1", Resource: "pods"}

// playReplicaSetController creates one Pod of rs, as its controller does:
// rs's template, controlled by rs, named after it.
func playReplicaSetController(t *testing.T, rs *appsv1.ReplicaSet) {
	t.Helper()
	yes := true
	pod := &corev1.Pod{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{
			Name: rs.Name + "-0", Namespace: rs.Namespace, Labels: rs.Spec.Template.Labels, Annotations: rs.Spec.Template.Annotations,
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: rs.Name, UID: rs.UID, Controller: &yes, BlockOwnerDeletion: &yes}},
		},
		Spec: rs.Spec.Template.Spec,
	}
	u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(pod)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin(t).Resource(podsGVR).Namespace(rs.Namespace).Create(context.Background(), &unstructured.Unstructured{Object: u}, metav1.CreateOptions{FieldManager: "kube-controller-manager"}); err != nil {
		t.Fatal(err)
	}
}

// checkNoRollout: the Deployment controller would find rs still the
// Deployment's current ReplicaSet and start no rollout. The Deployment's
// template hashes to rs's pod-template-hash and equals rs's template but
// for that label (the controller's EqualIgnoreHash), rs itself is as it
// was, still controlled by the Deployment, and so is its Pod.
func checkNoRollout(t *testing.T, ns, name string, rs *appsv1.ReplicaSet) {
	t.Helper()
	d := typedDeployment(t, ns, name)
	if got, want := podTemplateHash(d.Spec.Template, d.Status.CollisionCount), rs.Labels[appsv1.DefaultDeploymentUniqueLabelKey]; got != want {
		t.Errorf("the Deployment's pod-template-hash is %s, its ReplicaSet's %s: the controller would roll out a new ReplicaSet", got, want)
	}
	rsTpl := rs.Spec.Template.DeepCopy()
	delete(rsTpl.Labels, appsv1.DefaultDeploymentUniqueLabelKey)
	if !reflect.DeepEqual(*rsTpl, d.Spec.Template) {
		t.Errorf("the Deployment's template differs from its ReplicaSet's:\n%+v\n%+v", d.Spec.Template, *rsTpl)
	}
	now := get(t, replicaSetsGVR, ns, rs.Name)
	if now.GetResourceVersion() != rs.ResourceVersion {
		t.Errorf("ReplicaSet %s changed (resourceVersion %s -> %s)", rs.Name, rs.ResourceVersion, now.GetResourceVersion())
	}
	if ref := metav1.GetControllerOf(now); ref == nil || ref.UID != d.UID {
		t.Errorf("ReplicaSet %s is no longer controlled by the Deployment: %v", rs.Name, now.GetOwnerReferences())
	}
	pod := get(t, podsGVR, ns, rs.Name+"-0")
	if ref := metav1.GetControllerOf(pod); ref == nil || ref.UID != rs.UID || pod.GetDeletionTimestamp() != nil {
		t.Errorf("Pod %s is no longer the ReplicaSet's: owners %v, deletion %v", pod.GetName(), pod.GetOwnerReferences(), pod.GetDeletionTimestamp())
	}
}

// TestPodTemplateHash pins podTemplateHash to what
// k8s.io/kubernetes v1.37.2 controller.ComputeHash gives for the same
// templates (computed once with that code, outside this module).
func TestPodTemplateHash(t *testing.T) {
	tpl := corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "edge"}},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "kuma-gateway", Image: "kuma/kuma-dp:2.13.0"}}},
	}
	one := int32(1)
	if got := podTemplateHash(tpl, nil); got != "6c9b86f6d" {
		t.Errorf("hash %s, want 6c9b86f6d", got)
	}
	if got := podTemplateHash(tpl, &one); got != "66c8cd749c" {
		t.Errorf("hash with collisionCount 1: %s, want 66c8cd749c", got)
	}
	tpl.Spec.Containers[0].Image = "kuma/kuma-dp:2.13.1"
	if got := podTemplateHash(tpl, nil); got != "678bcf8f75" {
		t.Errorf("hash after an image change: %s, want 678bcf8f75", got)
	}
}
