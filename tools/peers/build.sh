#!/usr/bin/env bash
# Builds the peer scanners from Go modules into a cache outside the repo, each rebuilt only when its
# wrapper module (go.mod, go.sum, *.go) changes. Prints the bin directory.
#   kube-score  github.com/zegl/kube-score/cmd/kube-score (tools/peers/kube-score/go.mod)
#   trivy-iac   Trivy's Kubernetes misconfiguration scanner, pkg/iac, with the checks compiled in
#               (tools/peers/trivy-iac: a small main around github.com/aquasecurity/trivy)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${VOICEHELPER_TOOLS_CACHE:-$HOME/.cache/voicehelper-tools}"
mkdir -p "$CACHE/bin"
command -v go >/dev/null || { echo "go is required to build kube-score and trivy-iac" >&2; exit 1; }
build() { # name dir package [env...]
  local name="$1" dir="$HERE/$2" pkg="$3"; shift 3
  local stamp
  stamp="$(cd "$dir" && find . -maxdepth 1 -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16)"
  if [[ -x "$CACHE/bin/$name" && "$(cat "$CACHE/bin/.$name.stamp" 2>/dev/null)" == "$stamp" ]]; then return; fi
  local t0=$SECONDS
  echo "building $name ..." >&2
  (cd "$dir" && env CGO_ENABLED=0 "$@" nice -n 10 go build -trimpath -ldflags "-s -w" -o "$CACHE/bin/$name.tmp" "$pkg")
  mv -f "$CACHE/bin/$name.tmp" "$CACHE/bin/$name"
  echo "$stamp" > "$CACHE/bin/.$name.stamp"
  echo "built $name in $((SECONDS - t0))s" >&2
}
build kube-score kube-score github.com/zegl/kube-score/cmd/kube-score
# Trivy's JSON code needs Go's encoding/json/v2, which Go 1.26 ships behind this experiment (Trivy's own
# release builds set it too).
build trivy-iac trivy-iac . GOEXPERIMENT=jsonv2
echo "$CACHE/bin"
