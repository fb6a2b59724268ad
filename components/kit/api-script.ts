/**
 * The opening of every bootstrap Job script that configures a service through its HTTP API
 * (Elasticsearch users and retention, RabbitMQ users), so they log in, wait and fail the same way.
 *
 * The login goes into a curl config file written by printf (a shell builtin), never onto a command
 * line; `put PATH BODY` takes curl's `@file` too, so a body that carries a password need not be an
 * argument either. The script waits until the health path answers 200 (which also covers a login
 * that does not exist yet), and stops at the first PUT the API refuses, printing its answer.
 * POSIX sh: it runs in the services' own images and in a plain curl image alike.
 */

export interface ApiScriptArgs {
  /** Env var holding the API's base URL (no trailing slash). */
  baseUrlVar: string;
  /** Env vars holding the login. */
  userVar: string;
  passwordVar: string;
  /** Path under the base URL that answers 200 once the service can take the PUTs. */
  healthPath: string;
  /** Name used in the waiting message. */
  service: string;
  /** @default 10 */
  retrySeconds?: number;
}

/** Shell lines defining `api` (curl with the login) and `put PATH BODY|@FILE`, after waiting for the service. */
export function apiScriptPrelude(a: ApiScriptArgs): string {
  return `umask 077
printf 'user = "%s:%s"\\n' "$${a.userVar}" "$${a.passwordVar}" > /tmp/curlrc
api() { curl -sS -K /tmp/curlrc -H 'Content-Type: application/json' -o /tmp/answer -w '%{http_code}' "$@"; }
until [ "$(api "$${a.baseUrlVar}/${a.healthPath}" || true)" = 200 ]; do echo "waiting for ${a.service}"; sleep ${a.retrySeconds ?? 10}; done
put() {
  code=$(api -X PUT --data-binary "$2" "$${a.baseUrlVar}/$1")
  case "$code" in 200|201|204) echo "PUT $1: done" ;; *) echo "PUT $1 failed ($code): $(cat /tmp/answer)" >&2; exit 1 ;; esac
}
`;
}
