/**
 * Jaeger v2 (seed 003/004; v1 reached end of life on 31 Dec 2025): one OpenTelemetry-collector-based
 * binary receiving OTLP on 4317/4318, storing traces in Elasticsearch and serving the UI on 16686.
 * Services fetch their sampling strategy from it (gRPC 5779, the OpenTelemetry SDKs' remote sampler;
 * HTTP 5778): 10% by default, 50% for the AI services (seed 003). In-house services are pointed at it
 * by `tracingCollector()` before it exists (kit/tracing.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { CATALOG, NAMESPACES, SERVICE_NAMES, ServiceName } from "../../config/catalog";
import { ServiceSize } from "../../config/schema";
import { CONFIG_HASH_ANNOTATION } from "../../kit/config-hash";
import { configFiles } from "../../kit/config-map";
import { EnvVar, httpProbe, secretEnv, startupAllowance } from "../../kit/container";
import { Peer, ServiceEndpoint, clusterHost } from "../../kit/endpoint";
import { imageVersion, labels as labelsOf, selectorLabels } from "../../kit/labels";
import { OTLP_HTTP_PORT, SAMPLING_GRPC_PORT } from "../../kit/tracing";
import { Dependency } from "../../kit/network-policy";
import { Workload, WorkloadContext } from "../../kit/workload";
import { OBSERVABILITY_DEFAULTS } from "../prometheus/defaults";
import { ElasticsearchAuth, elasticsearchPort } from "../elasticsearch/elasticsearch-clients";

const UID = 10001; // the image's user
const NAME = "jaeger";
const CONFIG_DIR = "/etc/jaeger";
const COMPONENT = "tracing";
const PORTS = { otlpGrpc: 4317, otlpHttp: 4318, query: 16686, sampling: 5778, samplingGrpc: 5779, health: 13133, metrics: 8888 } as const;

/**
 * Jaeger as the in-house services' trace collector, known before it is deployed (the services are
 * built first): the same selector, Service name and ports the workload below gets.
 */
export function tracingCollector(): ServiceEndpoint {
  const namespace = NAMESPACES[CATALOG.jaeger.namespace];
  return {
    service: NAME,
    namespace,
    host: clusterHost(NAME, namespace),
    selector: selectorLabels({ name: NAME, component: COMPONENT }),
    ports: { [OTLP_HTTP_PORT]: PORTS.otlpHttp, [SAMPLING_GRPC_PORT]: PORTS.samplingGrpc },
    primaryPort: OTLP_HTTP_PORT,
  };
}

/** A service's trace sampling rate (seed 003): the AI services' higher rate, else the default. */
export function samplingRateOf(service: ServiceName): number {
  const s = OBSERVABILITY_DEFAULTS.sampling;
  return CATALOG[service].layer === "ai" ? s.ai : s.default;
}

export interface JaegerArgs {
  image: string;
  size: ServiceSize;
  elasticsearch: ServiceEndpoint;
  elasticsearchAuth?: ElasticsearchAuth;
  /** Prefix of Jaeger's indices (the storage layer's `indices.traces`). */
  indexPrefix: string;
  /** Index replicas: 0 on a single Elasticsearch node (a replica could never be assigned). */
  indexReplicas: number;
  /** Pods that may send traces and fetch sampling strategies besides the in-house services (which admit themselves as dependants). @default none */
  clients?: Peer[];
  dependencies: Dependency[];
}

/** Jaeger's remote-sampling strategies: seed 003's 10% default, 50% for every AI-layer service. */
export function samplingStrategies(): Record<string, unknown> {
  const s = OBSERVABILITY_DEFAULTS.sampling;
  return {
    default_strategy: { type: "probabilistic", param: s.default },
    service_strategies: SERVICE_NAMES.filter((n) => samplingRateOf(n) !== s.default).map((service) => ({ service, type: "probabilistic", param: samplingRateOf(service) })),
  };
}

/** Jaeger's configuration file as an object. The Elasticsearch password is an env reference, never inlined. */
export function jaegerConfig(args: Pick<JaegerArgs, "elasticsearch" | "elasticsearchAuth" | "indexPrefix" | "indexReplicas">): Record<string, unknown> {
  // Daily indices (Jaeger's default layout), expired by the storage layer's ILM policy (seed 004).
  const index = { shards: 1, replicas: args.indexReplicas };
  const listen = (port: number) => ({ endpoint: `0.0.0.0:${port}` });
  return {
    service: {
      extensions: ["jaeger_storage", "jaeger_query", "remote_sampling", "healthcheckv2"],
      pipelines: { traces: { receivers: ["otlp"], processors: ["batch"], exporters: ["jaeger_storage_exporter"] } },
      telemetry: {
        resource: { "service.name": NAME },
        metrics: { level: "detailed", readers: [{ pull: { exporter: { prometheus: { host: "0.0.0.0", port: PORTS.metrics } } } }] },
        logs: { level: "info" },
      },
    },
    extensions: {
      healthcheckv2: { use_v2: true, http: listen(PORTS.health) },
      jaeger_query: { storage: { traces: "elasticsearch" }, http: listen(PORTS.query) },
      jaeger_storage: {
        backends: {
          elasticsearch: {
            elasticsearch: {
              server_urls: [`http://${args.elasticsearch.host}:${elasticsearchPort(args.elasticsearch)}`],
              ...(args.elasticsearchAuth ? { auth: { basic: { username: args.elasticsearchAuth.username, password: "${env:ES_PASSWORD}" } } } : {}),
              indices: { index_prefix: args.indexPrefix, spans: index, services: index, dependencies: index, sampling: index },
            },
          },
        },
      },
      remote_sampling: { file: { path: `${CONFIG_DIR}/sampling.json` }, http: listen(PORTS.sampling), grpc: listen(PORTS.samplingGrpc) },
    },
    receivers: { otlp: { protocols: { grpc: listen(PORTS.otlpGrpc), http: listen(PORTS.otlpHttp) } } },
    processors: { batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: "elasticsearch" } },
  };
}

export function jaeger(args: JaegerArgs, ctx: WorkloadContext, parent: pulumi.Resource): ServiceEndpoint {
  const id = { name: NAME, component: COMPONENT, version: imageVersion(args.image) };
  const labels = labelsOf(id);
  const config = configFiles(
    `${NAME}-config`,
    ctx.namespace,
    labels,
    { "config.yaml": stringify(jaegerConfig(args), { lineWidth: 0, aliasDuplicateObjects: false }), "sampling.json": JSON.stringify(samplingStrategies(), null, 2) },
    parent,
  );
  const env: EnvVar[] = args.elasticsearchAuth ? [secretEnv("ES_PASSWORD", args.elasticsearchAuth.password.in(ctx.namespace))] : [];
  const health = httpProbe("/status", "health");
  const workload = new Workload(
    {
      id,
      size: args.size,
      runAsUser: UID,
      containers: [
        {
          name: NAME,
          image: args.image,
          args: ["--config", `${CONFIG_DIR}/config.yaml`],
          env,
          ports: [
            { name: "otlp-grpc", containerPort: PORTS.otlpGrpc },
            { name: OTLP_HTTP_PORT, containerPort: PORTS.otlpHttp },
            { name: "query", containerPort: PORTS.query },
            { name: "sampling", containerPort: PORTS.sampling },
            { name: SAMPLING_GRPC_PORT, containerPort: PORTS.samplingGrpc },
            { name: "health", containerPort: PORTS.health },
            { name: "metrics", containerPort: PORTS.metrics },
          ],
          volumeMounts: [{ name: "config", mountPath: CONFIG_DIR, readOnly: true }],
          writablePaths: ["/tmp"],
          probes: { startup: startupAllowance(health, 3), readiness: health, liveness: health },
        },
      ],
      volumes: [{ name: "config", configMap: { name: config.name } }],
      clientPorts: ["otlp-grpc", OTLP_HTTP_PORT, "query", "sampling", SAMPLING_GRPC_PORT],
      primaryPort: "otlp-grpc",
      metrics: { port: "metrics", path: "/metrics" },
      dependencies: args.dependencies,
      admissions: args.clients?.length ? [{ role: "tracing-clients", from: args.clients, ports: [PORTS.otlpGrpc, PORTS.otlpHttp, PORTS.sampling, PORTS.samplingGrpc] }] : [],
      podAnnotations: { [CONFIG_HASH_ANNOTATION]: config.hash },
    },
    ctx,
    { parent },
  );
  return workload.endpoint;
}
