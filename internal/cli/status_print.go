package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
	"text/tabwriter"

	"github.com/kubectl-mgi/kubectl-mgi/internal/cluster"
)

// statusPrinter writes statuses as a table (one row per instance) or as a
// JSON document. In a watch it writes only what changed: the changed rows
// (the header once), or the whole document again.
type statusPrinter struct {
	json   bool
	w      io.Writer
	header bool
}

func newStatusPrinter(format string, w io.Writer) (*statusPrinter, error) {
	switch format {
	case "text", "":
		return &statusPrinter{w: w}, nil
	case "json":
		return &statusPrinter{json: true, w: w}, nil
	}
	return nil, fmt.Errorf("--output %q is not supported; use text or json", format)
}

// statusDocument is status -o json.
type statusDocument struct {
	Instances []cluster.InstanceStatus `json:"instances"`
}

// print writes sts; prev (nil on the first read) is what was printed last,
// for the same instances in the same order.
func (p *statusPrinter) print(sts, prev []cluster.InstanceStatus) error {
	changed := make([]bool, len(sts))
	some := prev == nil
	for i := range sts {
		changed[i] = prev == nil || i >= len(prev) || !reflect.DeepEqual(sts[i], prev[i])
		some = some || changed[i]
	}
	if !some {
		return nil
	}
	if p.json {
		doc := statusDocument{Instances: sts}
		if doc.Instances == nil {
			doc.Instances = []cluster.InstanceStatus{}
		}
		b, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(p.w, "%s\n", b)
		return err
	}
	if len(sts) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(p.w, 0, 8, 3, ' ', 0)
	if !p.header {
		fmt.Fprintln(tw, "INSTANCE\tMESH\tGATEWAY\tREADY\tREASON\tADDRESSES\tMESSAGE")
		p.header = true
	}
	for i, s := range sts {
		if !changed[i] {
			continue
		}
		r := s.Ready()
		fmt.Fprintf(tw, "%s/%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.Instance.Namespace, s.Instance.Name, orDash(s.Mesh), orDash(s.Gateway),
			r.Status, r.Reason, orDash(strings.Join(s.Addresses(), ",")), r.Message)
	}
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
