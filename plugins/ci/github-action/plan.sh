#!/usr/bin/env bash
# Runs `kubectl-mgi plan -o markdown` on the folder against the cluster of
# the given kubeconfig, and writes the pull-request comment: a hidden marker
# that names the folder (so the comment step finds and updates the same
# comment on the next push), then the plan, which names the commit, the
# kubeconfig context and cluster (never the server's address) and the time.
#
# A folder the pull request deletes is planned as an empty folder with its
# ApplySet: every object apply --prune would delete shows as a delete.
#
# The step fails, after writing the comment, when plan fails or when apply
# would stop: an object with conflicts or in error. Changes alone pass.
#
# Environment:
#   MGI_DIR           the folder to plan (required)
#   MGI_KUBECONFIG    the kubeconfig file's contents (required; a secret)
#   MGI_MAX_SIZE      size cap of the plan in bytes (default 60000)
#   MGI_APPLYSET      the ApplySet apply uses (optional): prunes show as
#                     deletes; required for a deleted folder
#   MGI_NAMESPACE     the namespace of the ApplySet's parent (optional, -n)
#   MGI_COMMIT        the commit planned, shown in the comment (optional)
#   MGI_COMMENT_FILE  where to write the comment; default
#                     $RUNNER_TEMP/kubectl-mgi-plan.md
#   GITHUB_OUTPUT     set by GitHub Actions: receives comment-file,
#                     json-file, has-changes (true/false), blocked
#                     (true/false) and the counts conflicts and errors
set -euo pipefail

here=$(dirname "$0")
. "$here/lib.sh"
dir=${MGI_DIR:?MGI_DIR is empty: set the directory input of the action}
tmp=${RUNNER_TEMP:-/tmp}
comment=${MGI_COMMENT_FILE:-$tmp/kubectl-mgi-plan.md}
json=${comment%.md}.json
name=$("$here/marker.sh" "$dir")
marker="<!-- kubectl-mgi plan: $name -->"
title="kubectl mgi plan: $name"

kubeconfig=$(mktemp "$tmp/kubeconfig.XXXXXX")
plan=$(mktemp "$tmp/plan.XXXXXX")
errors=$(mktemp "$tmp/plan-stderr.XXXXXX")
empty=$(mktemp -d "$tmp/deleted-folder.XXXXXX")
trap 'rm -rf "$kubeconfig" "$plan" "$errors" "$empty"' EXIT
write_kubeconfig "$kubeconfig"
rm -f "$json"

args=(--kubeconfig "$kubeconfig" -o markdown --out "$plan" --json-out "$json"
  --detailed-exitcode --max-size "${MGI_MAX_SIZE:-60000}" --title "$title")
[[ -n "${MGI_APPLYSET:-}" ]] && args+=(--applyset "$MGI_APPLYSET")
[[ -n "${MGI_NAMESPACE:-}" ]] && args+=(-n "$MGI_NAMESPACE")
[[ -n "${MGI_COMMIT:-}" ]] && args+=(--commit "$MGI_COMMIT")

deleted=false
target=$dir
if [[ ! -e "$dir" ]]; then
  if [[ -z "${MGI_APPLYSET:-}" ]]; then
    echo "::error title=kubectl-mgi plan::$dir does not exist. If the pull request deletes it, pass the folder's ApplySet (applyset input) so the plan shows what apply --prune deletes." >&2
    exit 1
  fi
  deleted=true
  target=$empty
  # The apply after the merge empties the ApplySet on purpose (apply.sh
  # passes the same flags): plan what it will do, not the guards' refusal.
  args+=(--allow-empty --prune-threshold 100)
fi

status=0
kubectl-mgi plan "$target" "${args[@]}" 2>"$errors" || status=$?

scrub "$errors" "$kubeconfig" >&2

# plan exits 1 both when it failed and when it computed a plan that holds
# errors; only a computed plan writes the JSON file.
computed=false
[[ ( $status -eq 0 || $status -eq 1 || $status -eq 2 ) && -s "$plan" && -f "$json" ]] && computed=true
blocked=false
conflicts=0 errs=0
if $computed; then
  conflicts=$(jq '.summary.conflict // 0' "$json")
  errs=$(jq '.summary.error // 0' "$json")
  [[ $(jq '.blocking // 0' "$json") -gt 0 || $(jq '.hasErrors' "$json") == true ]] && blocked=true
  {
    echo "$marker"
    head -n 1 "$plan"
    if $deleted; then
      echo
      echo ":wastebasket: The pull request deletes this folder: its objects are planned as deletes from ApplySet \`$MGI_APPLYSET\`."
    fi
    tail -n +2 "$plan"
  } >"$comment"
else
  fence='````'
  context=$(current_context "$kubeconfig")
  origin=""
  [[ -n "${MGI_COMMIT:-}" ]] && origin+="Commit \`$MGI_COMMIT\` · "
  [[ -n "$context" ]] && origin+="context \`$context\` · "
  origin+="planned $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  {
    echo "$marker"
    echo "## $title"
    echo
    echo "$origin"
    echo
    echo ":x: **plan failed** (exit status $status). Nothing was changed in the cluster."
    echo
    echo "${fence}text"
    scrub "$errors" "$kubeconfig"
    echo "$fence"
  } >"$comment"
fi
if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  {
    echo "comment-file=$comment"
    [[ -f "$json" ]] && echo "json-file=$json"
    $computed && [[ $(jq '.hasChanges' "$json") == true ]] && echo "has-changes=true" || echo "has-changes=false"
    echo "blocked=$blocked"
    echo "conflicts=$conflicts"
    echo "errors=$errs"
  } >>"$GITHUB_OUTPUT"
fi
echo "Plan comment written to $comment"
if $blocked; then
  echo "::error title=kubectl-mgi plan $name::apply would stop: $conflicts with conflicts, $errs objects in error (see the plan comment)" >&2
  exit 1
fi
$computed
