#!/usr/bin/env bash
# The operator's loop, measured: the Pulumi CLI against kubectl server-side apply of the same objects, on
# the e2e tier's loopback control plane (tools/e2e: etcd + kube-apiserver + kube-controller-manager,
# binaries built from Go modules by tools/e2e/build-tools.sh; nothing is downloaded here but the
# prerequisite CRDs' Go modules).
#
# Per stack (default: dev staging prod), each tool on a fresh cluster:
#   program run      `npm run render` with the harness settings (externalCharts=false, skipAwait=true):
#                    the program's own run time, and the manifests kubectl applies
#   kubectl          apply --server-side -R of those manifests, then again (no changes)
#   pulumi           preview, up, up again (no changes), preview again (no changes); prod also the
#                    no-change preview with the policy pack; then, on another fresh cluster, the first up
#                    with PULUMI_SKIP_CHECKPOINTS=true, and a no-change preview with type-checking forced
#                    on (PULUMI_NODEJS_TRANSPILE_ONLY=false)
# Prints a Markdown table (also written to $BENCH_WORK_DIR/bench.md) with the ratios of the targets.
# A report, not a test: a failed step is shown as failed and the run goes on; the exit status is 0
# unless the toolchain is missing.
#
# Usage: tools/bench/bench.sh [stack...]        (npm run bench -- [stack...])
# Env:   BENCH_WORK_DIR (default $CACHE/run/bench), BENCH_VARIANTS=0 skips the two variant runs
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"

ROOT="$(cd "$E2E_DIR/../.." && pwd)"
STACKS=("$@")
((${#STACKS[@]} > 0)) || STACKS=(dev staging prod)
require_tools

WORK="${BENCH_WORK_DIR:-$CACHE/run/bench}"
rm -rf "$WORK"
mkdir -p "$WORK"
e2e_env "$WORK"
RESULTS="$WORK/results.tsv" # stack, step, seconds | FAILED
: > "$RESULTS"
export E2E_RUN_DIR="$WORK/cluster"

for d in "$ROOT" "$ROOT/policy"; do
  if [[ -f "$d/package-lock.json" && ! -d "$d/node_modules" ]]; then
    npm ci --prefix "$d" --no-audit --no-fund >/dev/null || die "npm ci in $d failed"
  fi
done

PROG="$WORK/program"
copy_program "$ROOT" "$PROG"
cd "$PROG" || die "no program copy"
KCFG="$E2E_RUN_DIR/kubeconfig"

# measure <stack> <step> <command...>: wall time of the command into $RESULTS (FAILED if it fails).
measure() {
  local stack="$1" step="$2" t0 t1 rc=0
  shift 2
  log "$stack: $step"
  t0=$(date +%s.%N)
  "$@" > "$WORK/last.log" 2>&1 || rc=$?
  t1=$(date +%s.%N)
  if [[ $rc == 0 ]]; then
    printf '%s\t%s\t%.1f\n' "$stack" "$step" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')" >> "$RESULTS"
  else
    printf '%s\t%s\tFAILED\n' "$stack" "$step" >> "$RESULTS"
    tail -n 20 "$WORK/last.log" >&2
  fi
  return $rc
}

note() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$RESULTS"; }

fresh_cluster() {
  "$E2E_DIR/cluster.sh" stop >/dev/null 2>&1 || true
  "$E2E_DIR/cluster.sh" start >/dev/null && KUBECONFIG="$KCFG" install_prereq_crds "$WORK/crds" >/dev/null 2>&1
}

stack_init() { # stack-name stack-file
  cp "Pulumi.$2.yaml" "Pulumi.$1.yaml" 2>/dev/null || true
  pulumi stack init "$1" --non-interactive >/dev/null &&
    pulumi config set --stack "$1" voicehelper:kubeconfig "$KCFG" &&
    pulumi config set --stack "$1" voicehelper:kubeContext e2e &&
    pulumi config set --stack "$1" voicehelper:skipAwait true --type bool &&
    pulumi config set --stack "$1" voicehelper:externalCharts false --type bool &&
    if [[ "$2" == prod ]]; then
      pulumi config set --stack "$1" --secret voicehelper:openaiApiKey "sk-bench-fake-openai-key" &&
        pulumi config set --stack "$1" --secret voicehelper:anthropicApiKey "sk-ant-bench-fake-anthropic-key" &&
        pulumi config set --stack "$1" --secret voicehelper:posthogApiKey "phc_bench_fake_posthog_key"
    fi
}

cleanup() {
  "$E2E_DIR/cluster.sh" stop >/dev/null 2>&1 || true
  (cd "$ROOT" && npx ts-node --transpile-only tools/bench/report.ts "$RESULTS") | tee "$WORK/bench.md"
}
trap cleanup EXIT
# Stopped by a time budget (CI: timeout): still stop the cluster and print what was measured.
trap 'exit 143' TERM INT

for stack in "${STACKS[@]}"; do
  [[ -f "Pulumi.$stack.yaml" ]] || { log "no Pulumi.$stack.yaml: $stack skipped"; continue; }
  manifests="$WORK/manifests"
  measure "$stack" "program run" npm run --silent render -- --stack "$stack" --out "$manifests" \
    --config externalCharts=false --config skipAwait=true
  note "$stack" "objects" "$(find "$manifests/$stack" -name '*.yaml' | wc -l)"

  fresh_cluster || { note "$stack" "cluster" FAILED; continue; }
  export KUBECONFIG="$KCFG"
  measure "$stack" "kubectl apply" kubectl apply --server-side --field-manager=bench -R -f "$manifests/$stack"
  measure "$stack" "kubectl apply, no changes" kubectl apply --server-side --field-manager=bench -R -f "$manifests/$stack"

  fresh_cluster || { note "$stack" "cluster" FAILED; continue; }
  stack_init "$stack" "$stack" >/dev/null || { note "$stack" "stack init" FAILED; continue; }
  measure "$stack" "pulumi preview" pulumi preview --stack "$stack" --non-interactive
  measure "$stack" "pulumi up" pulumi up --stack "$stack" --yes --non-interactive --skip-preview
  note "$stack" "resources" "$(pulumi stack --stack "$stack" --show-urns 2>/dev/null | grep -c 'URN:')"
  measure "$stack" "pulumi up, no changes" pulumi up --stack "$stack" --yes --non-interactive --skip-preview --expect-no-changes
  measure "$stack" "pulumi preview, no changes" pulumi preview --stack "$stack" --non-interactive --expect-no-changes
  if [[ "$stack" == prod && -f policy/PulumiPolicy.yaml ]]; then
    measure "$stack" "pulumi preview --policy-pack, no changes" pulumi preview --stack "$stack" --non-interactive --expect-no-changes --policy-pack "$PROG/policy"
  fi
  if [[ "${BENCH_VARIANTS:-1}" != 0 ]]; then
    measure "$stack" "pulumi preview, no changes, type-checked" env PULUMI_NODEJS_TRANSPILE_ONLY=false pulumi preview --stack "$stack" --non-interactive --expect-no-changes
    fresh_cluster || { note "$stack" "cluster" FAILED; continue; }
    stack_init "$stack-skip-checkpoints" "$stack" >/dev/null || { note "$stack" "stack init" FAILED; continue; }
    measure "$stack" "pulumi up, PULUMI_SKIP_CHECKPOINTS=true" env PULUMI_SKIP_CHECKPOINTS=true pulumi up --stack "$stack-skip-checkpoints" --yes --non-interactive --skip-preview
  fi
  unset KUBECONFIG
done
