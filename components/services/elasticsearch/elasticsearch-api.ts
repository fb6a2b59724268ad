/**
 * The opening of every Job script that calls Elasticsearch's API (users, retention): the kit's API
 * prelude with ES_URL, ES_USER and ES_PASSWORD. Until the cluster is yellow, or until the user exists
 * (a client's user is created by the users Job, and meanwhile gets 401), the script waits.
 */
import { apiScriptPrelude } from "../../kit/api-script";

export const ES_API_PRELUDE = `set -euo pipefail
${apiScriptPrelude({ baseUrlVar: "ES_URL", userVar: "ES_USER", passwordVar: "ES_PASSWORD", healthPath: "_cluster/health?wait_for_status=yellow&timeout=30s", service: "Elasticsearch" })}`;
