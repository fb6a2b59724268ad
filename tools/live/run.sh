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
results=() PITR_REPORT=()
check() { # name cmd... : one line per check, counted
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); results+=("PASS  $name"); echo "[live] PASS $name"
  else failed=$((failed + 1)); results+=("FAIL  $name"); echo "[live] FAIL $name"; return 1; fi
}
finish() {
  printf '\n[live] results:\n'; printf '  %s\n' "${results[@]}"
  [[ ${#PITR_REPORT[@]} -eq 0 ]] || { printf '\n[live] recovery measured:\n'; printf '  %s\n' "${PITR_REPORT[@]}"; }
  print_timings
  [[ "${LIVE_KEEP:-}" == 1 ]] || "$HERE/node.sh" stop >/dev/null 2>&1 || true
  echo "$passed passed, $failed failed"
}
trap finish EXIT

# Everything that talks to the cluster runs inside its network namespace.
k() { "$HERE/node.sh" exec kubectl "$@"; }
pl_env() { "$HERE/node.sh" exec env PULUMI_HOME="$PULUMI_HOME" PULUMI_BACKEND_URL="$PULUMI_BACKEND_URL" \
  PULUMI_CONFIG_PASSPHRASE="$PULUMI_CONFIG_PASSPHRASE" "$@"; }
pl() { "$HERE/node.sh" exec env PULUMI_HOME="$PULUMI_HOME" PULUMI_BACKEND_URL="$PULUMI_BACKEND_URL" \
  PULUMI_CONFIG_PASSPHRASE="$PULUMI_CONFIG_PASSPHRASE" pulumi "$@"; }

rm -rf "$WORK"; mkdir -p "$WORK"
e2e_env "$WORK"
check "node up: control plane, containerd, kubelet, kube-proxy, kube-router enforcing policy, CoreDNS, volumes" \
  timed "node start" "$HERE/node.sh" start || exit 1
# The CRD sources are Go modules: fetched here (the cluster's namespace has no route out), applied inside.
(mkdir -p "$WORK/crds" && cd "$WORK/crds" && for m in "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION" \
  "github.com/cert-manager/cert-manager@$CERT_MANAGER_VERSION" "github.com/cloudnative-pg/cloudnative-pg@$CNPG_VERSION" \
  "istio.io/api@$ISTIO_API_VERSION"; do
  GOFLAGS='' go mod download "$m" || exit 1; done) || exit 1
check "prerequisite CRDs (Gateway API, cert-manager, CloudNativePG) installed" \
  timed "prerequisite CRDs" "$HERE/node.sh" exec env GOPROXY=off bash -c "source '$HERE/../e2e/lib.sh'; install_prereq_crds '$WORK/crds'" || exit 1

# CloudNativePG's operator from its release manifest (the program installs it only from the remote chart),
# with the image preloaded: its pull policy Always would ask a registry this node cannot reach.
install_cnpg_operator() {
  local manifest; manifest="$(GOFLAGS='' go env GOMODCACHE)/github.com/cloudnative-pg/cloudnative-pg@$CNPG_VERSION/releases/cnpg-${CNPG_VERSION#v}.yaml"
  [[ -f "$manifest" ]] || { echo "[live] no $manifest"; return 1; }
  sed 's/imagePullPolicy: Always/imagePullPolicy: IfNotPresent/' "$manifest" | k apply --server-side --force-conflicts -f - >/dev/null || return 1
  k -n cnpg-system rollout status deployment/cnpg-controller-manager --timeout=180s
}
check "CloudNativePG operator running (its release manifest, image built here)" \
  timed "CloudNativePG operator" install_cnpg_operator || exit 1

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
# The operator's own check (npm run verify) against the live stack: every deployed service Ready, its
# Services with ready addresses, every Job done, each health endpoint through its Service. Public routes
# are skipped: dev-live has no edge (no load balancer, no DNS for the public names).
check "npm run verify: every deployed service healthy as its clients see it" \
  timed "npm run verify" pl_env npm run --silent verify -- --stack "$STACK" --kubeconfig "$RUN/admin.kubeconfig" --skip route
check "second pulumi up changes nothing" \
  timed "$STACK up (2nd, expect no changes)" pl up --stack "$STACK" --yes --non-interactive --skip-preview --expect-no-changes
# 5. Disaster recovery: PostgreSQL point-in-time restore through the program's restore setting.
source "$HERE/recovery.sh"
recovery_checks
check "pulumi destroy removes everything the stack owns" destroy_all

# 6. Redis as a 6-node Redis Cluster (the production shape), on the same node after dev-live is gone.
redis_cluster_checks() {
  local ip
  check "every pod of the stack Ready (6 Redis nodes and the client)" all_pods_ready
  check "the Redis Cluster bootstrap Job completed" all_jobs_complete
  check "stand-in llm-proxy reached the Redis Cluster (AUTH, PING, cluster_state:ok)" standin_proves deployment/llm-proxy
  probe_pod "$APPS_NS" as-llm-proxy-"$RUN_ID" "$(selector_of "$APPS_NS" deployment/llm-proxy)" || log "probe as llm-proxy not ready"
  ip="$(k -n "$STORAGE_NS" get pod redis-5 -o jsonpath='{.status.podIP}')"
  check "redis cluster: the last node refuses a client without AUTH" redis_refuses_no_auth "$APPS_NS" as-llm-proxy-"$RUN_ID" "$ip"
  k -n "$APPS_NS" delete pod -l live-probe="$RUN_ID" --wait=false >/dev/null 2>&1
}
STACK=dev-live-redis-cluster
cp "$HERE/Pulumi.$STACK.yaml" "$WORK/program/"
pl stack init "$STACK" --non-interactive >/dev/null
pl config set --stack "$STACK" voicehelper:kubeconfig "$RUN/admin.kubeconfig"
if check "pulumi up of the Redis Cluster stack (no skipAwait)" timed "$STACK up" pl up --stack "$STACK" --yes --non-interactive --skip-preview; then
  redis_cluster_checks
fi
check "pulumi destroy of the Redis Cluster stack removes everything" destroy_all
