package kuma

import (
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	for in, want := range map[string]string{"2.13": "2.13", "2.13.4": "2.13", "v2.7.29": "2.7", " 2.14.0-rc1 ": "2.14", "2.10": "2.10", "2.08": "2.8"} {
		r, err := Lookup(in)
		if err != nil || r.Line != want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", in, r.Line, err, want)
		}
	}
	for in, want := range map[string][]string{
		"3.0":    {"Kuma 3 has no built-in gateways", "2.7, 2.8, 2.9, 2.10, 2.11, 2.12, 2.13, 2.14"},
		"3.1.2":  {"Kuma 3 has no built-in gateways"},
		"2.6":    {"unsupported Kuma version 2.6; supported versions are 2.7,"},
		"2.15":   {"unsupported Kuma version 2.15"},
		"latest": {`"latest" is not a Kuma version; write it like 2.13`},
		"2":      {"is not a Kuma version"},
		"2.x":    {"is not a Kuma version"},
	} {
		_, err := Lookup(in)
		if err == nil {
			t.Errorf("Lookup(%q): no error", in)
			continue
		}
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Lookup(%q) = %v; want it to say %q", in, err, w)
			}
		}
	}
}

func TestTableIsComplete(t *testing.T) {
	if Default().Line != DefaultLine {
		t.Fatal("the default line is not in Releases")
	}
	seen := map[string]bool{}
	for _, r := range Releases {
		if seen[r.Line] {
			t.Errorf("%s twice", r.Line)
		}
		seen[r.Line] = true
		if r.CPULimit == "" || r.Note == "" {
			t.Errorf("%s: CPULimit and Note must be set", r.Line)
		}
		if r.AdminUnixSocket.Exists && r.ReadinessPort == 0 {
			t.Errorf("%s: an admin Unix socket needs a readiness port", r.Line)
		}
	}
	if got := strings.Join(Lines(), " "); got != "2.7 2.8 2.9 2.10 2.11 2.12 2.13 2.14" {
		t.Errorf("Lines() = %s", got)
	}
}
