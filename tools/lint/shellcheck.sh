#!/usr/bin/env bash
# Runs shellcheck on every shell script of the repository (part of `npm run lint`). Uses the shellcheck on
# PATH, else Debian's package unpacked into a cache: downloaded with apt-get and extracted with dpkg-deb,
# so nothing is installed into the system and no root is needed once the cache holds it.
# Usage: tools/lint/shellcheck.sh [shellcheck options]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${VOICEHELPER_LINT_CACHE:-$HOME/.cache/voicehelper-lint}"

shellcheck_binary() {
  if command -v shellcheck >/dev/null 2>&1; then
    command -v shellcheck
    return
  fi
  local bin="$CACHE/shellcheck/usr/bin/shellcheck"
  if [[ ! -x "$bin" ]]; then
    local debs="$CACHE/debs"
    mkdir -p "$debs"
    # apt-get download needs the package lists; only root may refresh them.
    if ! (cd "$debs" && apt-get download -qq shellcheck >/dev/null 2>&1); then
      if [[ "$(id -u)" == 0 ]]; then apt-get update -qq >/dev/null; fi
      (cd "$debs" && apt-get download -qq shellcheck >/dev/null) || {
        echo "shellcheck is not on PATH and Debian's package could not be downloaded; install shellcheck" >&2
        exit 1
      }
    fi
    local deb
    deb="$(find "$debs" -name 'shellcheck_*.deb' | sort | tail -n 1)"
    dpkg-deb -x "$deb" "$CACHE/shellcheck"
  fi
  echo "$bin"
}

# Every tracked file named *.sh or starting with a bash or sh shebang (one awk reads every first line:
# a process per file made the lookup most of the lint's time; no \< \> in the regex, Debian's mawk lacks them).
scripts() {
  # shellcheck disable=SC2016 # $0 is awk's record, not a shell expansion
  (cd "$ROOT" && git ls-files -z | xargs -0 awk 'FNR == 1 { if (FILENAME ~ /\.sh$/ || ($0 ~ /^#!/ && $0 ~ /[^A-Za-z0-9_](ba)?sh([^A-Za-z0-9_]|$)/)) print FILENAME; nextfile }')
}

SHELLCHECK="$(shellcheck_binary)"
mapfile -t FILES < <(scripts)
cd "$ROOT"
"$SHELLCHECK" --external-sources "$@" "${FILES[@]}"
echo "shellcheck: ${#FILES[@]} scripts clean"
