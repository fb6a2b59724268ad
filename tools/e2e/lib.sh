#!/usr/bin/env bash
# Shared helpers for smoke.sh and run.sh (sourced, not executed).
# shellcheck disable=SC2034 # its variables are read by the scripts that source it

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${VOICEHELPER_E2E_CACHE:-$HOME/.cache/voicehelper-e2e}"
export VOICEHELPER_E2E_CACHE="$CACHE"
BIN="$CACHE/bin"

log() { printf '\n[e2e] %s\n' "$*" >&2; }
die() { printf '[e2e] FAILED: %s\n' "$*" >&2; exit 1; }

# e2e_env <work dir>: an isolated Pulumi home, a local file backend and a passphrase secrets provider.
e2e_env() {
  local work="$1"
  mkdir -p "$work/pulumi-home" "$work/state"
  export PATH="$BIN:$PATH"
  export PULUMI_HOME="$work/pulumi-home"
  export PULUMI_BACKEND_URL="file://$work/state"
  export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-e2e-harness-not-a-secret}"
  export PULUMI_SKIP_UPDATE_CHECK=true
  export PULUMI_SKIP_CONFIRMATIONS=true
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  # Plugins are the binaries on PATH ($BIN); make sure nothing in the caller's environment disables that.
  unset PULUMI_IGNORE_AMBIENT_PLUGINS PULUMI_ACCESS_TOKEN
  export TIMINGS="$work/timings.tsv"
  : > "$TIMINGS"
}

# timed <label> <command...>: runs the command, records its wall time in $TIMINGS.
timed() {
  local label="$1"; shift
  local t0 t1 rc=0
  t0=$(date +%s.%N)
  log "$label: $*"
  "$@" || rc=$?
  t1=$(date +%s.%N)
  printf '%s\t%.1fs\t%s\n' "$label" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')" "$([[ $rc == 0 ]] && echo ok || echo "FAILED($rc)")" >> "$TIMINGS"
  return $rc
}

print_timings() {
  [[ -s "${TIMINGS:-}" ]] || return 0
  printf '\n[e2e] timings (wall):\n' >&2
  column -t -s $'\t' "$TIMINGS" >&2 || cat "$TIMINGS" >&2
}

require_tools() {
  local missing=()
  for b in pulumi pulumi-language-nodejs pulumi-resource-kubernetes pulumi-resource-random \
    etcd kube-apiserver kube-controller-manager kubectl; do
    [[ -x "$BIN/$b" ]] || missing+=("$b")
  done
  ((${#missing[@]} == 0)) || die "missing in $BIN: ${missing[*]} (run tools/e2e/build-tools.sh)"
}

# copy_program <src> <dst>: a scratch copy of a Pulumi project, so stack files and state written by the
# harness never touch the repository. node_modules directories are linked, not copied.
copy_program() {
  local src="$1" dst="$2"
  rm -rf "$dst"
  mkdir -p "$dst"
  (cd "$src" && tar --exclude=node_modules --exclude=.git --exclude=bin --exclude=rendered -cf - .) |
    (cd "$dst" && tar -xf -)
  while IFS= read -r nm; do
    local rel="${nm#"$src"/}"
    ln -s "$nm" "$dst/$rel"
  done < <(find "$src" -name node_modules -type d -prune)
  # Stack files of the repo may carry the passphrase salt of a developer's machine; the harness uses its own.
  for f in "$dst"/Pulumi.*.yaml; do
    [[ -f "$f" ]] && sed -i -E '/^(encryptionsalt|secretsprovider|encryptedkey):/d' "$f"
  done
  return 0
}

# wait_gone <kubectl args...>: waits until `kubectl get` finds nothing (e.g. a namespace being finalized).
wait_gone() {
  for _ in $(seq 1 120); do
    kubectl "$@" >/dev/null 2>&1 || return 0
    sleep 1
  done
  return 1
}

# chart_version <CHARTS key>: the chart version components/config/images.ts pins (the one the program installs).
chart_version() {
  sed -n -E "s/^[[:space:]]*$1: \{[^}]*version: \"([^\"]+)\".*/\1/p" "$E2E_DIR/../../components/config/images.ts"
}

# CRDs of the cluster prerequisites the program expects to be installed already when
# voicehelper:externalCharts is false (their controllers come from remote charts): Gateway API and
# cert-manager. Taken from their Go modules, applied to the harness cluster so that the program's
# Gateways, ReferenceGrants, ClusterIssuers and Certificates are validated by the real CRD schemas.
GATEWAY_API_VERSION="${GATEWAY_API_VERSION:-v1.3.0}"
# The release of the pinned cert-manager chart (its chart versions and Go module tags are the same).
CERT_MANAGER_VERSION="${CERT_MANAGER_VERSION:-$(chart_version certManager)}"
# The operator the live tier builds and installs from its release manifest: the version its wrapper module
# (tools/live/cnpg/go.mod) requires, the operator of the chart the program pins (docs/images.md).
CNPG_VERSION="${CNPG_VERSION:-$(sed -n -E 's#^[[:space:]]*github.com/cloudnative-pg/cloudnative-pg (v[^ ]+).*#\1#p' "$E2E_DIR/../live/cnpg/go.mod")}"
# Istio's CRDs (PeerAuthentication for the mesh's STRICT mTLS) at the pinned charts' release:
# istio.io/api carries them as one generated file, tagged v<chart version>.
ISTIO_API_VERSION="${ISTIO_API_VERSION:-v$(chart_version istioBase)}"
install_prereq_crds() {
  local gw cm cnpg istio out="$1"
  mkdir -p "$out"
  gw="$(cd "$out" && GOFLAGS='' go mod download -json "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')"
  cm="$(cd "$out" && GOFLAGS='' go mod download -json "github.com/cert-manager/cert-manager@$CERT_MANAGER_VERSION" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')"
  cnpg="$(cd "$out" && GOFLAGS='' go mod download -json "github.com/cloudnative-pg/cloudnative-pg@$CNPG_VERSION" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')"
  istio="$(cd "$out" && GOFLAGS='' go mod download -json "istio.io/api@$ISTIO_API_VERSION" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')"
  [[ -d "$gw/config/crd/standard" && -d "$cm/deploy/crds" && -d "$cnpg/config/crd/bases" && -f "$istio/kubernetes/customresourcedefinitions.gen.yaml" ]] ||
    die "CRD sources not found (gateway-api: '$gw', cert-manager: '$cm', cloudnative-pg: '$cnpg', istio api: '$istio')"
  # At v1.21.2 cert-manager's deploy/crds holds plain CRDs (controller-gen output; at v1.18.2 they were chart
  # templates, crd-*.yaml), applied server-side below with the other large CRDs.
  cp "$cm"/deploy/crds/*.yaml "$out/"
  if grep -l '{{' "$out"/*.yaml >/dev/null 2>&1; then die "template left in cert-manager's CRDs at $CERT_MANAGER_VERSION"; fi
  kubectl apply -f "$gw/config/crd/standard" >/dev/null
  # cert-manager's (Issuer, ClusterIssuer and Challenge are over 256 KiB each at v1.21.2) and CloudNativePG's
  # CRDs are too large for client-side apply's last-applied annotation.
  kubectl apply --server-side -f "$out" >/dev/null
  kubectl apply --server-side -f "$cnpg/config/crd/bases" >/dev/null
  kubectl apply --server-side -f "$istio/kubernetes/customresourcedefinitions.gen.yaml" >/dev/null
  kubectl wait --for condition=established --timeout=60s crd --all >/dev/null
  log "prerequisite CRDs installed: gateway-api $GATEWAY_API_VERSION (standard), cert-manager $CERT_MANAGER_VERSION, cloudnative-pg $CNPG_VERSION, istio $ISTIO_API_VERSION"
}
