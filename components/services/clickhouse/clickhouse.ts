/**
 * ClickHouse, one node: analytics events. The entrypoint creates the (generated) user from
 * CLICKHOUSE_USER/PASSWORD in users.d, replacing the password-less `default` user; server memory is
 * capped at 80% of the container's limit (ClickHouse reads the cgroup limit as its RAM).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { CONFIG_HASH_ANNOTATION, configHash } from "../../kit/config-hash";
import { ContainerSpec, EnvVar, Volume, VolumeMount, httpProbe, secretEnv, startupAllowance } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { imageVersion, labels as labelsOf } from "../../kit/labels";
import { GeneratedSecret, SharedCredential, password } from "../../kit/secret";
import { Dependency } from "../../kit/network-policy";
import { Workload, WorkloadContext } from "../../kit/workload";

const HTTP = 8123;
const NATIVE = 9000;
const INTERSERVER = 9009;
const UID = 101; // the clickhouse user of the official image
const USER = "voicehelper";

export interface ClickhouseArgs {
  name: string;
  image: string;
  size: ServiceSize;
  /**
   * More server settings (XML elements inside `<clickhouse>`), e.g. PostHog's clusters and ZooKeeper.
   * Credentials go in as `from_env` references to the container's Secret-backed env, never as text.
   * @default none
   */
  extraConfig?: string;
  /** Egress the server needs to its own dependencies (e.g. ZooKeeper). @default none */
  dependencies?: Dependency[];
  /**
   * What a client application installs into its server: env the extra config reads (`from_env`), init
   * containers that fill volumes (e.g. PostHog's user-defined functions), and those volumes' mounts.
   * @default none
   */
  extension?: {
    env?: EnvVar[];
    initContainers?: ContainerSpec[];
    volumes?: Volume[];
    volumeMounts?: VolumeMount[];
    /** User-level settings (XML inside `<clickhouse>`, e.g. the default profile), merged via users.d. */
    usersConfig?: string;
  };
}

export interface ClickhouseOutputs {
  endpoint: ServiceEndpoint;
  username: string;
  user: SharedCredential;
  password: SharedCredential;
}

/** ClickHouse's own Prometheus endpoint (docs/metrics-upstream.md): system.metrics, events, asynchronous metrics. */
export const CLICKHOUSE_METRICS_PORT = 9363;

/** Server settings added to the image's config (config.d merges over config.xml). */
export function clickhouseServerConfig(extra = ""): string {
  return `<clickhouse>
    <max_server_memory_usage_to_ram_ratio>0.8</max_server_memory_usage_to_ram_ratio>
    <prometheus>
        <endpoint>/metrics</endpoint>
        <port>${CLICKHOUSE_METRICS_PORT}</port>
        <metrics>true</metrics>
        <events>true</events>
        <asynchronous_metrics>true</asynchronous_metrics>
    </prometheus>
${extra}</clickhouse>
`;
}

export function clickhouse(args: ClickhouseArgs, ctx: WorkloadContext, parent: pulumi.Resource): ClickhouseOutputs {
  const { name } = args;
  const id = { name, component: "analytics-database", version: imageVersion(args.image) };
  const opts = { parent };

  const auth = new GeneratedSecret(`${name}-auth`, { namespace: ctx.namespace, labels: labelsOf(id), generate: { password: password(32) }, plain: { username: USER } }, opts);
  const serverConfig = clickhouseServerConfig(args.extraConfig);
  const usersConfig = args.extension?.usersConfig === undefined ? undefined : `<clickhouse>\n${args.extension.usersConfig}</clickhouse>\n`;
  const config = new k8s.core.v1.ConfigMap(
    `${name}-config`,
    {
      metadata: { name: `${name}-config`, namespace: ctx.namespace, labels: labelsOf(id) },
      data: { "voicehelper.xml": serverConfig, ...(usersConfig ? { "voicehelper-users.xml": usersConfig } : {}) },
    },
    opts,
  );
  const ping = httpProbe("/ping", "http");

  const workload = new Workload(
    {
      id,
      size: args.size,
      runAsUser: UID,
      state: { mountPath: "/var/lib/clickhouse" },
      containers: [
        {
          name: "clickhouse",
          image: args.image,
          env: [
            secretEnv("CLICKHOUSE_USER", auth.ref("username")),
            secretEnv("CLICKHOUSE_PASSWORD", auth.ref("password")),
            { name: "CLICKHOUSE_DEFAULT_ACCESS_MANAGEMENT", value: "1" },
            ...(args.extension?.env ?? []),
          ],
          ports: [
            { name: "http", containerPort: HTTP },
            { name: "native", containerPort: NATIVE },
            { name: "interserver", containerPort: INTERSERVER },
            { name: "metrics", containerPort: CLICKHOUSE_METRICS_PORT },
          ],
          volumeMounts: [
            { name: "data", mountPath: "/var/lib/clickhouse" },
            // One file into the image's config.d, so its docker_related_config.xml (listen hosts) stays.
            { name: "config", mountPath: "/etc/clickhouse-server/config.d/voicehelper.xml", subPath: "voicehelper.xml", readOnly: true },
            // Beside the file the entrypoint writes into users.d.
            ...(usersConfig ? [{ name: "config", mountPath: "/etc/clickhouse-server/users.d/voicehelper-users.xml", subPath: "voicehelper-users.xml", readOnly: true }] : []),
            ...(args.extension?.volumeMounts ?? []),
          ],
          // The entrypoint writes the user into users.d.
          writablePaths: ["/etc/clickhouse-server/users.d", "/var/log/clickhouse-server", "/tmp"],
          probes: { startup: startupAllowance(ping, 10), readiness: ping, liveness: ping },
        },
      ],
      initContainers: args.extension?.initContainers,
      volumes: [{ name: "config", configMap: { name: config.metadata.name } }, ...(args.extension?.volumes ?? [])],
      clientPorts: ["http", "native"],
      primaryPort: "http",
      metrics: { port: "metrics", path: "/metrics" },
      podAnnotations: { [CONFIG_HASH_ANNOTATION]: configHash(serverConfig + (usersConfig ?? "")) },
      dependencies: args.dependencies,
      terminationGracePeriodSeconds: 60,
    },
    ctx,
    opts,
  );

  return { endpoint: workload.endpoint, username: USER, user: auth.credential("username"), password: auth.credential("password") };
}
