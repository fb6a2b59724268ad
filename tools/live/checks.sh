#!/usr/bin/env bash
# The live tier's checks against the running stack (sourced by run.sh: uses k, check, log, RUN, HERE).
# Every wait is bounded; every probe pod lives at most PROBE_SECONDS and is deleted after its checks.

PROBE_SECONDS=300
# Unique per run: a previous run's probes may still be terminating.
RUN_ID="$(date +%s)"
OUTSIDER_NS="live-outsider-$RUN_ID"
APPS_NS=voicehelper
STORAGE_NS=voicehelper-storage

# Pods of the stack's namespaces: every one Running and Ready, or Succeeded (a Job's).
all_pods_ready() {
  k get pods -A -l app.kubernetes.io/managed-by=pulumi -o json | python3 -c '
import json, sys
bad = []
items = json.load(sys.stdin)["items"]
for p in items:
    ready = any(c["type"] == "Ready" and c["status"] == "True" for c in p["status"].get("conditions", []))
    if p["status"].get("phase") == "Succeeded" or ready:
        continue
    bad.append("%s/%s %s" % (p["metadata"]["namespace"], p["metadata"]["name"], p["status"].get("phase")))
print("[live] %d pods of the stack, %d not ready%s" % (len(items), len(bad), (": " + ", ".join(bad)) if bad else ""))
sys.exit(1 if bad or not items else 0)'
}

all_jobs_complete() {
  k get jobs -A -o json | python3 -c '
import json, sys
items = json.load(sys.stdin)["items"]
bad = [j["metadata"]["namespace"] + "/" + j["metadata"]["name"] for j in items if not j["status"].get("succeeded")]
print("[live] %d Jobs, %d not complete%s" % (len(items), len(bad), (": " + ", ".join(bad)) if bad else ""))
sys.exit(1 if bad else 0)'
}

# A stand-in is Ready only when every dependency in its env answered; its log names each one.
standin_proves() { # deployment in the apps namespace
  local svc="$1" logs
  logs="$(k -n "$APPS_NS" logs "$svc" --tail=200 2>/dev/null)"
  local deps; deps="$(printf '%s\n' "$logs" | sed -n 's/.*dependencies from the environment: //p' | head -1)"
  if ! k -n "$APPS_NS" rollout status "$svc" --timeout=5s >/dev/null 2>&1; then
    printf '%s\n' "$logs" | grep FAILED | tail -5; return 1
  fi
  echo "[live] $svc: Ready with ${deps:-no dependencies}"
}

svc_ip() { k -n "$1" get service "$2" -o jsonpath='{.spec.clusterIP}'; }

# selector labels of a deployed workload (Deployment or StatefulSet), as key=value,...
selector_of() { # namespace kind/name
  k -n "$1" get "$2" -o json | python3 -c '
import json, sys
print(",".join("%s=%s" % kv for kv in json.load(sys.stdin)["spec"]["selector"]["matchLabels"].items()))'
}

# A probe pod (busybox or another preloaded image) with the given labels, restricted-PSA compliant.
probe_pod() { # namespace name labels(k=v,...) [image]
  local ns="$1" name="$2" labels="$3" image="${4:-$PROBE_IMAGE}"
  local yaml_labels
  yaml_labels="$(printf '%s' "$labels" | tr ',' '\n' | sed -E 's/^([^=]+)=(.*)$/    \1: "\2"/')"
  k apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: $name
  namespace: $ns
  labels:
    live-probe: "$RUN_ID"
$yaml_labels
spec:
  automountServiceAccountToken: false
  restartPolicy: Never
  activeDeadlineSeconds: $PROBE_SECONDS
  securityContext: {runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: probe
      image: $image
      imagePullPolicy: Never
      command: [sleep, "$PROBE_SECONDS"]
      env: [{name: HOME, value: /tmp}]
      securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
      resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {cpu: 100m, memory: 64Mi}}
      volumeMounts: [{name: tmp, mountPath: /tmp}]
  volumes: [{name: tmp, emptyDir: {sizeLimit: 16Mi}}]
EOF
  k -n "$ns" wait --for=condition=Ready "pod/$name" --timeout=60s >/dev/null
}

in_probe() { local ns="$1" name="$2"; shift 2; k -n "$ns" exec "$name" -- "$@"; }
in_probe_stdin() { local ns="$1" name="$2"; shift 2; k -n "$ns" exec -i "$name" -- "$@"; }

tcp_open() { in_probe "$1" "$2" sh -c "nc -w 3 $3 $4 </dev/null >/dev/null 2>&1"; }
# Refused only counts when the probe itself runs: a probe pod that never started refuses nothing.
tcp_refused() { in_probe "$1" "$2" true && ! tcp_open "$@"; }

# The live servers refuse their vendors' default logins.
redis_refuses_no_auth() { # ns pod ip
  local out; out="$(in_probe "$1" "$2" sh -c "printf 'PING\r\n' | nc -w 3 $3 6379" 2>&1)"
  echo "[live] redis without AUTH: ${out//$'\r'/}"; [[ "$out" == *NOAUTH* ]]
}
# The value of ENV as the program wires it into a workload (a literal or a Secret key reference).
wired_value() { # namespace kind/name ENV
  local ref
  ref="$(k -n "$1" get "$2" -o json | python3 -c '
import json, sys
for c in json.load(sys.stdin)["spec"]["template"]["spec"]["containers"]:
    for e in c.get("env", []):
        if e["name"] == sys.argv[1]:
            r = e.get("valueFrom", {}).get("secretKeyRef")
            print("secret %s %s" % (r["name"], r["key"]) if r else "value " + e.get("value", ""))
            sys.exit(0)
sys.exit(1)' "$3")" || return 1
  case "$ref" in
    "secret "*) read -r _ name key <<< "$ref"; k -n "$1" get secret "$name" -o "go-template={{index .data \"$key\" | base64decode}}" ;;
    *) printf '%s' "${ref#value }" ;;
  esac
}

redis_accepts_generated() { # ns pod ip
  local pw out
  pw="$(wired_value "$APPS_NS" deployment/llm-proxy REDIS_PASSWORD)" || return 1
  # shellcheck disable=SC2016 # $(cat) runs in the probe's shell, which reads the password from stdin
  out="$(in_probe_stdin "$1" "$2" sh -c 'printf "AUTH %s\r\nPING\r\n" "$(cat)" | nc -w 3 '"$3"' 6379' <<< "$pw" 2>&1)"
  [[ "$out" == *PONG* ]]
}
nats_refuses_anonymous() { # ns pod ip
  local out; out="$(in_probe "$1" "$2" sh -c "printf 'CONNECT {\"verbose\":false}\r\nPING\r\n' | nc -w 3 $3 4222" 2>&1)"
  echo "[live] nats without credentials: $(printf '%s' "$out" | tr -d '\r' | grep -o -- '-ERR.*' | head -1)"
  [[ "$out" == *"Authorization Violation"* ]]
}
# mc's MC_HOST_<alias> form; the keys pass through the probe's stdin, never kubectl's arguments.
mc_ls_as() { # ns pod ip access secret
  # shellcheck disable=SC2016 # $a and $s are the probe shell's, read from its stdin
  printf '%s\n%s\n' "$4" "$5" | in_probe_stdin "$1" "$2" sh -c \
    'read -r a; read -r s; MC_CONFIG_DIR=/tmp/mc MC_HOST_live="http://$a:$s@'"$3"':9000" mc ls live 2>&1'
}
minio_accepts_wired_keys() { # ns pod ip (the client's own keys, as the program wired them)
  local a s
  a="$(wired_value "$APPS_NS" statefulset/faiss-service S3_ACCESS_KEY)" && s="$(wired_value "$APPS_NS" statefulset/faiss-service S3_SECRET_KEY)" || return 1
  mc_ls_as "$1" "$2" "$3" "$a" "$s" >/dev/null
}
minio_refuses_minioadmin() { # ns pod ip
  local out
  out="$(mc_ls_as "$1" "$2" "$3" minioadmin minioadmin)" && { echo "[live] minio accepted minioadmin"; return 1; }
  echo "[live] minio as minioadmin: $(printf '%s' "$out" | tail -1)"
  [[ "$out" == *"Access Key Id you provided does not exist"* || "$out" == *InvalidAccessKeyId* ]]
}

# psql from a probe pod of the PostgreSQL image; the password passes through stdin, never kubectl's arguments.
psql_as() { # ns pod ip user database password(stdin) -> psql's output
  # shellcheck disable=SC2016 # $pw is the probe shell's, read from its stdin
  in_probe_stdin "$1" "$2" sh -c 'read -r pw; PGPASSWORD="$pw" PGCONNECT_TIMEOUT=5 psql -w -X -At \
    "host='"$3"' user='"$4"' dbname='"$5"' sslmode=require" -c "select current_user" 2>&1'
}
postgres_refuses_default_login() { # ns pod ip
  local out; out="$(printf 'postgres\n' | psql_as "$1" "$2" "$3" postgres postgres)" && { echo "[live] postgresql accepted postgres:postgres"; return 1; }
  echo "[live] postgresql as postgres/postgres: $(printf '%s' "$out" | tail -1)"
  [[ "$out" == *"password authentication failed"* ]]
}
postgres_accepts_wired_login() { # ns pod ip (model-router's own role, as the program wired it)
  local user db pw out
  user="$(wired_value "$APPS_NS" deployment/model-router DATABASE_USER)" && db="$(wired_value "$APPS_NS" deployment/model-router DATABASE_NAME)" &&
    pw="$(wired_value "$APPS_NS" deployment/model-router DATABASE_PASSWORD)" || return 1
  out="$(printf '%s\n' "$pw" | psql_as "$1" "$2" "$3" "$user" "$db")"
  echo "[live] postgresql as $user: $out"; [[ "$out" == "$user" ]]
}

MONITORING_NS=voicehelper-monitoring
# Prometheus' HTTP API from inside its own pod (its busybox wget on loopback: no NetworkPolicy involved).
prom_api() { # path-and-query
  local pod; pod="$(k -n "$MONITORING_NS" get pods -l app.kubernetes.io/name=prometheus -o name | head -1)"
  [[ -n "$pod" ]] || return 1
  k -n "$MONITORING_NS" exec "${pod#pod/}" -c prometheus -- wget -qO- "http://127.0.0.1:9090$1"
}
# Every target Prometheus discovered is up. Waits (bounded) only while some target has not been scraped
# yet; a target that was scraped and is down fails at once.
prom_targets_up() {
  local out rc
  for _ in $(seq 1 12); do
    out="$(prom_api '/api/v1/targets?state=active' | python3 -c '
import json, sys
t = json.load(sys.stdin)["data"]["activeTargets"]
down = ["%s %s (%s)" % (x["labels"].get("job"), x["scrapeUrl"], x.get("lastError") or x["health"]) for x in t if x["health"] != "up"]
jobs = sorted({x["labels"].get("job") for x in t})
print("%d targets in jobs %s; %d not up%s" % (len(t), ",".join(jobs), len(down), (": " + "; ".join(down)) if down else ""))
sys.exit(0 if t and not down else 2 if t and all(x["health"] == "down" for x in t if x["health"] != "up") else 1)' 2>&1)"
    rc=$?
    (( rc == 1 )) || break
    sleep 10
  done
  echo "[live] prometheus: $out"; return "$rc"
}
prom_has_series() { # promql (must return at least one series)
  local out; out="$(prom_api "/api/v1/query?query=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1")" |
    python3 -c 'import json, sys; r = json.load(sys.stdin)["data"]["result"]; print(len(r)); sys.exit(0 if r else 1)')" || { echo "[live] no series for $1"; return 1; }
  echo "[live] $1: $out series"
}
prom_rules_healthy() {
  prom_api /api/v1/rules | python3 -c '
import json, sys
g = json.load(sys.stdin)["data"]["groups"]
rules = [r for x in g for r in x["rules"]]
bad = ["%s: %s" % (r["name"], r.get("lastError")) for r in rules if r.get("health") not in ("ok", "unknown")]
print("[live] prometheus: %d rule groups, %d rules, %d unhealthy%s" % (len(g), len(rules), len(bad), (": " + "; ".join(bad)) if bad else ""))
sys.exit(0 if rules and not bad else 1)'
}
prom_sees_alertmanager() {
  prom_api /api/v1/alertmanagers | python3 -c '
import json, sys
a = json.load(sys.stdin)["data"]["activeAlertmanagers"]
print("[live] prometheus sends alerts to: %s" % ", ".join(x["url"] for x in a)); sys.exit(0 if a else 1)'
}
monitoring_checks() {
  check "prometheus: every discovered scrape target is up" prom_targets_up
  check "prometheus: kube-state-metrics' object state is scraped" prom_has_series 'kube_pod_status_ready{condition="true"}'
  check "prometheus: CloudNativePG's instance metrics are scraped" prom_has_series 'cnpg_collector_up'
  check "prometheus: the in-house services' /metrics are scraped" prom_has_series 'up{namespace="voicehelper"} == 1'
  check "prometheus: the alert rules load and evaluate" prom_rules_healthy
  check "prometheus: alertmanager discovered" prom_sees_alertmanager
}

live_checks() {
  check "every pod of the stack Ready (or its Job Succeeded)" all_pods_ready
  check "every Job complete (bootstrap: MinIO buckets and users, ...)" all_jobs_complete
  local s
  for s in $(k -n "$APPS_NS" get deployments,statefulsets -o name); do
    check "stand-in ${s#*/} reached every dependency with the credentials it was wired" standin_proves "$s"
  done

  k create namespace "$OUTSIDER_NS" >/dev/null 2>&1
  probe_pod "$OUTSIDER_NS" outsider-"$RUN_ID" app.kubernetes.io/name=live-probe || log "outsider probe not ready"
  probe_pod "$APPS_NS" stranger-"$RUN_ID" app.kubernetes.io/name=live-probe || log "stranger probe not ready"
  # store client-workload port
  local paths=("redis llm-proxy deployment/llm-proxy 6379" "minio faiss-service statefulset/faiss-service 9000"
    "nats voice-service deployment/voice-service 4222" "postgresql-rw model-router deployment/model-router 5432")
  local p store client workload port ip
  for p in "${paths[@]}"; do
    read -r store client workload port <<< "$p"
    ip="$(svc_ip "$STORAGE_NS" "$store")"
    probe_pod "$APPS_NS" "as-$client-$RUN_ID" "$(selector_of "$APPS_NS" "$workload")" || log "probe as $client not ready"
    check "$store: a declared client ($client's labels) connects" tcp_open "$APPS_NS" "as-$client-$RUN_ID" "$ip" "$port"
    check "$store: a pod in another namespace is refused" tcp_refused "$OUTSIDER_NS" outsider-"$RUN_ID" "$ip" "$port"
    check "$store: a pod with other labels in the client's namespace is refused" tcp_refused "$APPS_NS" stranger-"$RUN_ID" "$ip" "$port"
  done
  # Milvus' etcd has no client deployed here (Milvus is not built): only its refusals.
  ip="$(svc_ip "$STORAGE_NS" milvus-etcd)"
  check "milvus-etcd: a pod in another namespace is refused" tcp_refused "$OUTSIDER_NS" outsider-"$RUN_ID" "$ip" 2379
  check "milvus-etcd: a pod with other labels in the apps namespace is refused" tcp_refused "$APPS_NS" stranger-"$RUN_ID" "$ip" 2379
  check "redis refuses a client without AUTH" redis_refuses_no_auth "$APPS_NS" as-llm-proxy-"$RUN_ID" "$(svc_ip "$STORAGE_NS" redis)"
  check "redis accepts the generated password" redis_accepts_generated "$APPS_NS" as-llm-proxy-"$RUN_ID" "$(svc_ip "$STORAGE_NS" redis)"
  check "nats refuses a client without credentials" nats_refuses_anonymous "$APPS_NS" as-voice-service-"$RUN_ID" "$(svc_ip "$STORAGE_NS" nats)"
  probe_pod "$APPS_NS" mc-as-faiss-"$RUN_ID" "$(selector_of "$APPS_NS" statefulset/faiss-service)" "$(image_tag minioClient)" || log "mc probe not ready"
  check "minio accepts a client's own generated keys" minio_accepts_wired_keys "$APPS_NS" mc-as-faiss-"$RUN_ID" "$(svc_ip "$STORAGE_NS" minio)"
  check "minio refuses minioadmin:minioadmin" minio_refuses_minioadmin "$APPS_NS" mc-as-faiss-"$RUN_ID" "$(svc_ip "$STORAGE_NS" minio)"
  probe_pod "$APPS_NS" psql-as-model-router-"$RUN_ID" "$(selector_of "$APPS_NS" deployment/model-router)" "$(image_tag postgresql)" || log "psql probe not ready"
  check "postgresql refuses the default login postgres/postgres" postgres_refuses_default_login "$APPS_NS" psql-as-model-router-"$RUN_ID" "$(svc_ip "$STORAGE_NS" postgresql-rw)"
  check "postgresql accepts a client's generated role" postgres_accepts_wired_login "$APPS_NS" psql-as-model-router-"$RUN_ID" "$(svc_ip "$STORAGE_NS" postgresql-rw)"
  monitoring_checks
  k -n "$APPS_NS" delete pod -l live-probe="$RUN_ID" --wait=false >/dev/null 2>&1
  k delete namespace "$OUTSIDER_NS" --wait=false >/dev/null 2>&1
}

image_tag() { "$HERE/images.sh" list | awk -v n="$1" '$1 == n {print $2}'; }

destroy_all() {
  timed "$STACK destroy" pl destroy --stack "$STACK" --yes --non-interactive --skip-preview || return 1
  local left
  left="$(pl stack --stack "$STACK" --show-urns | grep -c 'URN:' || true)"
  [[ "$left" == 0 ]] || { echo "[live] $left resources left in state"; return 1; }
  local ns
  for ns in "$APPS_NS" "$STORAGE_NS"; do
    if k get namespace "$ns" >/dev/null 2>&1; then
      k wait --for=delete "namespace/$ns" --timeout=120s >/dev/null 2>&1 || { echo "[live] namespace $ns still there"; return 1; }
    fi
  done
}
