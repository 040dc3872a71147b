#!/usr/bin/env bash
# Runs `kubectl-mgi plan -o markdown` on the folder against the cluster of
# the given kubeconfig, and writes the pull-request comment: a hidden marker
# that names the folder (so the comment step finds and updates the same
# comment on the next push), then the plan. When plan fails, the comment
# says so, with the error, and the step fails after writing it.
#
# Environment:
#   MGI_DIR           the folder to plan (required)
#   MGI_KUBECONFIG    the kubeconfig file's contents (required; a secret)
#   MGI_MAX_SIZE      size cap of the plan in bytes (default 60000)
#   MGI_APPLYSET      the ApplySet apply uses (optional): prunes show as deletes
#   MGI_COMMENT_FILE  where to write the comment; default
#                     $RUNNER_TEMP/kubectl-mgi-plan.md
#   GITHUB_OUTPUT     set by GitHub Actions: receives comment-file and
#                     has-changes (true/false)
set -euo pipefail

dir=${MGI_DIR:?MGI_DIR is empty: set the directory input of the action}
[[ -n "${MGI_KUBECONFIG:-}" ]] || { echo "::error title=kubectl-mgi plan::the kubeconfig input is empty: pass the kubeconfig secret" >&2; exit 1; }
tmp=${RUNNER_TEMP:-/tmp}
comment=${MGI_COMMENT_FILE:-$tmp/kubectl-mgi-plan.md}
marker="<!-- kubectl-mgi plan: $("$(dirname "$0")/marker.sh" "$dir") -->"

kubeconfig=$(mktemp "$tmp/kubeconfig.XXXXXX")
plan=$(mktemp "$tmp/plan.XXXXXX")
errors=$(mktemp "$tmp/plan-stderr.XXXXXX")
trap 'rm -f "$kubeconfig" "$plan" "$errors"' EXIT
chmod 600 "$kubeconfig"
printf '%s\n' "$MGI_KUBECONFIG" >"$kubeconfig"

applyset=()
[[ -n "${MGI_APPLYSET:-}" ]] && applyset=(--applyset "$MGI_APPLYSET")
status=0
kubectl-mgi plan "$dir" --kubeconfig "$kubeconfig" -o markdown --out "$plan" \
  --detailed-exitcode --max-size "${MGI_MAX_SIZE:-60000}" --title "kubectl mgi plan: $dir" \
  "${applyset[@]}" 2>"$errors" || status=$?
cat "$errors" >&2

case $status in
  0 | 2)
    { echo "$marker"; cat "$plan"; } >"$comment"
    ;;
  *)
    fence='````'
    {
      echo "$marker"
      echo "## kubectl mgi plan: $dir"
      echo
      echo ":x: **plan failed** (exit status $status). Nothing was changed in the cluster."
      echo
      echo "${fence}text"
      cat "$errors"
      echo "$fence"
    } >"$comment"
    ;;
esac
if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  echo "comment-file=$comment" >>"$GITHUB_OUTPUT"
  [[ $status -eq 2 ]] && echo "has-changes=true" >>"$GITHUB_OUTPUT" || echo "has-changes=false" >>"$GITHUB_OUTPUT"
fi
echo "Plan comment written to $comment"
[[ $status -eq 0 || $status -eq 2 ]]
