/**
 * The stack's settings as zod schemas: each setting's shape, default and allowed values, with the
 * message a user sees when a value misses them. Checks that involve several settings are in
 * cross-checks.ts; turning settings into a PlatformConfig is resolve.ts.
 */
import { z } from "zod";
import { DEPLOY_MODES } from "./catalog";
import { TIERS } from "./sizing";
import { isQuantity, parseQuantity } from "./quantity";
import { NO_USERINFO, noUserinfo } from "./url";
import { imageDigestsSchema } from "./image-digests";
import { backupSchema, restoreSchema } from "./disaster-recovery";
import { PLAIN_WEBHOOK_REFUSED } from "./alert-webhook";

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
  "alertWebhookUrl",
] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];

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

export const overrideSchema = z
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

export const settingsSchema = z
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
        webhookUrl: z.never({ error: PLAIN_WEBHOOK_REFUSED }).optional(),
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

/** The settings as validated, before any cross-setting check or resolution. */
export type Settings = z.infer<typeof settingsSchema>;
/** Every setting a stack may hold, config secrets included. */
export const KNOWN_KEYS = [...Object.keys(settingsSchema.shape), ...SECRET_KEYS];
