#!/usr/bin/env bash
# The scheduled drift check of one folder: plans it with
# --detailed-exitcode and keeps one issue per folder in step with the
# result. When the cluster drifted (exit 2), the issue titled
# "kubectl-mgi drift: DIR" is opened with the plan as its body, or its body
# is updated when it is open already; when the cluster matches again
# (exit 0), an open issue is closed with a comment. A failed plan fails the
# step and leaves the issue as it is.
#
# Environment:
#   MGI_DIR           the folder to check (required)
#   MGI_KUBECONFIG    the kubeconfig file's contents (required; a secret)
#   MGI_APPLYSET      the folder's ApplySet (optional): members apply would
#                     prune count as drift
#   MGI_NAMESPACE     the namespace of the ApplySet's parent (optional, -n)
#   MGI_COMMIT        the commit checked, named in the issue (optional)
#   MGI_LABEL         the label of drift issues (default kubectl-mgi-drift)
#   GITHUB_REPOSITORY owner/name, set by GitHub Actions
#   GH_TOKEN          a token that may write issues
#   GITHUB_OUTPUT     receives drifted (true/false) and issue (its number)
set -euo pipefail

here=$(dirname "$0")
. "$here/lib.sh"
dir=${MGI_DIR:?MGI_DIR is empty: set the directory input of the action}
repo=${GITHUB_REPOSITORY:?GITHUB_REPOSITORY is empty}
label=${MGI_LABEL:-kubectl-mgi-drift}
tmp=${RUNNER_TEMP:-/tmp}
name=$("$here/marker.sh" "$dir")
title="kubectl-mgi drift: $name"

kubeconfig=$(mktemp "$tmp/kubeconfig.XXXXXX")
plan=$(mktemp "$tmp/drift-plan.XXXXXX")
body=$(mktemp "$tmp/drift-body.XXXXXX")
errors=$(mktemp "$tmp/drift-stderr.XXXXXX")
trap 'rm -f "$kubeconfig" "$plan" "$body" "$errors"' EXIT
write_kubeconfig "$kubeconfig"

args=(--kubeconfig "$kubeconfig" -o markdown --out "$plan" --detailed-exitcode --title "$title")
[[ -n "${MGI_APPLYSET:-}" ]] && args+=(--applyset "$MGI_APPLYSET")
[[ -n "${MGI_NAMESPACE:-}" ]] && args+=(-n "$MGI_NAMESPACE")
[[ -n "${MGI_COMMIT:-}" ]] && args+=(--commit "$MGI_COMMIT")
status=0
kubectl-mgi plan "$dir" "${args[@]}" 2>"$errors" || status=$?
scrub "$errors" "$kubeconfig" >&2
if [[ $status -ne 0 && $status -ne 2 ]]; then
  echo "::error title=$title::plan failed (exit status $status); the drift issue is left as it is" >&2
  exit 1
fi

# The open drift issue of this folder, found by its exact title among the
# issues with the label.
issue=""
while IFS=$'\t' read -r number t; do
  if [[ "$t" == "$title" ]]; then
    issue=$number
    break
  fi
done < <(gh api --paginate "repos/$repo/issues?state=open&labels=$label&per_page=100" --jq '.[] | "\(.number)\t\(.title)"')

drifted=false
if [[ $status -eq 2 ]]; then
  drifted=true
  {
    echo "<!-- kubectl-mgi drift: $name -->"
    echo "The cluster no longer matches \`$name\`: applying the folder would make these changes. Apply it (or change the folder to what the cluster should keep); this issue closes by itself when they match again."
    echo
    sed 's/^## /### /' "$plan"
  } >"$body"
  if [[ -n "$issue" ]]; then
    gh api --method PATCH "repos/$repo/issues/$issue" -F "body=@$body" --silent
    echo "Drift in $name: updated issue #$issue"
  else
    issue=$(gh api --method POST "repos/$repo/issues" -f "title=$title" -F "body=@$body" -f "labels[]=$label" --jq .number)
    echo "Drift in $name: opened issue #$issue"
  fi
elif [[ -n "$issue" ]]; then
  gh api --method POST "repos/$repo/issues/$issue/comments" \
    -f "body=The cluster matches \`$name\` again (checked $(date -u '+%Y-%m-%d %H:%M:%S UTC')${MGI_COMMIT:+ at commit \`$MGI_COMMIT\`}). Closing." --silent
  gh api --method PATCH "repos/$repo/issues/$issue" -f state=closed -f state_reason=completed --silent
  echo "No drift in $name: closed issue #$issue"
else
  echo "No drift in $name."
fi
if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  echo "drifted=$drifted" >>"$GITHUB_OUTPUT"
  echo "issue=$issue" >>"$GITHUB_OUTPUT"
fi
