/**
 * The stack configuration contract, validated as a whole before any resource exists.
 *
 * `loadConfig` is pure: it takes the stack's `voicehelper:*` settings as Pulumi stores them (strings;
 * objects as JSON) and returns one resolved `PlatformConfig`, or throws a `ConfigError` listing every
 * problem with the setting's name, what was wrong and what is allowed. Nothing downstream reads
 * config or knows about tiers.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { CATALOG, DEPLOY_MODES, DeployMode, SERVICE_NAMES, ServiceName, closure, isServiceName, rootServices } from "./catalog";
import { HPA_TARGETS, SIZING, TIERS, Tier, bootstrapJobSize, tierReplicas } from "./sizing";
import { cpuCores, isQuantity, memoryBytes, parseQuantity } from "./quantity";
import { REPLICA_CONSTRAINTS, ClusteringChoices } from "./constraints";
import { NO_USERINFO, noUserinfo } from "./url";
import { ImageDigests, imageDigestsSchema } from "./image-digests";
import { POSTGRESQL_CLUSTERS, PostgresqlCluster, backupSchema, disasterRecoveryProblems, restoreSchema } from "./disaster-recovery";
import { Resources, ServiceSize } from "../kit/size";

export type { Resources, ServiceSize };

export const PROJECT = "voicehelper";

/** Settings Pulumi holds as config secrets; their values never appear in an error message. */
export const SECRET_KEYS = [
  "openaiApiKey",
  "anthropicApiKey",
  "posthogApiKey",
  "smtpPassword",
  "backupMirrorAccessKey",
  "backupMirrorSecretKey",
  "turnSharedSecret",
  "backupTargetAccessKey",
  "backupTargetSecretKey",
] as const;
type SecretKey = (typeof SECRET_KEYS)[number];

export const POSTHOG_MODES = ["cloud", "self-hosted", "disabled"] as const;
export const TLS_ISSUERS = ["acme", "self-signed", "none"] as const;
export const EDGE_MODES = ["gateway-api", "ingress"] as const;
/**
 * How WebRTC media (UDP) reaches voice-service:
 *   load-balancer  one UDP port on a LoadBalancer Service; one voice-service replica (a UDP load
 *                  balancer cannot send a session's media to the replica that negotiated it)
 *   turn           relayed by the TURN servers in `voiceMedia.turnUrls`; any number of replicas,
 *                  no inbound UDP into the cluster
 */
export const VOICE_MEDIA_MODES = ["load-balancer", "turn"] as const;
/**
 * How Prometheus checks the kubelets' serving certificates when it scrapes them (volume, CPU and
 * memory usage):
 *   verify       against the cluster CA; works where kubelets get CA-signed serving certificates
 *                (serverTLSBootstrap, most managed clusters)
 *   skip-verify  accept any certificate; for kubelets with self-signed serving certificates (kubeadm's
 *                default). Prometheus still authenticates with its token, so only choose it on a
 *                network where node addresses cannot be spoofed
 */
export const KUBELET_TLS_MODES = ["verify", "skip-verify"] as const;
/** `LOG_LEVEL` values of the in-house services (the shared application ConfigMap). */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
/** Neo4j Community runs one node; Enterprise (one node or a cluster) runs only under an accepted licence. */
export const NEO4J_EDITIONS = ["community", "enterprise"] as const;
export type Neo4jEdition = (typeof NEO4J_EDITIONS)[number];
/**
 * The answers the Neo4j Enterprise image itself accepts in NEO4J_ACCEPT_LICENSE_AGREEMENT:
 * "yes" (you hold a commercial licence) or "eval" (you accept Neo4j's evaluation terms).
 */
export const NEO4J_LICENSE_ANSWERS = ["yes", "eval"] as const;
export type Neo4jSettings = { edition: "community" } | { edition: "enterprise"; acceptLicenseAgreement: (typeof NEO4J_LICENSE_ANSWERS)[number] };

/**
 * How many days time-series data is kept (seed 004): a data policy, the same in every environment
 * unless a stack says otherwise. The bounds keep a typo (0, or days meant as hours) from deleting data
 * at once or keeping it forever.
 */
export const RETENTION_DAYS = { min: 1, max: 3650 } as const;
export const RETENTION_DEFAULTS = { elasticsearchDays: 30, clickhouseDays: 90 } as const;

/**
 * Ceilings on the numbers a stack may set. Kubernetes holds replica counts as int32, but the program
 * names every member of a StatefulSet in its peers' config (Alertmanager peers, Redis and Kafka
 * seeds), so a count far past any real cluster would build enormous objects or fail outright; 1000
 * is beyond every tier and still renders. No node offers more than 16 GPUs to one pod.
 */
export const NUMBER_BOUNDS = { maxReplicas: 1000, maxGpus: 16, maxPort: 65535 } as const;
/**
 * Kubernetes keeps quantities as int64 (CPU in millicores); the program computes heaps, maxmemory and
 * requests <= limits in JavaScript numbers, exact up to 2^53. The ceilings keep both exact.
 */
export const QUANTITY_BOUNDS = { maxBytes: 2 ** 53, maxCpu: Math.floor(2 ** 53 / 1000) } as const;

/** Stack names that may (and must) render YAML instead of deploying. */
const RENDER_STACK = /^render(-[a-z0-9-]+)?$/;
const DEV_STACK = /^dev(-[a-z0-9-]+)?$/;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}); nothing was deployed:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

/** An S3-compatible store outside the cluster and the keys to write to it (config secrets). */
export interface S3Target {
  url: string;
  bucket: string;
  accessKey: pulumi.Output<string>;
  secretKey: pulumi.Output<string>;
}

export interface PlatformConfig {
  stack: string;
  tier: Tier;
  deployMode: DeployMode;
  /** Base DNS name for public hosts. */
  domain: string;
  /** StorageClass for every PVC; undefined = the cluster's default. */
  storageClass?: string;
  /** `protect` + `retainOnDelete` on stateful data. */
  protectData: boolean;
  posthog: { mode: (typeof POSTHOG_MODES)[number]; host: string; apiKey?: pulumi.Output<string> };
  llm: { openaiApiKey?: pulumi.Output<string>; anthropicApiKey?: pulumi.Output<string> };
  images: { registry: string; tag: string };
  /** Digests that pin third-party images (IMAGES keys); empty = tags only. */
  imageDigests: ImageDigests;
  tls: { issuer: (typeof TLS_ISSUERS)[number]; email?: string };
  edge: {
    mode: (typeof EDGE_MODES)[number];
    ingressClassName?: string;
    /** Namespace of the existing Ingress controller's pods (ingress mode): the only source admitted to routed services. */
    controllerNamespace?: string;
    /** Services reachable from outside, by catalog name: the public-by-default ones plus `edge.expose`. */
    publicServices: ServiceName[];
  };
  mesh: boolean;
  /** Neo4j's edition, and for Enterprise the licence answer the stack gave explicitly. */
  neo4j: Neo4jSettings;
  /** How WebRTC media reaches voice-service (see VOICE_MEDIA_MODES). */
  voiceMedia: { mode: (typeof VOICE_MEDIA_MODES)[number]; turnUrls: string[]; turnSharedSecret?: pulumi.Output<string> };
  /** Where Alertmanager sends alerts; neither receiver set = alerts are kept in Alertmanager only. */
  alerting: {
    email?: { to: string; from: string; smarthost: string };
    webhookUrl?: string;
    /** Production without a receiver, said explicitly (otherwise refused). */
    none?: true;
    /** SMTP password for `email` (login as `email.from`); a config secret. */
    smtpPassword?: pulumi.Output<string>;
  };
  metrics: { kubeletTls: (typeof KUBELET_TLS_MODES)[number] };
  /** The in-house services' shared settings (ConfigMap `voicehelper-config`). */
  app: { logLevel: (typeof LOG_LEVELS)[number] };
  retention: {
    /** Days Elasticsearch keeps the log and trace indices (an ILM delete phase); search indices are never expired. */
    elasticsearchDays: number;
    /** Days ClickHouse keeps the platform's analytics tables and its own system logs (table TTLs). */
    clickhouseDays: number;
  };
  backup: {
    /** An S3-compatible store outside the cluster that receives a daily mirror of the object store; none = no mirror. */
    mirror?: S3Target;
    /** The S3-compatible store outside the cluster every backup writes to; none = the in-cluster object store's backups bucket. */
    target?: S3Target;
    /** Days each store's copies are kept. */
    retentionDays: { postgresql: number; redis: number; faiss: number; nacosMysql: number; milvusEtcd: number };
  };
  /** What the next `pulumi up` brings back from the backups; nothing by default. */
  restore: {
    /** These clusters are recreated from their backups, up to targetTime (the end of the archived WAL when unset). */
    postgresql?: { clusters: readonly PostgresqlCluster[]; targetTime?: string };
    /** Redis (standalone) starts on this hourly RDB copy. */
    redis?: { snapshot: string };
    /** faiss-service's index volume is filled from this backup run before the service starts. */
    faiss?: { snapshot: string };
    /** The object store's buckets are mirrored back from the copy off the cluster. */
    minio?: Record<string, never>;
  };
  cluster: {
    kubeconfig?: string;
    context?: string;
    /** Render YAML here instead of applying to a cluster. */
    renderTo?: string;
    /** Annotate workloads so Pulumi does not wait for pods (test harnesses without nodes only). */
    skipAwait: boolean;
    /** Install components from remote Helm charts (operators, Istio). */
    externalCharts: boolean;
  };
  /** The services this stack deploys, in catalog order. */
  services: ServiceName[];
  /** The resolved size of every catalog service (deployed or not). */
  sizes: Record<ServiceName, ServiceSize>;
  /** The size of one bootstrap Job pod (buckets, schemas, users, cluster bootstrap) in this tier. */
  bootstrapJobSize: ServiceSize;
}

// ---------------------------------------------------------------------------------------------
// Shapes

const quantity = (what: "cpu" | "memory" | "storage") => {
  const example = what === "cpu" ? '"500m" or "2"' : '"512Mi" or "10Gi"';
  const max = what === "cpu" ? QUANTITY_BOUNDS.maxCpu : QUANTITY_BOUNDS.maxBytes;
  return z
    .string()
    .refine(isQuantity, { message: `malformed ${what} quantity; use a Kubernetes quantity such as ${example}`, abort: true })
    .refine((q) => parseQuantity(q)! <= max, {
      message: `${what} quantity too large; at most ${what === "cpu" ? `${QUANTITY_BOUNDS.maxCpu} cores` : "8Pi"} (a Kubernetes quantity the program can still compute with exactly)`,
    });
};
const pair = z.object({ cpu: quantity("cpu").optional(), memory: quantity("memory").optional() }).strict();
/** A whole number from `min` to `max`; one message for every way to miss it (fraction, text, range). */
const boundedInt = (what: string, min: number, max: number, why = "") => {
  const allowed = `${what} must be a whole number from ${min} to ${max}${why}`;
  return z.number({ error: allowed }).int(allowed).min(min, allowed).max(max, allowed);
};

const overrideSchema = z
  .object({
    replicas: boundedInt("replicas", 1, NUMBER_BOUNDS.maxReplicas, " (use deployMode to leave a service out)").optional(),
    requests: pair.optional(),
    limits: pair.optional(),
    storage: quantity("storage").optional(),
    gpu: boundedInt("gpu", 0, NUMBER_BOUNDS.maxGpus, " (GPUs per pod)").optional(),
    autoscale: z
      .union([z.literal(false), z.object({ min: boundedInt("autoscale.min", 1, NUMBER_BOUNDS.maxReplicas), max: boundedInt("autoscale.max", 1, NUMBER_BOUNDS.maxReplicas) }).strict()])
      .optional(),
  })
  .strict();
export type ServiceOverride = z.infer<typeof overrideSchema>;

const retentionDays = () => {
  const allowed = `must be a whole number of days from ${RETENTION_DAYS.min} to ${RETENTION_DAYS.max}`;
  return z.number({ error: allowed }).int(allowed).min(RETENTION_DAYS.min, allowed).max(RETENTION_DAYS.max, allowed);
};

const PORT_RANGE = `the port must be from 1 to ${NUMBER_BOUNDS.maxPort}`;
/** A `:port` (before an optional `?query`) is a TCP/UDP port. */
const portInRange = (v: string) => {
  const port = /:([0-9]+)(?:\?|$)/.exec(v)?.[1];
  return port === undefined || (Number(port) >= 1 && Number(port) <= NUMBER_BOUNDS.maxPort);
};

const dnsName = z.string().regex(/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/, "must be a lower-case DNS name such as voicehelper.example.com");

const settingsSchema = z
  .object({
    sizing: z.enum(TIERS, { error: `must be one of: ${TIERS.join(", ")}` }),
    deployMode: z.enum(DEPLOY_MODES, { error: `must be one of: ${DEPLOY_MODES.join(", ")}` }).default("full"),
    // Roots instead of the deploy mode's: these services and what they need (a canary, a test node).
    services: z.array(z.string(), { error: "must be a list of service names" }).default([]),
    domain: dnsName.default("voicehelper.local"),
    storageClass: dnsName.optional(),
    protectData: z.union([z.boolean(), z.literal("auto")], { error: "must be auto, true or false" }).default("auto"),
    posthog: z
      .object({
        mode: z.enum(POSTHOG_MODES, { error: `must be one of: ${POSTHOG_MODES.join(", ")}` }).default("cloud"),
        host: z
          .url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://eu.i.posthog.com" })
          .refine(noUserinfo, NO_USERINFO)
          .optional(),
      })
      .strict()
      .default({ mode: "cloud" }),
    images: z
      .object({
        registry: z
          .string()
          .regex(/^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)*$/, "must be a registry path such as ghcr.io/voicehelper")
          .default("ghcr.io/voicehelper"),
        tag: z
          .string()
          .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "must be an image tag such as 1.4.2")
          .refine((t) => t !== "latest", "must be an exact release, not latest"),
      })
      .strict(),
    imageDigests: imageDigestsSchema.default({}),
    tls: z
      .object({
        issuer: z.enum(TLS_ISSUERS, { error: `must be one of: ${TLS_ISSUERS.join(", ")}` }).default("self-signed"),
        email: z.email({ error: "must be an e-mail address (ACME registers it for expiry notices)" }).optional(),
      })
      .strict()
      .default({ issuer: "self-signed" }),
    edge: z
      .object({
        mode: z.enum(EDGE_MODES, { error: `must be one of: ${EDGE_MODES.join(", ")}` }).default("gateway-api"),
        ingressClassName: dnsName.optional(),
        controllerNamespace: dnsName.optional(),
        expose: z.array(z.string()).default([]),
      })
      .strict()
      .default({ mode: "gateway-api", expose: [] }),
    mesh: z.boolean({ error: "must be true or false" }).default(true),
    voiceMedia: z
      .object({
        mode: z.enum(VOICE_MEDIA_MODES, { error: `must be one of: ${VOICE_MEDIA_MODES.join(", ")}` }).default("load-balancer"),
        turnUrls: z
          .array(
            z
              .string()
              .regex(/^turns?:[A-Za-z0-9.-]+(:[0-9]{1,5})?(\?transport=(udp|tcp))?$/, "must be TURN URLs such as turns:turn.example.com:5349 or turn:turn.example.com:3478?transport=udp")
              .refine(portInRange, PORT_RANGE),
          )
          .default([]),
      })
      .strict()
      .default({ mode: "load-balancer", turnUrls: [] }),
    neo4j: z
      .object({
        edition: z.enum(NEO4J_EDITIONS, { error: `must be one of: ${NEO4J_EDITIONS.join(", ")}` }).default("community"),
        acceptLicenseAgreement: z
          .enum(NEO4J_LICENSE_ANSWERS, { error: 'must be "yes" (you hold a Neo4j commercial licence) or "eval" (you accept Neo4j\'s evaluation terms), quoted in YAML' })
          .optional(),
      })
      .strict()
      .default({ edition: "community" }),
    alerting: z
      .object({
        email: z
          .object({
            to: z
              .string({ error: "must be one or more e-mail addresses, comma-separated" })
              .refine((v) => v.split(",").every((a) => z.email().safeParse(a.trim()).success), "must be one or more e-mail addresses, comma-separated"),
            from: z.email({ error: "must be an e-mail address (the sender of alert mails)" }),
            smarthost: z
              .string({ error: "must be host:port of the SMTP relay, such as smtp.example.com:587" })
              .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:[0-9]{1,5}$/, "must be host:port of the SMTP relay, such as smtp.example.com:587")
              .refine(portInRange, PORT_RANGE),
          })
          .strict()
          .optional(),
        webhookUrl: z
          .url({ protocol: /^https?$/, error: "must be an http(s) URL that accepts Alertmanager's webhook payload" })
          .refine(noUserinfo, NO_USERINFO)
          .optional(),
        none: z.literal(true, { error: "must be true (run production without an alert receiver, on purpose), or be left out" }).optional(),
      })
      .strict()
      .default({}),
    metrics: z
      .object({ kubeletTls: z.enum(KUBELET_TLS_MODES, { error: `must be one of: ${KUBELET_TLS_MODES.join(", ")}` }).default("verify") })
      .strict()
      .default({ kubeletTls: "verify" }),
    app: z
      .object({ logLevel: z.enum(LOG_LEVELS, { error: `must be one of: ${LOG_LEVELS.join(", ")}` }).default("info") })
      .strict()
      .default({ logLevel: "info" }),
    backup: backupSchema,
    restore: restoreSchema,
    retention: z
      .object({
        elasticsearchDays: retentionDays().default(RETENTION_DEFAULTS.elasticsearchDays),
        clickhouseDays: retentionDays().default(RETENTION_DEFAULTS.clickhouseDays),
      })
      .strict()
      .default(RETENTION_DEFAULTS),
    overrides: z.record(z.string(), overrideSchema).default({}),
    kubeconfig: z.string().min(1).optional(),
    kubeContext: z.string().min(1).optional(),
    renderTo: z.string().min(1, "must be a directory path").optional(),
    skipAwait: z.boolean({ error: "must be true or false" }).default(false),
    externalCharts: z.boolean({ error: "must be true or false" }).default(true),
  })
  .strict();

type Settings = z.infer<typeof settingsSchema>;
const KNOWN_KEYS = [...Object.keys(settingsSchema.shape), ...SECRET_KEYS];

// ---------------------------------------------------------------------------------------------
// Parsing

/** Turns Pulumi's stored strings back into the values the user wrote in YAML. */
function decode(value: string): unknown {
  const t = value.trim();
  if (t === "true") return true;
  if (t === "false") return false;
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return JSON.parse(t);
    } catch {
      return value;
    }
  }
  return value;
}

/** Object keys JavaScript gives a meaning of their own: refused as setting or service names, never looked up. */
const RESERVED_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** A copy of `value` without reserved keys; each one found is reported under its path. */
function withoutReservedKeys(value: unknown, path: string, problems: string[]): unknown {
  if (Array.isArray(value)) return value.map((v, i) => withoutReservedKeys(v, `${path}.${i}`, problems));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (RESERVED_KEYS.has(k)) {
      problems.push(`${PROJECT}:${path}.${k}: is a reserved name, not a setting or a service name`);
      continue;
    }
    out[k] = withoutReservedKeys(v, `${path}.${k}`, problems);
  }
  return out;
}

/**
 * Settings whose values may carry a credential (URLs hold tokens in their path or query, and a
 * kubeconfig may be pasted inline): an error says what is wrong with them without repeating them.
 */
const NEVER_ECHOED = new Set(["posthog.host", "alerting.webhookUrl", "backup.mirror.url", "kubeconfig"]);
/** Shapes of provider keys and tokens pasted where they do not belong (also never repeated). */
const KEY_SHAPED = /\b(sk-|phc_|phx_|xox[abp]-|ghp_|github_pat_|AKIA|glpat-)/;

function describe(value: unknown, path: string): string {
  if (value === undefined) return "nothing";
  // JSON has no Infinity: 1e999 parses to it and would print as null.
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  const s = JSON.stringify(value);
  if (NEVER_ECHOED.has(path) || KEY_SHAPED.test(s)) return "a value not repeated here, as it may carry a credential";
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Replaces every secret value given to the stack wherever it appears in a message. */
function scrub(problems: string[], secretValues: string[]): string[] {
  const values = secretValues.map((v) => v.trim()).filter((v) => v.length >= 4);
  return problems.map((p) => values.reduce((m, v) => m.split(v).join("[secret]"), p));
}

/**
 * Shapes of the placeholders documentation uses for a secret (`<key>`, `phc_...`, `sk-...`,
 * `your-api-key`, `YOUR_API_KEY`, `changeme`, an unexpanded `$VAR`): never a real key.
 * tests/config-secrets.test.ts feeds it every placeholder the repository's docs show.
 */
const PLACEHOLDER =
  /^(<[^<>]*>|\[[^\]]*\]|\{\{.*\}\}|.*(\.\.\.|\u2026).*|your[-_ ].*|.*YOUR_.*|.*replace[-_ ]?me.*|change[-_ ]?(me|it)|todo|tbd|fixme|placeholder|example|dummy|x+|\*+|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)$/i;

/**
 * Validates and resolves the stack's settings.
 * @param stack the Pulumi stack name (decides the dev and render conventions)
 * @param raw `voicehelper:*` settings without the prefix, as strings (Pulumi's storage form)
 * @param now the time restore settings are checked against (a restore names a past time)
 */
export function loadConfig(stack: string, raw: Record<string, string>, now: Date = new Date()): PlatformConfig {
  const problems: string[] = [];
  const key = (k: string) => `${PROJECT}:${k}`;

  for (const k of Object.keys(raw)) {
    if (!KNOWN_KEYS.includes(k)) problems.push(`${key(k)}: unknown setting; known settings are ${KNOWN_KEYS.join(", ")}`);
  }

  const input: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    // "" is how Pulumi.yaml declares an optional setting as unset (the engine requires a default).
    if (!(SECRET_KEYS as readonly string[]).includes(k) && KNOWN_KEYS.includes(k) && v.trim() !== "") input[k] = withoutReservedKeys(decode(v), k, problems);
  }
  // Placeholders are not secrets, and scrubbing them would mangle the message that names them.
  const secretValues = SECRET_KEYS.map((k) => raw[k]).filter((v): v is string => typeof v === "string" && !PLACEHOLDER.test(v.trim()));
  const parsed = settingsSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join(".");
      if (issue.code === "unrecognized_keys") {
        for (const k of issue.keys) problems.push(`${key(path ? `${path}.${k}` : k)}: unknown setting`);
        continue;
      }
      const got = issue.input === undefined ? "it is missing" : `got ${describe(issue.input, path)}`;
      const problem = `${key(path)}: ${issue.message} (${got})`;
      // One message per setting, even when a value misses several checks (1e300 is neither whole nor in range).
      if (!problems.includes(problem)) problems.push(problem);
    }
    throw new ConfigError(scrub(problems, secretValues));
  }
  const s = parsed.data;

  const secrets: Partial<Record<SecretKey, string>> = {};
  for (const k of SECRET_KEYS) {
    const v = raw[k];
    if (v === undefined || v.trim() === "") continue;
    if (PLACEHOLDER.test(v.trim())) {
      problems.push(`${key(k)}: is a documentation placeholder, not a real key; set it with \`pulumi config set --secret ${k} <value>\``);
      continue;
    }
    secrets[k] = v;
  }
  if (secrets.posthogApiKey !== undefined && !secrets.posthogApiKey.startsWith("phc_")) {
    problems.push(`${key("posthogApiKey")}: must be a PostHog project API key (it starts with "phc_")`);
  }

  // Cross-setting rules.
  const isRenderStack = RENDER_STACK.test(stack);
  if (s.renderTo !== undefined && !isRenderStack) {
    problems.push(
      `${key("renderTo")}: only a dedicated render stack (named "render" or "render-<name>") may render YAML; turning it on for stack "${stack}" would replace the provider and with it every resource`,
    );
  }
  if (isRenderStack && s.renderTo === undefined) {
    problems.push(`${key("renderTo")}: stack "${stack}" is a render stack and must set renderTo (a directory); a render stack never deploys to a cluster`);
  }
  if (s.renderTo !== undefined && (s.kubeconfig !== undefined || s.kubeContext !== undefined)) {
    problems.push(`${key("renderTo")}: cannot be combined with ${key(s.kubeconfig !== undefined ? "kubeconfig" : "kubeContext")}; rendering never talks to a cluster`);
  }
  if (s.backup.mirror !== undefined) {
    for (const k of ["backupMirrorAccessKey", "backupMirrorSecretKey"] as const) {
      if (secrets[k] === undefined) problems.push(`${key(k)}: is required when backup.mirror is set; set it with \`pulumi config set --secret ${k} <value>\``);
    }
  }
  for (const name of s.services) {
    if (!isServiceName(name)) problems.push(`${key("services")}: "${name}" is not a service; services are ${SERVICE_NAMES.join(", ")}`);
  }
  if (new Set(s.services).size !== s.services.length) problems.push(`${key("services")}: lists a service more than once`);
  if (s.services.length > 0 && s.deployMode !== "full") {
    problems.push(`${key("services")}: cannot be combined with deployMode ${s.deployMode}; choose the services or a deploy mode`);
  }
  if (s.tls.issuer === "acme" && s.tls.email === undefined) {
    problems.push(`${key("tls.email")}: is required when tls.issuer is acme (got nothing)`);
  }
  if (s.alerting.none === true && (s.alerting.email !== undefined || s.alerting.webhookUrl !== undefined)) {
    problems.push(`${key("alerting.none")}: contradicts the receiver configured in alerting (email or webhookUrl); remove one of them`);
  }
  if (secrets.smtpPassword !== undefined && s.alerting.email === undefined) {
    problems.push(`${key("smtpPassword")}: is set but alerting.email is not; configure alerting.email (to, from, smarthost) or remove the secret`);
  }
  if (s.edge.mode === "ingress" && s.edge.ingressClassName === undefined) {
    problems.push(`${key("edge.ingressClassName")}: is required when edge.mode is ingress; name the IngressClass of your controller`);
  }
  if (s.edge.mode === "gateway-api" && s.edge.ingressClassName !== undefined) {
    problems.push(`${key("edge.ingressClassName")}: only applies when edge.mode is ingress (edge.mode is gateway-api)`);
  }
  if (s.edge.mode === "ingress" && s.edge.controllerNamespace === undefined) {
    problems.push(`${key("edge.controllerNamespace")}: is required when edge.mode is ingress; name the namespace your Ingress controller runs in (only it may reach the routed services)`);
  }
  const exposable = SERVICE_NAMES.filter((n) => CATALOG[n].public !== undefined && !CATALOG[n].public!.byDefault);
  for (const e of s.edge.expose) {
    if (!(exposable as string[]).includes(e)) {
      problems.push(`${key("edge.expose")}: "${e}" cannot be exposed; choose from ${exposable.join(", ")} (the others are public already or never)`);
    }
  }

  // The image refuses to start without the answer; asking here makes accepting the licence a
  // decision written in the stack file rather than a default.
  if (s.neo4j.edition === "enterprise" && s.neo4j.acceptLicenseAgreement === undefined) {
    problems.push(
      `${key("neo4j.acceptLicenseAgreement")}: is required when neo4j.edition is enterprise (Neo4j Enterprise runs only under a licence, see https://neo4j.com/licensing/); set it to "yes" if you hold a commercial licence or "eval" to accept the evaluation terms, or choose neo4j.edition community (one node)`,
    );
  }
  if (s.neo4j.edition === "community" && s.neo4j.acceptLicenseAgreement !== undefined) {
    problems.push(`${key("neo4j.acceptLicenseAgreement")}: only applies when neo4j.edition is enterprise (neo4j.edition is community)`);
  }

  const sizes = resolveSizes(s.sizing, s.overrides, { neo4jEdition: s.neo4j.edition }, problems);
  const services = selectServices(s);

  if (s.voiceMedia.mode === "turn" && s.voiceMedia.turnUrls.length === 0) {
    problems.push(`${key("voiceMedia.turnUrls")}: is required when voiceMedia.mode is turn; list your TURN servers, e.g. ["turns:turn.${s.domain}:5349"]`);
  }
  if (s.voiceMedia.mode !== "turn" && s.voiceMedia.turnUrls.length > 0) {
    problems.push(`${key("voiceMedia.turnUrls")}: only applies when voiceMedia.mode is turn (voiceMedia.mode is ${s.voiceMedia.mode})`);
  }
  const voice = sizes["voice-service"];
  if (s.voiceMedia.mode === "load-balancer" && services.includes("voice-service") && (voice.autoscaling !== undefined || voice.replicas > 1)) {
    problems.push(
      `${key("voiceMedia.mode")}: load-balancer supports one voice-service replica (a UDP load balancer cannot send a session's media to the replica that negotiated it), but the ${s.sizing} sizing runs ${voice.autoscaling ? `${voice.autoscaling.minReplicas}-${voice.autoscaling.maxReplicas} by autoscaling` : voice.replicas}; choose voiceMedia.mode turn with turnUrls, or set overrides.voice-service to replicas 1 and autoscale false`,
    );
  }

  problems.push(
    ...disasterRecoveryProblems({
      stack,
      tier: s.sizing,
      backup: s.backup,
      restore: s.restore,
      protectData: resolveProtectData(stack, s.protectData),
      services,
      redisNodes: sizes.redis.replicas,
      hasSecret: (k) => secrets[k] !== undefined,
      now,
      key,
    }),
  );

  if (s.sizing === "production") {
    const llmConsumers = services.filter((x) => x === "llm-proxy" || x === "model-router");
    if (llmConsumers.length > 0) {
      for (const k of ["openaiApiKey", "anthropicApiKey"] as const) {
        if (secrets[k] === undefined) {
          problems.push(`${key(k)}: is required in production because ${llmConsumers.join(" and ")} call the provider; set it with \`pulumi config set --secret ${k} <value>\``);
        }
      }
    }
    // A production alert must reach someone: without a receiver Alertmanager sends every alert to a
    // receiver with no integrations, and nothing at `pulumi up` would say so.
    const hasReceiver = s.alerting.email !== undefined || s.alerting.webhookUrl !== undefined;
    if (services.includes("alertmanager") && !hasReceiver && s.alerting.none !== true) {
      problems.push(
        `${key("alerting")}: production needs an alert receiver: set alerting.email ({ to, from, smarthost }, with the smtpPassword secret if the relay needs a login) or alerting.webhookUrl; to run production with alerts visible only in Alertmanager's UI, say so with alerting.none: true`,
      );
    }
    if (s.posthog.mode === "cloud" && services.includes("model-router") && secrets.posthogApiKey === undefined) {
      problems.push(
        `${key("posthogApiKey")}: is required in production when posthog.mode is cloud (the Model Router's A/B tests report to it); set it with \`pulumi config set --secret posthogApiKey phc_...\`, or choose posthog.mode self-hosted or disabled`,
      );
    }
  }

  if (problems.length > 0) throw new ConfigError(scrub(problems, secretValues));

  const wrap = (v: string | undefined) => (v === undefined ? undefined : pulumi.secret(v));
  return {
    stack,
    tier: s.sizing,
    deployMode: s.deployMode,
    domain: s.domain,
    storageClass: s.storageClass,
    protectData: resolveProtectData(stack, s.protectData),
    posthog: {
      mode: s.posthog.mode,
      host: s.posthog.host ?? (s.posthog.mode === "cloud" ? "https://us.i.posthog.com" : `https://posthog.${s.domain}`),
      apiKey: wrap(secrets.posthogApiKey),
    },
    llm: { openaiApiKey: wrap(secrets.openaiApiKey), anthropicApiKey: wrap(secrets.anthropicApiKey) },
    images: s.images,
    imageDigests: s.imageDigests as ImageDigests,
    tls: s.tls,
    edge: {
      mode: s.edge.mode,
      ingressClassName: s.edge.ingressClassName,
      controllerNamespace: s.edge.controllerNamespace,
      publicServices: SERVICE_NAMES.filter((n) => CATALOG[n].public?.byDefault || s.edge.expose.includes(n)),
    },
    mesh: s.mesh,
    neo4j: s.neo4j.edition === "enterprise" ? { edition: "enterprise", acceptLicenseAgreement: s.neo4j.acceptLicenseAgreement! } : { edition: "community" },
    voiceMedia: { mode: s.voiceMedia.mode, turnUrls: s.voiceMedia.turnUrls, turnSharedSecret: wrap(secrets.turnSharedSecret) },
    alerting: { ...s.alerting, smtpPassword: wrap(secrets.smtpPassword) },
    metrics: s.metrics,
    app: s.app,
    retention: s.retention,
    backup: {
      mirror: s.backup.mirror && {
        ...s.backup.mirror,
        accessKey: pulumi.secret(secrets.backupMirrorAccessKey ?? ""),
        secretKey: pulumi.secret(secrets.backupMirrorSecretKey ?? ""),
      },
      target: s.backup.target && {
        ...s.backup.target,
        accessKey: pulumi.secret(secrets.backupTargetAccessKey ?? ""),
        secretKey: pulumi.secret(secrets.backupTargetSecretKey ?? ""),
      },
      retentionDays: s.backup.retentionDays,
    },
    restore: {
      postgresql: s.restore.postgresql && { clusters: s.restore.postgresql.clusters ?? POSTGRESQL_CLUSTERS.filter((c) => services.includes(c)), targetTime: s.restore.postgresql.targetTime },
      redis: s.restore.redis,
      faiss: s.restore.faiss,
      minio: s.restore.minio && {},
    },
    cluster: {
      kubeconfig: s.kubeconfig,
      context: s.kubeContext,
      renderTo: s.renderTo,
      skipAwait: s.skipAwait,
      externalCharts: s.externalCharts,
    },
    services,
    sizes,
    bootstrapJobSize: bootstrapJobSize(s.sizing),
  };
}

/** `auto` protects every stack but the dev ones. */
function resolveProtectData(stack: string, setting: boolean | "auto"): boolean {
  return setting === "auto" ? !DEV_STACK.test(stack) : setting;
}

/** The deploy mode's services, minus what the other settings switch off. */
function selectServices(s: Settings): ServiceName[] {
  const excluded = new Set<ServiceName>();
  if (s.posthog.mode !== "self-hosted") {
    for (const name of SERVICE_NAMES) if (CATALOG[name].layer === "analytics") excluded.add(name);
  }
  // istiod also implements the Gateway API edge, so it stays when the mesh is off but the edge needs it.
  if (!s.mesh && s.edge.mode !== "gateway-api") excluded.add("istiod");
  if (!s.mesh) {
    excluded.add("ztunnel");
    excluded.add("istio-cni");
  }
  if (s.edge.mode !== "gateway-api") excluded.add("edge-gateway");
  if (s.tls.issuer === "none") excluded.add("cert-manager");
  const roots = s.services.length > 0 ? s.services.filter(isServiceName) : rootServices(s.deployMode);
  return closure(roots, excluded);
}

function resolveSizes(tier: Tier, overrides: Record<string, ServiceOverride>, choices: ClusteringChoices, problems: string[]): Record<ServiceName, ServiceSize> {
  for (const name of Object.keys(overrides)) {
    if (!isServiceName(name)) {
      problems.push(`voicehelper:overrides.${name}: unknown service; services are ${SERVICE_NAMES.join(", ")}`);
    }
  }
  const sizes = {} as Record<ServiceName, ServiceSize>;
  for (const name of SERVICE_NAMES) {
    const row = SIZING[name][tier];
    const o: ServiceOverride = overrides[name] ?? {};
    const where = `voicehelper:overrides.${name}`;
    const resources: Resources = {
      requests: { cpu: o.requests?.cpu ?? row.cpu[0], memory: o.requests?.memory ?? row.memory[0] },
      limits: { cpu: o.limits?.cpu ?? row.cpu[1], memory: o.limits?.memory ?? row.memory[1] },
    };
    if (cpuCores(resources.requests.cpu) > cpuCores(resources.limits.cpu)) {
      problems.push(`${where}: cpu request ${resources.requests.cpu} is above the cpu limit ${resources.limits.cpu}; a request must not exceed its limit`);
    }
    if (memoryBytes(resources.requests.memory) > memoryBytes(resources.limits.memory)) {
      problems.push(`${where}: memory request ${resources.requests.memory} is above the memory limit ${resources.limits.memory}; a request must not exceed its limit`);
    }
    if (o.gpu !== undefined && o.gpu > 0 && !CATALOG[name].gpu) {
      problems.push(`${where}.gpu: ${name} cannot use a GPU; GPU-capable services are ${SERVICE_NAMES.filter((s) => CATALOG[s].gpu).join(", ")}`);
    }
    if (o.gpu !== undefined && o.gpu > 0) resources.gpu = o.gpu;
    if (o.storage !== undefined && row.storage === undefined) {
      problems.push(`${where}.storage: ${name} keeps no data volume, so storage cannot be set`);
    }
    const entry = CATALOG[name];
    const bounds = o.autoscale === false ? undefined : (o.autoscale ?? row.autoscale);
    if (bounds !== undefined && (entry.batch || entry.daemon)) {
      problems.push(`${where}.autoscale: ${name} is a ${entry.batch ? "batch job" : "DaemonSet"} and cannot be autoscaled`);
    }
    if (bounds !== undefined && bounds.min > bounds.max) {
      problems.push(`${where}.autoscale: min ${bounds.min} is above max ${bounds.max}`);
    }
    if (o.replicas !== undefined && bounds !== undefined) {
      problems.push(`${where}.replicas: ${name} is autoscaled (${bounds.min}-${bounds.max}); set autoscale.min/max, or autoscale: false to fix the replica count`);
    }
    const replicas = bounds?.min ?? o.replicas ?? tierReplicas(name, tier, choices);
    const replicaProblem = REPLICA_CONSTRAINTS[name]?.(replicas, choices);
    if (replicaProblem) problems.push(`${where}.replicas: ${replicaProblem} (got ${replicas})`);
    sizes[name] = {
      replicas,
      resources,
      storage: o.storage ?? row.storage,
      autoscaling: bounds && { minReplicas: bounds.min, maxReplicas: bounds.max, ...HPA_TARGETS },
    };
  }
  return sizes;
}
