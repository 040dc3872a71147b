package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/kubectl-mgi/kubectl-mgi/internal/cluster"
	"github.com/kubectl-mgi/kubectl-mgi/internal/pipeline"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// ClusterFlags are what plan and apply share: kubectl's standard flags
// (--kubeconfig, --context, -n, --as, ...), the inputs, the field manager
// and color.
type ClusterFlags struct {
	Kube         *genericclioptions.ConfigFlags
	ConfigFile   string
	FieldManager string
	Color        string
	// Getenv is a test seam for NO_COLOR.
	Getenv func(string) string
}

func newClusterFlags() ClusterFlags {
	return ClusterFlags{Kube: genericclioptions.NewConfigFlags(true), FieldManager: cluster.DefaultFieldManager, Color: "auto", Getenv: os.Getenv}
}

func (f *ClusterFlags) bind(cmd *cobra.Command) {
	f.Kube.AddFlags(cmd.Flags())
	cmd.Flags().StringVar(&f.ConfigFile, "config", "", "file holding a ControlPlaneConfig (default: the one in the inputs, else Kuma's defaults)")
	cmd.Flags().StringVar(&f.FieldManager, "field-manager", f.FieldManager, "server-side apply field manager; plan and apply must use the same one")
	cmd.Flags().StringVar(&f.Color, "color", f.Color, "color the diff: auto (only on a terminal, not with NO_COLOR), always or never")
}

// desired is the desired state for the cluster behind the flags, and a
// client for that cluster. The inputs are checked offline first, so that
// invalid input fails before (and without) any request to the cluster;
// then they are expanded again with the live Namespaces and MeshGateways
// that mesh resolution and gateway matching may need.
func (f *ClusterFlags) desired(ctx context.Context, streams genericiooptions.IOStreams, paths []string) (*cluster.Client, []cluster.Object, error) {
	ns, _, err := f.Kube.ToRawKubeConfigLoader().Namespace()
	if err != nil || ns == "" {
		ns = "default"
	}
	in := InputFlags{ConfigFile: f.ConfigFile, Namespace: ns}
	data, err := readInputs(streams, paths)
	if err != nil {
		return nil, nil, err
	}
	offline, err := expandInputs(data(), paths, in)
	if err != nil {
		return nil, nil, err
	}
	if offline.Findings.HasErrors() {
		return nil, nil, reportFindings(streams.ErrOut, offline)
	}
	c, err := cluster.New(ctx, f.Kube, cluster.Options{})
	if err != nil {
		return nil, nil, err
	}
	nss, gws, err := c.LiveContext(ctx)
	if err != nil {
		return nil, nil, err
	}
	res, err := expandInputs(data(), paths, in, liveContext{Namespaces: nss, Gateways: gws})
	if err != nil {
		return nil, nil, err
	}
	if err := reportFindings(streams.ErrOut, res); err != nil {
		return nil, nil, err
	}
	objs, err := toObjects(res)
	return c, objs, err
}

func toObjects(res *pipeline.Result) ([]cluster.Object, error) {
	clean, err := pipeline.Clean(res.Objects)
	if err != nil {
		return nil, err
	}
	out := make([]cluster.Object, len(clean))
	for i, n := range clean {
		m, err := pipeline.Value(n)
		if err != nil {
			return nil, fmt.Errorf("%s: encoding as JSON: %w", source.Ref(res.Objects[i]), err)
		}
		out[i] = cluster.Object{Unstructured: &unstructured.Unstructured{Object: m}, Source: source.Position(res.Objects[i]).String()}
	}
	return out, nil
}
