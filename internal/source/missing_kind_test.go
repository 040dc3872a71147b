package source

import (
	"strings"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
)

// TestMissingKindNamesTheObjectInTheMessage: a reference without a kind
// would print as "/name", so the finding carries no reference and names the
// object in its message.
func TestMissingKindNamesTheObjectInTheMessage(t *testing.T) {
	_, fs := ReadBytes([]byte("apiVersion: v1\nmetadata:\n  name: settings\n"), "a.yaml")
	if len(fs) != 1 {
		t.Fatalf("findings %v", fs)
	}
	f := fs[0]
	if f.Rule != RuleNotAnObject || f.Field != "kind" || f.Object != (object.Ref{}) {
		t.Errorf("finding %+v", f)
	}
	if !strings.Contains(f.Message, `named "settings"`) || strings.Contains(f.String(), "/settings") {
		t.Errorf("message %q", f.String())
	}
	_, fs = ReadBytes([]byte("apiVersion: v1\nmetadata: {}\n"), "a.yaml")
	if len(fs) != 1 || !strings.HasPrefix(fs[0].Message, "kind is missing;") {
		t.Errorf("without a name: %v", fs)
	}
}
