package source

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// DefaultMaxFileSize is the largest input file read (--max-file-size). A
// directory of gateways is kilobytes; a file of many megabytes is a mistake
// (a log, a dump, a binary) that would take time and memory to find out.
const DefaultMaxFileSize = 10 << 20

func (r Reader) maxFileSize() int64 {
	if r.MaxFileSize > 0 {
		return r.MaxFileSize
	}
	return DefaultMaxFileSize
}

// expand turns a path into the files to read: a file as is, a directory as
// its .yaml, .yml and .json files (recursively, hidden folders and files
// skipped, in lexical order so that output never depends on the file
// system). A symbolic link given as the path is followed; links inside a
// directory are followed when they stay inside it, and are an error naming
// the link when they lead out of it (what the directory holds must not
// depend on what lies outside it). Anything that is not a regular file or
// a directory is an error naming it: reading a FIFO would block forever.
func (r Reader) expand(p string) ([]string, error) {
	if p == Stdin {
		return []string{p}, nil
	}
	info, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w; pass an existing directory, a file, or - for standard input", p, err)
	}
	if !info.IsDir() {
		if err := checkRegular(p, info); err != nil {
			return nil, err
		}
		return []string{p}, nil
	}
	root, err := filepath.EvalSymlinks(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	w := walker{root: root, seen: map[string]bool{}}
	if err := w.walk(p, root); err != nil {
		return nil, err
	}
	sort.Strings(w.files)
	return w.files, nil
}

// walker lists the manifests below root. Paths are reported as the user
// wrote them (under the argument and the links' names), not resolved.
type walker struct {
	root  string
	seen  map[string]bool // resolved directories walked, against link loops
	files []string
}

// walk lists dir (shown as shown) whose real path is real.
func (w *walker) walk(shown, real string) error {
	if w.seen[real] {
		return nil
	}
	w.seen[real] = true
	entries, err := os.ReadDir(real)
	if err != nil {
		return fmt.Errorf("reading %s: %w", shown, err)
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		path, realPath := filepath.Join(shown, name), filepath.Join(real, name)
		mode := e.Type()
		if mode&fs.ModeSymlink != 0 {
			target, err := filepath.EvalSymlinks(realPath)
			if err != nil {
				return fmt.Errorf("%s: a symbolic link that leads nowhere (%w); remove it or fix its target", path, err)
			}
			if !inside(w.root, target) {
				return fmt.Errorf("%s: a symbolic link to %s, outside %s; links inside a directory are followed only when they stay inside it: copy the file in, or pass its path as an argument", path, target, w.root)
			}
			info, err := os.Stat(target)
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			realPath, mode = target, info.Mode().Type()
		}
		switch {
		case mode.IsDir():
			if err := w.walk(path, realPath); err != nil {
				return err
			}
		case !isManifest(name):
		case !mode.IsRegular():
			return notRegular(path, mode)
		default:
			w.files = append(w.files, path)
		}
	}
	return nil
}

// inside reports whether path is dir or below it.
func inside(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func isManifest(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

func checkRegular(p string, info fs.FileInfo) error {
	if !info.Mode().IsRegular() {
		return notRegular(p, info.Mode().Type())
	}
	return nil
}

func notRegular(p string, mode fs.FileMode) error {
	what := "not a regular file"
	switch {
	case mode&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case mode&fs.ModeSocket != 0:
		what = "a socket"
	case mode&fs.ModeDevice != 0:
		what = "a device"
	}
	return fmt.Errorf("%s: is %s, not a regular file; pass files and directories, or - to read standard input", p, what)
}

// readRegular reads p after checking, without opening it, that it is a
// regular file no larger than limit (opening a FIFO blocks until a writer
// comes). The check is repeated on the open file, which may have been
// swapped in between.
func readRegular(p string, limit int64) ([]byte, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", p, err)
	}
	if err := checkRegular(p, info); err != nil {
		return nil, err
	}
	if info.Size() > limit {
		return nil, tooLarge(p, sizeString(info.Size()), limit)
	}
	f, err := os.OpenFile(p, os.O_RDONLY|nonBlock, 0)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", p, err)
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", p, err)
	}
	if err := checkRegular(p, info); err != nil {
		return nil, err
	}
	b, err := readAll(io.LimitReader(f, limit+1), min(info.Size(), limit)+1)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", p, err)
	}
	if int64(len(b)) > limit {
		return nil, tooLarge(p, "more than "+sizeString(limit), limit)
	}
	return b, nil
}

// readAll is io.ReadAll into a buffer of size bytes to start with (the
// file's size and one more, to see the end): io.ReadAll starts at 512
// bytes and doubles, which for a directory of large files allocates twice
// what they hold.
func readAll(r io.Reader, size int64) ([]byte, error) {
	b := make([]byte, 0, size)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // it grew meanwhile: let append pick the size
		}
	}
}

func tooLarge(p, size string, limit int64) error {
	return fmt.Errorf("%s: holds %s, over the limit of %s per file (--max-file-size); split it, or raise --max-file-size", p, size, sizeString(limit))
}

func sizeString(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
