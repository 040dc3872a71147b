package release

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/kubectl-mgi/kubectl-mgi/internal/testenv"
)

func root(t *testing.T) string {
	t.Helper()
	r, err := testenv.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func read(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root(t), filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func decode(t *testing.T, rel string, v any) {
	t.Helper()
	if err := yaml.Unmarshal([]byte(read(t, rel)), v); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
}

// goreleaserConfig is what the tests read of .goreleaser.yaml.
type goreleaserConfig struct {
	Builds []struct {
		ID     string   `json:"id"`
		Goos   []string `json:"goos"`
		Goarch []string `json:"goarch"`
	} `json:"builds"`
	Checksum struct {
		NameTemplate string   `json:"name_template"`
		IDs          []string `json:"ids"`
	} `json:"checksum"`
	Signs []struct {
		ID        string   `json:"id"`
		Cmd       string   `json:"cmd"`
		Artifacts string   `json:"artifacts"`
		Signature string   `json:"signature"`
		Args      []string `json:"args"`
	} `json:"signs"`
	SBOMs []struct {
		ID        string   `json:"id"`
		Artifacts string   `json:"artifacts"`
		Cmd       string   `json:"cmd"`
		Documents []string `json:"documents"`
		Args      []string `json:"args"`
	} `json:"sboms"`
	Release struct {
		Draft  bool `json:"draft"`
		GitHub struct {
			Owner string `json:"owner"`
			Name  string `json:"name"`
		} `json:"github"`
	} `json:"release"`
}

func goreleaser(t *testing.T) goreleaserConfig {
	t.Helper()
	var c goreleaserConfig
	decode(t, ".goreleaser.yaml", &c)
	return c
}

// repository is the GitHub repository the release is published in.
func (c goreleaserConfig) repository() string {
	return c.Release.GitHub.Owner + "/" + c.Release.GitHub.Name
}

const workflowPath = ".github/workflows/release.yml"

type step struct {
	Name string            `json:"name"`
	ID   string            `json:"id"`
	Uses string            `json:"uses"`
	Run  string            `json:"run"`
	Env  map[string]string `json:"env"`
	With map[string]any    `json:"with"`
}

type trigger struct {
	Push struct {
		Tags []string `json:"tags"`
	} `json:"push"`
}

// workflow is what the tests read of the release workflow.
type workflow struct {
	On trigger `json:"on"`
	// The YAML 1.1 reader under sigs.k8s.io/yaml reads the key on as true.
	OnYAML11    trigger           `json:"true"`
	Permissions map[string]string `json:"permissions"`
	Jobs        map[string]struct {
		Permissions map[string]string `json:"permissions"`
		Steps       []step            `json:"steps"`
	} `json:"jobs"`
}

func releaseWorkflow(t *testing.T) workflow {
	t.Helper()
	var w workflow
	decode(t, workflowPath, &w)
	if len(w.On.Push.Tags) == 0 {
		w.On = w.OnYAML11
	}
	if len(w.Jobs) != 1 {
		t.Fatalf("%s: %d jobs, want one (release)", workflowPath, len(w.Jobs))
	}
	return w
}

func (w workflow) steps() []step {
	for _, j := range w.Jobs {
		return j.Steps
	}
	return nil
}

// stepIndex is the first step whose uses or run contains s, or -1.
func (w workflow) stepIndex(s string) int {
	for i, st := range w.steps() {
		if strings.Contains(st.Uses, s) || strings.Contains(st.Run, s) {
			return i
		}
	}
	return -1
}

// commands are the shell commands in text that start with prefix, split
// into words: continued lines joined, quotes removed (enough for the
// commands of the workflow and the docs, which quote no spaces).
func commands(text, prefix string) [][]string {
	joined := regexp.MustCompile(`\\\n\s*`).ReplaceAllString(text, " ")
	var out [][]string
	for _, line := range strings.Split(joined, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, prefix+" ") {
			continue
		}
		var words []string
		for _, w := range strings.Fields(line) {
			words = append(words, strings.Trim(w, `"'`))
		}
		out = append(out, words)
	}
	return out
}

// flag is the value of --name in words (as "--name v" or "--name=v").
func flag(words []string, name string) string {
	for i, w := range words {
		if w == name && i+1 < len(words) {
			return words[i+1]
		}
		if v, ok := strings.CutPrefix(w, name+"="); ok {
			return v
		}
	}
	return ""
}

// positional are the words after the command that are neither flags nor
// flag values (every flag of these commands takes a value).
func positional(words []string, skip int) []string {
	var out []string
	for i := skip; i < len(words); i++ {
		if strings.HasPrefix(words[i], "--") {
			if !strings.Contains(words[i], "=") {
				i++
			}
			continue
		}
		out = append(out, words[i])
	}
	return out
}
