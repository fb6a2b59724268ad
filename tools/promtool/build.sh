#!/usr/bin/env bash
# Builds promtool and amtool from the Go module proxy into a cache outside the repo (reused while this
# folder's go.mod/go.sum are unchanged), at the versions matching the pinned Prometheus (v3.7.3 =
# module v0.307.3) and Alertmanager (v0.29.0) images. Prints the bin directory.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${VOICEHELPER_TOOLS_CACHE:-$HOME/.cache/voicehelper-tools}"
mkdir -p "$CACHE/bin"
command -v go >/dev/null || { echo "go is required to build promtool and amtool" >&2; exit 1; }
stamp="$(cat "$HERE/go.mod" "$HERE/go.sum" | sha256sum | cut -c1-16)"
for tool in promtool:github.com/prometheus/prometheus/cmd/promtool amtool:github.com/prometheus/alertmanager/cmd/amtool; do
  name="${tool%%:*}"; pkg="${tool#*:}"
  if [[ -x "$CACHE/bin/$name" && "$(cat "$CACHE/bin/.$name.stamp" 2>/dev/null)" == "$stamp" ]]; then continue; fi
  t0=$SECONDS
  echo "building $name ..." >&2
  (cd "$HERE" && CGO_ENABLED=0 nice -n 10 go build -trimpath -ldflags "-s -w" -o "$CACHE/bin/$name" "$pkg")
  echo "$stamp" > "$CACHE/bin/.$name.stamp"
  echo "built $name in $((SECONDS - t0))s" >&2
done
echo "$CACHE/bin"
