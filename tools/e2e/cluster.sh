#!/usr/bin/env bash
# A real Kubernetes control plane on loopback for the e2e tier: etcd + kube-apiserver +
# kube-controller-manager (no kubelet, no scheduler: pods stay Pending, which is why the harness
# deploys with skipAwait). Certificates are generated with openssl; the admin kubeconfig is written
# to $RUN_DIR/kubeconfig.
#
# Usage: tools/e2e/cluster.sh start|stop|status|kubeconfig
# Env:
#   VOICEHELPER_E2E_CACHE   cache root (binaries in $CACHE/bin, built by build-tools.sh)
#   E2E_RUN_DIR             state dir (default $CACHE/run/cluster); wiped by `start`
#   E2E_READY_TIMEOUT       seconds to wait for the apiserver (default 120)
set -euo pipefail

CACHE="${VOICEHELPER_E2E_CACHE:-$HOME/.cache/voicehelper-e2e}"
BIN="$CACHE/bin"
RUN_DIR="${E2E_RUN_DIR:-$CACHE/run/cluster}"
PKI="$RUN_DIR/pki"
COMPONENTS=(kube-controller-manager kube-apiserver etcd) # stop order

log() { printf '[cluster] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

alive() { # component -> 0 if its recorded pid is running
  local f="$RUN_DIR/$1.pid"
  [[ -f "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null
}

stop_one() {
  local name="$1" f="$RUN_DIR/$1.pid" pid
  [[ -f "$f" ]] || return 0
  pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name (pid $pid) ignored TERM; killing"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    # reap if it is our child; otherwise wait until it is gone
    wait "$pid" 2>/dev/null || true
    for _ in $(seq 1 25); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    log "stopped $name (pid $pid)"
  fi
  rm -f "$f"
}

cmd_stop() {
  for c in "${COMPONENTS[@]}"; do stop_one "$c"; done
}

gen_pki() {
  mkdir -p "$PKI"
  local days=2
  openssl genrsa -out "$PKI/ca.key" 2048 2>/dev/null
  openssl req -x509 -new -key "$PKI/ca.key" -subj "/CN=voicehelper-e2e-ca" -days "$days" -out "$PKI/ca.crt" 2>/dev/null

  # cert <name> <subject> <extfile-content>
  cert() {
    local name="$1" subj="$2" ext="$3"
    openssl genrsa -out "$PKI/$name.key" 2048 2>/dev/null
    openssl req -new -key "$PKI/$name.key" -subj "$subj" -out "$PKI/$name.csr" 2>/dev/null
    printf '%s\n' "$ext" > "$PKI/$name.ext"
    openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
      -days "$days" -extfile "$PKI/$name.ext" -out "$PKI/$name.crt" 2>/dev/null
  }
  cert apiserver "/CN=kube-apiserver" \
"basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  local client="basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
  cert admin "/O=system:masters/CN=e2e-admin" "$client"
  cert controller-manager "/CN=system:kube-controller-manager" "$client"
  # service-account token signing pair
  openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
  openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
}

write_kubeconfig() { # file user cert key
  local file="$1" user="$2" crt="$3" key="$4"
  cat > "$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: e2e
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority: $PKI/ca.crt
users:
- name: $user
  user:
    client-certificate: $crt
    client-key: $key
contexts:
- name: e2e
  context:
    cluster: e2e
    user: $user
current-context: e2e
EOF
}

start_bg() { # name logfile cmd...
  local name="$1" logf="$2"; shift 2
  # setsid: own process group, detached from the caller's terminal; the pid file is the handle.
  setsid "$@" > "$logf" 2>&1 < /dev/null &
  echo $! > "$RUN_DIR/$name.pid"
  log "started $name (pid $!, log $logf)"
}

cmd_start() {
  for b in etcd kube-apiserver kube-controller-manager kubectl; do
    [[ -x "$BIN/$b" ]] || die "$BIN/$b missing: run tools/e2e/build-tools.sh first"
  done
  for c in "${COMPONENTS[@]}"; do
    if alive "$c"; then die "$c already running (pid $(cat "$RUN_DIR/$c.pid")); run '$0 stop' first"; fi
  done
  rm -rf "$RUN_DIR"
  mkdir -p "$RUN_DIR"
  gen_pki

  ETCD_PORT="$(free_port)"; ETCD_PEER_PORT="$(free_port)"; API_PORT="$(free_port)"
  printf 'ETCD_PORT=%s\nAPI_PORT=%s\n' "$ETCD_PORT" "$API_PORT" > "$RUN_DIR/ports"

  start_bg etcd "$RUN_DIR/etcd.log" "$BIN/etcd" \
    --name e2e --data-dir "$RUN_DIR/etcd-data" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "e2e=http://127.0.0.1:$ETCD_PEER_PORT" \
    --listen-metrics-urls "" --log-level warn --unsafe-no-fsync --quota-backend-bytes 2147483648

  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$ETCD_PORT/health" >/dev/null 2>&1 && break
    alive etcd || { tail -20 "$RUN_DIR/etcd.log" >&2; die "etcd exited"; }
    sleep 0.2
  done

  start_bg kube-apiserver "$RUN_DIR/kube-apiserver.log" "$BIN/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" \
    --cert-dir "$RUN_DIR/apiserver-certs" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --client-ca-file "$PKI/ca.crt" \
    --service-account-issuer "https://kubernetes.default.svc.cluster.local" \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --service-cluster-ip-range 10.0.0.0/24 \
    --authorization-mode RBAC \
    --allow-privileged=true \
    --profiling=false \
    --v=1

  write_kubeconfig "$RUN_DIR/kubeconfig" e2e-admin "$PKI/admin.crt" "$PKI/admin.key"
  write_kubeconfig "$RUN_DIR/controller-manager.kubeconfig" system:kube-controller-manager \
    "$PKI/controller-manager.crt" "$PKI/controller-manager.key"

  local timeout="${E2E_READY_TIMEOUT:-120}" t0; t0=$(date +%s)
  until "$BIN/kubectl" --kubeconfig "$RUN_DIR/kubeconfig" get --raw /readyz >/dev/null 2>&1; do
    alive kube-apiserver || { tail -30 "$RUN_DIR/kube-apiserver.log" >&2; cmd_stop; die "kube-apiserver exited"; }
    if (( $(date +%s) - t0 > timeout )); then
      tail -30 "$RUN_DIR/kube-apiserver.log" >&2; cmd_stop; die "kube-apiserver not ready after ${timeout}s"
    fi
    sleep 0.5
  done
  log "kube-apiserver ready on https://127.0.0.1:$API_PORT after $(( $(date +%s) - t0 ))s"

  start_bg kube-controller-manager "$RUN_DIR/kube-controller-manager.log" "$BIN/kube-controller-manager" \
    --kubeconfig "$RUN_DIR/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port 0 \
    --leader-elect=false \
    --use-service-account-credentials=true \
    --service-account-private-key-file "$PKI/sa.key" \
    --root-ca-file "$PKI/ca.crt" \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
    --controllers '*' \
    --v=1

  # The controller-manager is up once it has created the default ServiceAccount.
  t0=$(date +%s)
  until "$BIN/kubectl" --kubeconfig "$RUN_DIR/kubeconfig" -n default get serviceaccount default >/dev/null 2>&1; do
    alive kube-controller-manager || { tail -30 "$RUN_DIR/kube-controller-manager.log" >&2; cmd_stop; die "kube-controller-manager exited"; }
    if (( $(date +%s) - t0 > timeout )); then cmd_stop; die "controller-manager did not create the default ServiceAccount"; fi
    sleep 0.5
  done
  log "kube-controller-manager running; kubeconfig: $RUN_DIR/kubeconfig"
  echo "$RUN_DIR/kubeconfig"
}

cmd_status() {
  local rc=0
  for c in etcd kube-apiserver kube-controller-manager; do
    if alive "$c"; then echo "$c: running (pid $(cat "$RUN_DIR/$c.pid"))"; else echo "$c: stopped"; rc=1; fi
  done
  return $rc
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  kubeconfig) echo "$RUN_DIR/kubeconfig" ;;
  *) echo "usage: $0 start|stop|status|kubeconfig" >&2; exit 2 ;;
esac
