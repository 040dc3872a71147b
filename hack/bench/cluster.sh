#!/usr/bin/env bash
# plan and apply of 200 MeshGatewayInstances (400 generated objects, plus
# their 200 MeshGateways and 100 Namespaces) beside kubectl's server-side
# diff and apply of the same rendered objects, against the API server that
# KUBECONFIG points at. Run through `make bench`, which starts a throwaway
# local API server for it:
#   go run ./hack/localcluster -- hack/bench/cluster.sh bin/kubectl-mgi
set -euo pipefail
mgi=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
n=${MGI_BENCH_INSTANCES:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go run "$root/hack/bench/gen" -n "$n" -out "$work/mgi"
for i in $(seq 0 99); do printf -- '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-%03d\n' "$i"; done >"$work/mgi/namespaces.yaml"
# kubectl gets the same objects under other names, so both start from nothing.
"$mgi" render "$work/mgi" | sed -e 's/team-/kteam-/g' -e 's/gw-/kgw-/g' >"$work/kubectl.yaml"
objects=$(grep -c '^kind:' "$work/kubectl.yaml")
# kubectl diff cannot dry-run into namespaces that do not exist yet, so the
# namespaces of both sides are created first, untimed: every timed step then
# asks the server about every object.
kubectl apply --server-side -f "$work/mgi/namespaces.yaml" >/dev/null
sed 's/team-/kteam-/g' "$work/mgi/namespaces.yaml" | kubectl apply --server-side -f - >/dev/null
seconds() { # command...: wall seconds; kubectl diff exits 1 when there are differences
  local start end
  start=$(date +%s.%N)
  "$@" >"$work/out" 2>"$work/err" || { rc=$?; if [ "$1" != kubectl ] || [ "$2" != diff ] || [ $rc -ne 1 ]; then cat "$work/err" >&2; exit 1; fi; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
row() { printf '%-46s %8.2f s %8.2f s %8.2f\n' "$1" "$2" "$3" "$(echo "$2/$3" | bc -l)"; }
printf '%d instances, %d objects each side\n' "$n" "$objects"
printf '%-46s %10s %10s %8s\n' "step" "mgi" "kubectl" "ratio"
a=$(seconds "$mgi" plan "$work/mgi" --color=never)
b=$(seconds kubectl diff --server-side -f "$work/kubectl.yaml")
row "plan vs diff --server-side (all new)" "$a" "$b"
a=$(seconds "$mgi" apply "$work/mgi")
b=$(seconds kubectl apply --server-side -f "$work/kubectl.yaml")
row "apply vs apply --server-side (create)" "$a" "$b"
a=$(seconds "$mgi" plan "$work/mgi" --color=never)
b=$(seconds kubectl diff --server-side -f "$work/kubectl.yaml")
row "plan vs diff --server-side (no changes)" "$a" "$b"
a=$(seconds "$mgi" apply "$work/mgi")
b=$(seconds kubectl apply --server-side -f "$work/kubectl.yaml")
row "apply vs apply --server-side (no changes)" "$a" "$b"
