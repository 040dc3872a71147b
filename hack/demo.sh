#!/usr/bin/env bash
# The main job on a local default: plan, apply, plan again (no changes).
# Run through `make demo`, which starts a throwaway API server first and
# points KUBECONFIG at it.
set -euo pipefail
mgi=$1
dir=$2
step() { printf '\n\033[1m$ kubectl mgi %s\033[0m\n' "$*"; }
step validate "$dir"
"$mgi" validate "$dir"
step plan "$dir"
"$mgi" plan "$dir" --color=always
step apply "$dir"
"$mgi" apply "$dir"
step plan "$dir" --detailed-exitcode
"$mgi" plan "$dir" --detailed-exitcode --color=always
echo
echo "The second plan shows no changes: the cluster matches the directory."
