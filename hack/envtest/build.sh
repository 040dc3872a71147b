#!/usr/bin/env bash
# Builds the test control plane (kube-apiserver + etcd) into $1 (default: ../../.cache/envtest/bin).
# Rebuilds nothing that is already there. Needs only Go and the module proxy.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../.cache/envtest/bin}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$here"
K8S_VERSION=v1.37.2
if [ ! -x "$out/kube-apiserver" ]; then
  echo "building kube-apiserver $K8S_VERSION into $out (first time only, several minutes)" >&2
  pkg=k8s.io/component-base/version
  ldflags="-s -w -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=37 -X $pkg.gitTreeState=clean"
  go build -trimpath -ldflags "$ldflags" -o "$out/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver
  mv "$out/kube-apiserver.tmp" "$out/kube-apiserver"
fi
if [ ! -x "$out/etcd" ]; then
  echo "building etcd into $out" >&2
  go build -trimpath -ldflags "-s -w" -o "$out/etcd.tmp" ./etcd
  mv "$out/etcd.tmp" "$out/etcd"
fi
