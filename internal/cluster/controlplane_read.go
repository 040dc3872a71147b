package cluster

import (
	"context"
	"fmt"
	"path"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
)

// ControlPlaneRead is what import reads of a kuma-cp Deployment: its
// container's image and plain environment, its config file, and a way to
// read other files of its pod (the CA certificate) from the ConfigMaps and
// Secrets mounted there.
type ControlPlaneRead struct {
	Deployment ControlPlane
	Image      string
	// Env are the container's variables with a plain value (valueFrom and
	// envFrom are not read).
	Env map[string]string
	// ConfigFile is the --config-file the container runs with ("" when
	// none); ConfigData its contents, nil when it could not be read.
	ConfigFile string
	ConfigData []byte
	// Notes say what could not be read and why.
	Notes []string

	pod       corev1.PodSpec
	container corev1.Container
}

var (
	configMapsGVR = schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}
	secretsGVR    = schema.GroupVersionResource{Version: "v1", Resource: "secrets"}
)

// ReadControlPlane reads the kuma-cp Deployment cp: one GET of it (get on
// deployments in its namespace), and one of the ConfigMap or Secret that
// holds its config file (get on configmaps or secrets there). A config
// file that cannot be read is a note, not an error.
func (c *Client) ReadControlPlane(ctx context.Context, cp ControlPlane) (*ControlPlaneRead, error) {
	d, err := c.controlPlaneDeployment(ctx, cp)
	if err != nil {
		return nil, err
	}
	ct, err := controlPlaneContainer(cp, d)
	if err != nil {
		return nil, err
	}
	out := &ControlPlaneRead{Deployment: cp, Image: ct.Image, Env: map[string]string{}, pod: d.Spec.Template.Spec, container: *ct}
	for _, e := range ct.Env {
		if e.ValueFrom == nil {
			out.Env[e.Name] = e.Value
		}
	}
	out.ConfigFile = configFileArg(append(append([]string{}, ct.Command...), ct.Args...))
	if out.ConfigFile != "" {
		b, err := out.File(ctx, c, out.ConfigFile)
		if err != nil {
			out.Notes = append(out.Notes, fmt.Sprintf("the config file %s of Deployment %s was not read (%v): settings it may hold are taken from the gateway Deployments or Kuma's defaults", out.ConfigFile, cp, err))
		} else {
			out.ConfigData = b
		}
	}
	return out, nil
}

// configFileArg is kuma-cp's --config-file (or -c) argument.
func configFileArg(args []string) string {
	for i, a := range args {
		for _, flag := range []string{"--config-file", "-c"} {
			if v, ok := strings.CutPrefix(a, flag+"="); ok {
				return v
			}
			if a == flag && i+1 < len(args) {
				return args[i+1]
			}
		}
	}
	return ""
}

// File reads a file of the control plane's pod from the ConfigMap or
// Secret volume mounted at (or above) p.
func (r *ControlPlaneRead) File(ctx context.Context, c *Client, p string) ([]byte, error) {
	p = path.Clean(p)
	for _, m := range r.container.VolumeMounts {
		rel, ok := "", false
		switch {
		case m.SubPath != "" && path.Clean(m.MountPath) == p:
			rel, ok = m.SubPath, true
		case m.SubPath == "" && strings.HasPrefix(p, path.Clean(m.MountPath)+"/"):
			rel, ok = strings.TrimPrefix(p, path.Clean(m.MountPath)+"/"), true
		}
		if !ok {
			continue
		}
		for _, v := range r.pod.Volumes {
			if v.Name == m.Name {
				return c.volumeFile(ctx, r.Deployment.Namespace, v, rel)
			}
		}
		return nil, fmt.Errorf("volume %s is not in the pod", m.Name)
	}
	return nil, fmt.Errorf("no ConfigMap or Secret is mounted there")
}

// volumeFile is the file rel of a ConfigMap or Secret volume.
func (c *Client) volumeFile(ctx context.Context, ns string, v corev1.Volume, rel string) ([]byte, error) {
	key := func(items []corev1.KeyToPath) string {
		for _, it := range items {
			if path.Clean(it.Path) == rel {
				return it.Key
			}
		}
		if len(items) > 0 {
			return ""
		}
		return rel
	}
	switch {
	case v.ConfigMap != nil:
		k := key(v.ConfigMap.Items)
		ref := object.Ref{Version: "v1", Kind: "ConfigMap", Namespace: ns, Name: v.ConfigMap.Name}
		u, err := c.dynamic.Resource(configMapsGVR).Namespace(ns).Get(ctx, v.ConfigMap.Name, metav1.GetOptions{})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ref, err)
		}
		var cm corev1.ConfigMap
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &cm); err != nil {
			return nil, fmt.Errorf("%s: %w", ref, err)
		}
		if d, ok := cm.Data[k]; ok {
			return []byte(d), nil
		}
		if d, ok := cm.BinaryData[k]; ok {
			return d, nil
		}
		return nil, fmt.Errorf("%s has no key %q", ref, k)
	case v.Secret != nil:
		k := key(v.Secret.Items)
		ref := object.Ref{Version: "v1", Kind: "Secret", Namespace: ns, Name: v.Secret.SecretName}
		u, err := c.dynamic.Resource(secretsGVR).Namespace(ns).Get(ctx, v.Secret.SecretName, metav1.GetOptions{})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ref, err)
		}
		var s corev1.Secret
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &s); err != nil {
			return nil, fmt.Errorf("%s: %w", ref, err)
		}
		if d, ok := s.Data[k]; ok {
			return d, nil
		}
		return nil, fmt.Errorf("%s has no key %q", ref, k)
	}
	return nil, fmt.Errorf("volume %s is neither a ConfigMap nor a Secret", v.Name)
}
