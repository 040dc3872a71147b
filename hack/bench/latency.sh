#!/usr/bin/env bash
# The latency mode of `make bench`: plan and apply of 100 MeshGatewayInstances
# (300 objects: a Deployment, a Service and a MeshGateway each) beside
# `kubectl apply --server-side` and `kubectl diff --server-side` of the same
# rendered objects (renamed, so both sides start from nothing), against an
# API server behind a loopback proxy that holds every chunk 10 ms each way,
# a 20 ms round trip. Run through `make bench`:
#   go run ./hack/localcluster -latency 10ms -- hack/bench/latency.sh bin/kubectl-mgi
set -euo pipefail
mgi=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
n=${MGI_BENCH_LATENCY_INSTANCES:-100}
kubectl=${KUBECTL:-/usr/bin/kubectl}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go run "$root/hack/bench/gen" -n "$n" -out "$work/mgi"
"$mgi" render "$work/mgi" | sed -e 's/team-/kteam-/g' -e 's/gw-/kgw-/g' >"$work/kubectl.yaml"
objects=$(grep -c '^kind:' "$work/kubectl.yaml")
# The namespaces of both sides exist first, untimed (kubectl diff cannot
# dry-run into a namespace that does not exist); this also fills kubectl's
# discovery cache, so no timed kubectl run pays for discovery.
for i in $(seq 0 $(( (n < 100 ? n : 100) - 1 ))); do
  printf -- '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-%03d\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: kteam-%03d\n' "$i" "$i"
done >"$work/namespaces.yaml"
"$kubectl" apply --server-side -f "$work/namespaces.yaml" >/dev/null
seconds() { # command...: wall seconds; kubectl diff exits 1 when there are differences
  local start end rc
  start=$(date +%s.%N)
  "$@" >"$work/out" 2>"$work/err" || { rc=$?; if [ "$2" != diff ] || [ $rc -ne 1 ]; then cat "$work/err" >&2; exit 1; fi; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
row() { printf '%-44s %8.2f s %8.2f s %8.3f\n' "$1" "$2" "$3" "$(echo "$2/$3" | bc -l)"; }
printf '%d instances, %d objects each side, %s each way\n' "$n" "$objects" "${MGI_BENCH_LATENCY:-10ms}"
printf '%-44s %10s %10s %8s\n' "step" "mgi" "kubectl" "ratio"
a=$(seconds "$mgi" plan "$work/mgi" --color=never)
b=$(seconds "$kubectl" diff --server-side -f "$work/kubectl.yaml")
row "plan vs diff --server-side (all new)" "$a" "$b"
a=$(seconds "$mgi" apply "$work/mgi")
b=$(seconds "$kubectl" apply --server-side -f "$work/kubectl.yaml")
row "apply vs apply --server-side (create)" "$a" "$b"
a=$(seconds "$mgi" plan "$work/mgi" --color=never)
b=$(seconds "$kubectl" diff --server-side -f "$work/kubectl.yaml")
row "plan vs diff --server-side (no changes)" "$a" "$b"
a=$(seconds "$mgi" apply "$work/mgi")
b=$(seconds "$kubectl" apply --server-side -f "$work/kubectl.yaml")
row "apply vs apply --server-side (no changes)" "$a" "$b"
