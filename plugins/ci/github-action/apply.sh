#!/usr/bin/env bash
# Applies the folder after a merge: `kubectl-mgi apply --prune --applyset
# --wait`, and writes the result as the job summary (the objects created,
# configured, unchanged and pruned, or what failed and what was and was not
# applied). A folder the merge deleted is applied as an empty folder with
# its ApplySet, which prunes every member.
#
# Environment:
#   MGI_DIR         the folder to apply (required)
#   MGI_KUBECONFIG  the kubeconfig file's contents (required; a secret)
#   MGI_APPLYSET    the folder's ApplySet (required: apply prunes with it)
#   MGI_NAMESPACE   the namespace of the ApplySet's parent (optional, -n)
#   MGI_TIMEOUT     how long --wait waits (default 10m)
#   MGI_COMMIT      the commit applied, named in the summary (optional)
#   GITHUB_STEP_SUMMARY  set by GitHub Actions: receives the summary
# Exit status: kubectl-mgi's (0 applied and ready, 1 otherwise).
set -euo pipefail

here=$(dirname "$0")
. "$here/lib.sh"
dir=${MGI_DIR:?MGI_DIR is empty: set the directory input of the action}
[[ -n "${MGI_APPLYSET:-}" ]] || { echo "::error title=kubectl-mgi apply::the applyset input is empty: apply after a merge prunes what the folder no longer has, which needs the folder's ApplySet" >&2; exit 1; }
tmp=${RUNNER_TEMP:-/tmp}
name=$("$here/marker.sh" "$dir")
summary=${GITHUB_STEP_SUMMARY:-/dev/null}

kubeconfig=$(mktemp "$tmp/kubeconfig.XXXXXX")
out=$(mktemp "$tmp/apply-stdout.XXXXXX")
errors=$(mktemp "$tmp/apply-stderr.XXXXXX")
empty=$(mktemp -d "$tmp/deleted-folder.XXXXXX")
trap 'rm -rf "$kubeconfig" "$out" "$errors" "$empty"' EXIT
write_kubeconfig "$kubeconfig"

target=$dir
note=""
if [[ ! -e "$dir" ]]; then
  target=$empty
  note=":wastebasket: The folder was deleted: every member of ApplySet \`$MGI_APPLYSET\` is pruned."
fi
args=(--kubeconfig "$kubeconfig" --applyset "$MGI_APPLYSET" --prune --wait --timeout "${MGI_TIMEOUT:-10m}")
[[ -n "${MGI_NAMESPACE:-}" ]] && args+=(-n "$MGI_NAMESPACE")
# A deleted folder empties its ApplySet on purpose: the prune guards
# (empty inputs, more than half of the set) would refuse it otherwise.
[[ "$target" == "$empty" ]] && args+=(--allow-empty --prune-threshold 100)

status=0
kubectl-mgi apply "$target" "${args[@]}" >"$out" 2>"$errors" || status=$?
scrub "$out" "$kubeconfig"
scrub "$errors" "$kubeconfig" >&2

origin=""
[[ -n "${MGI_COMMIT:-}" ]] && origin+="Commit \`$MGI_COMMIT\` · "
context=$(current_context "$kubeconfig")
[[ -n "$context" ]] && origin+="context \`$context\` · "
origin+="applied $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
fence='````'
{
  echo "## kubectl mgi apply: $name"
  echo
  echo "$origin"
  echo
  [[ -n "$note" ]] && { echo "$note"; echo; }
  if [[ $status -eq 0 ]]; then
    echo ":white_check_mark: **Applied**, pruned and ready."
  else
    echo ":x: **apply failed** (exit status $status): the message below says what was applied and what was not. Running the workflow again is safe."
  fi
  echo
  echo "${fence}text"
  scrub "$out" "$kubeconfig"
  if [[ $status -ne 0 ]]; then
    scrub "$errors" "$kubeconfig"
  fi
  echo "$fence"
} >>"$summary"
exit "$status"
