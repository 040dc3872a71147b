#!/usr/bin/env bash
# Prints the folder name that the hidden comment marker uses: without a
# leading ./ and trailing slashes, so "./gateways/" and "gateways" find the
# same comment.
set -euo pipefail
d=${1:?usage: marker.sh DIR}
while [[ "$d" == ./* ]]; do d=${d#./}; done
while [[ "$d" == */ && "$d" != / ]]; do d=${d%/}; done
echo "${d:-.}"
