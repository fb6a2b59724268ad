#!/usr/bin/env bash
# The live tier's disaster-recovery proof (sourced by run.sh after the checks: uses k, pl, check, timed,
# STACK, STORAGE_NS, APPS_NS). PostgreSQL point-in-time recovery through the program's own `restore`
# setting: rows written, WAL archived to the backup target, a recorded time, more rows, then `pulumi up`
# with restore.postgresql.targetTime brings up `postgresql-restored` holding exactly the first rows.
# Prints the measured RPO (archive lag) and RTO (restore wall time) and the data size they are for.

PITR_ROWS_BEFORE="${PITR_ROWS_BEFORE:-200000}"
PITR_ROWS_AFTER="${PITR_ROWS_AFTER:-1000}"
PITR_DB=identity
PITR_REPORT=()

pg_primary() { # cluster -> pod name of its primary
  k -n "$STORAGE_NS" get pods -l "cnpg.io/cluster=$1,cnpg.io/instanceRole=primary" -o jsonpath='{.items[0].metadata.name}'
}
# SQL as the postgres superuser over the instance's local socket (peer authentication inside the pod).
pg_sql() { # cluster sql
  local pod; pod="$(pg_primary "$1")" || return 1
  [[ -n "$pod" ]] || { echo "[live] $1 has no primary"; return 1; }
  k -n "$STORAGE_NS" exec "$pod" -c postgres -- psql -h /controller/run -X -At -v ON_ERROR_STOP=1 -d "$PITR_DB" -c "$2"
}

wait_for() { # seconds interval description cmd... (bounded)
  local limit="$1" every="$2" what="$3" t0; shift 3
  t0=$(date +%s)
  until "$@"; do
    (( $(date +%s) - t0 < limit )) || { echo "[live] gave up after ${limit}s waiting for $what"; return 1; }
    sleep "$every"
  done
}

base_backup_completed() { # cluster
  k -n "$STORAGE_NS" get backups.postgresql.cnpg.io -o json | python3 -c '
import json, sys
b = [x for x in json.load(sys.stdin)["items"] if x["spec"]["cluster"]["name"] == sys.argv[1]]
sys.exit(0 if any(x.get("status", {}).get("phase") == "completed" for x in b) else 1)' "$1"
}

# The archiver's last archived segment is at least the one the given LSN is in.
archived_past() { # cluster lsn
  local out; out="$(pg_sql "$1" "select coalesce(last_archived_wal, '') >= pg_walfile_name('$2'::pg_lsn) from pg_stat_archiver")"
  [[ "$out" == t ]]
}

# Writes rows, forces the segment out and waits until it is archived: prints the archive lag (seconds
# from the commit to the archiver reporting the segment), what a crash right after the commit would lose.
write_and_archive() { # cluster first last
  local lsn t0 t1
  pg_sql "$1" "insert into pitr_probe (id, payload) select g, repeat(md5(g::text), 3) from generate_series($2, $3) g" >/dev/null || return 1
  t0=$(date +%s.%N)
  lsn="$(pg_sql "$1" "select pg_switch_wal()")" || return 1
  wait_for 300 1 "WAL $lsn archived" archived_past "$1" "$lsn" || return 1
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}'
}

cluster_ready() { # cluster
  [[ "$(k -n "$STORAGE_NS" get clusters.postgresql.cnpg.io "$1" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" == True ]]
}

pitr_round_trip() {
  wait_for 600 5 "the first base backup" base_backup_completed postgresql || return 1
  pg_sql postgresql "create table pitr_probe (id bigint primary key, payload text not null, written_at timestamptz not null default clock_timestamp())" >/dev/null || return 1
  local lag1 lag2 target size count t0 t1 rto
  lag1="$(write_and_archive postgresql 1 "$PITR_ROWS_BEFORE")" || return 1
  size="$(pg_sql postgresql "select pg_size_pretty(pg_database_size('$PITR_DB'))")"
  # The recorded time: after the first rows' commit, before the second batch.
  sleep 2; target="$(date -u +%Y-%m-%dT%H:%M:%SZ)"; sleep 2
  lag2="$(write_and_archive postgresql "$((PITR_ROWS_BEFORE + 1))" "$((PITR_ROWS_BEFORE + PITR_ROWS_AFTER))")" || return 1
  echo "[live] pitr: $PITR_ROWS_BEFORE rows ($size database) before $target, $PITR_ROWS_AFTER after; archive lag ${lag1}s and ${lag2}s"

  pl config set --stack "$STACK" --path 'voicehelper:restore.postgresql.targetTime' "$target" || return 1
  t0=$(date +%s.%N)
  timed "$STACK up (restore postgresql to $target)" pl up --stack "$STACK" --yes --non-interactive --skip-preview || return 1
  wait_for 900 5 "postgresql-restored Ready" cluster_ready postgresql-restored || return 1
  t1=$(date +%s.%N)
  rto="$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.0f", b-a}')"
  count="$(pg_sql postgresql-restored "select count(*) || ' rows, max id ' || max(id) from pitr_probe")" || return 1
  PITR_REPORT=("PostgreSQL PITR: $size database, $PITR_ROWS_BEFORE rows before the target time, $PITR_ROWS_AFTER after"
    "  RPO: archive lag ${lag1}s / ${lag2}s after a commit (bounded by archive_timeout 5min when the WAL segment is not forced)"
    "  RTO: ${rto}s from 'pulumi up' with restore.postgresql.targetTime to postgresql-restored Ready"
    "  restored: $count (expected $PITR_ROWS_BEFORE rows, max id $PITR_ROWS_BEFORE)")
  printf '[live] %s\n' "${PITR_REPORT[@]}"
  [[ "$count" == "$PITR_ROWS_BEFORE rows, max id $PITR_ROWS_BEFORE" ]]
}

# After the restore the clients are wired to the restored cluster and prove it with their own roles.
clients_use_restored() {
  local host; host="$(k -n "$APPS_NS" get deployment/model-router -o jsonpath='{.spec.template.spec.containers[0].env[?(@.name=="DATABASE_HOST")].value}')"
  echo "[live] model-router's DATABASE_HOST: $host"
  [[ "$host" == postgresql-restored-rw.* ]] || return 1
  k -n "$APPS_NS" rollout status deployment/model-router --timeout=180s >/dev/null
}

recovery_checks() {
  check "postgresql: point-in-time restore through restore.postgresql.targetTime brings back exactly the rows before it" \
    timed "PITR round trip" pitr_round_trip
  check "postgresql: clients are wired to the restored cluster and reach it with their roles" clients_use_restored
}
