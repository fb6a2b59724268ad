/**
 * The opening of every Job script that calls Elasticsearch's API (users, retention), so they log in,
 * wait and fail the same way. It expects ES_URL, ES_USER and ES_PASSWORD in the environment.
 *
 * The credentials go into a curl config file (printf is a shell builtin), never onto a command line.
 * Until the cluster is yellow, or until the user exists (a client's user is created by the users Job,
 * and meanwhile gets 401), the health check fails and the script waits. `put FILE-OR-BODY` accepts
 * curl's `@file`, so a body that carries a password need not be an argument either.
 */
export const ES_API_PRELUDE = `set -euo pipefail
umask 077
printf 'user = "%s:%s"\\n' "$ES_USER" "$ES_PASSWORD" > /tmp/curlrc
es() { curl -sS -K /tmp/curlrc -H 'Content-Type: application/json' -o /tmp/answer -w '%{http_code}' "$@"; }
until [ "$(es "$ES_URL/_cluster/health?wait_for_status=yellow&timeout=30s" || true)" = 200 ]; do echo "waiting for Elasticsearch"; sleep 10; done
put() {
  code=$(es -X PUT --data "$2" "$ES_URL/$1")
  case "$code" in 200) echo "PUT $1: done" ;; *) echo "PUT $1 failed ($code): $(cat /tmp/answer)" >&2; exit 1 ;; esac
}
`;
