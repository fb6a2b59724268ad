#!/usr/bin/env bash
# A one-node Kubernetes cluster that really runs pods, for the live tier. Everything lives inside one
# network namespace this script creates (no veth to the host, no default route): pod, Service and node
# addresses exist only there, so nothing can route off the machine. Daemons enter that namespace with
# nsenter (network only: kubelet and containerd must share the host's mount namespace so that the
# volumes kubelet mounts are the ones runc bind-mounts into containers); their files and mounts stay
# under $LIVE_RUN_DIR.
#
#   control plane: etcd, kube-apiserver, kube-controller-manager, kube-scheduler (tools/e2e builds)
#   node:          containerd + runc (Debian), CNI bridge/host-local/loopback/portmap (Debian),
#                  kubelet, kube-proxy (iptables), kube-router (NetworkPolicy enforcer only),
#                  CoreDNS as the cluster's kube-dns pod (kube-system, k8s-app=kube-dns: the peer the
#                  program's NetworkPolicies admit for DNS), answering cluster.local only (no forward
#                  plugin: nothing else resolves)
#
# Usage: tools/live/node.sh start|stop|status|exec CMD...
#   exec runs CMD inside the cluster's network namespace with KUBECONFIG set (kubectl, pulumi, curl).
# Env: VOICEHELPER_E2E_CACHE (binaries in $CACHE/bin), LIVE_RUN_DIR (default $CACHE/live/run),
#      LIVE_NETNS (default vh-live), LIVE_READY_TIMEOUT (default 180 s per wait).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools/live/lib.sh
source "$HERE/lib.sh"

COMPONENTS=(kube-router kube-proxy kubelet containerd kube-scheduler kube-controller-manager kube-apiserver etcd) # stop order
TIMEOUT="${LIVE_READY_TIMEOUT:-180}"

# A pid that exists and is not a zombie waiting to be reaped (our daemons' parent has exited).
running() { kill -0 "$1" 2>/dev/null && [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]]; }
alive() { local f="$RUN/$1.pid"; [[ -f "$f" ]] && running "$(cat "$f")"; }

start_bg() { # name cmd... (inside the namespace, own process group, pid file is the handle)
  local name="$1"; shift
  setsid nsenter --net="$NETNS_PATH" -- "$@" > "$RUN/$name.log" 2>&1 < /dev/null &
  echo $! > "$RUN/$name.pid"
  log "started $name (pid $!)"
}

wait_for() { # description component cmd... : polls cmd (bounded by $TIMEOUT) while component lives
  local what="$1" comp="$2"; shift 2
  local t0=$SECONDS
  until "$@" >/dev/null 2>&1; do
    if [[ -n "$comp" ]] && ! alive "$comp"; then tail -30 "$RUN/$comp.log" >&2; die "$comp exited while waiting for $what"; fi
    (( SECONDS - t0 > TIMEOUT )) && { [[ -n "$comp" ]] && tail -30 "$RUN/$comp.log" >&2; die "$what not ready after ${TIMEOUT}s"; }
    sleep 0.5
  done
  log "$what ready after $((SECONDS - t0))s"
}

stop_one() {
  local name="$1" f="$RUN/$1.pid" pid
  [[ -f "$f" ]] || return 0
  pid="$(cat "$f")"
  if running "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do running "$pid" || break; sleep 0.2; done
    running "$pid" && { log "$name (pid $pid) ignored TERM; killing"; kill -KILL "$pid" 2>/dev/null || true; }
    log "stopped $name (pid $pid)"
  fi
  rm -f "$f"
}

# The shims containerd started outlive it by design; end the ones whose socket lives in our state dir.
stop_shims() {
  local pid
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $RUN/containerd/containerd.sock" || true); do
    kill -KILL "$pid" 2>/dev/null || true
  done
}

unmount_all() { # every mount below the run dir, deepest first
  local m
  while read -r m; do umount -l "$m" 2>/dev/null || true; done < <(awk -v r="$RUN/" 'index($2, r) == 1 {print $2}' /proc/self/mounts | sort -r)
}

cmd_stop() {
  for c in "${COMPONENTS[@]}"; do stop_one "$c"; done
  stop_shims
  unmount_all
  if [[ -e "$NETNS_PATH" ]] || ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$NETNS"; then
    ip netns delete "$NETNS" 2>/dev/null || umount -l "$NETNS_PATH" 2>/dev/null || true
    rm -f "$NETNS_PATH" 2>/dev/null || true
    log "removed network namespace $NETNS"
  fi
}

gen_pki() {
  mkdir -p "$PKI"
  openssl genrsa -out "$PKI/ca.key" 2048 2>/dev/null
  openssl req -x509 -new -key "$PKI/ca.key" -subj "/CN=voicehelper-live-ca" -days 2 -out "$PKI/ca.crt" 2>/dev/null
  cert() { # name subject extensions
    openssl genrsa -out "$PKI/$1.key" 2048 2>/dev/null
    openssl req -new -key "$PKI/$1.key" -subj "$2" -out "$PKI/$1.csr" 2>/dev/null
    printf '%s\n' "$3" > "$PKI/$1.ext"
    openssl x509 -req -in "$PKI/$1.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial -days 2 \
      -extfile "$PKI/$1.ext" -out "$PKI/$1.crt" 2>/dev/null
  }
  local server="basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth"
  local client="basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
  cert apiserver "/CN=kube-apiserver" "$server
subjectAltName=IP:127.0.0.1,IP:$NODE_IP,IP:$KUBERNETES_SVC_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  cert kubelet-serving "/CN=$NODE_NAME" "$server
subjectAltName=IP:$NODE_IP,DNS:$NODE_NAME"
  cert admin "/O=system:masters/CN=live-admin" "$client"
  cert controller-manager "/CN=system:kube-controller-manager" "$client"
  cert scheduler "/CN=system:kube-scheduler" "$client"
  cert kubelet "/O=system:nodes/CN=system:node:$NODE_NAME" "$client"
  cert kube-proxy "/CN=system:kube-proxy" "$client"
  cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "$client"
  # The harness's policy daemon gets RBAC of its own (rbac.yaml), not system:masters.
  cert kube-router "/CN=live:kube-router" "$client"
  openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
  openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
}

kubeconfig() { # name -> $RUN/<name>.kubeconfig for the client certificate <name>
  cat > "$RUN/$1.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: live
  cluster: {server: "https://$NODE_IP:$API_PORT", certificate-authority: "$PKI/ca.crt"}
users:
- name: $1
  user: {client-certificate: "$PKI/$1.crt", client-key: "$PKI/$1.key"}
contexts:
- name: live
  context: {cluster: live, user: $1}
current-context: live
EOF
}

netns_up() {
  ip netns add "$NETNS"
  nsenter --net="$NETNS_PATH" -- sh -euc "
    ip link set lo up
    ip addr add $NODE_IP/32 dev lo
    sysctl -qw net.ipv4.ip_forward=1
    sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
    sysctl -qw net.ipv4.conf.all.route_localnet=1
    # The node's own processes (the API server calling admission webhooks, kubectl port-forward) reach
    # Service addresses through kube-proxy's OUTPUT rules, which only apply once a route exists. On lo:
    # the namespace still has no route out.
    ip route add $SERVICE_CIDR dev lo src $NODE_IP
  "
  # Nothing leaves the namespace: no route but the node's own subnet, the pod bridge and the Services.
  if nsenter --net="$NETNS_PATH" -- ip route show default | grep -q .; then die "unexpected default route in $NETNS"; fi
  log "network namespace $NETNS: node $NODE_IP, pods $POD_CIDR, Services $SERVICE_CIDR, no default route"
}

write_node_config() {
  mkdir -p "$RUN/cni" "$RUN/containerd/certs.d/_default" "$RUN/kubelet" "$RUN/pod-logs"
  cat > "$RUN/cni/10-live.conflist" <<EOF
{"cniVersion": "1.0.0", "name": "live", "plugins": [
  {"type": "bridge", "bridge": "live0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
   "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR"}]], "routes": [{"dst": "$SERVICE_CIDR"}, {"dst": "$NODE_SUBNET"}]}},
  {"type": "portmap", "capabilities": {"portMappings": true}}
]}
EOF
  # Every registry, named or not, resolves to a closed loopback port: an image that was not preloaded
  # fails at once instead of being fetched from outside.
  printf 'server = "http://127.0.0.1:9"\n[host."http://127.0.0.1:9"]\n  capabilities = ["pull", "resolve"]\n' \
    > "$RUN/containerd/certs.d/_default/hosts.toml"
  cat > "$RUN/containerd/config.toml" <<EOF
version = 3
root = "$RUN/containerd/root"
state = "$RUN/containerd/state"
[grpc]
  address = "$RUN/containerd/containerd.sock"
[ttrpc]
  address = "$RUN/containerd/containerd.sock.ttrpc"
[plugins."io.containerd.cri.v1.images"]
  snapshotter = "overlayfs"
  [plugins."io.containerd.cri.v1.images".pinned_images]
    sandbox = "$PAUSE_IMAGE"
  [plugins."io.containerd.cri.v1.images".registry]
    config_path = "$RUN/containerd/certs.d"
[plugins."io.containerd.cri.v1.runtime"]
  enable_selinux = false
  # Pod network namespaces under our state dir, so that stop removes them with the rest.
  netns_mounts_under_state_dir = true
  # These machines withhold CAP_SYS_RESOURCE even from root, so no process may lower its OOM score:
  # clamp the kubelet's negative scores (pod sandboxes -998, Guaranteed pods -997) at containerd's own.
  restrict_oom_score_adj = true
  [plugins."io.containerd.cri.v1.runtime".cni]
    bin_dirs = ["$CNI_BIN"]
    conf_dir = "$RUN/cni"
  [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"
    [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options]
      BinaryName = "$RUNC"
      SystemdCgroup = false
EOF
  cat > "$RUN/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
readOnlyPort: 0
tlsCertFile: $PKI/kubelet-serving.crt
tlsPrivateKeyFile: $PKI/kubelet-serving.key
# As kubeadm sets it up: bearer tokens (Prometheus' ServiceAccount scraping /metrics and /metrics/cadvisor)
# are checked with the API server (TokenReview), every request authorized by it (SubjectAccessReview).
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
containerRuntimeEndpoint: unix://$RUN/containerd/containerd.sock
cgroupDriver: cgroupfs
# The machines of this project mount cgroup v1 controllers (cgroup2 holds none of them).
failCgroupV1: false
failSwapOn: false
oomScoreAdj: 0
clusterDNS: [$DNS_SVC_IP]
clusterDomain: cluster.local
resolvConf: $RUN/kubelet/resolv.conf
podLogsDir: $RUN/pod-logs
maxPods: 250
serializeImagePulls: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "200Mi", nodefs.available: "2%", imagefs.available: "2%"}
enforceNodeAllocatable: [pods]
staticPodPath: ""
EOF
  # Pods resolve through CoreDNS only; the node itself forwards nowhere.
  : > "$RUN/kubelet/resolv.conf"
  cat > "$RUN/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clusterCIDR: $POD_CIDR
bindAddress: $NODE_IP
healthzBindAddress: $NODE_IP:10256
metricsBindAddress: 127.0.0.1:10249
clientConnection: {kubeconfig: $RUN/kube-proxy.kubeconfig}
hostnameOverride: $NODE_NAME
conntrack: {maxPerCore: 0}
oomScoreAdj: 0
EOF
}

start_control_plane() {
  start_bg etcd "$BIN/etcd" --name live --data-dir "$RUN/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
    --initial-cluster "live=http://127.0.0.1:$((ETCD_PORT + 1))" --listen-metrics-urls "" --log-level warn \
    --unsafe-no-fsync --quota-backend-bytes 4294967296
  wait_for etcd etcd nsenter --net="$NETNS_PATH" -- curl -fsS "http://127.0.0.1:$ETCD_PORT/health"
  start_bg kube-apiserver "$BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 0.0.0.0 --advertise-address "$NODE_IP" --secure-port "$API_PORT" \
    --cert-dir "$RUN/apiserver-certs" --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --client-ca-file "$PKI/ca.crt" \
    --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority "$PKI/ca.crt" --kubelet-preferred-address-types InternalIP \
    --service-account-issuer "https://kubernetes.default.svc.cluster.local" \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --service-cluster-ip-range "$SERVICE_CIDR" --service-node-port-range 30000-32767 \
    --authorization-mode Node,RBAC --allow-privileged=true --profiling=false --v=1
  wait_for kube-apiserver kube-apiserver in_ns "$BIN/kubectl" --kubeconfig "$RUN/admin.kubeconfig" get --raw /readyz
  start_bg kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig "$RUN/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false --use-service-account-credentials=true \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
    --controllers '*' --v=1
  start_bg kube-scheduler "$BIN/kube-scheduler" --kubeconfig "$RUN/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false --v=1
  wait_for "the default ServiceAccount" kube-controller-manager kctl -n default get serviceaccount default
  kctl apply -f "$HERE/rbac.yaml" >/dev/null
}

# The cluster's default StorageClass: Rancher's local-path-provisioner from its own module's manifest,
# with the images built here, volumes under our run directory, and the class marked default.
start_volume_provisioner() {
  local src; src="$(cd "$HERE/local-path" && go list -m -f '{{.Dir}}' github.com/rancher/local-path-provisioner)/deploy/local-path-storage.yaml"
  mkdir -p "$RUN/volumes"
  sed -e "s|image: rancher/local-path-provisioner:.*|image: $LOCAL_PATH_IMAGE|" \
      -e "s|image: busybox|image: $HELPER_IMAGE|" \
      -e "s|\"/opt/local-path-provisioner\"|\"$RUN/volumes\"|" \
      -e "s|^  name: local-path$|  name: local-path\n  annotations: {storageclass.kubernetes.io/is-default-class: \"true\"}|" "$src" |
    kctl apply -f - >/dev/null
  wait_for "volume provisioner" kubelet kctl -n local-path-storage wait --for=condition=Available deployment/local-path-provisioner --timeout=5s
}

node_ready() {
  kctl get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -qx True
}

start_node() {
  start_bg containerd "$BIN/containerd" --config "$RUN/containerd/config.toml"
  wait_for containerd containerd test -S "$RUN/containerd/containerd.sock"
  "$HERE/images.sh" import "$RUN/containerd/containerd.sock"
  start_bg kubelet "$BIN/kubelet" --config "$RUN/kubelet/config.yaml" --kubeconfig "$RUN/kubelet.kubeconfig" \
    --root-dir "$RUN/kubelet/root" --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --v=1
  start_bg kube-proxy "$BIN/kube-proxy" --config "$RUN/kube-proxy.yaml"
  wait_for "node $NODE_NAME Ready" kubelet node_ready
  # kube-router finds its node object at start and exits without it: start it once the node is registered.
  start_bg kube-router "$BIN/kube-router" --kubeconfig "$RUN/kube-router.kubeconfig" --hostname-override "$NODE_NAME" \
    --run-firewall=true --run-router=false --run-service-proxy=false --metrics-port 0 --health-port 0 --v=1
  wait_for "NetworkPolicy enforcement (kube-router's chains)" kube-router in_ns iptables -n -L KUBE-ROUTER-FORWARD
  sed -e "s|@DNS_SVC_IP@|$DNS_SVC_IP|g" -e "s|@COREDNS_IMAGE@|$COREDNS_IMAGE|g" "$HERE/coredns.yaml" | kctl apply -f - >/dev/null
  wait_for "cluster DNS (CoreDNS pod)" kubelet kctl -n kube-system wait --for=condition=Available deployment/coredns --timeout=5s
  start_volume_provisioner
}

cmd_start() {
  for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy containerd \
    containerd-shim-runc-v2 ctr kube-router; do
    [[ -x "$BIN/$b" ]] || die "$BIN/$b missing: run tools/live/build.sh first"
  done
  for b in "$RUNC" "$CNI_BIN/bridge" "$CNI_BIN/host-local" "$CNI_BIN/loopback" "$CNI_BIN/portmap"; do
    [[ -x "$b" ]] || die "$b missing: run tools/live/ci.sh (runc from its module, Debian containernetworking-plugins)"
  done
  cmd_stop
  rm -rf "$RUN"
  mkdir -p "$RUN"
  gen_pki
  for c in admin controller-manager scheduler kubelet kube-proxy kube-router; do kubeconfig "$c"; done
  netns_up
  write_node_config
  start_control_plane
  start_node
  log "cluster up: $0 exec kubectl get nodes"
}


case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) for c in "${COMPONENTS[@]}"; do if alive "$c"; then echo "$c: running"; else echo "$c: stopped"; fi; done ;;
  exec) shift; in_ns env KUBECONFIG="$RUN/admin.kubeconfig" PATH="$BIN:$PATH" "$@" ;;
  *) echo "usage: $0 start|stop|status|exec CMD..." >&2; exit 2 ;;
esac
