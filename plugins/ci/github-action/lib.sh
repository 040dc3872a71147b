# Shared by plan.sh, apply.sh and drift.sh (sourced, not run).

# write_kubeconfig FILE: writes $MGI_KUBECONFIG to FILE, readable only by
# the runner's user.
write_kubeconfig() {
  [[ -n "${MGI_KUBECONFIG:-}" ]] || { echo "::error title=kubectl-mgi::the kubeconfig input is empty: pass the kubeconfig secret" >&2; exit 1; }
  : >"$1"
  chmod 600 "$1"
  printf '%s\n' "$MGI_KUBECONFIG" >"$1"
}

# scrub FILE KUBECONFIG: prints FILE with every API server address of the
# kubeconfig (with and without its scheme) replaced by <API server>:
# client-go's messages name the server, comments and summaries name the
# context instead.
scrub() {
  local text server hostport
  text=$(cat "$1")
  while read -r server; do
    [[ -n "$server" ]] || continue
    hostport=${server#*://}
    hostport=${hostport%%/*}
    text=${text//"$server"/<API server>}
    text=${text//"$hostport"/<API server>}
  done < <(sed -n 's/^[[:space:]]*server:[[:space:]]*//p' "$2" | tr -d "\"'")
  printf '%s\n' "$text"
}

# current_context KUBECONFIG: the kubeconfig's current context, by name.
current_context() {
  sed -n 's/^current-context:[[:space:]]*//p' "$1" | tr -d "\"'"
}
