#!/usr/bin/env bash
# The e2e tier as CI runs it: build the toolchain (reused from the cache when present), prove it on the
# smoke program, then run the real program's dev/prod/render steps. Ends with "N passed, N failed".
# Usage: tools/e2e/ci.sh [repo root]
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "${1:-$HERE/../..}" && pwd)"
passed=0 failed=0
step() { # name cmd...
  local name="$1"; shift
  local t0=$SECONDS
  if "$@"; then
    passed=$((passed + 1)); echo "[e2e-ci] PASS $name ($((SECONDS - t0))s)"
  else
    failed=$((failed + 1)); echo "[e2e-ci] FAIL $name ($((SECONDS - t0))s)"
  fi
}
if ! "$HERE/build-tools.sh"; then
  echo "[e2e-ci] toolchain build failed"
  echo "0 passed, 1 failed"
  exit 1
fi
step smoke "$HERE/smoke.sh"
if [[ -f "$ROOT/Pulumi.yaml" ]]; then
  step program "$HERE/run.sh" "$ROOT"
else
  echo "[e2e-ci] no Pulumi.yaml in $ROOT: the program step is skipped"
fi
# The bench (tools/bench/bench.sh): a report of timings, never a pass or a failure; time-boxed so that
# .ci/run stays within 90 minutes: the rest of CI takes about 50 (the peer scanners about 8, the live tier
# with its PITR round trip and Redis Cluster stack about 20). Dev alone took 8 minutes on a quiet 2-core
# machine and staging and prod grow faster than their size (checkpoints), so all three stacks may not fit:
# the bench then prints what it measured before the budget ran out (BENCH_TIMEOUT=2700 for a full report).
if [[ -x "$ROOT/tools/bench/bench.sh" ]]; then
  timeout -k 60 "${BENCH_TIMEOUT:-1200}" "$ROOT/tools/bench/bench.sh" ||
    echo "[e2e-ci] bench: report incomplete (stopped or a step failed); not a CI failure"
fi
echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
