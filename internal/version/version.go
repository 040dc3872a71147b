// Package version says which build of kubectl-mgi is running. Release builds
// stamp Version, Commit and Date with -ldflags -X (see .goreleaser.yaml and
// the Makefile); `go install` builds fall back to what the Go toolchain
// recorded in the binary, so bug reports name a version either way.
package version

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/kubectl-mgi/kubectl-mgi/internal/kuma"
)

// Set at link time: -X github.com/kubectl-mgi/kubectl-mgi/internal/version.Version=v1.2.3
var (
	// Version is the release tag (v1.2.3) or `git describe` output.
	Version = ""
	// Commit is the git commit the binary was built from.
	Commit = ""
	// Date is the build time, RFC 3339 in UTC.
	Date = ""
)

// Unknown stands for any field neither ldflags nor the build info provide.
const Unknown = "unknown"

// Info is the version report. The JSON field names are a contract for
// scripts (`kubectl mgi version -o json`).
type Info struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	Date      string `json:"date"`
	GoVersion string `json:"goVersion"`
	Platform  string `json:"platform"`
	// KumaVersion is the Kuma release the expansion builds for unless
	// told otherwise; KumaVersions are all it can build for.
	KumaVersion  string   `json:"kumaVersion"`
	KumaVersions []string `json:"kumaVersions"`
}

// String is the one-line form printed by `kubectl mgi version`.
func (i Info) String() string {
	return fmt.Sprintf("kubectl-mgi %s (commit %s, built %s, %s, %s)", i.Version, i.Commit, i.Date, i.GoVersion, i.Platform)
}

// Get reports this binary's version.
func Get() Info {
	bi, _ := debug.ReadBuildInfo()
	return fromBuild(Version, Commit, Date, bi)
}

// fromBuild fills what ldflags left empty from the build info: the module
// version (set by `go install ...@v1.2.3`) and the vcs.* settings (set by
// `go build` inside a git checkout).
func fromBuild(ver, commit, date string, bi *debug.BuildInfo) Info {
	info := Info{
		Version:   ver,
		Commit:    commit,
		Date:      date,
		GoVersion: runtime.Version(),
		Platform:  runtime.GOOS + "/" + runtime.GOARCH,

		KumaVersion:  kuma.DefaultLine,
		KumaVersions: kuma.Lines(),
	}
	if bi != nil {
		if info.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			info.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch {
			case s.Key == "vcs.revision" && info.Commit == "":
				info.Commit = s.Value
			case s.Key == "vcs.time" && info.Date == "":
				info.Date = s.Value
			}
		}
		if bi.GoVersion != "" {
			info.GoVersion = bi.GoVersion
		}
	}
	for _, f := range []*string{&info.Version, &info.Commit, &info.Date} {
		if *f == "" {
			*f = Unknown
		}
	}
	return info
}
