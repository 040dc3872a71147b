#!/usr/bin/env bash
# Posts the plan comment on the pull request, or updates the one posted
# before for the same folder: it is found by the hidden marker on its first
# line, so each folder has exactly one plan comment that follows the pushes.
# Uses the GitHub CLI (`gh api`), preinstalled on GitHub's runners.
#
# Environment:
#   MGI_COMMENT_FILE   the comment written by plan.sh (required)
#   MGI_PR_NUMBER      the pull request's number (required)
#   GITHUB_REPOSITORY  owner/name, set by GitHub Actions
#   GH_TOKEN           a token that may write pull-request comments
set -euo pipefail

file=${MGI_COMMENT_FILE:?MGI_COMMENT_FILE is empty: run the plan step first}
pr=${MGI_PR_NUMBER:?MGI_PR_NUMBER is empty: the comment step runs on pull_request events only}
repo=${GITHUB_REPOSITORY:?GITHUB_REPOSITORY is empty}
marker=$(head -n 1 "$file")
[[ "$marker" == "<!-- kubectl-mgi plan: "*" -->" ]] || { echo "$file does not start with the kubectl-mgi plan marker" >&2; exit 1; }

# The first line of every comment that carries a kubectl-mgi marker; the
# exact match happens here, so folder names need no quoting for jq.
id=""
while IFS=$'\t' read -r cid first; do
  if [[ "$first" == "$marker" ]]; then
    id=$cid
    break
  fi
done < <(gh api --paginate "repos/$repo/issues/$pr/comments" \
  --jq '.[] | select(.body | startswith("<!-- kubectl-mgi plan: ")) | "\(.id)\t\(.body | split("\n") | .[0])"')

if [[ -n "$id" ]]; then
  gh api --method PATCH "repos/$repo/issues/comments/$id" -F "body=@$file" --silent
  echo "Updated comment $id on $repo#$pr"
else
  gh api --method POST "repos/$repo/issues/$pr/comments" -F "body=@$file" --silent
  echo "Posted a comment on $repo#$pr"
fi
