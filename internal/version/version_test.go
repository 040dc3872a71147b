package version

import (
	"encoding/json"
	"reflect"
	"runtime"
	"runtime/debug"
	"testing"
)

func TestFromBuildPrefersLdflags(t *testing.T) {
	bi := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Version: "v9.9.9"},
		Settings:  []debug.BuildSetting{{Key: "vcs.revision", Value: "fromvcs"}, {Key: "vcs.time", Value: "2000-01-01T00:00:00Z"}},
	}
	got := fromBuild("v1.2.3", "abc123", "2026-01-02T03:04:05Z", bi)
	want := Info{Version: "v1.2.3", Commit: "abc123", Date: "2026-01-02T03:04:05Z", GoVersion: "go1.26.8", Platform: runtime.GOOS + "/" + runtime.GOARCH,
		KumaVersion: "2.13", KumaVersions: []string{"2.7", "2.8", "2.9", "2.10", "2.11", "2.12", "2.13", "2.14"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestFromBuildFallsBackToBuildInfo(t *testing.T) {
	bi := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Version: "v0.4.0"},
		Settings:  []debug.BuildSetting{{Key: "vcs.revision", Value: "deadbeef"}, {Key: "vcs.time", Value: "2026-02-03T04:05:06Z"}},
	}
	got := fromBuild("", "", "", bi)
	if got.Version != "v0.4.0" || got.Commit != "deadbeef" || got.Date != "2026-02-03T04:05:06Z" {
		t.Fatalf("build info not used: %+v", got)
	}
}

func TestFromBuildUnknownWithoutAnything(t *testing.T) {
	// A `go build` outside git with -buildvcs=false: "(devel)" is not a version.
	got := fromBuild("", "", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}})
	if got.Version != Unknown || got.Commit != Unknown || got.Date != Unknown {
		t.Fatalf("want unknown fields, got %+v", got)
	}
	if got.GoVersion != runtime.Version() {
		t.Fatalf("GoVersion = %q, want the runtime's %q", got.GoVersion, runtime.Version())
	}
	if got := fromBuild("", "", "", nil); got.Version != Unknown {
		t.Fatalf("nil build info: %+v", got)
	}
}

func TestInfoJSONFieldNames(t *testing.T) {
	b, err := json.Marshal(Info{Version: "v1", Commit: "c", Date: "d", GoVersion: "g", Platform: "p", KumaVersion: "2.13", KumaVersions: []string{"2.7", "2.14"}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"version":"v1","commit":"c","date":"d","goVersion":"g","platform":"p","kumaVersion":"2.13","kumaVersions":["2.7","2.14"]}`
	if string(b) != want {
		t.Fatalf("got %s, want %s", b, want)
	}
}

func TestInfoString(t *testing.T) {
	got := Info{Version: "v1.2.3", Commit: "abc", Date: "2026-01-02", GoVersion: "go1.26.8", Platform: "linux/amd64"}.String()
	want := "kubectl-mgi v1.2.3 (commit abc, built 2026-01-02, go1.26.8, linux/amd64)"
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}
