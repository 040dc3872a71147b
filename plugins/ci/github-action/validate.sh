#!/usr/bin/env bash
# Runs `kubectl-mgi validate` on the folder, printing one GitHub workflow
# command per finding, so each shows as an annotation on the pull request.
# Paths are relative to the working directory: run it from the repository
# root (the default working directory of a workflow step).
#
# Environment:
#   MGI_DIR     the folder to check (required)
#   MGI_STRICT  "true" to fail on warnings too
# Exit status: kubectl-mgi's (0 clean, 1 errors).
set -euo pipefail

dir=${MGI_DIR:?MGI_DIR is empty: set the directory input of the action}
if [[ ! -e "$dir" ]]; then
  # A folder the pull request deletes: nothing to check; plan shows the
  # deletion.
  echo "kubectl-mgi validate $dir: the folder does not exist (deleted), nothing to check."
  exit 0
fi
args=(validate "$dir" -o github)
if [[ "${MGI_STRICT:-false}" == "true" ]]; then
  args+=(--strict)
fi
status=0
kubectl-mgi "${args[@]}" || status=$?
if [[ $status -eq 0 ]]; then
  echo "kubectl-mgi validate $dir: no errors."
fi
exit "$status"
