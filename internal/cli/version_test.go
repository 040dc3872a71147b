package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/version"
	"k8s.io/cli-runtime/pkg/genericiooptions"
)

var testInfo = version.Info{Version: "v1.2.3", Commit: "0123abc", Date: "2026-01-02T03:04:05Z", GoVersion: "go1.26.8", Platform: "linux/arm64",
	KumaVersion: "2.13", KumaVersions: []string{"2.7", "2.14"}}

func runVersionWith(t *testing.T, output string) (string, error) {
	t.Helper()
	streams, _, out, errOut := genericiooptions.NewTestIOStreams()
	err := runVersion(context.Background(), &VersionOptions{IO: streams, Output: output, Info: testInfo})
	if errOut.Len() > 0 {
		t.Errorf("stderr: %q", errOut.String())
	}
	return out.String(), err
}

func TestVersionText(t *testing.T) {
	got, err := runVersionWith(t, "text")
	if err != nil {
		t.Fatal(err)
	}
	want := "kubectl-mgi v1.2.3 (commit 0123abc, built 2026-01-02T03:04:05Z, go1.26.8, linux/arm64)\n"
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestVersionJSON(t *testing.T) {
	got, err := runVersionWith(t, "json")
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal([]byte(got), &fields); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, got)
	}
	want := map[string]any{"version": "v1.2.3", "commit": "0123abc", "date": "2026-01-02T03:04:05Z", "goVersion": "go1.26.8", "platform": "linux/arm64", "kumaVersion": "2.13"}
	if v, _ := json.Marshal(fields["kumaVersions"]); string(v) != `["2.7","2.14"]` {
		t.Errorf("kumaVersions = %s", v)
	}
	delete(fields, "kumaVersions")
	if len(fields) != len(want) {
		t.Fatalf("fields %v, want exactly %v", fields, want)
	}
	for k, v := range want {
		if fields[k] != v {
			t.Errorf("%s = %q, want %q", k, fields[k], v)
		}
	}
}

func TestVersionYAML(t *testing.T) {
	got, err := runVersionWith(t, "yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := "commit: 0123abc\ndate: \"2026-01-02T03:04:05Z\"\ngoVersion: go1.26.8\nkumaVersion: \"2.13\"\nkumaVersions:\n- \"2.7\"\n- \"2.14\"\nplatform: linux/arm64\nversion: v1.2.3\n"
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestVersionRejectsUnknownOutput(t *testing.T) {
	got, err := runVersionWith(t, "table")
	if err == nil || !strings.Contains(err.Error(), `--output "table" is not supported; use text, json or yaml`) {
		t.Fatalf("err = %v", err)
	}
	if got != "" {
		t.Fatalf("printed %q before failing", got)
	}
}

// Through cobra: flags bind to the options, and the binary's own version
// (unknown fields in a test binary) is printed.
func TestVersionCommandParsesFlags(t *testing.T) {
	streams, _, out, _ := genericiooptions.NewTestIOStreams()
	root := NewRootCmd(streams)
	root.SetArgs([]string{"version", "-o", "json"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	var info version.Info
	if err := json.Unmarshal(out.Bytes(), &info); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !reflect.DeepEqual(info, version.Get()) || info.KumaVersion != "2.13" {
		t.Fatalf("printed %+v, binary is %+v", info, version.Get())
	}

	root = NewRootCmd(streams)
	root.SetArgs([]string{"version", "extra"})
	if err := root.Execute(); err == nil {
		t.Fatal("version accepted an argument")
	}
}

func TestVersionOutputCompletes(t *testing.T) {
	var out bytes.Buffer
	root := NewRootCmd(genericiooptions.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &bytes.Buffer{}})
	root.SetArgs([]string{"__complete", "version", "-o", ""})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.HasPrefix(got, "text\njson\nyaml\n:4\n") {
		t.Fatalf("completion of -o: %q", got)
	}
}
