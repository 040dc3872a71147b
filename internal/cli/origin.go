package cli

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
)

// planOrigin says which commit was planned against which kubeconfig context
// and cluster, and when, for the Markdown comment. Only names are taken
// from the kubeconfig: the server's address stays out of every comment.
func planOrigin(f *ClusterFlags, commit string, now time.Time) plan.Origin {
	o := plan.Origin{Commit: commit, Time: now}
	raw, err := f.Kube.ToRawKubeConfigLoader().RawConfig()
	if err != nil {
		return o
	}
	o.Context = raw.CurrentContext
	if f.Kube.Context != nil && *f.Kube.Context != "" {
		o.Context = *f.Kube.Context
	}
	if c, ok := raw.Contexts[o.Context]; ok {
		o.Cluster = c.Cluster
	}
	if f.Kube.ClusterName != nil && *f.Kube.ClusterName != "" {
		o.Cluster = *f.Kube.ClusterName
	}
	return o
}

// planTime is the time a plan states: SOURCE_DATE_EPOCH (seconds since
// 1970, the reproducible-builds convention) when set, so a rerun can give
// the same bytes, else the clock.
func planTime(getenv func(string) string, clock func() time.Time) (time.Time, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if clock == nil {
		clock = time.Now
	}
	v := getenv("SOURCE_DATE_EPOCH")
	if v == "" {
		return clock(), nil
	}
	sec, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q is not a number of seconds since 1970: unset it or set an integer", v)
	}
	return time.Unix(sec, 0).UTC(), nil
}
