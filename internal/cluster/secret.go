package cluster

import (
	"bytes"
	"encoding/base64"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/sets"
	"sigs.k8s.io/structured-merge-diff/v6/fieldpath"

	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
)

// A Secret's stringData is write-only: the server merges it into data and
// never stores it, but server-side apply records ownership of the fields as
// sent (f:stringData.f:KEY). Sent as is, a stringData key would never
// conflict with a manager that owns the same key under data (kubectl create
// secret, kubectl edit, client-side kubectl apply), so apply would overwrite
// it silently; and a plan beside a client-side apply migration would show
// the key's data as deleted, because the tool would own only the stringData
// path. So the tool does what the server does, before sending: stringData
// goes into data (base64, winning over data on the same key). The server
// then tracks the keys under data like any other field, and what the
// directory dropped is removed.
//
// What the server cannot see is a manager that itself applied the key as
// stringData: its ownership is recorded under stringData, where the tool
// no longer sends anything. stringDataConflicts reports those.

// isSecret reports whether u is a core/v1 Secret.
func isSecret(u *unstructured.Unstructured) bool {
	return u.GetAPIVersion() == "v1" && u.GetKind() == "Secret"
}

// mergeStringData moves u's stringData into data in place, as the API
// server does on a write. A stringData that is not a map of strings (the
// offline checks refuse it) is left for the server to refuse.
func mergeStringData(u *unstructured.Unstructured) {
	if !isSecret(u) {
		return
	}
	raw, ok := u.Object["stringData"]
	if !ok {
		return
	}
	sd, ok := raw.(map[string]interface{})
	if raw != nil && !ok {
		return
	}
	for _, v := range sd {
		if _, ok := v.(string); !ok {
			return
		}
	}
	data, ok := u.Object["data"].(map[string]interface{})
	if !ok {
		if u.Object["data"] != nil {
			return
		}
		data = map[string]interface{}{}
	}
	for k, v := range sd {
		data[k] = base64.StdEncoding.EncodeToString([]byte(v.(string)))
	}
	delete(u.Object, "stringData")
	if len(data) > 0 {
		u.Object["data"] = data
	}
}

// stringDataConflicts are the keys of the Secret desired (stringData
// already merged) whose value would change and that a manager other than
// manager (and not forgiven) owns under stringData in live: a conflict the
// server would not report, since the tool sends them under data.
func stringDataConflicts(live, desired *unstructured.Unstructured, manager string, forgiven sets.Set[string]) []plan.FieldConflict {
	if live == nil || !isSecret(desired) {
		return nil
	}
	want, _, _ := unstructured.NestedMap(desired.Object, "data")
	have, _, _ := unstructured.NestedMap(live.Object, "data")
	var changed []string
	for k, v := range want {
		if !sameSecretValue(v, have[k]) {
			changed = append(changed, k)
		}
	}
	if len(changed) == 0 {
		return nil
	}
	sort.Strings(changed)
	var out []plan.FieldConflict
	for _, e := range live.GetManagedFields() {
		if e.Manager == manager || forgiven.Has(e.Manager) || e.Subresource != "" || e.FieldsV1 == nil {
			continue
		}
		owned := &fieldpath.Set{}
		if err := owned.FromJSON(e.FieldsV1.GetRawReader()); err != nil {
			continue
		}
		for _, k := range changed {
			if owned.Has(fieldpath.MakePathOrDie("stringData", k)) {
				out = append(out, plan.FieldConflict{Field: ".stringData." + k, Manager: e.Manager})
			}
		}
	}
	return sortedConflicts(out)
}

// sameSecretValue compares two data values by the bytes they encode, so
// that line breaks in the base64 text do not count as a change.
func sameSecretValue(a, b interface{}) bool {
	as, aok := a.(string)
	bs, bok := b.(string)
	if !aok || !bok {
		return false
	}
	ad, errA := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(as), ""))
	bd, errB := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(bs), ""))
	return errA == nil && errB == nil && bytes.Equal(ad, bd)
}

// mergeConflicts adds extra to the server's conflicts, each field and
// manager once, in conflictsOf's order.
func mergeConflicts(server, extra []plan.FieldConflict) []plan.FieldConflict {
	if len(extra) == 0 {
		return server
	}
	return sortedConflicts(append(append([]plan.FieldConflict(nil), server...), extra...))
}

func sortedConflicts(cs []plan.FieldConflict) []plan.FieldConflict {
	seen := map[plan.FieldConflict]bool{}
	out := cs[:0:0]
	for _, c := range cs {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Field != out[j].Field {
			return out[i].Field < out[j].Field
		}
		return out[i].Manager < out[j].Manager
	})
	if len(out) == 0 {
		return nil
	}
	return out
}
