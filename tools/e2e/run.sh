#!/usr/bin/env bash
# The e2e tier for the real program: the real Pulumi engine against a real kube-apiserver.
#
#   dev stack:    preview --policy-pack policy, up, up again (must report no changes), destroy
#   prod stack:   preview --policy-pack policy (fake provider keys set as config secrets)
#   render stack: up with voicehelper:renderTo, then kubectl apply --dry-run=server -R of the manifests
#
# The program runs from a scratch copy (stack files and state never touch the repo). Harness-only
# config: voicehelper:kubeconfig/kubeContext of the loopback cluster, voicehelper:skipAwait=true (no
# kubelet: pods never start) and voicehelper:externalCharts=false (no Helm repositories reachable).
# With externalCharts=false the program expects cert-manager and the Gateway API to be installed
# already; the harness installs their CRDs (from their Go modules), not their controllers.
#
# Usage: tools/e2e/run.sh [repo root]          (after tools/e2e/build-tools.sh)
# Env:   E2E_STACKS="dev prod render" (subset to run), E2E_WORK_DIR (default $CACHE/run/program)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROOT="$(cd "${1:-$E2E_DIR/../..}" && pwd)"
STACKS="${E2E_STACKS:-dev prod render}"
[[ -f "$ROOT/Pulumi.yaml" ]] || die "$ROOT/Pulumi.yaml not found"
require_tools

WORK="${E2E_WORK_DIR:-$CACHE/run/program}"
rm -rf "$WORK"
mkdir -p "$WORK"
e2e_env "$WORK"

PROJECT="$(sed -n -E 's/^name:[[:space:]]*([^[:space:]#]+).*/\1/p' "$ROOT/Pulumi.yaml" | head -1)"
[[ -n "$PROJECT" ]] || die "no project name in Pulumi.yaml"

for d in "$ROOT" "$ROOT/policy"; do
  if [[ -f "$d/package.json" && ! -d "$d/node_modules" ]]; then
    if [[ -f "$d/package-lock.json" ]]; then
      timed "npm ci ($d)" npm ci --prefix "$d" --no-audit --no-fund
    else
      timed "npm install ($d)" npm install --prefix "$d" --no-audit --no-fund
    fi
  fi
done

export E2E_RUN_DIR="$WORK/cluster"
cleanup() {
  local rc=$?
  "$E2E_DIR/cluster.sh" stop || true
  print_timings
  if [[ $rc == 0 ]]; then log "run.sh: OK"; else log "run.sh: FAILED (exit $rc); logs and state under $WORK"; fi
  exit $rc
}
trap cleanup EXIT
timed "cluster start" "$E2E_DIR/cluster.sh" start >/dev/null
KCFG="$E2E_RUN_DIR/kubeconfig"
export KUBECONFIG="$KCFG"
timed "prerequisite CRDs" install_prereq_crds "$WORK/prereq-crds"

PROG="$WORK/program"
copy_program "$ROOT" "$PROG"
cd "$PROG"
pulumi version

POLICY_ARGS=()
if [[ -f "$PROG/policy/PulumiPolicy.yaml" ]]; then
  POLICY_ARGS=(--policy-pack "$PROG/policy")
else
  log "no policy/PulumiPolicy.yaml: previews run without a policy pack"
fi

# stack_init <stack>: selects a fresh stack on the local backend, keeping the repo's stack config.
stack_init() {
  pulumi stack init "$1" --non-interactive >/dev/null
  pulumi stack select "$1" --non-interactive
}

cluster_config() { # stack
  pulumi config set --stack "$1" voicehelper:kubeconfig "$KCFG"
  pulumi config set --stack "$1" voicehelper:kubeContext e2e
  pulumi config set --stack "$1" voicehelper:skipAwait true --type bool
  pulumi config set --stack "$1" voicehelper:externalCharts false --type bool
}

fake_provider_keys() { # stack: obviously fake values, only to satisfy prod's required secrets
  pulumi config set --stack "$1" --secret voicehelper:openaiApiKey "sk-e2e-fake-openai-key"
  pulumi config set --stack "$1" --secret voicehelper:anthropicApiKey "sk-ant-e2e-fake-anthropic-key"
  pulumi config set --stack "$1" --secret voicehelper:posthogApiKey "phc_e2e_fake_posthog_key"
  # prod writes its backups off the cluster (backup.target in Pulumi.prod.yaml) and needs that store's keys.
  pulumi config set --stack "$1" --secret voicehelper:backupTargetAccessKey "e2e-fake-backup-access-key"
  pulumi config set --stack "$1" --secret voicehelper:backupTargetSecretKey "e2e-fake-backup-secret-key"
}

run_dev() {
  stack_init dev
  cluster_config dev
  timed "dev preview --policy-pack" pulumi preview --stack dev --non-interactive "${POLICY_ARGS[@]}"
  timed "dev up" pulumi up --stack dev --yes --non-interactive --skip-preview
  kubectl get namespaces -l app.kubernetes.io/managed-by=pulumi 2>/dev/null || true
  pulumi stack --stack dev --show-urns | tail -n +1 | grep -c 'URN:' | xargs -I{} echo "[e2e] dev: {} resources in state"
  timed "dev up (2nd, expect no changes)" pulumi up --stack dev --yes --non-interactive --skip-preview --expect-no-changes
  timed "dev destroy" pulumi destroy --stack dev --yes --non-interactive --skip-preview
  local left
  left="$(pulumi stack --stack dev --show-urns | grep -c 'URN:' || true)"
  [[ "$left" == 0 ]] || die "dev: $left resources left in state after destroy"
  pulumi stack rm dev --yes --non-interactive
}

run_prod() {
  stack_init prod
  cluster_config prod
  fake_provider_keys prod
  # dev ran the program and the pack from their TypeScript (no bin/ in the copy); prod runs them compiled,
  # as the README recommends (tools/entry/main.js, policy/entry.js), so the engine runs both paths.
  timed "npm run compile" npm run --silent compile
  timed "prod preview --policy-pack" pulumi preview --stack prod --non-interactive "${POLICY_ARGS[@]}"
  pulumi stack rm prod --yes --force --non-interactive
}

run_render() {
  local out="$WORK/rendered"
  rm -rf "$out"
  # A dedicated render stack: the repo's, or one derived from dev's config without any cluster settings.
  if [[ ! -f "$PROG/Pulumi.render.yaml" ]]; then
    cp "$PROG/Pulumi.dev.yaml" "$PROG/Pulumi.render.yaml"
  fi
  stack_init render
  for k in kubeconfig kubeContext skipAwait; do pulumi config rm --stack render "voicehelper:$k" 2>/dev/null || true; done
  pulumi config set --stack render voicehelper:renderTo "$out"
  pulumi config set --stack render voicehelper:externalCharts false --type bool
  # The kubernetes SDK defaults a provider's kubeconfig to $KUBECONFIG, and render mode refuses any
  # kubeconfig: the render stack runs without it.
  timed "render up (renderTo)" env -u KUBECONFIG pulumi up --stack render --yes --non-interactive --skip-preview
  local n
  n="$(find "$out" -name '*.yaml' | wc -l)"
  ((n > 0)) || die "render: no manifests written to $out"
  log "render: $n manifests in $out"
  # Server-side dry run cannot create namespaces or CRDs, and objects in a namespace or of a kind the
  # server does not know are rejected as NotFound. So the namespaces and CRDs of the render are
  # created for real first; then every manifest is sent to the apiserver's admission with dry-run.
  local nsfiles
  nsfiles="$(grep -rlE '^kind: Namespace$' "$out" || true)"
  if [[ -n "$nsfiles" ]]; then
    # shellcheck disable=SC2086,SC2046 # one -f per file: the paths are the render's own, without spaces
    timed "render: create namespaces" kubectl apply $(printf -- '-f %s ' $nsfiles)
  fi
  if [[ -d "$out/0-crd" ]] && [[ -n "$(find "$out/0-crd" -name '*.yaml' -print -quit)" ]]; then
    timed "render: create CRDs" kubectl apply -R -f "$out/0-crd"
    kubectl wait --for condition=established --timeout=60s crd --all
  fi
  timed "render: kubectl apply --dry-run=server" kubectl apply --dry-run=server -R -f "$out"
  # No destroy: render resources exist only as files (and the render stack may protect data resources).
  pulumi stack rm render --yes --force --non-interactive
}

for s in $STACKS; do
  case "$s" in
    dev) run_dev ;;
    prod) run_prod ;;
    render) run_render ;;
    *) die "unknown stack step: $s" ;;
  esac
done
