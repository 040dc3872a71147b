#!/usr/bin/env bash
# Lists the folders under ROOT (one per team: ROOT/shop, ROOT/payments, ...)
# that changed between two commits, as a JSON list for a job matrix:
#   [{"directory":"gateways/shop","applyset":"gateways-shop","deleted":false}, ...]
# A folder the second commit deletes is listed with "deleted": true, so its
# removal is planned (and applied) as the deletion of its ApplySet's members.
# Without BASE, every folder that exists is listed (the drift check).
#
# Usage: folders.sh ROOT [BASE HEAD]
# Environment:
#   MGI_APPLYSET_PREFIX  prefix of each folder's ApplySet name (default ROOT-)
# Run it from the repository root, in a checkout of HEAD with BASE fetched.
set -euo pipefail

root=${1:?usage: folders.sh ROOT [BASE HEAD]}
root=${root%/}
prefix=${MGI_APPLYSET_PREFIX:-${root//\//-}-}

if [[ $# -ge 3 ]]; then
  # --no-renames: a folder renamed is a folder deleted and one added.
  # BASE...HEAD: what HEAD changed since the two diverged, not what the base
  # branch changed meanwhile.
  dirs=$(git diff --name-only --no-renames "$2...$3" -- "$root/" |
    awk -F/ -v n="$(awk -F/ '{print NF}' <<<"$root")" 'NF > n + 1 { d = $1; for (i = 2; i <= n + 1; i++) d = d "/" $i; print d }' | sort -u)
else
  dirs=$(find "$root" -mindepth 1 -maxdepth 1 -type d | sort)
fi

while read -r d; do
  [[ -n "$d" ]] || continue
  team=${d#"$root"/}
  deleted=false
  [[ -d "$d" ]] || deleted=true
  # An ApplySet name is a Secret name: lower case, digits and dashes.
  set=$(tr 'A-Z_./' 'a-z---' <<<"$prefix$team")
  jq -cn --arg d "$d" --arg s "$set" --argjson del "$deleted" '{directory: $d, applyset: $s, deleted: $del}'
done <<<"$dirs" | jq -cs .
