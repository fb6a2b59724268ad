/**
 * Seed 004's index lifecycle for the logs and traces the platform writes into Elasticsearch: one ILM
 * policy that deletes an index `days` after its creation. Fluentd's and Jaeger's indices are daily, so
 * age alone decides; no hot phase or rollover is needed (rollover would need write aliases that
 * neither writer uses).
 *
 * The policy reaches the indices two ways:
 *  - Fluentd's log indices through a composable index template on their pattern, which only the
 *    platform writes, so no other template competes for it;
 *  - Jaeger's span/service/... indices by setting the policy on the indices themselves. Jaeger installs
 *    its own composable templates for them, and Elasticsearch applies exactly one template per index:
 *    ours would replace Jaeger's mappings (higher priority) or be ignored (lower).
 * Jaeger's own mechanisms were the alternative: its ILM mode needs rollover aliases created by the
 * jaeger-es-rollover tool before Jaeger starts and changes its index layout, and its index cleaner is
 * another image deleting by index name on a cron. One policy keeps one setting and one mechanism.
 *
 * A Job applies it at once; everything it does is in its pod template, so a changed policy, pattern or
 * image is a new template, which Pulumi applies by replacing the Job (Kubernetes refuses to change a
 * Job's template), and the new Job runs. A daily CronJob runs the same idempotent steps to attach the
 * policy to the indices created since, and to any an earlier run missed. ILM counts age from an index's
 * creation, so an index attached a day late is still deleted on time.
 *
 * The applications' search indices are never matched: they are not time-series data.
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { EnvVar, secretEnv } from "../../kit/container";
import { BatchJob } from "../../kit/job";
import { imageVersion } from "../../kit/labels";
import { WorkloadContext } from "../../kit/workload";
import { ElasticsearchOutputs } from "./elasticsearch";
import { ES_API_PRELUDE } from "./elasticsearch-api";
import { ElasticsearchIndices, indexPatterns } from "./elasticsearch-indices";

const UID = 1000; // the image's elasticsearch user
const RETENTION_POLICY = "voicehelper-retention";
const LOGS_TEMPLATE = "voicehelper-logs-retention";
/**
 * No other template is expected on the platform's own logs pattern. Elasticsearch refuses two
 * overlapping templates of equal priority, and applies the higher one: a priority above its built-in
 * templates keeps ours in force if a broader pattern (say a catch-all `*`) is added later.
 */
const LOGS_TEMPLATE_PRIORITY = 500;
/** Shortly after midnight UTC, when Fluentd and Jaeger open the day's indices. */
const DAILY = "15 0 * * *";

export interface ElasticsearchRetentionArgs {
  /** An image with bash and curl: Elasticsearch's own. */
  image: string;
  jobSize: ServiceSize;
  /** Days an index is kept after its creation. */
  days: number;
  elasticsearch: ElasticsearchOutputs;
}

/** Index patterns, as Fluentd (logstash format) and Jaeger name their daily indices. */
function retainedPatterns(indices: ElasticsearchIndices): { templated: string[]; attached: string[] } {
  const p = indexPatterns(indices);
  return { templated: [p.logs], attached: [p.logs, p.traces] };
}

export function elasticsearchRetention(args: ElasticsearchRetentionArgs, ctx: WorkloadContext, parent: pulumi.Resource): void {
  const es = args.elasticsearch;
  const patterns = retainedPatterns(es.indices);
  const policy = { policy: { _meta: { managed_by: "voicehelper-infra" }, phases: { delete: { min_age: `${args.days}d`, actions: { delete: {} } } } } };
  const template = {
    index_patterns: patterns.templated,
    priority: LOGS_TEMPLATE_PRIORITY,
    template: {
      settings: {
        "index.lifecycle.name": RETENTION_POLICY,
        // A replica needs a second node: on a single node it would stay unassigned and the cluster yellow.
        "index.number_of_replicas": es.mode === "cluster" ? 1 : 0,
      },
    },
    _meta: { managed_by: "voicehelper-infra" },
  };
  const env: EnvVar[] = [
    { name: "ES_URL", value: es.url },
    // Its own user (elasticsearch-users.ts), not the superuser: ILM and templates, on the retained indices only.
    { name: "ES_USER", value: es.clients.retention.username },
    secretEnv("ES_PASSWORD", es.clients.retention.password.in(ctx.namespace)),
    { name: "POLICY_NAME", value: RETENTION_POLICY },
    { name: "POLICY", value: JSON.stringify(policy) },
    { name: "TEMPLATE_NAME", value: LOGS_TEMPLATE },
    { name: "TEMPLATE", value: JSON.stringify(template) },
    { name: "RETAINED_INDICES", value: patterns.attached.join(",") },
  ];
  const job = (name: string, schedule?: string) =>
    new BatchJob(
      {
        id: { name, component: "bootstrap", version: imageVersion(args.image) },
        size: args.jobSize,
        runAsUser: UID,
        containers: [{ name: "retention", image: args.image, command: ["bash", "-c", RETENTION_SCRIPT], env, writablePaths: ["/tmp"] }],
        dependencies: [{ endpoint: es.endpoint, ports: ["http"] }],
        schedule,
      },
      ctx,
      { parent },
    );
  job("elasticsearch-retention");
  job("elasticsearch-retention-daily", DAILY);
}

/**
 * Waits for the cluster, then PUTs the policy and the template and sets the policy on the existing
 * indices (all three idempotent).
 */
const RETENTION_SCRIPT = `${ES_API_PRELUDE}put "_ilm/policy/$POLICY_NAME" "$POLICY"
put "_index_template/$TEMPLATE_NAME" "$TEMPLATE"
put "$RETAINED_INDICES/_settings?allow_no_indices=true&expand_wildcards=open" "{\\"index.lifecycle.name\\":\\"$POLICY_NAME\\"}"
`;
