package kuma

import (
	"fmt"
	"strconv"
	"strings"
)

// Lines is the supported release lines, oldest first ("2.7", ..., "2.14").
func Lines() []string {
	out := make([]string, len(Releases))
	for i, r := range Releases {
		out[i] = r.Line
	}
	return out
}

// Default is the profile of DefaultLine.
func Default() Release {
	r, err := Lookup(DefaultLine)
	if err != nil {
		panic("kuma: DefaultLine is not in Releases") // a table bug, caught by the package tests
	}
	return r
}

// Lookup finds the profile of a version written as 2.13, 2.13.4 or
// v2.13.4 (a patch maps to its minor line; a pre-release suffix such as
// -rc1 is ignored). The error says which versions exist.
func Lookup(v string) (Release, error) {
	line, err := LineOf(v)
	if err != nil {
		return Release{}, err
	}
	for _, r := range Releases {
		if r.Line == line {
			return r, nil
		}
	}
	if major, _, _ := strings.Cut(line, "."); major != "2" {
		return Release{}, fmt.Errorf("unsupported Kuma version %s: Kuma 3 has no built-in gateways (MeshGatewayInstance and MeshGateway were removed in 3.0; bring your own Deployment and Service); supported versions are %s", v, strings.Join(Lines(), ", "))
	}
	return Release{}, fmt.Errorf("unsupported Kuma version %s; supported versions are %s", v, strings.Join(Lines(), ", "))
}

// LineOf is the release line "MAJOR.MINOR" of a version string.
func LineOf(v string) (string, error) {
	s := strings.TrimPrefix(strings.TrimSpace(v), "v")
	if i := strings.IndexAny(s, "-+"); i >= 0 {
		s = s[:i]
	}
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return "", fmt.Errorf("%q is not a Kuma version; write it like 2.13 or 2.13.4 (supported: %s)", v, strings.Join(Lines(), ", "))
	}
	for _, p := range parts {
		if _, err := strconv.ParseUint(p, 10, 16); err != nil {
			return "", fmt.Errorf("%q is not a Kuma version; write it like 2.13 or 2.13.4 (supported: %s)", v, strings.Join(Lines(), ", "))
		}
	}
	major, _ := strconv.Atoi(parts[0])
	minor, _ := strconv.Atoi(parts[1])
	return strconv.Itoa(major) + "." + strconv.Itoa(minor), nil
}
