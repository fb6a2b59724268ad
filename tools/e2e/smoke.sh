#!/usr/bin/env bash
# Proves the e2e toolchain on the tiny program in tools/e2e/smoke/: a real control plane, the real
# Pulumi engine, `preview --policy-pack`, `up`, an idempotent second `up`, `destroy`.
#
# Usage: tools/e2e/smoke.sh        (after tools/e2e/build-tools.sh)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_tools
WORK="${E2E_WORK_DIR:-$CACHE/run/smoke}"
rm -rf "$WORK"
mkdir -p "$WORK"
e2e_env "$WORK"

SRC="$E2E_DIR/smoke"
for d in "$SRC" "$SRC/policy"; do
  if [[ ! -d "$d/node_modules" ]]; then
    timed "npm ci ($(basename "$d"))" npm ci --prefix "$d" --no-audit --no-fund
  fi
done

export E2E_RUN_DIR="$WORK/cluster"
cleanup() {
  local rc=$?
  "$E2E_DIR/cluster.sh" stop || true
  print_timings
  exit $rc
}
trap cleanup EXIT
timed "cluster start" "$E2E_DIR/cluster.sh" start >/dev/null
KUBECONFIG_FILE="$E2E_RUN_DIR/kubeconfig"
export KUBECONFIG="$KUBECONFIG_FILE"

copy_program "$SRC" "$WORK/program"
cd "$WORK/program"
pulumi version
pulumi stack init e2e --non-interactive
pulumi config set kubeconfig "$KUBECONFIG_FILE"

timed "smoke preview --policy-pack" pulumi preview --non-interactive --policy-pack "$WORK/program/policy"
# The pack must also reject: a preview of a Deployment without limits has to fail with its violation.
pulumi config set violatePolicy true
if pulumi preview --non-interactive --policy-pack "$WORK/program/policy" > "$WORK/violation.log" 2>&1; then
  die "preview of a policy violation succeeded"
fi
grep -q "containers-have-limits" "$WORK/violation.log" || { cat "$WORK/violation.log" >&2; die "violation not reported by the pack"; }
log "policy pack rejected the violating preview, as it must"
pulumi config rm violatePolicy
timed "smoke up" pulumi up --yes --non-interactive --skip-preview

ns="$(pulumi stack output namespaceName)"
kubectl -n "$ns" get deployment,configmap,secret
pw="$(kubectl -n "$ns" get secret "$(pulumi stack output secretName)" -o jsonpath='{.data.password}' | base64 -d)"
[[ ${#pw} -eq 24 ]] || die "generated password has length ${#pw}, want 24"
[[ "$(pulumi stack output dbPassword --show-secrets)" == "$pw" ]] || die "secret in cluster differs from stack output"
grep -q "$pw" "$WORK/state/.pulumi/stacks/voicehelper-e2e-smoke/e2e.json" && die "password stored in plain text in state"

timed "smoke up (2nd, expect no changes)" pulumi up --yes --non-interactive --skip-preview --expect-no-changes
timed "smoke destroy" pulumi destroy --yes --non-interactive --skip-preview
wait_gone get namespace "$ns" || die "namespace $ns still present after destroy"
pulumi stack rm e2e --yes --non-interactive
log "smoke: OK"
