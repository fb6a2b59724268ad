#!/usr/bin/env bash
# Images for the live tier, built offline and tagged exactly as the program names them
# (components/config/images.ts), so the program runs unchanged. One recipe per image below; each
# says where its software comes from. Archives are cached in $LIVE_CACHE/images and rebuilt when the
# recipe's inputs change.
#
# Usage: tools/live/images.sh build [name...]     build (or reuse) the archives
#        tools/live/images.sh import SOCKET        import every archive into containerd's k8s.io namespace
#        tools/live/images.sh list                 name and tag of every recipe
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=tools/live/lib.sh
source "$HERE/lib.sh"
OUT="$LIVE_CACHE/images"
WORK="$LIVE_CACHE/image-work"
mkdir -p "$OUT" "$WORK"

image_ref() { # key in components/config/images.ts -> its pinned reference
  node -e '
    const src = require("fs").readFileSync(process.argv[1], "utf8");
    const m = src.match(new RegExp("\\b" + process.argv[2] + ": \"([^\"]+)\""));
    if (!m) { console.error("no image " + process.argv[2]); process.exit(1); }
    console.log(m[1]);' "$ROOT/components/config/images.ts" "$1"
}

# A minimal root filesystem: /etc/passwd and /etc/group with the given users, /tmp, and optionally the
# static busybox from Debian (for images whose upstream ships a shell the program's scripts use).
base_rootfs() { # dir with-shell(yes|no) user:uid:gid...
  local dir="$1" shell="$2"; shift 2
  rm -rf "$dir"; mkdir -p "$dir"/{etc,tmp,bin,usr/bin,usr/local/bin,var/run}
  chmod 1777 "$dir/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$dir/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$dir/etc/group"
  local u
  for u in "$@"; do
    IFS=: read -r name uid gid <<< "$u"
    printf '%s:x:%s:%s:%s:/home/%s:/bin/sh\n' "$name" "$uid" "$gid" "$name" "$name" >> "$dir/etc/passwd"
    printf '%s:x:%s:\n' "$name" "$gid" >> "$dir/etc/group"
  done
  printf 'hosts: files dns\n' > "$dir/etc/nsswitch.conf"
  if [[ -f /etc/ssl/certs/ca-certificates.crt ]]; then
    mkdir -p "$dir/etc/ssl/certs"; cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/"
  fi
  if [[ "$shell" == yes ]]; then
    cp /bin/busybox "$dir/bin/busybox"
    local applet
    for applet in $(/bin/busybox --list); do
      [[ -e "$dir/bin/$applet" ]] || ln -s busybox "$dir/bin/$applet"
    done
  fi
}

# Debian packages into a root filesystem, without a package manager in the image and without running
# maintainer scripts: the Depends closure of PKGS in SUITE is resolved against an empty package
# database (so libc and every library come from the same suite), downloaded into a private apt cache,
# and unpacked. The suite is chosen per image for the upstream version it is closest to.
apt_private() { # suite apt-get|apt-cache args...
  local suite="$1" tool="$2"; shift 2
  local d="$LIVE_CACHE/apt/$suite"
  if [[ ! -f "$d/sources.list" ]]; then
    mkdir -p "$d/state/lists/partial" "$d/cache/archives/partial"
    : > "$d/status"
    echo "deb http://deb.debian.org/debian $suite main" > "$d/sources.list"
  fi
  "$tool" -o Dir::State="$d/state" -o Dir::State::status="$d/status" -o Dir::Cache="$d/cache" \
    -o Dir::Etc::SourceList="$d/sources.list" -o Dir::Etc::SourceParts=/dev/null -o APT::Install-Recommends=false -o APT::Sandbox::User=root "$@"
}

debian_rootfs() { # dir suite pkgs...
  local dir="$1" suite="$2"; shift 2
  local d="$LIVE_CACHE/apt/$suite"
  if [[ ! -d "$d/state/lists" ]] || [[ -z "$(find "$d/state/lists" -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null)" ]]; then
    apt_private "$suite" apt-get update -qq
  fi
  local debs
  # "Inst <pkg> (<version> <suite> [<arch>])": apt names the cached file <pkg>_<version>_<arch>.deb with
  # the epoch's colon escaped.
  debs="$(apt_private "$suite" apt-get install -s -qq "$@" | awk '$1 == "Inst" {gsub(/[()\[\]]/, ""); sub(/:/, "%3a", $3); print $2 "_" $3 "_" $5 ".deb"}')"
  [[ -n "$debs" ]] || die "no packages resolved for $* in $suite"
  apt_private "$suite" apt-get install -y -qq --download-only "$@" >/dev/null
  local f
  for f in $debs; do
    dpkg-deb -x "$d/cache/archives/$f" "$dir"
  done
}

# Merged /usr as Debian lays it out (base-files is not unpacked), then busybox for the shell tools the
# program's scripts and probes call (sh, grep, sed, ...), never over a file a package installed.
merged_usr_with_busybox() { # dir
  local dir="$1" l a
  for l in bin sbin lib lib64; do
    mkdir -p "$dir/usr/$l"
    if [[ -d "$dir/$l" && ! -L "$dir/$l" ]]; then cp -a "$dir/$l/." "$dir/usr/$l/" && rm -rf "${dir:?}/$l"; fi
    ln -sfn "usr/$l" "$dir/$l"
  done
  cp /bin/busybox "$dir/usr/bin/busybox"
  for a in $(/bin/busybox --list); do
    [[ -e "$dir/usr/bin/$a" || -e "$dir/usr/sbin/$a" ]] || ln -s busybox "$dir/usr/bin/$a"
  done
}

stamp_ok() { # name inputs-hash -> 0 when the cached archive was built from the same inputs
  [[ -f "$OUT/$1.tar" && -f "$OUT/$1.stamp" && "$(cat "$OUT/$1.stamp")" == "$2" ]]
}

pack() { # name inputs-hash mkimage-args...
  local name="$1" hash="$2"; shift 2
  python3 "$HERE/images/mkimage.py" --out "$OUT/$name.tar.tmp" "$@"
  mv -f "$OUT/$name.tar.tmp" "$OUT/$name.tar"
  echo "$hash" > "$OUT/$name.stamp"
  log "image $name: $(du -h "$OUT/$name.tar" | cut -f1)"
}

inputs_hash() { # files... -> hash of this script, mkimage.py and the given files
  cat "$HERE/images.sh" "$HERE/images/mkimage.py" "$@" 2>/dev/null | sha256sum | cut -c1-16
}

# --- recipes ---------------------------------------------------------------------------------------

# The pod sandbox: Kubernetes' own pause.c at the pinned Kubernetes version, compiled statically.
recipe_pause() {
  local src; src="$(cd "$ROOT/tools/e2e/kube" && go list -m -f '{{.Dir}}' k8s.io/kubernetes)/build/pause/linux/pause.c"
  local h; h="$(inputs_hash "$src")"
  stamp_ok pause "$h" && return 0
  local r="$WORK/pause"; base_rootfs "$r" no
  gcc -Os -static -DVERSION=live -o "$r/pause" "$src"
  pack pause "$h" --rootfs "$r" --tag "$PAUSE_IMAGE" --entrypoint '["/pause"]' --user 65535:65535
}

# The tier's own client pod for path checks (busybox: nc, wget, nslookup).
recipe_probe() {
  local h; h="$(inputs_hash /bin/busybox)"
  stamp_ok probe "$h" && return 0
  local r="$WORK/probe"; base_rootfs "$r" yes
  pack probe "$h" --rootfs "$r" --tag "$PROBE_IMAGE" --entrypoint '["/bin/sh"]' --user 65534:65534
}

# The in-house services' contract stand-in (standin/), one image tagged for all eleven services.
recipe_standin() {
  local h; h="$(inputs_hash "$HERE"/standin/*.go "$HERE/standin/go.mod" "$HERE/standin/go.sum")"
  stamp_ok standin "$h" && return 0
  local r="$WORK/standin"; base_rootfs "$r" no standin:10001:10001
  (cd "$HERE/standin" && CGO_ENABLED=0 GOFLAGS="-buildvcs=false -trimpath" nice go build -ldflags "-s -w" -o "$r/usr/local/bin/standin" .)
  local tags=() s
  for s in $IN_HOUSE; do tags+=(--tag "$LIVE_REGISTRY/$s:$LIVE_TAG"); done
  pack standin "$h" --rootfs "$r" "${tags[@]}" --entrypoint '["/usr/local/bin/standin"]' --user 10001:10001
}

# Redis from Debian trixie (8.0.x; upstream pins 8.2.2 on Alpine): redis-server and redis-cli on PATH,
# user redis 999:1000 and WORKDIR /data as upstream's image, busybox for the probes' sh and grep.
recipe_redis() { redis_image redis trixie; }
recipe_posthogRedis() { redis_image posthogRedis trixie; }
redis_image() { # recipe suite
  local h; h="$(inputs_hash)-$2"
  stamp_ok "$1" "$h" && return 0
  local r="$WORK/$1"; base_rootfs "$r" no redis:999:1000
  debian_rootfs "$r" "$2" redis-server redis-tools
  merged_usr_with_busybox "$r"
  mkdir -p "$r/data"
  pack "$1" "$h" --rootfs "$r" --tag "$(image_ref "$1")" --chown data=999:1000 --workdir /data \
    --entrypoint '["redis-server"]'
}

# Go servers built from their modules by tools/e2e/build-tools.sh image-servers, laid out as upstream's
# images: binary path, user, writable directories. <name> <image key> <binary> <path in image> <shell>
go_server_image() {
  local name="$1" key="$2" bin="$3" path="$4" shell="$5"; shift 5
  [[ -x "$BIN/$bin" ]] || die "$BIN/$bin missing: run tools/e2e/build-tools.sh image-servers"
  local h; h="$(inputs_hash "$BIN/$bin")"
  stamp_ok "$name" "$h" && return 0
  local r="$WORK/$name" d; base_rootfs "$r" "$shell" "$@"
  for d in ${IMAGE_DIRS:-}; do mkdir -p "$r$d"; done
  mkdir -p "$r$(dirname "$path")"
  cp "$BIN/$bin" "$r$path"
  pack "$name" "$h" --rootfs "$r" --tag "$(image_ref "$key")" "${PACK_ARGS[@]}"
}
# nats:<v>-alpine: /usr/local/bin/nats-server, config dir /etc/nats, a shell (Alpine).
recipe_nats() { PACK_ARGS=(--entrypoint '["nats-server"]'); go_server_image nats nats nats-server /usr/local/bin/nats-server yes; }
# quay.io/coreos/etcd: distroless, /usr/local/bin/etcd, no shell.
recipe_etcd() { PACK_ARGS=(--entrypoint '["/usr/local/bin/etcd"]'); go_server_image etcd etcd etcd-3.5 /usr/local/bin/etcd no; }
# The object store (pgsty/silo, the maintained fork of the MinIO server, which keeps MinIO's module path
# and renames only the executable) and its mc: /usr/bin/silo and /usr/bin/mc on a small base with a shell.
# The server is built from github.com/minio/minio: the proxy serves no module of the fork.
recipe_minio() { PACK_ARGS=(--entrypoint '["silo"]'); go_server_image minio minio minio /usr/bin/silo yes; }
recipe_minioClient() { PACK_ARGS=(--entrypoint '["mc"]'); go_server_image minioClient minioClient mc /usr/bin/mc yes; }

# quay.io/prometheus/{prometheus,alertmanager}: busybox base, /bin/<binary>, user nobody owning the data
# and config directories, upstream's default command. Built without the `builtinassets` tag: the web UI's
# files are not embedded (the API, /-/ready and /metrics are all the program and the checks use).
recipe_prometheus() {
  IMAGE_DIRS="/prometheus /etc/prometheus"
  PACK_ARGS=(--entrypoint '["/bin/prometheus"]' --cmd '["--config.file=/etc/prometheus/prometheus.yml","--storage.tsdb.path=/prometheus"]'
    --user 65534:65534 --workdir /prometheus --chown prometheus=65534:65534 --chown etc/prometheus=65534:65534)
  go_server_image prometheus prometheus prometheus /bin/prometheus yes
}
recipe_alertmanager() {
  IMAGE_DIRS="/alertmanager /etc/alertmanager"
  PACK_ARGS=(--entrypoint '["/bin/alertmanager"]' --cmd '["--config.file=/etc/alertmanager/alertmanager.yml","--storage.path=/alertmanager"]'
    --user 65534:65534 --workdir /alertmanager --chown alertmanager=65534:65534 --chown etc/alertmanager=65534:65534)
  go_server_image alertmanager alertmanager alertmanager /bin/alertmanager yes
}
# registry.k8s.io/kube-state-metrics: distroless, /kube-state-metrics, user nobody, upstream's entrypoint.
recipe_kubeStateMetrics() {
  IMAGE_DIRS=""
  PACK_ARGS=(--entrypoint '["/kube-state-metrics","--port=8080","--telemetry-port=8081"]' --user 65534:65534)
  go_server_image kubeStateMetrics kubeStateMetrics kube-state-metrics /kube-state-metrics no
}

# CloudNativePG's operator image (the release manifest's tag, the version of tools/live/cnpg), laid out as
# upstream's: the binary at /operator/manager_amd64 (the operator finds the instance-manager builds it can
# hand out by the glob operator/manager_* from WORKDIR /), /manager a link to it, user 65532. Its
# PostgreSQL pods copy /manager into each instance (the bootstrap-controller init container).
cnpg_operator_image() {
  echo "ghcr.io/cloudnative-pg/cloudnative-pg:$(cd "$HERE/cnpg" && go list -m -f '{{.Version}}' github.com/cloudnative-pg/cloudnative-pg | sed 's/^v//')"
}
recipe_cnpgOperator() {
  [[ -x "$BIN/cnpg-manager" ]] || die "$BIN/cnpg-manager missing: run tools/e2e/build-tools.sh cnpg"
  local h; h="$(inputs_hash "$BIN/cnpg-manager")"
  stamp_ok cnpgOperator "$h" && return 0
  local r="$WORK/cnpgOperator"; base_rootfs "$r" no nonroot:65532:65532
  mkdir -p "$r/operator"; cp "$BIN/cnpg-manager" "$r/operator/manager_amd64"; ln -s operator/manager_amd64 "$r/manager"
  pack cnpgOperator "$h" --rootfs "$r" --tag "$(cnpg_operator_image)" --entrypoint '["/manager"]' --user 65532:65532 --workdir /
}

# CloudNativePG's `system` PostgreSQL image: Debian's PostgreSQL of the pinned major (sid: the only suite
# with it), its binaries on PATH as upstream adds /usr/lib/postgresql/<major>/bin, user postgres with
# UID 26, and barman-cloud from Debian's barman-cli-cloud (upstream installs the same tools with pip).
# No locales-all: the program's clusters use initdb's defaults (C locale, UTF8).
recipe_postgresql() {
  local ref major; ref="$(image_ref postgresql)"; major="${ref##*:}"; major="${major%%.*}"
  local h; h="$(inputs_hash)-$major"
  stamp_ok postgresql "$h" && return 0
  local r="$WORK/postgresql"; base_rootfs "$r" no postgres:26:26
  sed -i 's#^postgres:\(.*\):/home/postgres:#postgres:\1:/var/lib/postgresql:#' "$r/etc/passwd"
  debian_rootfs "$r" sid "postgresql-$major" barman-cli-cloud python3-boto3
  merged_usr_with_busybox "$r"
  mkdir -p "$r/var/lib/postgresql" "$r/var/run/postgresql"
  pack postgresql "$h" --rootfs "$r" --tag "$ref" --user 26:26 \
    --chown var/lib/postgresql=26:26 --chown var/run/postgresql=26:26 \
    --env "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/lib/postgresql/$major/bin"
}

# The stores' exporter sidecars (oliver006/redis_exporter, natsio/prometheus-nats-exporter): their modules
# are not served by the Go proxy, so one stand-in (exporter-standin/, standard library only) takes their
# place at their binary paths, configured by the same environment and flags. It proves the sidecars'
# wiring (the Secret's password, the store over localhost, the port Prometheus is admitted to and scrapes),
# not the exporters' own code; it exports only the availability series (redis_up, gnatsd_varz_*).
exporter_standin_image() { # recipe path-in-image
  local src="$HERE/exporter-standin"
  local h; h="$(inputs_hash "$src/main.go" "$src/go.mod")"
  stamp_ok "$1" "$h" && return 0
  local r="$WORK/$1"; base_rootfs "$r" no
  (cd "$src" && CGO_ENABLED=0 GOFLAGS='-trimpath' go build -o "$r$2" .) || die "exporter-standin build failed"
  pack "$1" "$h" --rootfs "$r" --tag "$(image_ref "$1")" --entrypoint "[\"$2\"]" --user 65534:65534
}
recipe_redisExporter() { exporter_standin_image redisExporter /redis_exporter; }
recipe_natsExporter() { exporter_standin_image natsExporter /prometheus-nats-exporter; }

# The cluster's DNS (not a program image): /coredns as in upstream's image.
recipe_coredns() {
  local h; h="$(inputs_hash "$BIN/coredns")"
  stamp_ok coredns "$h" && return 0
  local r="$WORK/coredns"; base_rootfs "$r" no
  cp "$BIN/coredns" "$r/coredns"
  pack coredns "$h" --rootfs "$r" --tag "$COREDNS_IMAGE" --entrypoint '["/coredns"]' --user 65532:65532
}

# The node's volume provisioner (not a program image): Rancher's local-path-provisioner, and the helper
# pod it runs as root to create and remove volume directories (busybox).
recipe_localPath() {
  local h; h="$(inputs_hash "$BIN/local-path-provisioner")"
  stamp_ok localPath "$h" && return 0
  local r="$WORK/localPath"; base_rootfs "$r" yes
  cp "$BIN/local-path-provisioner" "$r/usr/bin/local-path-provisioner"
  pack localPath "$h" --rootfs "$r" --tag "$LOCAL_PATH_IMAGE" --entrypoint '["local-path-provisioner"]'
}
recipe_helper() {
  local h; h="$(inputs_hash /bin/busybox)"
  stamp_ok helper "$h" && return 0
  local r="$WORK/helper"; base_rootfs "$r" yes
  pack helper "$h" --rootfs "$r" --tag "$HELPER_IMAGE" --entrypoint '["/bin/sh"]'
}

RECIPES=(pause probe coredns localPath helper standin redis nats etcd minio minioClient prometheus alertmanager kubeStateMetrics cnpgOperator postgresql redisExporter natsExporter)
recipe_tag() {
  case "$1" in
    pause) echo "$PAUSE_IMAGE" ;;
    probe) echo "$PROBE_IMAGE" ;;
    coredns) echo "$COREDNS_IMAGE" ;;
    localPath) echo "$LOCAL_PATH_IMAGE" ;;
    standin) echo "$LIVE_REGISTRY/gateway:$LIVE_TAG (and the other in-house services)" ;;
    helper) echo "$HELPER_IMAGE" ;;
    cnpgOperator) cnpg_operator_image ;;
    *) image_ref "$1" ;;
  esac
}

cmd_build() {
  local names=("$@")
  [[ ${#names[@]} -gt 0 ]] || names=("${RECIPES[@]}")
  local n
  for n in "${names[@]}"; do
    declare -F "recipe_$n" >/dev/null || die "no image recipe '$n' (have: ${RECIPES[*]})"
    "recipe_$n"
  done
}

cmd_import() {
  local sock="$1" n done=0 missing=()
  for n in "${RECIPES[@]}"; do
    if [[ ! -f "$OUT/$n.tar" ]]; then missing+=("$n"); continue; fi
    "$BIN/ctr" --address "$sock" -n k8s.io images import "$OUT/$n.tar" >/dev/null 2>&1 || die "import of $n failed"
    done=$((done + 1))
  done
  log "imported $done images${missing[*]:+; not built (pods naming them cannot start): ${missing[*]}}"
}

case "${1:-}" in
  build) shift; cmd_build "$@" ;;
  import) shift; cmd_import "$1" ;;
  list) for n in "${RECIPES[@]}"; do echo "$n $(recipe_tag "$n")"; done ;;
  *) echo "usage: $0 build [name...]|import SOCKET|list" >&2; exit 2 ;;
esac
