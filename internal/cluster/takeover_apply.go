package cluster

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

// finishTakeOver runs steps 2 and 3 of every takeover (step 1, ownership,
// was the apply): the ownerReferences to the instance go, then the
// instance, deleted with orphan propagation.
func (c *Client) finishTakeOver(ctx context.Context, tos []takeover, opts ApplyOptions) ([]Applied, error) {
	var out []Applied
	for _, t := range tos {
		for _, ref := range t.objects {
			if err := c.dropOwnerRef(ctx, ref, t.live.GetUID(), opts); err != nil {
				return out, err
			}
		}
		if err := interrupt(opts, StepOwnerReference, t); err != nil {
			return out, err
		}
		if err := c.deleteOrphaning(ctx, t, opts); err != nil {
			return out, err
		}
		if err := interrupt(opts, StepDeleteInstance, t); err != nil {
			return out, err
		}
		out = append(out, Applied{Object: t.ref(), Source: t.inst.Source, Action: plan.TakeOver})
	}
	return out, nil
}

func interrupt(opts ApplyOptions, step TakeOverStep, t takeover) error {
	if opts.Interrupt == nil {
		return nil
	}
	return opts.Interrupt(step, t.ref())
}

// dropOwnerRef removes from the live object every ownerReference to the
// instance with uid. The JSON patch tests each entry's uid first, so an
// object changed meanwhile fails the patch instead of losing another
// reference; a rerun reads it afresh.
func (c *Client) dropOwnerRef(ctx context.Context, ref object.Ref, uid types.UID, opts ApplyOptions) error {
	m, err := c.mapper.RESTMapping(deploymentOrService(ref), ref.Version)
	if err != nil {
		return fmt.Errorf("%s: mapping to a resource: %w", ref, err)
	}
	ri := c.resource(m, ref.Namespace)
	live, err := ri.Get(ctx, ref.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return c.explain(err, ref, "get", m)
	}
	var ops []map[string]interface{}
	owners := live.GetOwnerReferences()
	for i := len(owners) - 1; i >= 0; i-- {
		if owners[i].UID != uid {
			continue
		}
		path := fmt.Sprintf("/metadata/ownerReferences/%d", i)
		ops = append(ops,
			map[string]interface{}{"op": "test", "path": path + "/uid", "value": string(uid)},
			map[string]interface{}{"op": "remove", "path": path})
	}
	if len(ops) == 0 {
		return nil
	}
	body, err := json.Marshal(ops)
	if err != nil {
		return err
	}
	po := metav1.PatchOptions{FieldManager: opts.FieldManager}
	if opts.DryRun {
		po.DryRun = []string{metav1.DryRunAll}
	}
	if _, err := ri.Patch(ctx, ref.Name, types.JSONPatchType, body, po); err != nil {
		return fmt.Errorf("%s: removing the ownerReference to MeshGatewayInstance %s: %w; nothing was deleted, run apply --take-over again",
			ref, ref.Name, c.explain(err, ref, "patch", m))
	}
	return nil
}

func deploymentOrService(ref object.Ref) schema.GroupKind {
	return schema.GroupKind{Group: ref.Group, Kind: ref.Kind}
}

// deleteOrphaning deletes the live instance with propagationPolicy Orphan
// and its UID as precondition (an instance recreated meanwhile is not
// deleted). An instance already being deleted is left to finish.
func (c *Client) deleteOrphaning(ctx context.Context, t takeover, opts ApplyOptions) error {
	if t.live.GetDeletionTimestamp() != nil {
		return nil
	}
	m, err := c.mapper.RESTMapping(instanceKind.GroupKind(), instanceKind.Version)
	if err != nil {
		return fmt.Errorf("mapping %s: %w", instanceKind, err)
	}
	orphan := metav1.DeletePropagationOrphan
	uid := t.live.GetUID()
	do := metav1.DeleteOptions{PropagationPolicy: &orphan, Preconditions: &metav1.Preconditions{UID: &uid}}
	if opts.DryRun {
		do.DryRun = []string{metav1.DryRunAll}
	}
	err = c.resource(m, t.inst.Namespace).Delete(ctx, t.inst.Name, do)
	if err == nil || apierrors.IsNotFound(err) {
		return nil
	}
	return fmt.Errorf("%s: deleting with propagationPolicy Orphan: %w; its objects no longer reference it, run apply --take-over again",
		t.ref(), c.explain(err, t.ref(), "delete", m))
}
