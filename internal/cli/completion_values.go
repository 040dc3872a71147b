package cli

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/client-go/kubernetes"
)

// flagValues are the values a flag takes, by command and flag name ("" for
// every command): shells complete them after the flag.
var flagValues = map[string]map[string][]string{
	"plan":     {"output": {"text", "json", "markdown"}, "diff-style": {"full", "compact"}},
	"render":   {"output": {"yaml", "json"}},
	"validate": {"output": {"text", "json", "github"}},
	"version":  {"output": {"text", "json", "yaml"}},
	"status":   {"output": {"text", "json"}},
	"apply":    {"dry-run": {"none", "server"}},
	"":         {"color": {"auto", "always", "never"}},
}

// registerCompletions adds value completion to every flag of every command
// below root: the fixed values of flagValues, the kubeconfig's contexts,
// clusters and users, and the cluster's namespaces for -n.
func registerCompletions(root *cobra.Command) {
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		for name, values := range flagValues[c.Name()] {
			fixedValues(c, name, values)
		}
		for name, values := range flagValues[""] {
			fixedValues(c, name, values)
		}
		kubeconfigValues(c)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

func fixedValues(c *cobra.Command, name string, values []string) {
	if c.Flags().Lookup(name) == nil {
		return
	}
	_ = c.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}

// kubeconfigValues completes kubectl's flags from the kubeconfig the other
// flags on the line name (--kubeconfig, KUBECONFIG), and -n from the
// cluster, as kubectl does.
func kubeconfigValues(c *cobra.Command) {
	if c.Flags().Lookup("context") == nil {
		return
	}
	names := func(pick func(*genericclioptions.ConfigFlags) []string) cobra.CompletionFunc {
		return func(cmd *cobra.Command, _ []string, prefix string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return filterPrefix(pick(kubeFlagsOf(cmd)), prefix), cobra.ShellCompDirectiveNoFileComp
		}
	}
	raw := func(f *genericclioptions.ConfigFlags, part string) []string {
		cfg, err := f.ToRawKubeConfigLoader().RawConfig()
		if err != nil {
			return nil
		}
		var out []string
		switch part {
		case "context":
			for n := range cfg.Contexts {
				out = append(out, n)
			}
		case "cluster":
			for n := range cfg.Clusters {
				out = append(out, n)
			}
		case "user":
			for n := range cfg.AuthInfos {
				out = append(out, n)
			}
		}
		sort.Strings(out)
		return out
	}
	for _, part := range []string{"context", "cluster", "user"} {
		if c.Flags().Lookup(part) != nil {
			_ = c.RegisterFlagCompletionFunc(part, names(func(f *genericclioptions.ConfigFlags) []string { return raw(f, part) }))
		}
	}
	if c.Flags().Lookup("namespace") != nil {
		_ = c.RegisterFlagCompletionFunc("namespace", names(clusterNamespaces))
	}
}

// kubeFlagsOf reads kubectl's flags as parsed so far on the command line.
func kubeFlagsOf(cmd *cobra.Command) *genericclioptions.ConfigFlags {
	f := genericclioptions.NewConfigFlags(false)
	str := func(name string) *string {
		if fl := cmd.Flags().Lookup(name); fl != nil && fl.Changed {
			v := fl.Value.String()
			return &v
		}
		return nil
	}
	if v := str("kubeconfig"); v != nil {
		f.KubeConfig = v
	}
	if v := str("context"); v != nil {
		f.Context = v
	}
	if v := str("cluster"); v != nil {
		f.ClusterName = v
	}
	if v := str("user"); v != nil {
		f.AuthInfoName = v
	}
	return f
}

// clusterNamespaces lists the namespaces of the cluster, within a few
// seconds; nothing when the cluster cannot be asked (completion must not
// hang or print errors).
func clusterNamespaces(f *genericclioptions.ConfigFlags) []string {
	cfg, err := f.ToRESTConfig()
	if err != nil {
		return nil
	}
	cfg.Timeout = 5 * time.Second
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	list, err := cs.CoreV1().Namespaces().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(list.Items))
	for _, ns := range list.Items {
		out = append(out, ns.Name)
	}
	sort.Strings(out)
	return out
}

func filterPrefix(values []string, prefix string) []cobra.Completion {
	var out []cobra.Completion
	for _, v := range values {
		if strings.HasPrefix(v, prefix) {
			out = append(out, v)
		}
	}
	return out
}
