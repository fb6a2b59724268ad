/**
 * The shape every in-house HTTP service shares (gateway, algo-service, frontend, the AI services, the
 * Model Router): one container from the product's registry, HTTP on 8080 with `/health` for the
 * probes and Prometheus metrics on 9090 at `/metrics`. Those are the platform's contract with the
 * product's images (assumed, not verifiable here); a service file adds only its env and what is
 * special about it (state, extra ports, a slower start).
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "./size";
import { CONFIG_HASH_ANNOTATION, configHash } from "./config-hash";
import { SharedSettings } from "./config-map";
import { ContainerPort, ContainerSpec, EnvVar, Volume, VolumeMount, httpProbe, startupAllowance } from "./container";
import { imageVersion } from "./labels";
import { Admission, Dependency, EgressRule } from "./network-policy";
import { tracingDependency, tracingEnv } from "./tracing";
import { Workload, WorkloadContext } from "./workload";

export const IN_HOUSE_HTTP_PORT = 8080;
export const IN_HOUSE_METRICS_PORT = 9090;
/** distroless "nonroot": the product's images run as this user. */
export const IN_HOUSE_UID = 65532;

export interface InHouseServiceArgs {
  /** Catalog name: Deployment/StatefulSet, Service and ServiceAccount name. */
  name: string;
  /** `app.kubernetes.io/component`. */
  component: string;
  image: string;
  size: ServiceSize;
  env?: EnvVar[];
  /** Every declared dependency (from the catalog): becomes NetworkPolicy paths on both sides. */
  dependencies: Dependency[];
  /** Ports beyond HTTP and metrics (e.g. WebRTC media over UDP). @default none */
  extraPorts?: ContainerPort[];
  /** Ports clients use. @default ["http"] */
  clientPorts?: string[];
  /** Ports the Service carries without admitting clients (see WorkloadArgs.serviceOnlyPorts). @default none */
  serviceOnlyPorts?: string[];
  /** Egress not covered by endpoints (external HTTPS hosts). */
  egress?: EgressRule[];
  admissions?: Admission[];
  /** Keep data on a volume claim at this path (a StatefulSet). @default stateless (a Deployment) */
  dataPath?: string;
  /** Paths the image writes besides /tmp (model caches): an emptyDir each. */
  writablePaths?: string[];
  /** Caps of those paths' emptyDirs, where larger than the usual scratch (model caches). @default EPHEMERAL_STORAGE.scratch */
  writableSizes?: Record<string, string>;
  volumes?: Volume[];
  volumeMounts?: VolumeMount[];
  /** Run before the service, e.g. a restore that fills the data volume. @default none */
  initContainers?: ContainerSpec[];
  podAnnotations?: Record<string, pulumi.Input<string>>;
  /** Minutes the first start may take (loading a model): the startup probe's allowance. @default 2 */
  startupMinutes?: number;
}

/**
 * The pod annotations with the shared settings' digest folded into the config hash, so a changed
 * setting rolls the service (env from a ConfigMap is read only when the container starts).
 */
function withSettingsHash(annotations: Record<string, pulumi.Input<string>> | undefined, settings: SharedSettings | undefined): Record<string, pulumi.Input<string>> | undefined {
  if (!settings) return annotations;
  const own = annotations?.[CONFIG_HASH_ANNOTATION];
  const hash = own === undefined ? settings.hash : pulumi.output(own).apply((h) => configHash(h, settings.hash));
  return { ...annotations, [CONFIG_HASH_ANNOTATION]: hash };
}

export function inHouseService(args: InHouseServiceArgs, ctx: WorkloadContext, parent: pulumi.Resource): Workload {
  const health = httpProbe("/health", "http");
  const settings = ctx.appSettings;
  if (settings && settings.namespace !== ctx.namespace) {
    throw new Error(`${args.name} runs in ${ctx.namespace}, but the shared application settings are in ${settings.namespace}: a pod can only read a ConfigMap of its own namespace`);
  }
  return new Workload(
    {
      id: { name: args.name, component: args.component, version: imageVersion(args.image) },
      size: args.size,
      runAsUser: IN_HOUSE_UID,
      state: args.dataPath ? { mountPath: args.dataPath } : undefined,
      containers: [
        {
          name: args.name,
          image: args.image,
          ports: [{ name: "http", containerPort: IN_HOUSE_HTTP_PORT }, { name: "metrics", containerPort: IN_HOUSE_METRICS_PORT }, ...(args.extraPorts ?? [])],
          env: [
            { name: "HTTP_PORT", value: String(IN_HOUSE_HTTP_PORT) },
            { name: "METRICS_PORT", value: String(IN_HOUSE_METRICS_PORT) },
            ...(ctx.tracing ? tracingEnv(args.name, ctx.tracing) : []),
            ...(args.env ?? []),
          ],
          envFrom: settings ? [{ configMapRef: { name: settings.name } }] : undefined,
          writablePaths: ["/tmp", ...(args.writablePaths ?? [])],
          writableSizes: args.writableSizes,
          volumeMounts: [...(args.dataPath ? [{ name: "data", mountPath: args.dataPath }] : []), ...(args.volumeMounts ?? [])],
          probes: {
            startup: startupAllowance(health, args.startupMinutes ?? 2),
            readiness: httpProbe("/health", "http", { periodSeconds: 5 }),
            liveness: health,
          },
          // Let the endpoints controller and proxies stop sending traffic before the process exits.
          lifecycle: { preStop: { sleep: { seconds: 10 } } },
        },
      ],
      initContainers: args.initContainers,
      clientPorts: args.clientPorts ?? ["http"],
      // The platform's contract with the in-house images: clients speak HTTP on IN_HOUSE_HTTP_PORT.
      primaryPort: "http",
      serviceOnlyPorts: args.serviceOnlyPorts,
      metrics: { port: "metrics", path: "/metrics" },
      dependencies: [...args.dependencies, ...(ctx.tracing ? [tracingDependency(ctx.tracing)] : [])],
      admissions: args.admissions,
      egress: args.egress,
      volumes: args.volumes,
      podAnnotations: withSettingsHash(args.podAnnotations, settings),
      terminationGracePeriodSeconds: 40,
    },
    ctx,
    { parent },
  );
}
