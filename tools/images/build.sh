#!/usr/bin/env bash
# Builds crane (go-containerregistry) from its Go module, at the version in crane/go.mod, into a cache
# outside the repo (reused while crane/go.mod and go.sum are unchanged). Prints the binary's path.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${VOICEHELPER_TOOLS_CACHE:-$HOME/.cache/voicehelper-tools}"
mkdir -p "$CACHE/bin"
command -v go >/dev/null || { echo "go is required to build crane" >&2; exit 1; }
stamp="$(cat "$HERE/crane/go.mod" "$HERE/crane/go.sum" | sha256sum | cut -c1-16)"
if [[ ! -x "$CACHE/bin/crane" || "$(cat "$CACHE/bin/.crane.stamp" 2>/dev/null)" != "$stamp" ]]; then
  t0=$SECONDS
  echo "building crane ..." >&2
  (cd "$HERE/crane" && CGO_ENABLED=0 nice -n 10 go build -trimpath -ldflags "-s -w" -o "$CACHE/bin/crane" github.com/google/go-containerregistry/cmd/crane)
  echo "$stamp" > "$CACHE/bin/.crane.stamp"
  echo "built crane in $((SECONDS - t0))s" >&2
fi
echo "$CACHE/bin/crane"
