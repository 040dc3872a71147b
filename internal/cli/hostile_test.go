package cli

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"

	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// hostileCase is one input that must be refused offline, with the message
// it must be refused with.
type hostileCase struct {
	name string
	args []string
	// stdin is what standard input holds.
	stdin []byte
	// rule is the finding's rule, or "" for an error before any finding
	// (the path cannot be read).
	rule string
	want string
	// file is the file the message must name, with a line for findings.
	file string
}

// TestHostileInputs runs every case of testdata/hostile (each file starts
// with "# want: RULE: message") and the cases that cannot live in git
// (FIFOs, sockets, devices, links, large files), which it makes here. Each
// must fail validate with exit 1 and its message, at file:line for
// findings. Validate runs the same offline checks as plan and apply do
// before their first request.
func TestHostileInputs(t *testing.T) {
	root := repoRoot(t)
	cases := append(staticHostileCases(t, filepath.Join(root, "testdata", "hostile")), generatedHostileCases(t)...)
	rejected := 0
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			streams, in, out, errOut := genericiooptions.NewTestIOStreams()
			in.Write(tc.stdin)
			cmd := NewRootCmd(streams)
			cmd.SetArgs(append([]string{"validate"}, tc.args...))
			err := cmd.ExecuteContext(context.Background())
			code, _ := ExitCode(err)
			all := out.String() + errOut.String()
			if err != nil {
				all += err.Error()
			}
			if code != ExitError {
				t.Fatalf("exit %d, want 1 (accepted wrongly); output:\n%s", code, all)
			}
			if !strings.Contains(all, tc.want) {
				t.Fatalf("output lacks %q:\n%s", tc.want, all)
			}
			if tc.rule != "" {
				at := regexp.MustCompile(regexp.QuoteMeta(tc.file) + `:[1-9][0-9]*:[0-9]+: error: [^\n]*` + regexp.QuoteMeta("["+tc.rule+"]"))
				if !at.MatchString(all) {
					t.Fatalf("no %s finding at %s:LINE:\n%s", tc.rule, tc.file, all)
				}
			} else if !strings.Contains(all, tc.file) {
				t.Fatalf("the message does not name %s:\n%s", tc.file, all)
			}
			rejected++
		})
	}
	if len(cases) < 60 {
		t.Errorf("%d hostile cases, want at least 60", len(cases))
	}
	t.Logf("hostile inputs: %d tried, %d rejected offline naming the file (findings with file:line), %d accepted wrongly", len(cases), rejected, len(cases)-rejected)
}

var wantHeader = regexp.MustCompile(`^# want: ([A-Za-z]+): (.+)$`)

func staticHostileCases(t *testing.T, dir string) []hostileCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases in %s: %v", dir, err)
	}
	sort.Strings(files)
	var out []hostileCase
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		line, _ := bufio.NewReader(fh).ReadString('\n')
		fh.Close()
		m := wantHeader.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			t.Fatalf("%s: first line must be # want: RULE: message", f)
		}
		rel := filepath.ToSlash(f)
		out = append(out, hostileCase{name: strings.TrimSuffix(filepath.Base(f), ".yaml"), args: []string{f}, rule: m[1], want: m[2], file: rel})
	}
	return out
}

func generatedHostileCases(t *testing.T) []hostileCase {
	t.Helper()
	dir := t.TempDir()
	mk := func(name string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write := func(p string, data []byte) {
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cm := func(name string) []byte {
		return []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + "}\n")
	}
	var out []hostileCase

	fifoDir := mk("fifo")
	fifo := filepath.Join(fifoDir, "gateways.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	out = append(out,
		hostileCase{name: "fifo-in-directory", args: []string{fifoDir}, want: "is a named pipe (FIFO), not a regular file", file: fifo},
		hostileCase{name: "fifo-argument", args: []string{fifo}, want: "is a named pipe (FIFO)", file: fifo},
		hostileCase{name: "device-argument", args: []string{"/dev/zero"}, want: "is a device", file: "/dev/zero"})

	sockDir := mk("sock")
	sock := filepath.Join(sockDir, "s.yaml")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	out = append(out, hostileCase{name: "socket-in-directory", args: []string{sockDir}, want: "is a socket", file: sock})

	write(filepath.Join(dir, "outside.yaml"), cm("outside"))
	outDir := mk("linkout")
	write(filepath.Join(outDir, "a.yaml"), cm("a"))
	if err := os.Symlink("../outside.yaml", filepath.Join(outDir, "b.yaml")); err != nil {
		t.Fatal(err)
	}
	danglingDir := mk("dangling")
	if err := os.Symlink("nowhere.yaml", filepath.Join(danglingDir, "b.yaml")); err != nil {
		t.Fatal(err)
	}
	subOut := mk("subout")
	if err := os.Symlink(dir, filepath.Join(subOut, "team")); err != nil {
		t.Fatal(err)
	}
	out = append(out,
		hostileCase{name: "symlink-out-of-directory", args: []string{outDir}, want: "a symbolic link to " + filepath.Join(dir, "outside.yaml") + ", outside", file: filepath.Join(outDir, "b.yaml")},
		hostileCase{name: "dangling-symlink", args: []string{danglingDir}, want: "a symbolic link that leads nowhere", file: filepath.Join(danglingDir, "b.yaml")},
		hostileCase{name: "symlinked-folder-out-of-directory", args: []string{subOut}, want: "outside", file: filepath.Join(subOut, "team")})

	// A directory argument that is a link is read (its invalid object is
	// found), under the link's name.
	real := mk("real")
	write(filepath.Join(real, "a.yaml"), cm("Bad_Name"))
	link := filepath.Join(dir, "link")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	out = append(out, hostileCase{name: "symlinked-directory-argument", args: []string{link}, rule: "InvalidObjectName", want: `name "Bad_Name"`, file: filepath.Join(link, "a.yaml")})

	jsonDir := mk("json")
	write(filepath.Join(jsonDir, "a.json"), []byte(`{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a.b"}}`))
	out = append(out, hostileCase{name: "json-file-read", args: []string{jsonDir}, rule: "InvalidObjectName", want: `name "a.b" is not valid for a Service`, file: filepath.Join(jsonDir, "a.json")})

	big := filepath.Join(mk("big"), "big.yaml")
	write(big, bytes.Repeat([]byte("# padding padding padding padding padding padding\n"), 220_000))
	huge := filepath.Join(mk("huge"), "huge.yaml")
	write(huge, bytes.Repeat([]byte("# fifty megabytes of comments, fifty megabytes of comments, 100 bytes a line...............\n"), 500_000))
	// Files each far under --max-file-size whose sum is over --max-input-size.
	many := mk("many")
	for i := range 3 {
		write(filepath.Join(many, fmt.Sprintf("f%d.yaml", i)), bytes.Repeat([]byte("# padding padding padding padding padding padding padd\n"), 600/60))
	}
	out = append(out,
		hostileCase{name: "file-over-10MiB", args: []string{filepath.Dir(big)}, want: "over the limit of 10 MiB per file (--max-file-size)", file: big},
		hostileCase{name: "file-50MB", args: []string{huge}, want: "over the limit of 10 MiB per file", file: huge},
		hostileCase{name: "file-over-custom-limit", args: []string{"--max-file-size", "1Ki", filepath.Join(dir, "outside.yaml"), big}, want: "over the limit of 1 KiB", file: big},
		hostileCase{name: "input-over-total-limit", args: []string{"--max-input-size", "1Ki", many}, want: "3 files hold 1650 bytes, over the limit of 1 KiB for all input together (--max-input-size)", file: many},
		hostileCase{name: "stdin-over-limit", args: []string{"--max-file-size", "100", "-"}, stdin: bytes.Repeat([]byte("#\n"), 100), want: "holds more than 100 bytes", file: "<stdin>"},
		hostileCase{name: "missing-path", args: []string{filepath.Join(dir, "nothing")}, want: "pass an existing directory", file: filepath.Join(dir, "nothing")})

	large := filepath.Join(mk("large"), "large.yaml")
	write(large, []byte(fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: large}\ndata:\n  blob: %s\n", strings.Repeat("x", 2<<20))))
	ann := filepath.Join(mk("ann"), "ann.yaml")
	write(ann, []byte(fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ann\n  annotations:\n    big: %s\n", strings.Repeat("x", 300<<10))))
	mgiAnn := filepath.Join(mk("mgiann"), "mgi.yaml")
	write(mgiAnn, []byte(fmt.Sprintf(`apiVersion: kuma.io/v1alpha1
kind: MeshGateway
mesh: default
metadata: {name: edge}
spec:
  selectors: [{match: {kuma.io/service: edge_default_svc}}]
  conf: {listeners: [{port: 8080, protocol: HTTP}]}
---
apiVersion: kuma.io/v1alpha1
kind: MeshGatewayInstance
metadata: {name: edge}
spec:
  replicas: 1
  serviceType: ClusterIP
  podTemplate:
    metadata:
      annotations: {big: %s}
`, strings.Repeat("y", 300<<10))))
	out = append(out,
		hostileCase{name: "object-over-1.5MiB", args: []string{large}, rule: "ObjectTooLarge", want: "over the 1536 KiB the API server stores", file: large},
		hostileCase{name: "annotations-over-256KiB", args: []string{ann}, rule: "InvalidAnnotations", want: "Too long: may not be more than 262144 bytes", file: ann},
		hostileCase{name: "generated-annotations-over-256KiB", args: []string{mgiAnn}, rule: "InvalidAnnotations", want: "generated Deployment", file: mgiAnn})
	return out
}
