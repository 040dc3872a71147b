package cluster

import (
	"context"
	"fmt"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/dynamic"
)

// recreateTimeout bounds the wait for a deleted object to be gone before
// it is created again.
const recreateTimeout = 2 * time.Minute

// mustRecreate reports whether the real apply of this object deletes it
// first: --recreate, and the dry-run pass found its change immutable.
func (r *run) mustRecreate(out outcome) bool {
	if !r.recreate || r.dryRun || out.live == nil {
		return false
	}
	p, ok := r.prior[out.ref]
	return ok && p.rejected != nil && p.rejected.immutable
}

// deleteAndWait deletes live (only that very object: UID precondition; in
// the background, as kubectl does, so what it owns is garbage collected)
// and waits until the server no longer has it, so that the apply that
// follows creates it afresh.
func (c *Client) deleteAndWait(ctx context.Context, ri dynamic.ResourceInterface, live *unstructured.Unstructured) error {
	background := metav1.DeletePropagationBackground
	uid := live.GetUID()
	err := ri.Delete(ctx, live.GetName(), metav1.DeleteOptions{PropagationPolicy: &background, Preconditions: &metav1.Preconditions{UID: &uid}})
	if err != nil && !apierrors.IsNotFound(err) {
		return err
	}
	err = wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, recreateTimeout, true, func(ctx context.Context) (bool, error) {
		u, err := ri.Get(ctx, live.GetName(), metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		return u.GetUID() != uid, nil
	})
	if err != nil {
		return fmt.Errorf("waiting for the deletion to finish (finalizers?): %w", err)
	}
	return nil
}
