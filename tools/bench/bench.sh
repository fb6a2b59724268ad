#!/usr/bin/env bash
# The operator's loop, measured: the Pulumi CLI against kubectl server-side apply of the same objects, on
# the e2e tier's loopback control plane (tools/e2e: etcd + kube-apiserver + kube-controller-manager,
# binaries built from Go modules by tools/e2e/build-tools.sh; nothing is downloaded here but the
# prerequisite CRDs' Go modules).
#
# Once: `npm run compile` in the program's scratch copy (what the Pulumi CLI then runs, tools/entry and
# policy/entry.js).
# Per stack (default: dev staging prod), each tool on a fresh cluster:
#   program run      `npm run render` with the harness settings (externalCharts=false, skipAwait=true):
#                    the program's own run time, and the manifests kubectl applies
#   kubectl          apply --server-side -R of those manifests, then again (no changes)
#   pulumi           up (a checkpoint per step, the engine's default), up again and preview (no changes);
#                    prod also that preview with the policy pack, compiled and from its TypeScript
#                    (policy/bin moved away); the first stack also that preview from the TypeScript
#                    sources (bin/ moved away: what every run paid before the compile)
#   pulumi, again    on another fresh cluster, the first up with PULUMI_SKIP_CHECKPOINTS=true
# Each step records its wall time, the CPU time of the tool and its children (the Pulumi CLI, language
# host, node and provider plugins; kubectl) and the CPU time the apiserver and etcd spent meanwhile: on a
# shared machine the wall times move with the load, the CPU times much less.
# Prints a Markdown table (also written to $BENCH_WORK_DIR/bench.md) with the ratios of the targets.
# A report, not a test: a failed step is shown as failed and the run goes on; the exit status is 0
# unless the toolchain is missing.
#
# Usage: tools/bench/bench.sh [stack...]        (npm run bench -- [stack...])
# Env:   BENCH_WORK_DIR (default $CACHE/run/bench), BENCH_SKIP_CHECKPOINTS=0 skips the second first up
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"

ROOT="$(cd "$E2E_DIR/../.." && pwd)"
STACKS=("$@")
((${#STACKS[@]} > 0)) || STACKS=(dev staging prod)
require_tools
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is needed for the CPU times"

WORK="${BENCH_WORK_DIR:-$CACHE/run/bench}"
rm -rf "$WORK"
mkdir -p "$WORK"
e2e_env "$WORK"
RESULTS="$WORK/results.tsv" # stack, step, seconds | count | FAILED [, tool CPU s, apiserver+etcd CPU s]
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

# server_cpu: CPU seconds the running apiserver and etcd have used so far (0 without a cluster).
server_cpu() {
  local c total=0 pid
  for c in kube-apiserver etcd; do
    pid="$(cat "$E2E_RUN_DIR/$c.pid" 2>/dev/null)" || continue
    [[ -r "/proc/$pid/stat" ]] || continue
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  awk -v t="$total" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.1f", t / hz}'
}

# measure <stack> <step> <command...>: wall and CPU times of the command into $RESULTS (FAILED if it fails).
measure() {
  local stack="$1" step="$2" rc=0 s0 s1 wall user sys
  shift 2
  log "$stack: $step"
  s0="$(server_cpu)"
  /usr/bin/time -f '%e %U %S' -o "$WORK/last.time" "$@" > "$WORK/last.log" 2>&1 || rc=$?
  s1="$(server_cpu)"
  read -r wall user sys < <(tail -n 1 "$WORK/last.time")
  if [[ $rc == 0 ]]; then
    printf '%s\t%s\t%.1f\t%.1f\t%.1f\n' "$stack" "$step" "$wall" "$(awk -v a="$user" -v b="$sys" 'BEGIN{print a+b}')" \
      "$(awk -v a="$s0" -v b="$s1" 'BEGIN{print b-a}')" >> "$RESULTS"
  else
    printf '%s\t%s\tFAILED\n' "$stack" "$step" >> "$RESULTS"
    cp "$WORK/last.log" "$WORK/failed-$stack-${step//[^a-zA-Z0-9]/_}.log"
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
    fake_secrets "$1" "$2"
}

# fake_secrets <stack> <stack file>: obviously fake values for the config secrets the stack file requires
# (prod: the providers' keys; staging and prod: the keys of the backup target their files name).
fake_secrets() {
  if [[ "$2" == prod ]]; then
    pulumi config set --stack "$1" --secret voicehelper:openaiApiKey "sk-bench-fake-openai-key" &&
      pulumi config set --stack "$1" --secret voicehelper:anthropicApiKey "sk-ant-bench-fake-anthropic-key" &&
      pulumi config set --stack "$1" --secret voicehelper:posthogApiKey "phc_bench_fake_posthog_key" || return 1
  fi
  if grep -qE '^[[:space:]]+target:' "Pulumi.$2.yaml"; then
    pulumi config set --stack "$1" --secret voicehelper:backupTargetAccessKey "bench-fake-backup-access-key" &&
      pulumi config set --stack "$1" --secret voicehelper:backupTargetSecretKey "bench-fake-backup-secret-key" || return 1
  fi
}

cleanup() {
  "$E2E_DIR/cluster.sh" stop >/dev/null 2>&1 || true
  (cd "$ROOT" && npx ts-node --transpile-only tools/bench/report.ts "$RESULTS") | tee "$WORK/bench.md"
}
trap cleanup EXIT
# Stopped by a time budget (CI: timeout): still stop the cluster and print what was measured.
trap 'exit 143' TERM INT

first="${STACKS[0]}"
measure "$first" "compile" npm run --silent compile
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
  measure "$stack" "pulumi up" pulumi up --stack "$stack" --yes --non-interactive --skip-preview
  note "$stack" "resources" "$(pulumi stack --stack "$stack" --show-urns 2>/dev/null | grep -c 'URN:')"
  measure "$stack" "pulumi up, no changes" pulumi up --stack "$stack" --yes --non-interactive --skip-preview --expect-no-changes
  measure "$stack" "pulumi preview, no changes" pulumi preview --stack "$stack" --non-interactive --expect-no-changes
  if [[ "$stack" == prod && -f policy/PulumiPolicy.yaml ]]; then
    measure "$stack" "pulumi preview --policy-pack, no changes" pulumi preview --stack "$stack" --non-interactive --expect-no-changes --policy-pack "$PROG/policy"
    # policy/bin moved away: the pack's entry point runs its TypeScript, which run-policy-pack type-checks.
    mv policy/bin policy/bin.away &&
      measure "$stack" "pulumi preview --policy-pack, no changes, pack from TypeScript" pulumi preview --stack "$stack" --non-interactive --expect-no-changes --policy-pack "$PROG/policy"
    mv policy/bin.away policy/bin
  fi
  if [[ "$stack" == "$first" ]]; then
    # bin/ moved away: the entry point runs the sources through ts-node.
    mv bin bin.away &&
      measure "$stack" "pulumi preview, no changes, from TypeScript" pulumi preview --stack "$stack" --non-interactive --expect-no-changes
    mv bin.away bin
  fi
  if [[ "${BENCH_SKIP_CHECKPOINTS:-1}" != 0 ]]; then
    fresh_cluster || { note "$stack" "cluster" FAILED; continue; }
    stack_init "$stack-skip-checkpoints" "$stack" >/dev/null || { note "$stack" "stack init" FAILED; continue; }
    measure "$stack" "pulumi up, PULUMI_SKIP_CHECKPOINTS=true" env PULUMI_SKIP_CHECKPOINTS=true pulumi up --stack "$stack-skip-checkpoints" --yes --non-interactive --skip-preview
  fi
  unset KUBECONFIG
done
