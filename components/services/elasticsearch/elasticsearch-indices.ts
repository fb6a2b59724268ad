/**
 * The indices written to Elasticsearch, by writer. The storage layer names them, so the writers
 * (Fluentd, Jaeger, the applications), the roles that confine each writer to its own indices
 * (elasticsearch-users.ts) and the retention that expires the platform's (elasticsearch-retention.ts)
 * cannot disagree.
 */

export interface ElasticsearchIndices {
  /** Fluentd's `logstash_prefix`: indices `<logs>-YYYY.MM.DD`. */
  logs: string;
  /** Jaeger's `index_prefix`: indices `<traces>-jaeger-span-YYYY-MM-DD`, `<traces>-jaeger-service-...`. */
  traces: string;
  /**
   * The applications' prefix: they name their indices `<app>-<name>`. A role cannot grant "every index
   * but the platform's" (Elasticsearch has no negative patterns), so the applications get a prefix of
   * their own instead.
   */
  app: string;
}

export const PLATFORM_INDICES: ElasticsearchIndices = { logs: "voicehelper-logs", traces: "jaeger", app: "voicehelper-app" };

export type IndexPatterns = Readonly<Record<keyof ElasticsearchIndices, string>>;

/**
 * Each writer's indices as a pattern, the way the writer names them. Refuses prefixes whose patterns
 * overlap: a role granted on one would reach the other writer's indices.
 */
export function indexPatterns(indices: ElasticsearchIndices): IndexPatterns {
  const literal = {
    logs: `${indices.logs}-`,
    // Jaeger joins its prefix with "-" unless the prefix already ends with one.
    traces: `${indices.traces.endsWith("-") ? indices.traces : `${indices.traces}-`}jaeger-`,
    app: `${indices.app}-`,
  };
  const entries = Object.entries(literal);
  for (const [a, pa] of entries) {
    for (const [b, pb] of entries) {
      // Every pattern is a literal followed by "*": two overlap exactly when one literal starts the other.
      if (a !== b && pb.startsWith(pa)) throw new Error(`Elasticsearch index prefixes overlap: ${a} "${pa}*" also matches ${b}'s "${pb}*"; give each writer a distinct prefix`);
    }
  }
  return { logs: `${literal.logs}*`, traces: `${literal.traces}*`, app: `${literal.app}*` };
}
