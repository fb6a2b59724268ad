/**
 * Fluentd (seed 003/004): a node agent tailing every container's log from the node (containerd's CRI
 * format), enriching it with pod metadata from the Kubernetes API and shipping it to Elasticsearch in
 * daily `voicehelper-logs-*` indices. Our own config file replaces the image's catch-all one, so what
 * is read and where it goes is stated here.
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { CONFIG_HASH_ANNOTATION } from "../../kit/config-hash";
import { configFiles } from "../../kit/config-map";
import { EnvVar, fieldEnv, httpProbe, secretEnv, startupAllowance } from "../../kit/container";
import { NodeAgent } from "../../kit/daemon";
import { ServiceEndpoint } from "../../kit/endpoint";
import { imageVersion, labels as labelsOf } from "../../kit/labels";
import { Dependency, kubernetesApiEgress } from "../../kit/network-policy";
import { clusterReader } from "../../kit/rbac";
import { WorkloadContext } from "../../kit/workload";
import { ElasticsearchAuth, elasticsearchPort } from "../elasticsearch/elasticsearch-clients";

const NAME = "fluentd";
const CONFIG_DIR = "/fluentd/etc/voicehelper";
/** Read positions and the output buffer, kept on the node so a restart neither loses nor repeats logs. */
const STATE_DIR = "/var/lib/fluentd";
const HOST_STATE_DIR = "/var/lib/voicehelper-fluentd";
const PORTS = { metrics: 24231, monitor: 24220 } as const;

export interface FluentdArgs {
  image: string;
  size: ServiceSize;
  /** Namespace Fluentd runs in: its own logs are not shipped (they would feed back into themselves). */
  namespace: string;
  elasticsearch: ServiceEndpoint;
  elasticsearchAuth?: ElasticsearchAuth;
  /** Prefix of the daily log indices (the storage layer's `indices.logs`). */
  indexPrefix: string;
  dependencies: Dependency[];
}

/** Fluentd's configuration file. Credentials are read from the environment, never written here. */
export function fluentdConfig(args: Pick<FluentdArgs, "namespace" | "elasticsearch" | "elasticsearchAuth" | "indexPrefix">): string {
  const auth = args.elasticsearchAuth ? [`  user "#{ENV['ES_USER']}"`, `  password "#{ENV['ES_PASSWORD']}"`] : [];
  return [
    "<label @FLUENT_LOG>",
    "  <match fluent.**>",
    "    @type stdout",
    "  </match>",
    "</label>",
    "",
    "<source>",
    "  @type monitor_agent",
    "  bind 0.0.0.0",
    `  port ${PORTS.monitor}`,
    "</source>",
    "<source>",
    "  @type prometheus",
    "  bind 0.0.0.0",
    `  port ${PORTS.metrics}`,
    "  metrics_path /metrics",
    "</source>",
    "<source>",
    "  @type prometheus_output_monitor",
    "</source>",
    "",
    "<source>",
    "  @type tail",
    "  @id container_logs",
    "  path /var/log/containers/*.log",
    `  exclude_path ["/var/log/containers/${NAME}-*_${args.namespace}_*.log"]`,
    `  pos_file ${STATE_DIR}/containers.log.pos`,
    "  tag kubernetes.*",
    "  read_from_head true",
    "  <parse>",
    "    @type cri",
    "  </parse>",
    "</source>",
    "",
    "<filter kubernetes.**>",
    "  @type kubernetes_metadata",
    "</filter>",
    "",
    "<match kubernetes.**>",
    "  @type elasticsearch",
    "  @id elasticsearch",
    `  host ${args.elasticsearch.host}`,
    `  port ${elasticsearchPort(args.elasticsearch)}`,
    "  scheme http",
    ...auth,
    "  logstash_format true",
    `  logstash_prefix ${args.indexPrefix}`,
    "  reconnect_on_error true",
    // Behind a Service: do not replace it with the addresses Elasticsearch reports for its nodes.
    "  reload_connections false",
    "  <buffer>",
    "    @type file",
    `    path ${STATE_DIR}/buffer`,
    "    flush_mode interval",
    "    flush_interval 5s",
    "    chunk_limit_size 8M",
    "    total_limit_size 1G",
    "    overflow_action block",
    "    retry_type exponential_backoff",
    "    retry_max_interval 30s",
    "    retry_forever true",
    "  </buffer>",
    "</match>",
    "",
  ].join("\n");
}

export function fluentd(args: FluentdArgs, ctx: WorkloadContext, parent: pulumi.Resource): void {
  const id = { name: NAME, component: "logging", version: imageVersion(args.image) };
  const labels = labelsOf(id);
  const conf = fluentdConfig(args);
  const config = configFiles(`${NAME}-config`, ctx.namespace, labels, { "fluent.conf": conf }, parent);

  // The metadata filter looks up each log's pod (and its namespace) to attach labels.
  clusterReader({ name: NAME, namespace: ctx.namespace, labels, rules: [{ apiGroups: [""], resources: ["pods", "namespaces"] }] }, parent);

  const env: EnvVar[] = [
    // The entrypoint runs `fluentd -c /fluentd/etc/$FLUENTD_CONF`.
    { name: "FLUENTD_CONF", value: "voicehelper/fluent.conf" },
    // The metadata filter watches only this node's pods.
    fieldEnv("K8S_NODE_NAME", "spec.nodeName"),
    ...(args.elasticsearchAuth ? [{ name: "ES_USER", value: args.elasticsearchAuth.username }, secretEnv("ES_PASSWORD", args.elasticsearchAuth.password.in(ctx.namespace))] : []),
  ];
  const monitor = httpProbe("/api/plugins.json", "monitor");
  new NodeAgent(
    {
      id,
      size: args.size,
      runAsUser: 0,
      containers: [
        {
          name: NAME,
          image: args.image,
          env,
          ports: [
            { name: "metrics", containerPort: PORTS.metrics },
            { name: "monitor", containerPort: PORTS.monitor },
          ],
          volumeMounts: [
            { name: "config", mountPath: CONFIG_DIR, readOnly: true },
            { name: "pod-logs", mountPath: "/var/log/pods", readOnly: true },
            { name: "container-logs", mountPath: "/var/log/containers", readOnly: true },
            { name: "state", mountPath: STATE_DIR },
          ],
          writablePaths: ["/tmp"],
          probes: { startup: startupAllowance(monitor, 2), readiness: monitor, liveness: monitor },
          exceptions: [
            {
              rule: "run-as-non-root",
              reason: "Fluentd reads the node's container logs, which the container runtime writes as root with mode 0640; it runs as UID 0 but with every capability dropped",
            },
          ],
        },
      ],
      volumes: [
        { name: "config", configMap: { name: config.name } },
        { name: "pod-logs", hostPath: { path: "/var/log/pods", type: "Directory" } },
        { name: "container-logs", hostPath: { path: "/var/log/containers", type: "Directory" } },
        { name: "state", hostPath: { path: HOST_STATE_DIR, type: "DirectoryOrCreate" } },
      ],
      exceptions: [
        {
          rule: "host-path",
          reason: `Fluentd reads container logs from the node (/var/log/pods and /var/log/containers, read-only) and keeps its read positions and output buffer in ${HOST_STATE_DIR} so a restart neither loses nor repeats logs`,
        },
        { rule: "no-service-account-token", reason: "Fluentd's kubernetes_metadata filter reads pod metadata from the Kubernetes API with its ServiceAccount token" },
      ],
      metrics: { port: "metrics", path: "/metrics" },
      dependencies: args.dependencies,
      egress: [kubernetesApiEgress()],
      podAnnotations: { [CONFIG_HASH_ANNOTATION]: config.hash },
      terminationGracePeriodSeconds: 60,
    },
    ctx,
    { parent },
  );
}
