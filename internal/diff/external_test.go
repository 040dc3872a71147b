package diff

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseExternal(t *testing.T) {
	for _, tc := range []struct {
		value         string
		ok            bool
		program       string
		args, dropped []string
	}{
		{value: ""},
		{value: "meld", ok: true, program: "meld"},
		{value: "diff -u", ok: true, program: "diff", args: []string{"-u"}},
		{value: "colordiff -N -u --color=always", ok: true, program: "colordiff", args: []string{"-N", "-u", "--color=always"}},
		// kubectl splits at single spaces and drops words with other
		// characters (paths, quotes, shell syntax) and empty words.
		{value: "diff  -u /etc/passwd; x", ok: true, program: "diff", args: []string{"-u", "x"}, dropped: []string{"/etc/passwd;"}},
		{value: "/opt/bin/my-diff -y", ok: true, program: "/opt/bin/my-diff", args: []string{"-y"}},
	} {
		e, ok := ParseExternal(tc.value)
		if ok != tc.ok || e.Program != tc.program || !reflect.DeepEqual(e.Args, tc.args) || !reflect.DeepEqual(e.Dropped, tc.dropped) {
			t.Errorf("ParseExternal(%q) = %+v, %v; want program %q args %q dropped %q, %v", tc.value, e, ok, tc.program, tc.args, tc.dropped, tc.ok)
		}
	}
}

func TestFileNameAsKubectl(t *testing.T) {
	for _, tc := range [][6]string{
		{"apps", "v1", "Deployment", "shop", "edge", "apps.v1.Deployment.shop.edge"},
		{"", "v1", "Service", "shop", "edge", "v1.Service.shop.edge"},
		{"", "v1", "Namespace", "", "shop", "v1.Namespace..shop"},
		{"kuma.io", "v1alpha1", "MeshGateway", "", "edge", "kuma.io.v1alpha1.MeshGateway..edge"},
	} {
		if got := FileName(tc[0], tc[1], tc[2], tc[3], tc[4]); got != tc[5] {
			t.Errorf("FileName(%q) = %q, want %q", tc[:5], got, tc[5])
		}
	}
}

// The program gets the live and merged directories first, then its words,
// with one file per object in each (empty for an absent side).
func TestExternalSeesKubectlDirectories(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "show.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho \"args: $(basename \"$1\" | cut -d- -f1) $(basename \"$2\" | cut -d- -f1) $3\"\nfor f in \"$1\"/* \"$2\"/*; do echo \"$(basename \"$(dirname \"$f\")\" | cut -d- -f1)/$(basename \"$f\"): $(wc -c < \"$f\") bytes\"; done\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	e, _ := ParseExternal(script + " -x")
	var out, errOut bytes.Buffer
	pairs := []Pair{{Name: "v1.ConfigMap.shop.new", Desired: "a: 1\n"}, {Name: "apps.v1.Deployment.shop.edge", Live: "x\n", Desired: "yy\n"}}
	if err := e.Run(context.Background(), pairs, &out, &errOut); err != nil {
		t.Fatalf("exit 1 means differences, not an error: %v (%s)", err, errOut.String())
	}
	want := "args: LIVE MERGED -x\n" +
		"LIVE/apps.v1.Deployment.shop.edge: 2 bytes\nLIVE/v1.ConfigMap.shop.new: 0 bytes\n" +
		"MERGED/apps.v1.Deployment.shop.edge: 3 bytes\nMERGED/v1.ConfigMap.shop.new: 5 bytes\n"
	if out.String() != want {
		t.Errorf("the program saw:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestExternalExitStatus(t *testing.T) {
	if _, err := exec.LookPath("diff"); err != nil {
		t.Skip("no diff program")
	}
	pairs := []Pair{{Name: "v1.ConfigMap.shop.c", Live: "a\n", Desired: "b\n"}}
	run := func(value string) (string, error) {
		e, _ := ParseExternal(value)
		var out, errOut bytes.Buffer
		err := e.Run(context.Background(), pairs, &out, &errOut)
		return out.String(), err
	}
	if out, err := run("diff -u"); err != nil || !strings.Contains(out, "-a\n+b\n") {
		t.Errorf("diff -u with differences (exit 1): %v\n%s", err, out)
	}
	if _, err := run("true"); err != nil {
		t.Errorf("exit 0: %v", err)
	}
	if _, err := run("diff --no-such-option"); err == nil || !strings.Contains(err.Error(), `KUBECTL_EXTERNAL_DIFF program "diff" exited with status 2`) {
		t.Errorf("exit 2 is an error: %v", err)
	}
	if _, err := run("no-such-diff-program"); err == nil || !strings.Contains(err.Error(), "install it, or unset KUBECTL_EXTERNAL_DIFF") {
		t.Errorf("a missing program: %v", err)
	}
}
