/**
 * Seed 004's promises for the platform's ClickHouse: "data retention 90 days, compression on".
 *
 * Retention: ClickHouse has no server-wide TTL, only per table. So
 *  - the server's own system logs (query_log, part_log, metric_log, ...) get
 *    `TTL event_date + INTERVAL <days> DAY DELETE`: left alone they grow for ever;
 *  - a Job creates the platform's analytics database with its events table under the same TTL, and
 *    applies a changed number of days to the existing table (ALTER TABLE ... MODIFY TTL). Tables the
 *    applications add to the database follow the same convention (README, "Data retention").
 *
 * Compression: ClickHouse compresses every part with LZ4 already. Large merged parts, which are read
 * far more often than rewritten, switch to ZSTD for a better ratio; the cost falls on background
 * merges, not on inserts or queries of fresh data.
 *
 * PostHog's ClickHouse (the analytics layer, same builder) gets none of this: PostHog creates its
 * tables and sets their TTLs itself, and the platform's days are not PostHog's retention policy.
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { secretEnv } from "../../kit/container";
import { BatchJob } from "../../kit/job";
import { imageVersion } from "../../kit/labels";
import { WorkloadContext } from "../../kit/workload";
import { ClickhouseOutputs } from "./clickhouse";

const UID = 101; // the image's clickhouse user
const ANALYTICS_DATABASE = "voicehelper";
const EVENTS_TABLE = `${ANALYTICS_DATABASE}.events`;

/**
 * The system logs of the stock server configuration that have an `event_date` column and no TTL of
 * their own. Not crash_log (normally empty, unpartitioned) nor opentelemetry_span_log (its stock
 * `<engine>` spec would have to carry the TTL); processors_profile_log, asynchronous_insert_log and
 * blob_storage_log keep the shorter TTLs upstream gives them.
 */
const SYSTEM_LOGS = [
  "query_log",
  "query_thread_log",
  "query_views_log",
  "query_metric_log",
  "part_log",
  "trace_log",
  "text_log",
  "metric_log",
  "asynchronous_metric_log",
  "error_log",
  "latency_log",
  "backup_log",
  "s3queue_log",
] as const;

/** Parts of at least this size (bytes) and share of their table are compressed with ZSTD. */
const ZSTD_PART = { minBytes: 1024 ** 3, minRatio: 0.01 } as const;

/** Server settings (inside `<clickhouse>`): the system logs' TTL and ZSTD for large parts. */
export function clickhouseRetentionConfig(days: number): string {
  const logs = SYSTEM_LOGS.map((log) => `    <${log}>\n        <ttl>event_date + INTERVAL ${days} DAY DELETE</ttl>\n    </${log}>`).join("\n");
  return `${logs}
    <compression>
        <case>
            <min_part_size>${ZSTD_PART.minBytes}</min_part_size>
            <min_part_size_ratio>${ZSTD_PART.minRatio}</min_part_size_ratio>
            <method>zstd</method>
        </case>
    </compression>
`;
}

/**
 * The analytics database and its events table. Weekly partitions let the TTL drop whole parts
 * (`ttl_only_drop_parts`) instead of rewriting them, at most a week after the last row expired, and
 * stay few (about 520) even at the longest retention allowed.
 */
function analyticsSchema(days: number): string {
  const ttl = `event_date + INTERVAL ${days} DAY DELETE`;
  return `CREATE DATABASE IF NOT EXISTS ${ANALYTICS_DATABASE};
CREATE TABLE IF NOT EXISTS ${EVENTS_TABLE}
(
    event_time DateTime64(3, 'UTC'),
    event_date Date DEFAULT toDate(event_time),
    service LowCardinality(String),
    event LowCardinality(String),
    user_id String,
    session_id String,
    properties String CODEC(ZSTD(3))
)
ENGINE = MergeTree
PARTITION BY toMonday(event_date)
ORDER BY (service, event, event_time)
TTL ${ttl}
SETTINGS ttl_only_drop_parts = 1;
ALTER TABLE ${EVENTS_TABLE} MODIFY TTL ${ttl};
`;
}

export interface AnalyticsSchemaArgs {
  /** An image with clickhouse-client: the server's own. */
  image: string;
  jobSize: ServiceSize;
  days: number;
  clickhouse: ClickhouseOutputs;
}

/**
 * Creates the schema, or brings the TTL of an existing table to `days`. The SQL is in the pod template,
 * so a changed retention is a new template: Pulumi replaces the Job and the new one runs.
 */
export function clickhouseAnalyticsSchema(args: AnalyticsSchemaArgs, ctx: WorkloadContext, parent: pulumi.Resource): BatchJob {
  const ch = args.clickhouse;
  return new BatchJob(
    {
      id: { name: "clickhouse-schema", component: "bootstrap", version: imageVersion(args.image) },
      size: args.jobSize,
      runAsUser: UID,
      containers: [
        {
          name: "schema",
          image: args.image,
          command: ["bash", "-c", SCHEMA_SCRIPT],
          env: [
            { name: "CLICKHOUSE_HOST", value: ch.endpoint.host },
            secretEnv("CLICKHOUSE_USER", ch.user.in(ctx.namespace)),
            secretEnv("CLICKHOUSE_PASSWORD", ch.password.in(ctx.namespace)),
            { name: "SCHEMA_SQL", value: analyticsSchema(args.days) },
            { name: "HOME", value: "/tmp" },
          ],
          writablePaths: ["/tmp"],
        },
      ],
      dependencies: [{ endpoint: ch.endpoint, ports: ["native"] }],
    },
    ctx,
    { parent },
  );
}

/**
 * Waits for the server, then runs the SQL. The login goes into a client config file (generated
 * passwords are letters and digits, safe in XML), never onto the command line.
 */
const SCHEMA_SCRIPT = `set -euo pipefail
umask 077
printf '<config><user>%s</user><password>%s</password></config>\\n' "$CLICKHOUSE_USER" "$CLICKHOUSE_PASSWORD" > /tmp/client.xml
printf '%s\\n' "$SCHEMA_SQL" > /tmp/schema.sql
ch() { clickhouse-client --config-file /tmp/client.xml --host "$CLICKHOUSE_HOST" "$@"; }
until ch --query 'SELECT 1' >/dev/null; do echo "waiting for ClickHouse"; sleep 5; done
ch --queries-file /tmp/schema.sql
echo "schema applied"
`;
