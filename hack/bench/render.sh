#!/usr/bin/env bash
# Whole-process benchmark of `render` on generated directories of 1,000 and
# 10,000 MeshGatewayInstances (each with its MeshGateway), beside
# `helm template` of hack/bench/helm-chart templating the same Deployments
# and Services from a values file listing the instances, and beside
# `kubectl kustomize` on a directory holding the already-expanded objects.
# Usage: hack/bench/render.sh path/to/kubectl-mgi
#   HELM=path/to/helm (default .cache/tools/bin/helm, built by make bench)
#   HELM_SET=k=v,... (helm --set; for kubectl-mgi 7371c58, which wrote
#     Kuma 2.10's DNS settings: HELM_SET=coreDNS=true,memoryDivisor=false)
#   KUSTOMIZE_TIMEOUT=seconds (default 120; 0 leaves kustomize out)
set -euo pipefail
mgi=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
helm=${HELM:-$root/.cache/tools/bin/helm}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
KUSTOMIZE_TIMEOUT=${KUSTOMIZE_TIMEOUT:-120}
# helm keeps its caches and settings here, not in the user's home.
export HELM_CACHE_HOME=$work/helm/cache HELM_CONFIG_HOME=$work/helm/config HELM_DATA_HOME=$work/helm/data
helm_set=()
if [ -n "${HELM_SET:-}" ]; then helm_set=(--set "$HELM_SET"); fi
(cd "$root" && go build -o "$work/sameobjects" ./hack/bench/sameobjects)
measure() { # label, command...: prints wall seconds, peak RSS in MB and CPU seconds (user+sys); fails on timeout
  local label=$1; shift
  if ! /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$@" >"$work/out" 2>"$work/err"; then
    grep -q "status 124" "$work/time" && { printf '%-44s %10s\n' "$label" "stopped"; return 1; }
    cat "$work/err" >&2; exit 1
  fi
  read -r secs kb usr sys <"$work/time"
  # With GODEBUG=gctrace=1 the Go runtime's last trace line holds the share
  # of CPU spent in the collector since the start ("gc N @Ts P%: ...").
  gc=$(grep -oE '^gc [0-9]+ @[0-9.]+s [0-9]+%' "$work/err" | tail -1 | grep -oE '[0-9]+%$' || true)
  printf '%-44s %8.2f s %8.1f MB %8.2f s %6s\n' "$label" "$secs" "$(echo "$kb/1024" | bc -l)" "$(echo "$usr+$sys" | bc -l)" "${gc:--}"
  echo "$secs" >"$work/last"
  echo "$usr+$sys" | bc -l >"$work/last-cpu"
}
printf '%-44s %10s %11s %10s %6s\n' "benchmark" "wall" "peak RSS" "CPU" "GC"
for n in 1000 10000; do
  go run "$root/hack/bench/gen" -n "$n" -out "$work/in-$n" -helm-values "$work/values-$n.yaml"
  GODEBUG=gctrace=1 measure "render $n MGIs" "$mgi" render "$work/in-$n"
  mgi_secs=$(cat "$work/last") mgi_cpu=$(cat "$work/last-cpu")
  cp "$work/out" "$work/render-$n.yaml"
  # The same Deployments and Services from a chart; both are Go programs
  # that write the objects as YAML, so CPU seconds compare like for like.
  GODEBUG=gctrace=1 measure "helm template $n instances" "$helm" template mgi-bench "$root/hack/bench/helm-chart" -f "$work/values-$n.yaml" "${helm_set[@]}"
  helm_cpu=$(cat "$work/last-cpu")
  # How close the chart's objects are to render's (identical is the aim):
  # a ratio of different work would say little.
  if ! "$work/sameobjects" "$work/render-$n.yaml" "$work/out" | sed "s/^/  objects ($n): /"; then
    echo "  objects ($n): helm's objects are not render's; the CPU ratio compares different output" >&2
  fi
  printf '%-44s %8.3f\n' "ratio render CPU/helm CPU ($n)" "$(echo "$mgi_cpu/$helm_cpu" | bc -l)"
  if [ "$KUSTOMIZE_TIMEOUT" = 0 ]; then
    continue
  fi
  # The expanded Deployments and Services alone, one file, under a kustomization.
  mkdir -p "$work/kz-$n"
  awk 'BEGIN{RS="\n---\n"; ORS="\n---\n"} /\nkind: (Deployment|Service)\n/' "$work/render-$n.yaml" >"$work/kz-$n/all.yaml"
  objects=$(grep -cE '^kind: (Deployment|Service)$' "$work/kz-$n/all.yaml")
  printf 'resources:\n- all.yaml\n' >"$work/kz-$n/kustomization.yaml"
  # kustomize grows faster than linearly with the number of objects: it is
  # stopped after $KUSTOMIZE_TIMEOUT seconds, and the ratio is then an upper bound.
  if measure "kubectl kustomize $objects expanded objects" timeout "$KUSTOMIZE_TIMEOUT" kubectl kustomize "$work/kz-$n"; then
    kz_secs=$(cat "$work/last")
    printf '%-44s %8.3f\n' "ratio render/kustomize ($n)" "$(echo "$mgi_secs/$kz_secs" | bc -l)"
  else
    printf '%-44s %8.3f (kustomize stopped after %s s)\n' "ratio render/kustomize ($n) at most" "$(echo "$mgi_secs/$KUSTOMIZE_TIMEOUT" | bc -l)" "$KUSTOMIZE_TIMEOUT"
  fi
done
