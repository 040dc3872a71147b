package finding

import (
	"errors"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
)

func TestObjectRefString(t *testing.T) {
	cases := []struct {
		ref  object.Ref
		want string
	}{
		{object.Ref{Kind: "Deployment", Namespace: "shop", Name: "edge"}, "Deployment/shop/edge"},
		{object.New("kuma.io/v1alpha1", "MeshGateway", "", "edge"), "MeshGateway/edge"},
		{object.Ref{Kind: "ConfigMap"}, "ConfigMap"},
		{object.Ref{}, ""},
	}
	for _, c := range cases {
		if got := c.ref.String(); got != c.want {
			t.Errorf("%+v: got %q, want %q", c.ref, got, c.want)
		}
	}
}

func TestPositionString(t *testing.T) {
	cases := []struct {
		pos  Position
		want string
	}{
		{Position{File: "a/b.yaml", Line: 3, Column: 7}, "a/b.yaml:3:7"},
		{Position{File: "a/b.yaml", Line: 3}, "a/b.yaml:3"},
		{Position{File: "a/b.yaml", Column: 7}, "a/b.yaml"},
		{Position{Line: 3, Column: 7}, ""},
	}
	for _, c := range cases {
		if got := c.pos.String(); got != c.want {
			t.Errorf("%+v: got %q, want %q", c.pos, got, c.want)
		}
	}
}

func TestFindingIsAnError(t *testing.T) {
	f := Finding{Rule: "R", Severity: Error, Object: object.Ref{Kind: "K", Name: "n"}, Field: "spec.x", Message: "bad", Pos: Position{File: "f.yaml", Line: 1}}
	var err error = f
	var got Finding
	if !errors.As(err, &got) || got.Rule != "R" {
		t.Fatalf("errors.As: %v", got)
	}
	if want := "f.yaml:1: error: K/n: spec.x: bad [R]"; err.Error() != want {
		t.Errorf("got %q, want %q", err.Error(), want)
	}
}

func TestListCounts(t *testing.T) {
	l := List{{Severity: Warning}, {Severity: Info}, {Severity: Warning}}
	if l.HasErrors() || l.Count(Warning) != 2 || l.Count(Info) != 1 {
		t.Errorf("counts of %v", l)
	}
	l = append(l, Finding{Severity: Error})
	if !l.HasErrors() {
		t.Error("HasErrors with an error")
	}
}

// TestListSort: file, line, column, rule, message; stable otherwise.
func TestListSort(t *testing.T) {
	l := List{
		{Rule: "B", Message: "1", Pos: Position{File: "b.yaml", Line: 1}},
		{Rule: "Z", Message: "1", Pos: Position{File: "a.yaml", Line: 10}},
		{Rule: "B", Message: "2", Pos: Position{File: "a.yaml", Line: 2, Column: 5}},
		{Rule: "A", Message: "9", Pos: Position{File: "a.yaml", Line: 2, Column: 5}},
		{Rule: "A", Message: "3", Pos: Position{File: "a.yaml", Line: 2, Column: 5}},
		{Rule: "Q", Message: "1", Pos: Position{File: "a.yaml", Line: 2, Column: 1}},
		{Rule: "Q", Message: "0"},
	}
	l.Sort()
	var got []string
	for _, f := range l {
		got = append(got, f.Pos.File+" "+f.Rule+f.Message)
	}
	want := []string{" Q0", "a.yaml Q1", "a.yaml A3", "a.yaml A9", "a.yaml B2", "a.yaml Z1", "b.yaml B1"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
}
