#!/usr/bin/env bash
# The live tier: the real program deployed by the real Pulumi engine (no skipAwait) onto a one-node
# cluster that runs its pods (node.sh), from images built here (images.sh). Then, against the running
# servers: every declared path works, undeclared paths are refused by NetworkPolicy, vendor default
# logins are refused, a second up changes nothing, destroy removes everything. Ends with
# "N passed, N failed".
#
# Usage: tools/live/run.sh [repo root]
# Env: LIVE_KEEP=1 leaves the cluster running afterwards (stop it with tools/live/node.sh stop).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "${1:-$HERE/../..}" && pwd)"
# shellcheck source=tools/e2e/lib.sh
source "$HERE/../e2e/lib.sh"
# shellcheck source=tools/live/lib.sh
source "$HERE/lib.sh"

STACK=dev-live
WORK="$LIVE_CACHE/program-run"
passed=0 failed=0
results=()
check() { # name cmd... : one line per check, counted
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); results+=("PASS  $name"); echo "[live] PASS $name"
  else failed=$((failed + 1)); results+=("FAIL  $name"); echo "[live] FAIL $name"; return 1; fi
}
finish() {
  printf '\n[live] results:\n'; printf '  %s\n' "${results[@]}"
  print_timings
  [[ "${LIVE_KEEP:-}" == 1 ]] || "$HERE/node.sh" stop >/dev/null 2>&1 || true
  echo "$passed passed, $failed failed"
}
trap finish EXIT

# Everything that talks to the cluster runs inside its network namespace.
k() { "$HERE/node.sh" exec kubectl "$@"; }
pl() { "$HERE/node.sh" exec env PULUMI_HOME="$PULUMI_HOME" PULUMI_BACKEND_URL="$PULUMI_BACKEND_URL" \
  PULUMI_CONFIG_PASSPHRASE="$PULUMI_CONFIG_PASSPHRASE" pulumi "$@"; }

rm -rf "$WORK"; mkdir -p "$WORK"
e2e_env "$WORK"
check "node up: control plane, containerd, kubelet, kube-proxy, kube-router enforcing policy, CoreDNS, volumes" \
  timed "node start" "$HERE/node.sh" start || exit 1
# The CRD sources are Go modules: fetched here (the cluster's namespace has no route out), applied inside.
(mkdir -p "$WORK/crds" && cd "$WORK/crds" && for m in "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION" \
  "github.com/cert-manager/cert-manager@$CERT_MANAGER_VERSION" "github.com/cloudnative-pg/cloudnative-pg@$CNPG_VERSION"; do
  GOFLAGS='' go mod download "$m" || exit 1; done) || exit 1
check "prerequisite CRDs (Gateway API, cert-manager, CloudNativePG) installed" \
  timed "prerequisite CRDs" "$HERE/node.sh" exec env GOPROXY=off bash -c "source '$HERE/../e2e/lib.sh'; install_prereq_crds '$WORK/crds'" || exit 1

copy_program "$ROOT" "$WORK/program"
cp "$HERE/Pulumi.$STACK.yaml" "$WORK/program/"
cd "$WORK/program" || exit 1
pl stack init "$STACK" --non-interactive >/dev/null
pl config set --stack "$STACK" voicehelper:kubeconfig "$RUN/admin.kubeconfig"

# 1. The program deploys and the engine waits for every workload and Job to be ready.
check "pulumi up (no skipAwait): every workload Ready, every Job complete" \
  timed "$STACK up" pl up --stack "$STACK" --yes --non-interactive --skip-preview
source "$HERE/checks.sh"
live_checks
check "second pulumi up changes nothing" \
  timed "$STACK up (2nd, expect no changes)" pl up --stack "$STACK" --yes --non-interactive --skip-preview --expect-no-changes
check "pulumi destroy removes everything the stack owns" destroy_all
