#!/usr/bin/env bash
# The live tier as CI runs it: the Debian packages the node needs, every binary (cached by
# tools/e2e/build-tools.sh), the stand-in's unit tests, the images (cached), then run.sh.
# Ends with run.sh's "N passed, N failed" line.
# Usage: tools/live/ci.sh [repo root]
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "${1:-$HERE/../..}" && pwd)"

fail() { echo "[live-ci] $*"; echo "0 passed, 1 failed"; exit 1; }

# runc, CNI plugins, iptables/ipset/conntrack for kube-proxy and kube-router, busybox for the images'
# shells and probes. Installed only when missing (apt-get needs root, as CI runs here).
DEBS=(libseccomp-dev containernetworking-plugins iptables ipset conntrack busybox-static)
missing=()
for p in "${DEBS[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
if ((${#missing[@]})); then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null) ||
    fail "could not install ${missing[*]}"
fi

"$ROOT/tools/e2e/build-tools.sh" etcd kube pulumi language-nodejs kubernetes-provider random-provider \
  node-kube containerd runc kube-router coredns image-servers monitoring-servers cnpg || fail "toolchain build failed"
(cd "$HERE/standin" && go test ./...) || fail "stand-in unit tests failed"
"$HERE/images.sh" build || fail "image build failed"
exec "$HERE/run.sh" "$ROOT"
