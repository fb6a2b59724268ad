#!/usr/bin/env bash
# Builds the real toolchain for the e2e tier from Go modules into a cache directory outside the repo:
#   pulumi, pulumi-language-nodejs, pulumi-resource-kubernetes, pulumi-resource-random,
#   etcd, kube-apiserver, kube-controller-manager, kubectl.
# Each tool has a wrapper module under tools/e2e/<dir>/ (go.mod + go.sum, sometimes a small main).
# A binary is rebuilt only when its wrapper files change (stamp = sha256 of the wrapper files);
# otherwise the cached binary is reused.
#
# Usage: tools/e2e/build-tools.sh [tool...]     (default: all)
#   tools: etcd kube pulumi language-nodejs kubernetes-provider random-provider
#          and for the live tier (tools/live, not built by default): node-kube containerd runc coredns kube-router image-servers
#          monitoring-servers cnpg
# Env:
#   VOICEHELPER_E2E_CACHE  cache root (default ~/.cache/voicehelper-e2e); binaries go to $CACHE/bin
#   E2E_NICE               nice level for go build (default 10)
#   E2E_GO_P               go build -p (default 2)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${VOICEHELPER_E2E_CACHE:-$HOME/.cache/voicehelper-e2e}"
BIN="$CACHE/bin"
STAMPS="$CACHE/stamps"
TIMES="$CACHE/build-times.tsv"
mkdir -p "$BIN" "$STAMPS"

export PATH="/usr/local/go/bin:$PATH"
export CGO_ENABLED="${CGO_ENABLED:-0}"
# Modules built from a commit (pseudo-versions) are not in the public checksum database mirror
# reachable here; the committed go.sum files still pin every hash.
export GONOSUMDB="${GONOSUMDB:-github.com/pulumi}"
export GOFLAGS="-buildvcs=false -trimpath"
NICE="${E2E_NICE:-10}"
GOP="${E2E_GO_P:-2}"

log() { printf '[build-tools] %s\n' "$*" >&2; }

stamp_of() { # dir -> hash of the wrapper module's own files
  (cd "$1" && find . -maxdepth 2 -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) -print0 |
    sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
}

# build <binary> <wrapper dir> <package> [ldflags]
build() {
  local name="$1" dir="$HERE/$2" pkg="$3" ldflags="${4:-}"
  local stamp; stamp="$(stamp_of "$dir")"
  if [[ -x "$BIN/$name" && -f "$STAMPS/$name" && "$(cat "$STAMPS/$name")" == "$stamp" ]]; then
    log "$name: cached ($BIN/$name)"
    return 0
  fi
  log "$name: building $pkg (wrapper $2)"
  local t0 t1
  t0=$(date +%s)
  (cd "$dir" && nice -n "$NICE" go build -p "$GOP" ${BUILD_TAGS:+-tags "$BUILD_TAGS"} -ldflags "-s -w $ldflags" -o "$BIN/$name.tmp" "$pkg")
  mv -f "$BIN/$name.tmp" "$BIN/$name"
  echo "$stamp" > "$STAMPS/$name"
  t1=$(date +%s)
  log "$name: built in $((t1 - t0))s"
  printf '%s\t%s\t%ss\t%s\n' "$(date -u +%FT%TZ)" "$name" "$((t1 - t0))" "${E2E_BUILD_LABEL:-}" >> "$TIMES"
}

modver() { # wrapper dir, module path -> version selected in that wrapper
  (cd "$HERE/$1" && go list -m -f '{{.Version}}' "$2")
}

build_etcd() {
  local v; v="$(modver etcd go.etcd.io/etcd/server/v3)"
  build etcd etcd go.etcd.io/etcd/server/v3
}

build_kube() {
  local v; v="$(modver kube k8s.io/kubernetes)"
  local minor; minor="$(echo "$v" | cut -d. -f2)"
  local date; date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  local ld=""
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $p.gitVersion=$v -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=$date"
  done
  for t in kube-apiserver kube-controller-manager kubectl; do
    build "$t" kube "k8s.io/kubernetes/cmd/$t" "$ld"
  done
}

build_pulumi() {
  local v; v="$(modver pulumi github.com/pulumi/pulumi/pkg/v3)"
  build pulumi pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
    "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$v"
}

build_language_nodejs() {
  local v; v="$(modver pulumi github.com/pulumi/pulumi/pkg/v3)"
  build pulumi-language-nodejs language-nodejs . \
    "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$v"
}

build_kubernetes_provider() {
  local w="$HERE/kubernetes-provider" modv src
  # The module commits schema.json and terraform-mapping.json next to its own main; serve those.
  (cd "$w" && go mod download github.com/pulumi/pulumi-kubernetes/provider/v4)
  src="$(cd "$w" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi-kubernetes/provider/v4)/cmd/pulumi-resource-kubernetes"
  modv="$(modver kubernetes-provider github.com/pulumi/pulumi-kubernetes/provider/v4)"
  install -m 0644 "$src/schema.json" "$w/schema-embed.json"
  install -m 0644 "$src/terraform-mapping.json" "$w/terraform-mapping-embed.json"
  build pulumi-resource-kubernetes kubernetes-provider . \
    "-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=${modv#v}"
}

# The live tier's node (tools/live): kubelet, kube-proxy and kube-scheduler from the same Kubernetes
# version and replaces as the control plane (tools/live/kube-node adds the node's own dependencies),
# so they share its Go build cache.
build_node_kube() {
  local v; v="$(modver ../live/kube-node k8s.io/kubernetes)"
  local minor; minor="$(echo "$v" | cut -d. -f2)"
  local ld=""
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $p.gitVersion=$v -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
  done
  for t in kubelet kube-proxy kube-scheduler; do
    build "$t" ../live/kube-node "k8s.io/kubernetes/cmd/$t" "$ld"
  done
}

build_containerd() {
  local v; v="$(modver ../live/containerd github.com/containerd/containerd/v2)"
  local ld="-X github.com/containerd/containerd/v2/version.Version=$v"
  for t in containerd containerd-shim-runc-v2 ctr; do
    build "$t" ../live/containerd "github.com/containerd/containerd/v2/cmd/$t" "$ld"
  done
}

# runc from its module (cgo, libseccomp from Debian's libseccomp-dev): Debian bookworm's runc 1.1.5
# cannot start a pod sandbox under containerd 2.2 on these kernels ("can't get final child's PID").
build_runc() {
  CGO_ENABLED=1 BUILD_TAGS=seccomp build runc ../live/runc github.com/opencontainers/runc "-X main.version=$(modver ../live/runc github.com/opencontainers/runc)"
}

build_coredns() {
  build coredns ../live/coredns github.com/coredns/coredns
}

build_kube_router() {
  build kube-router ../live/kube-router github.com/cloudnativelabs/kube-router/v2/cmd/kube-router
}

# Servers the live tier packs into images (tools/live/images.sh), at the versions the program pins
# where the proxy serves them (tools/live/README.md lists the differences).
build_image_servers() {
  build local-path-provisioner ../live/local-path github.com/rancher/local-path-provisioner
  build nats-server ../live/nats github.com/nats-io/nats-server/v2
  build etcd-3.5 ../live/etcd go.etcd.io/etcd/server/v3
  build minio ../live/minio github.com/minio/minio
  build mc ../live/mc github.com/minio/mc
}

build_monitoring_servers() {
  # kube-state-metrics and its sample-controller dependency are taken at commits the checksum mirror
  # reachable here does not list; the committed go.sum pins their hashes.
  local GONOSUMDB="$GONOSUMDB,k8s.io/kube-state-metrics,k8s.io/sample-controller"
  export GONOSUMDB
  build prometheus ../live/prometheus github.com/prometheus/prometheus/cmd/prometheus
  build alertmanager ../live/alertmanager github.com/prometheus/alertmanager/cmd/alertmanager
  build kube-state-metrics ../live/kube-state-metrics k8s.io/kube-state-metrics/v2
}

build_cnpg() {
  build cnpg-manager ../live/cnpg github.com/cloudnative-pg/cloudnative-pg/cmd/manager
}

build_random_provider() {
  # Stand-in (see random-provider/main.go): answers for @pulumi/random 4.21.2.
  build pulumi-resource-random random-provider . "-X main.Version=4.21.2"
}

tools=("$@")
if [[ ${#tools[@]} -eq 0 ]]; then
  tools=(etcd kube pulumi language-nodejs kubernetes-provider random-provider)
fi
for t in "${tools[@]}"; do
  case "$t" in
    etcd) build_etcd ;;
    kube) build_kube ;;
    pulumi) build_pulumi ;;
    language-nodejs) build_language_nodejs ;;
    kubernetes-provider) build_kubernetes_provider ;;
    random-provider) build_random_provider ;;
    node-kube) build_node_kube ;;
    containerd) build_containerd ;;
    runc) build_runc ;;
    coredns) build_coredns ;;
    kube-router) build_kube_router ;;
    image-servers) build_image_servers ;;
    monitoring-servers) build_monitoring_servers ;;
    cnpg) build_cnpg ;;
    *) echo "unknown tool: $t" >&2; exit 2 ;;
  esac
done
log "binaries in $BIN"
