/**
 * Sizing tables: every number that differs between environments lives here and nowhere else.
 * Seed 003 gives the tiers' clusters and the HPA targets; seed 001 the Model Router's and PostHog's
 * sizes; seed 003/004 Prometheus' 100Gi. Everything else is sized for the tier's cluster so that the
 * whole catalog's requests fit in 70% of the workers (asserted by tests/capacity.test.ts).
 */
import { ServiceName } from "./catalog";
import type { ClusteringChoices } from "./constraints";
import type { ServiceSize } from "../kit/size";

export const TIERS = ["minimal", "recommended", "production"] as const;
export type Tier = (typeof TIERS)[number];

/** The cluster each tier is sized for (seed 003): capacity of the nodes that run workloads. */
export const TIER_CLUSTERS: Record<Tier, { workers: number; cpu: number; memoryGi: number }> = {
  minimal: { workers: 3, cpu: 24, memoryGi: 48 }, // 3 × 8C16G, the control plane schedulable too
  recommended: { workers: 6, cpu: 96, memoryGi: 192 }, // 6 × 16C32G
  production: { workers: 9, cpu: 288, memoryGi: 576 }, // 9 × 32C64G
};

/** The share of worker capacity the catalog's requests may take, leaving room for nodes' own use and surges. */
export const CAPACITY_BUDGET = 0.7;

/** Seed 003's HPA targets (CPU 70%, memory 80%), the same in every tier. */
export const HPA_TARGETS = { cpuUtilization: 70, memoryUtilization: 80 } as const;

export interface SizeRow {
  /** Pods (for a DaemonSet: ignored, one per node). */
  replicas: number;
  /** [request, limit] */
  cpu: readonly [string, string];
  /** [request, limit] */
  memory: readonly [string, string];
  /** Data volume per replica, when the service keeps data. */
  storage?: string;
  /** When set, an HPA owns the replica count between these bounds. */
  autoscale?: { min: number; max: number };
}

type Rows = Record<Tier, SizeRow>;

const row = (replicas: number, cpu: readonly [string, string], memory: readonly [string, string], extra: Partial<Pick<SizeRow, "storage" | "autoscale">> = {}): SizeRow => ({
  replicas,
  cpu,
  memory,
  ...extra,
});

const hpa = (min: number, max: number) => ({ autoscale: { min, max } });
const same = (r: SizeRow): Rows => ({ minimal: r, recommended: r, production: r });

export const SIZING: Record<ServiceName, Rows> = {
  // storage
  "cnpg-operator": {
    minimal: row(1, ["50m", "500m"], ["128Mi", "256Mi"]),
    recommended: row(1, ["100m", "500m"], ["128Mi", "256Mi"]),
    production: row(2, ["100m", "1"], ["256Mi", "512Mi"]),
  },
  postgresql: {
    minimal: row(1, ["250m", "1"], ["512Mi", "1Gi"], { storage: "10Gi" }),
    recommended: row(3, ["1", "2"], ["2Gi", "4Gi"], { storage: "50Gi" }),
    production: row(3, ["2", "4"], ["8Gi", "8Gi"], { storage: "200Gi" }),
  },
  "postgresql-pooler": {
    minimal: row(1, ["50m", "200m"], ["64Mi", "128Mi"]),
    recommended: row(2, ["100m", "500m"], ["128Mi", "256Mi"]),
    production: row(3, ["250m", "1"], ["256Mi", "512Mi"]),
  },
  redis: {
    minimal: row(1, ["100m", "500m"], ["256Mi", "512Mi"], { storage: "2Gi" }),
    recommended: row(1, ["250m", "1"], ["1Gi", "2Gi"], { storage: "10Gi" }),
    production: row(6, ["500m", "2"], ["2Gi", "3Gi"], { storage: "20Gi" }),
  },
  minio: {
    minimal: row(1, ["100m", "1"], ["256Mi", "1Gi"], { storage: "20Gi" }),
    recommended: row(4, ["250m", "1"], ["1Gi", "2Gi"], { storage: "100Gi" }),
    production: row(4, ["1", "4"], ["4Gi", "8Gi"], { storage: "1Ti" }),
  },
  neo4j: {
    minimal: row(1, ["250m", "1"], ["1Gi", "1Gi"], { storage: "5Gi" }),
    recommended: row(1, ["500m", "2"], ["3Gi", "3Gi"], { storage: "20Gi" }),
    production: row(1, ["2", "4"], ["8Gi", "8Gi"], { storage: "100Gi" }),
  },
  elasticsearch: {
    minimal: row(1, ["500m", "1"], ["1536Mi", "1536Mi"], { storage: "10Gi" }),
    recommended: row(3, ["1", "2"], ["4Gi", "4Gi"], { storage: "100Gi" }),
    production: row(3, ["2", "4"], ["8Gi", "8Gi"], { storage: "500Gi" }),
  },
  milvus: {
    minimal: row(1, ["250m", "1"], ["1Gi", "2Gi"], { storage: "10Gi" }),
    recommended: row(1, ["1", "2"], ["4Gi", "8Gi"], { storage: "50Gi" }),
    production: row(1, ["2", "4"], ["8Gi", "16Gi"], { storage: "200Gi" }),
  },
  "milvus-etcd": {
    minimal: row(1, ["100m", "500m"], ["128Mi", "256Mi"], { storage: "2Gi" }),
    recommended: row(1, ["250m", "500m"], ["256Mi", "512Mi"], { storage: "10Gi" }),
    production: row(3, ["500m", "1"], ["1Gi", "2Gi"], { storage: "20Gi" }),
  },
  clickhouse: {
    minimal: row(1, ["250m", "1"], ["1Gi", "2Gi"], { storage: "10Gi" }),
    recommended: row(1, ["1", "2"], ["4Gi", "8Gi"], { storage: "100Gi" }),
    production: row(1, ["2", "4"], ["8Gi", "16Gi"], { storage: "500Gi" }),
  },
  nacos: {
    minimal: row(1, ["250m", "1"], ["1Gi", "1Gi"]),
    recommended: row(1, ["500m", "1"], ["2Gi", "2Gi"]),
    production: row(3, ["1", "2"], ["2Gi", "2Gi"]),
  },
  "nacos-mysql": {
    minimal: row(1, ["100m", "500m"], ["512Mi", "1Gi"], { storage: "5Gi" }),
    recommended: row(1, ["250m", "1"], ["1Gi", "2Gi"], { storage: "20Gi" }),
    production: row(1, ["500m", "2"], ["2Gi", "4Gi"], { storage: "50Gi" }),
  },

  // messaging
  kafka: {
    minimal: row(1, ["250m", "1"], ["1Gi", "1Gi"], { storage: "10Gi" }),
    recommended: row(3, ["500m", "2"], ["2Gi", "2Gi"], { storage: "50Gi" }),
    production: row(3, ["1", "4"], ["4Gi", "4Gi"], { storage: "200Gi" }),
  },
  "kafka-ui": same(row(1, ["50m", "250m"], ["256Mi", "512Mi"])),
  nats: {
    minimal: row(1, ["50m", "250m"], ["64Mi", "256Mi"], { storage: "2Gi" }),
    recommended: row(3, ["100m", "500m"], ["256Mi", "512Mi"], { storage: "10Gi" }),
    production: row(3, ["500m", "1"], ["1Gi", "2Gi"], { storage: "20Gi" }),
  },
  rabbitmq: {
    minimal: row(1, ["100m", "500m"], ["256Mi", "512Mi"], { storage: "2Gi" }),
    recommended: row(1, ["250m", "1"], ["512Mi", "1Gi"], { storage: "10Gi" }),
    production: row(3, ["500m", "2"], ["2Gi", "2Gi"], { storage: "20Gi" }),
  },

  // ai
  "bge-service": {
    minimal: row(1, ["250m", "1"], ["1Gi", "2Gi"]),
    recommended: row(2, ["1", "2"], ["2Gi", "4Gi"], hpa(2, 4)),
    production: row(2, ["2", "4"], ["4Gi", "8Gi"], hpa(2, 8)),
  },
  "faiss-service": {
    minimal: row(1, ["100m", "500m"], ["512Mi", "1Gi"], { storage: "5Gi" }),
    recommended: row(1, ["500m", "2"], ["2Gi", "4Gi"], { storage: "20Gi" }),
    production: row(3, ["1", "2"], ["4Gi", "8Gi"], { storage: "50Gi" }),
  },
  "llm-proxy": {
    minimal: row(1, ["100m", "500m"], ["128Mi", "256Mi"]),
    recommended: row(2, ["250m", "1"], ["256Mi", "512Mi"], hpa(2, 6)),
    production: row(3, ["500m", "2"], ["512Mi", "1Gi"], hpa(3, 10)),
  },
  "speech-service": {
    minimal: row(1, ["250m", "1"], ["1Gi", "2Gi"]),
    recommended: row(2, ["1", "2"], ["2Gi", "4Gi"], hpa(2, 6)),
    production: row(2, ["2", "4"], ["4Gi", "8Gi"], hpa(2, 10)),
  },
  "tts-service": {
    minimal: row(1, ["250m", "1"], ["1Gi", "2Gi"]),
    recommended: row(2, ["1", "2"], ["2Gi", "4Gi"], hpa(2, 6)),
    production: row(2, ["2", "4"], ["4Gi", "8Gi"], hpa(2, 10)),
  },
  // Seed 001: 3-10 replicas by HPA, 500m-2 CPU, 512Mi-2Gi.
  "model-router": {
    minimal: row(1, ["100m", "500m"], ["128Mi", "512Mi"]),
    recommended: row(2, ["250m", "1"], ["256Mi", "1Gi"], hpa(2, 6)),
    production: row(3, ["500m", "2"], ["512Mi", "2Gi"], hpa(3, 10)),
  },

  // apps: seed 003 HPA min 2, max 10
  gateway: {
    minimal: row(1, ["100m", "500m"], ["128Mi", "256Mi"]),
    recommended: row(2, ["250m", "1"], ["256Mi", "512Mi"], hpa(2, 10)),
    production: row(2, ["500m", "2"], ["512Mi", "1Gi"], hpa(2, 10)),
  },
  "algo-service": {
    minimal: row(1, ["250m", "1"], ["512Mi", "1Gi"]),
    recommended: row(2, ["500m", "2"], ["1Gi", "2Gi"], hpa(2, 10)),
    production: row(2, ["1", "2"], ["2Gi", "4Gi"], hpa(2, 10)),
  },
  "voice-service": {
    minimal: row(1, ["100m", "500m"], ["256Mi", "512Mi"]),
    recommended: row(2, ["500m", "2"], ["512Mi", "1Gi"], hpa(2, 10)),
    production: row(2, ["1", "2"], ["1Gi", "2Gi"], hpa(2, 10)),
  },
  frontend: {
    minimal: row(1, ["50m", "250m"], ["128Mi", "256Mi"]),
    recommended: row(2, ["100m", "500m"], ["256Mi", "512Mi"], hpa(2, 10)),
    production: row(2, ["250m", "1"], ["256Mi", "512Mi"], hpa(2, 10)),
  },
  "admin-portal": {
    minimal: row(1, ["50m", "250m"], ["64Mi", "128Mi"]),
    recommended: row(2, ["100m", "250m"], ["128Mi", "256Mi"]),
    production: row(2, ["100m", "500m"], ["128Mi", "256Mi"]),
  },

  // analytics (seed 001: web 2, worker 2 in the recommended tier; seed 002: one each in the smallest)
  "posthog-web": {
    minimal: row(1, ["250m", "1"], ["1Gi", "2Gi"]),
    recommended: row(2, ["500m", "2"], ["1Gi", "4Gi"]),
    production: row(3, ["1", "2"], ["2Gi", "4Gi"], hpa(3, 6)),
  },
  "posthog-worker": {
    minimal: row(1, ["250m", "1"], ["1Gi", "2Gi"]),
    recommended: row(2, ["500m", "2"], ["1Gi", "4Gi"]),
    production: row(3, ["1", "2"], ["2Gi", "4Gi"], hpa(3, 6)),
  },
  "posthog-plugins": {
    minimal: row(1, ["250m", "1"], ["512Mi", "1Gi"]),
    recommended: row(1, ["500m", "2"], ["1Gi", "2Gi"]),
    production: row(2, ["1", "2"], ["2Gi", "4Gi"]),
  },
  "posthog-capture": {
    minimal: row(1, ["100m", "500m"], ["128Mi", "256Mi"]),
    recommended: row(2, ["250m", "1"], ["256Mi", "512Mi"]),
    production: row(3, ["500m", "1"], ["512Mi", "1Gi"], hpa(3, 10)),
  },
  "posthog-replay-capture": {
    minimal: row(1, ["100m", "500m"], ["128Mi", "256Mi"]),
    recommended: row(2, ["250m", "1"], ["256Mi", "512Mi"]),
    production: row(3, ["500m", "1"], ["512Mi", "1Gi"], hpa(3, 10)),
  },
  "posthog-feature-flags": {
    minimal: row(1, ["100m", "500m"], ["128Mi", "256Mi"]),
    recommended: row(2, ["250m", "1"], ["256Mi", "512Mi"]),
    production: row(2, ["500m", "1"], ["512Mi", "1Gi"]),
  },
  // Keeps up to a million recent definitions in memory to skip repeated writes.
  "posthog-property-defs": {
    minimal: row(1, ["100m", "500m"], ["256Mi", "512Mi"]),
    recommended: row(1, ["250m", "1"], ["512Mi", "1Gi"]),
    production: row(2, ["250m", "1"], ["512Mi", "1Gi"]),
  },
  "posthog-migrate": same(row(1, ["250m", "1"], ["512Mi", "1Gi"])),
  "posthog-postgresql": {
    minimal: row(1, ["250m", "1"], ["512Mi", "1Gi"], { storage: "10Gi" }),
    recommended: row(1, ["500m", "1"], ["512Mi", "2Gi"], { storage: "20Gi" }),
    production: row(3, ["1", "2"], ["2Gi", "4Gi"], { storage: "100Gi" }),
  },
  "posthog-redis": {
    minimal: row(1, ["100m", "500m"], ["256Mi", "512Mi"], { storage: "2Gi" }),
    recommended: row(1, ["250m", "500m"], ["256Mi", "1Gi"], { storage: "5Gi" }),
    production: row(1, ["500m", "1"], ["1Gi", "2Gi"], { storage: "10Gi" }),
  },
  "posthog-kafka": {
    minimal: row(1, ["250m", "1"], ["1Gi", "1Gi"], { storage: "10Gi" }),
    recommended: row(1, ["500m", "2"], ["2Gi", "2Gi"], { storage: "50Gi" }),
    production: row(3, ["1", "2"], ["4Gi", "4Gi"], { storage: "100Gi" }),
  },
  "posthog-clickhouse": {
    minimal: row(1, ["500m", "2"], ["2Gi", "4Gi"], { storage: "20Gi" }),
    recommended: row(1, ["1", "4"], ["2Gi", "8Gi"], { storage: "50Gi" }),
    production: row(1, ["2", "4"], ["8Gi", "16Gi"], { storage: "500Gi" }),
  },
  "posthog-zookeeper": {
    minimal: row(1, ["50m", "250m"], ["256Mi", "512Mi"], { storage: "2Gi" }),
    recommended: row(1, ["100m", "500m"], ["512Mi", "512Mi"], { storage: "5Gi" }),
    production: row(3, ["250m", "1"], ["1Gi", "1Gi"], { storage: "10Gi" }),
  },

  // observability (seed 003/004: Prometheus 100Gi)
  prometheus: {
    minimal: row(1, ["250m", "1"], ["1Gi", "2Gi"], { storage: "20Gi" }),
    recommended: row(1, ["500m", "2"], ["2Gi", "4Gi"], { storage: "50Gi" }),
    production: row(2, ["1", "4"], ["8Gi", "16Gi"], { storage: "100Gi" }),
  },
  alertmanager: {
    minimal: row(1, ["50m", "200m"], ["64Mi", "128Mi"], { storage: "1Gi" }),
    recommended: row(2, ["50m", "200m"], ["64Mi", "128Mi"], { storage: "1Gi" }),
    production: row(3, ["100m", "500m"], ["128Mi", "256Mi"], { storage: "2Gi" }),
  },
  // Memory grows with the number of objects watched (platform namespaces only).
  "kube-state-metrics": {
    minimal: row(1, ["50m", "200m"], ["64Mi", "128Mi"]),
    recommended: row(1, ["50m", "250m"], ["128Mi", "256Mi"]),
    production: row(1, ["100m", "500m"], ["128Mi", "256Mi"]),
  },
  grafana: {
    minimal: row(1, ["100m", "500m"], ["128Mi", "256Mi"], { storage: "1Gi" }),
    recommended: row(1, ["250m", "1"], ["256Mi", "512Mi"], { storage: "5Gi" }),
    production: row(1, ["500m", "1"], ["512Mi", "1Gi"], { storage: "10Gi" }),
  },
  jaeger: {
    minimal: row(1, ["100m", "500m"], ["256Mi", "512Mi"]),
    recommended: row(1, ["250m", "1"], ["512Mi", "1Gi"]),
    production: row(2, ["500m", "2"], ["1Gi", "2Gi"]),
  },
  fluentd: {
    minimal: row(1, ["100m", "500m"], ["256Mi", "512Mi"]),
    recommended: row(1, ["200m", "1"], ["512Mi", "512Mi"]),
    production: row(1, ["250m", "1"], ["512Mi", "1Gi"]),
  },

  // mesh and edge
  istiod: {
    minimal: row(1, ["100m", "500m"], ["256Mi", "512Mi"]),
    recommended: row(2, ["500m", "1"], ["1Gi", "2Gi"]),
    production: row(2, ["500m", "2"], ["2Gi", "4Gi"], hpa(2, 5)),
  },
  ztunnel: {
    minimal: row(1, ["50m", "500m"], ["64Mi", "256Mi"]),
    recommended: row(1, ["100m", "1"], ["128Mi", "512Mi"]),
    production: row(1, ["200m", "2"], ["256Mi", "1Gi"]),
  },
  "istio-cni": same(row(1, ["50m", "200m"], ["64Mi", "128Mi"])),
  "edge-gateway": {
    minimal: row(1, ["100m", "1"], ["128Mi", "512Mi"]),
    recommended: row(2, ["500m", "2"], ["256Mi", "1Gi"]),
    production: row(3, ["1", "2"], ["512Mi", "1Gi"], hpa(3, 10)),
  },
  "cert-manager": same(row(1, ["50m", "200m"], ["64Mi", "256Mi"])),

  // backup jobs
  backup: {
    minimal: row(1, ["50m", "500m"], ["64Mi", "256Mi"]),
    recommended: row(1, ["100m", "1"], ["128Mi", "512Mi"]),
    production: row(1, ["250m", "1"], ["256Mi", "1Gi"]),
  },
};

/**
 * The one-off Jobs `pulumi up` runs to set a store up: buckets, schemas, users, cluster bootstrap,
 * index policies and vhost definitions. They are small clients of the store they configure, sized per
 * tier like the backup Jobs but tuned on their own (a slow bootstrap blocks the `up`, a slow backup
 * only a nightly run).
 */
export const BOOTSTRAP_JOB: Rows = {
  minimal: row(1, ["50m", "500m"], ["64Mi", "256Mi"]),
  recommended: row(1, ["100m", "1"], ["128Mi", "512Mi"]),
  production: row(1, ["250m", "1"], ["256Mi", "1Gi"]),
};

/** The size of one bootstrap Job pod in a tier (the BOOTSTRAP_JOB row as the kit takes it). */
export function bootstrapJobSize(tier: Tier): ServiceSize {
  const r = BOOTSTRAP_JOB[tier];
  return { replicas: r.replicas, resources: { requests: { cpu: r.cpu[0], memory: r.memory[0] }, limits: { cpu: r.cpu[1], memory: r.memory[1] } } };
}

/**
 * The metrics exporter that runs beside a store in the store's own pod (one per node, reading it over
 * localhost). It does the same small amount of work in every tier, so one size; the quota and the
 * capacity check add it to every pod of the services listed in EXPORTER_SIDECARS.
 */
export const EXPORTER_SIDECAR_SIZE = { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "100m", memory: "64Mi" } } as const;
/** The services whose pods carry an exporter sidecar (their builders refuse to add one otherwise). */
export const EXPORTER_SIDECARS: readonly ServiceName[] = ["redis", "posthog-redis", "nats", "elasticsearch", "kafka", "posthog-kafka"];

/**
 * Neo4j Enterprise members per tier, used instead of the neo4j row's replicas (which is Community's
 * one node) when the stack chose Enterprise: the seed's 3-node cluster from the recommended tier up,
 * one node in the minimal tier. Each member gets the row's resources and storage.
 */
export const NEO4J_ENTERPRISE_REPLICAS: Record<Tier, number> = { minimal: 1, recommended: 3, production: 3 };

/** A service's replica count in a tier before overrides, for the editions the stack chose. */
export function tierReplicas(name: ServiceName, tier: Tier, choices: ClusteringChoices): number {
  if (name === "neo4j" && choices.neo4jEdition === "enterprise") return NEO4J_ENTERPRISE_REPLICAS[tier];
  return SIZING[name][tier].replicas;
}

/** LimitRange per namespace: the defaults a container without resources would get, and the ceiling. */
export const LIMIT_RANGES: Record<Tier, { defaultRequest: { cpu: string; memory: string }; defaultLimit: { cpu: string; memory: string }; max: { cpu: string; memory: string } }> = {
  minimal: { defaultRequest: { cpu: "50m", memory: "64Mi" }, defaultLimit: { cpu: "500m", memory: "512Mi" }, max: { cpu: "4", memory: "8Gi" } },
  recommended: { defaultRequest: { cpu: "100m", memory: "128Mi" }, defaultLimit: { cpu: "1", memory: "1Gi" }, max: { cpu: "8", memory: "16Gi" } },
  production: { defaultRequest: { cpu: "100m", memory: "128Mi" }, defaultLimit: { cpu: "1", memory: "1Gi" }, max: { cpu: "16", memory: "32Gi" } },
};

/** Headroom of a namespace's ResourceQuota over the sum of its services at their maximum scale (rolling updates surge). */
export const QUOTA_HEADROOM = 1.5;

/**
 * One-off Job pods (bootstrap Jobs at `pulumi up`, backup CronJob runs) a namespace's quota admits at
 * once on top of its services. A slot may hold either kind, so each is sized at the larger of the
 * `backup` and BOOTSTRAP_JOB rows. Without them a namespace whose services fill the quota refuses its
 * own bootstrap Jobs (seen live with shrunk requests).
 */
export const QUOTA_JOB_SLOTS = 3;

// Node-local disk (ephemeral storage), the same in every tier: kept with the kit that applies it.
export { EPHEMERAL_STORAGE } from "../kit/size";
