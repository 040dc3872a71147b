#!/usr/bin/env bash
# Installs a released kubectl-mgi: downloads the archive for this runner's
# OS and architecture from the GitHub release, checks it against the
# release's checksums.txt, and puts the binary on PATH.
#
# Environment:
#   MGI_VERSION      release tag, e.g. v0.3.0 (required)
#   MGI_RELEASE_URL  where the release's files are; default
#                    https://github.com/kubectl-mgi/kubectl-mgi/releases/download/$MGI_VERSION
#                    (tests use a file:// URL)
#   MGI_INSTALL_DIR  where the binary goes; default $RUNNER_TEMP/kubectl-mgi/bin
#   GITHUB_PATH      set by GitHub Actions: the folder is added to PATH for
#                    the steps that follow
set -euo pipefail

fail() { echo "::error title=kubectl-mgi install::$*" >&2; exit 1; }

version=${MGI_VERSION:-}
[[ -n "$version" ]] || fail "the version input is empty: set it to a release tag such as v0.3.0"
[[ "$version" == v* ]] || version="v$version"
base=${MGI_RELEASE_URL:-https://github.com/kubectl-mgi/kubectl-mgi/releases/download/$version}
dest=${MGI_INSTALL_DIR:-${RUNNER_TEMP:-/tmp}/kubectl-mgi/bin}

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) fail "runner OS $(uname -s) is not supported by this action: use a Linux or macOS runner" ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) fail "runner architecture $(uname -m) has no release archive: use an amd64 or arm64 runner" ;;
esac
archive="kubectl-mgi_${os}_${arch}.tar.gz"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
download() {
  curl --fail --silent --show-error --location --retry 3 --output "$work/$1" "$base/$1" ||
    fail "downloading $base/$1 failed: check that release $version exists and has this file"
}
download "$archive"
download checksums.txt

want=$(awk -v f="$archive" '$2 == f || $2 == "*"f { print $1 }' "$work/checksums.txt")
[[ -n "$want" ]] || fail "checksums.txt of $version has no line for $archive"
if command -v sha256sum >/dev/null; then
  got=$(sha256sum "$work/$archive" | awk '{print $1}')
else
  got=$(shasum -a 256 "$work/$archive" | awk '{print $1}')
fi
[[ "$got" == "$want" ]] || fail "checksum mismatch for $archive: got $got, checksums.txt says $want; the download is corrupt or was tampered with"

mkdir -p "$dest"
tar -xzf "$work/$archive" -C "$work" kubectl-mgi || fail "$archive does not hold kubectl-mgi"
install -m 0755 "$work/kubectl-mgi" "$dest/kubectl-mgi"
if [[ -n "${GITHUB_PATH:-}" ]]; then
  echo "$dest" >>"$GITHUB_PATH"
fi
"$dest/kubectl-mgi" version
