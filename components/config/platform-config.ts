/**
 * The resolved configuration the program reads (`loadConfig`'s result). Each setting with modes is a
 * union of its modes, each variant holding the fields that mode guarantees, so code that checked the
 * mode needs no `!` and cannot read a field the mode does not have.
 */
import * as pulumi from "@pulumi/pulumi";
import { DeployMode, ServiceName } from "./catalog";
import { Tier } from "./sizing";
import { ImageDigests } from "./image-digests";
import { PostgresqlCluster } from "./disaster-recovery";
import { ServiceSize } from "../kit/size";
import { KUBELET_TLS_MODES, LOG_LEVELS, Neo4jSettings } from "./settings";
import type { AlertWebhook } from "./alert-webhook";

/** Where the Model Router's analytics go (`posthog`). */
export type PosthogConfig =
  /** PostHog Cloud at `host`; the project key (a config secret) when the stack set it. */
  | { mode: "cloud"; host: string; apiKey?: pulumi.Output<string> }
  /** PostHog deployed by this stack, served at `host`; the project key once PostHog created it. */
  | { mode: "self-hosted"; host: string; apiKey?: pulumi.Output<string> }
  /** No analytics: the Model Router runs with PostHog off. */
  | { mode: "disabled" };

/** Who signs the public hosts' certificates (`tls`). */
export type TlsConfig =
  /** Let's Encrypt; `email` receives its expiry notices. */
  | { issuer: "acme"; email: string }
  /** A self-signed root CA signing the hosts, or no certificates managed here. */
  | { issuer: "self-signed" | "none" };

/** Services reachable from outside, by catalog name: the public-by-default ones plus `edge.expose`. */
type PublicServices = { publicServices: ServiceName[] };
/** How public traffic enters (`edge`). */
export type EdgeConfig =
  /** A Gateway API Gateway implemented by istiod, deployed by this stack. */
  | ({ mode: "gateway-api" } & PublicServices)
  /**
   * Ingress objects for an existing controller of class `ingressClassName`, whose pods run in
   * `controllerNamespace` (the only source admitted to the routed services).
   */
  | ({ mode: "ingress"; ingressClassName: string; controllerNamespace: string } & PublicServices);

/** How WebRTC media reaches voice-service (`voiceMedia`, see VOICE_MEDIA_MODES). */
export type VoiceMediaConfig =
  /** One UDP port on a LoadBalancer Service; no TURN servers. */
  | { mode: "load-balancer"; turnUrls: [] }
  /** Relayed by these TURN servers; the TURN REST API secret when the stack set one. */
  | { mode: "turn"; turnUrls: string[]; turnSharedSecret?: pulumi.Output<string> };

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
  posthog: PosthogConfig;
  llm: { openaiApiKey?: pulumi.Output<string>; anthropicApiKey?: pulumi.Output<string> };
  images: { registry: string; tag: string };
  /** Digests that pin third-party images (IMAGES keys); empty = tags only. */
  imageDigests: ImageDigests;
  tls: TlsConfig;
  edge: EdgeConfig;
  mesh: boolean;
  /** Neo4j's edition, and for Enterprise the licence answer the stack gave explicitly. */
  neo4j: Neo4jSettings;
  /** How WebRTC media reaches voice-service (see VOICE_MEDIA_MODES). */
  voiceMedia: VoiceMediaConfig;
  /** Where Alertmanager sends alerts; neither receiver set = alerts are kept in Alertmanager only. */
  alerting: {
    email?: { to: string; from: string; smarthost: string };
    /** The webhook receiver, from the `alertWebhookUrl` config secret. */
    webhook?: AlertWebhook;
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
