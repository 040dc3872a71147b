package source

import (
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/iotest"
)

const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: NAME}\n"

func write(t *testing.T, path, name string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(cm, "NAME", name)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func names(t *testing.T, r Reader) []string {
	t.Helper()
	nodes, fs, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	if fs.HasErrors() {
		t.Fatalf("findings: %v", fs)
	}
	var out []string
	for _, n := range nodes {
		out = append(out, n.GetName())
	}
	return out
}

func readErr(t *testing.T, r Reader) string {
	t.Helper()
	_, _, err := r.Read()
	if err == nil {
		t.Fatal("no error")
	}
	return err.Error()
}

func TestSymlinkedDirectoryArgumentIsFollowed(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "real", "a.yaml"), "a")
	link := filepath.Join(dir, "link")
	if err := os.Symlink(filepath.Join(dir, "real"), link); err != nil {
		t.Fatal(err)
	}
	for _, arg := range []string{link, link + "/"} {
		if got := names(t, Reader{Paths: []string{arg}}); strings.Join(got, ",") != "a" {
			t.Errorf("%s: read %v, want [a]", arg, got)
		}
	}
}

func TestSymlinksInsideTheDirectory(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "gw")
	write(t, filepath.Join(root, "shared", "b.yaml"), "b")
	write(t, filepath.Join(root, "a.yaml"), "a")
	if err := os.Symlink("shared", filepath.Join(root, "team")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a.yaml", filepath.Join(root, "z.yaml")); err != nil {
		t.Fatal(err)
	}
	// A loop back to the root is walked once.
	if err := os.Symlink(".", filepath.Join(root, "shared", "loop")); err != nil {
		t.Fatal(err)
	}
	r := Reader{Paths: []string{root}}
	nodes, _, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, n := range nodes {
		files = append(files, n.GetAnnotations()["internal.config.kubernetes.io/path"])
	}
	// A directory reached twice (shared, and team linking to it; the loop)
	// is read once, at its first path in lexical order. A file linked
	// under another name is read under that name (and is then a duplicate).
	want := root + "/a.yaml," + root + "/shared/b.yaml," + root + "/z.yaml"
	if strings.Join(files, ",") != want {
		t.Errorf("files read:\n%s\nwant\n%s", strings.Join(files, ","), want)
	}
}

func TestSymlinkLeavingTheDirectoryIsAnError(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "outside.yaml"), "x")
	root := filepath.Join(dir, "gw")
	write(t, filepath.Join(root, "a.yaml"), "a")
	link := filepath.Join(root, "b.yaml")
	if err := os.Symlink("../outside.yaml", link); err != nil {
		t.Fatal(err)
	}
	msg := readErr(t, Reader{Paths: []string{root}})
	if !strings.HasPrefix(msg, link+": a symbolic link to "+filepath.Join(dir, "outside.yaml")+", outside ") {
		t.Errorf("message: %s", msg)
	}
	if err := os.Remove(link); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("nowhere.yaml", link); err != nil {
		t.Fatal(err)
	}
	if msg := readErr(t, Reader{Paths: []string{root}}); !strings.HasPrefix(msg, link+": a symbolic link that leads nowhere") {
		t.Errorf("message: %s", msg)
	}
}

func TestJSONFilesAreRead(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.json"), []byte(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "b.yml"), "y")
	if got := names(t, Reader{Paths: []string{dir}}); strings.Join(got, ",") != "j,y" {
		t.Errorf("read %v", got)
	}
}

func TestNonRegularFilesAreErrorsNamingThem(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	// No writer ever comes: reading it would block forever.
	for _, arg := range []string{dir, fifo} {
		if msg := readErr(t, Reader{Paths: []string{arg}}); msg != fifo+": is a named pipe (FIFO), not a regular file; pass files and directories, or - to read standard input" {
			t.Errorf("%s: %s", arg, msg)
		}
	}
	sdir := t.TempDir()
	sock := filepath.Join(sdir, "s.yaml")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if msg := readErr(t, Reader{Paths: []string{sdir}}); !strings.HasPrefix(msg, sock+": is a socket") {
		t.Errorf("socket: %s", msg)
	}
	if msg := readErr(t, Reader{Paths: []string{"/dev/null"}}); !strings.HasPrefix(msg, "/dev/null: is a device") {
		t.Errorf("device: %s", msg)
	}
}

func TestFileSizeLimit(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte(strings.Repeat("# padding\n", 300)), 0o644); err != nil {
		t.Fatal(err)
	}
	msg := readErr(t, Reader{Paths: []string{dir}, MaxFileSize: 1000})
	if msg != big+": holds 3000 bytes, over the limit of 1000 bytes per file (--max-file-size); split it, or raise --max-file-size" {
		t.Errorf("message: %s", msg)
	}
	if _, _, err := (Reader{Paths: []string{dir}, MaxFileSize: 3000}).Read(); err != nil {
		t.Errorf("at the limit: %v", err)
	}
	msg = readErr(t, Reader{Paths: []string{Stdin}, Stdin: strings.NewReader(strings.Repeat("#\n", 600)), MaxFileSize: 1000})
	if !strings.HasPrefix(msg, "<stdin>: holds more than 1000 bytes, over the limit") {
		t.Errorf("stdin: %s", msg)
	}
}

func TestReadAllMatchesIoReadAll(t *testing.T) {
	in := strings.Repeat("apiVersion: v1\n", 1000)
	for _, size := range []int64{1, 100, int64(len(in)), int64(len(in)) + 1, 1 << 20} {
		got, err := readAll(iotest.HalfReader(strings.NewReader(in)), size)
		if err != nil || string(got) != in {
			t.Errorf("size %d: %d bytes, %v", size, len(got), err)
		}
	}
	if _, err := readAll(iotest.ErrReader(io.ErrUnexpectedEOF), 10); err != io.ErrUnexpectedEOF {
		t.Errorf("error %v", err)
	}
}
