/**
 * The observability stack's settings that do not vary by tier (sizes and volumes are in the sizing
 * tables). Seed 003 states the scrape interval, retention and most alert thresholds; it leaves the
 * latency threshold open, so it is chosen here, once, for every service and every environment.
 */
export const OBSERVABILITY_DEFAULTS = {
  /** How often every target is scraped and every rule evaluated (seed 003/004: 15 s). */
  scrapeInterval: "15s",
  evaluationInterval: "15s",
  /** How long Prometheus keeps samples (seed 003/004: 15 days). */
  retention: "15d",
  thresholds: {
    /** A target is down when its scrape has failed for this long (seed 003: > 1 minute). */
    downFor: "1m",
    /** Share of requests answered with a 5xx (seed 003: > 5% for 5 minutes). */
    errorRatio: 0.05,
    errorFor: "5m",
    /**
     * p95 request latency in seconds. Seed 003 says "above the threshold" without a number: 2 s leaves
     * room for a model call behind the request while still catching a stuck dependency.
     */
    latencyP95Seconds: 2,
    latencyFor: "5m",
    /** Free share of a volume (seed 003: < 10%). */
    diskFreeRatio: 0.1,
    diskFor: "5m",
    /** A kubelet scrape failing this long blinds the volume, CPU and memory alerts of its node's pods. */
    metricsSourceDownFor: "5m",
    /** Share of the container's CPU limit (seed 003: > 80% for 5 minutes). */
    cpuOfLimit: 0.8,
    cpuFor: "5m",
    /** Share of the container's memory limit (seed 003: > 85% for 5 minutes). */
    memoryOfLimit: 0.85,
    memoryFor: "5m",
    /** Container restarts within an hour (seed 003: > 5 per hour). */
    restartsPerHour: 5,
    restartsFor: "0s",
    /** PostgreSQL's last WAL archiving attempt failed this long ago without a later success: the RPO (seed 003: 5 min) is lost. */
    walArchivingFor: "5m",
    /** A scheduled job (backups, the index lifecycle) is overdue when it has not succeeded for this many of its own intervals. */
    overdueIntervals: 2,
    overdueFor: "10m",
    /**
     * Days a public certificate still has. cert-manager renews a third of the lifetime before expiry (30
     * days for ACME's 90): fewer than 21 left means renewal has failed for over a week.
     */
    certificateDaysLeft: 21,
    certificateFor: "1h",
    /** A certificate cert-manager reports not ready this long (issuance or renewal failing). */
    certificateNotReadyFor: "15m",
    /** Share of PostgreSQL's max_connections in use (seed 003: > 80%). */
    dbConnectionRatio: 0.8,
    dbConnectionsFor: "5m",
    /** A RabbitMQ resource alarm blocks every publisher: service unavailable, as for ServiceDown (seed 003: > 1 minute). */
    brokerAlarmFor: "1m",
    /**
     * Seconds the longest open PostgreSQL transaction may run (seed 004's slow queries). No request path
     * of the platform waits a minute for the database; a transaction older than that is stuck or a batch
     * holding locks and keeping autovacuum from its tables.
     */
    slowTransactionSeconds: 60,
    slowTransactionFor: "5m",
    /** Share of maxmemory a Redis that must not evict (noeviction) may use before its writes start failing at 100%. */
    redisMemoryOfMax: 0.85,
    redisMemoryFor: "5m",
    /** A NATS server that cuts off a slow consumer drops the messages queued for it: alert at once. */
    slowConsumersFor: "0s",
    /**
     * Records a Kafka consumer group may leave unread on a topic (seed 004 names the backlog without a
     * number). The platform's events are small and its consumers read them as they come: a thousand
     * waiting for ten minutes is a consumer that has stopped or cannot keep up, while a burst that its
     * consumers absorb within minutes does not fire.
     */
    consumerLagMessages: 1000,
    consumerLagFor: "10m",
  },
  /** Trace sampling (seed 003): 10% of requests, 50% for the AI services. */
  sampling: { default: 0.1, ai: 0.5 },
  /** Alertmanager's grouping (seed 003/004) and pacing. */
  alertGrouping: { by: ["alertname", "cluster", "service"], wait: "30s", interval: "5m", repeat: "4h" },
} as const;

export type AlertThresholds = { -readonly [K in keyof typeof OBSERVABILITY_DEFAULTS.thresholds]: (typeof OBSERVABILITY_DEFAULTS.thresholds)[K] extends number ? number : string };
