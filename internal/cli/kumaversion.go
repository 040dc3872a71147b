package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/kubectl-mgi/kubectl-mgi/internal/cluster"
	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
	"github.com/kubectl-mgi/kubectl-mgi/internal/kuma"
)

// versionCheck is what plan and apply learn about the control plane's
// release: a warning when it differs from the release the expansion is
// for, or a debug line saying why it could not be read. Never a guess:
// an image without a readable version tag is a debug line too.
type versionCheck struct {
	Warning, Debug string
}

// controlPlaneImage is the one request the check makes.
type controlPlaneImage interface {
	ControlPlaneImage(ctx context.Context, cp cluster.ControlPlane) (string, error)
}

func checkKumaVersion(ctx context.Context, c controlPlaneImage, cfg config.Config) versionCheck {
	cp := cluster.ControlPlaneOf(cfg.ControlPlaneURL)
	built := cfg.Release().Line
	image, err := c.ControlPlaneImage(ctx, cp)
	if err != nil {
		return versionCheck{Debug: fmt.Sprintf("not checking the Kuma version against the cluster: %v (reading it needs get on deployments in namespace %s)", err, cp.Namespace)}
	}
	tag := cluster.ImageTag(image)
	line, err := kuma.LineOf(tag)
	if err != nil {
		return versionCheck{Debug: fmt.Sprintf("not checking the Kuma version against the cluster: the image %s of Deployment %s has no version tag", image, cp)}
	}
	if line == built {
		return versionCheck{Debug: fmt.Sprintf("the Kuma control plane (Deployment %s, image %s) runs %s, the release the expansion is for", cp, image, built)}
	}
	return versionCheck{Warning: fmt.Sprintf("the Kuma control plane in the cluster runs %s (image %s of Deployment %s), but the objects were built for Kuma %s: Kuma %s builds its gateways differently. Set spec.kumaVersion or --kuma-version %s to build what the cluster builds; keep %s only to preview a change of release",
		tag, image, cp, built, line, line, built)}
}

func (v versionCheck) print(w io.Writer, verbosity int) {
	if v.Warning != "" {
		fmt.Fprintln(w, "warning: "+v.Warning)
	}
	if v.Debug != "" && verbosity > 0 {
		fmt.Fprintln(w, "debug: "+v.Debug)
	}
}
