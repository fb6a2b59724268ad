/**
 * Prometheus (seed 003/004): discovers every pod annotated `prometheus.io/scrape: "true"` in the
 * platform namespaces (the kit annotates each workload that declares `metrics`), scrapes every 15 s,
 * keeps 15 days, evaluates seed 003's alert rules and sends alerts to every Alertmanager replica.
 */
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { NAMESPACES } from "../../config/catalog";
import { memoryBytes } from "../../config/quantity";
import { PlatformConfig, ServiceSize } from "../../config/schema";
import { CONFIG_HASH_ANNOTATION, configHash } from "../../kit/config-hash";
import { configFiles } from "../../kit/config-map";
import { httpProbe, startupAllowance } from "../../kit/container";
import { Peer, ServiceEndpoint } from "../../kit/endpoint";
import { imageVersion, labels as labelsOf, selectorLabels } from "../../kit/labels";
import { Dependency, externalEgress, kubernetesApiEgress, namespacesEgress } from "../../kit/network-policy";
import { clusterReader } from "../../kit/rbac";
import { SCRAPE_ANNOTATIONS, discoveryLabel } from "../../kit/scrape";
import { Workload, WorkloadContext } from "../../kit/workload";
import { OBSERVABILITY_DEFAULTS } from "./defaults";
import { AlertRule, CADVISOR_JOB, EXPORTER_JOB, KUBELET_JOB, POD_JOB, RULES_DIR, rulesFile } from "./rules";

const PORT = 9090;
/** The kubelet's authenticated HTTPS port (node discovery reports it per node; this is for the NetworkPolicy). */
const KUBELET_PORT = 10250;
const UID = 65534; // nobody, the image's user
const NAME = "prometheus";
const COMPONENT = "metrics";
const CONFIG_DIR = "/etc/prometheus/config";
const DATA_DIR = "/prometheus";
/** Prometheus stops at this share of its volume, so the TSDB never fills the disk (retention by time may). */
const RETENTION_SIZE_SHARE = 0.85;

/**
 * Prometheus' pods, known before Prometheus exists: the Platform passes this to every layer so the
 * kit admits the scraper to each declared metrics port.
 */
export function prometheusScrapers(): Peer {
  return { namespace: NAMESPACES.monitoring, selector: selectorLabels({ name: NAME, component: COMPONENT }) };
}

export interface PrometheusArgs {
  image: string;
  size: ServiceSize;
  /** `cluster` label on every alert and series sent out (Alertmanager groups by it). */
  clusterName: string;
  /** Namespaces whose pods are discovered and scraped (they must exist: Prometheus may read only these). */
  namespaces: readonly string[];
  /** Operator namespaces whose exporters (pods annotated with honor-labels) are scraped too, e.g. cert-manager's. @default none */
  operatorNamespaces?: readonly string[];
  kubeletTls: KubeletTls;
  /** Every Alertmanager replica as "host:port": Prometheus must send each alert to all of them. */
  alertmanagers: readonly string[];
  rules: AlertRule[];
  dependencies: Dependency[];
}

export interface PrometheusOutputs {
  endpoint: ServiceEndpoint;
}

/** Where the service account's token and the cluster CA are mounted in every pod that has them. */
const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

const IPV6_ADDRESS = "(\\d+);(([A-Fa-f0-9]{1,4}::?){1,7}[A-Fa-f0-9]{1,4})";
const IPV4_ADDRESS = "(\\d+);((([0-9]+?)(\\.|$)){4})";

/**
 * A job over the pods annotated for scraping (see kit/scrape.ts). `exporters` selects the pods that
 * report on other objects: they get `honor_labels` so their series keep the namespace, pod and
 * container they describe; every other pod's series are labelled with the pod itself.
 */
function podJob(jobName: string, namespaces: readonly string[], exporters: boolean): Record<string, unknown> {
  return {
    job_name: jobName,
    ...(exporters ? { honor_labels: true } : {}),
    kubernetes_sd_configs: [{ role: "pod", namespaces: { names: [...namespaces] } }],
    relabel_configs: [
      { source_labels: [discoveryLabel(SCRAPE_ANNOTATIONS.enabled)], action: "keep", regex: "true" },
      { source_labels: [discoveryLabel(SCRAPE_ANNOTATIONS.honorLabels)], action: exporters ? "keep" : "drop", regex: "true" },
      // Pods that are not running yet (or any more) have nothing to scrape.
      { source_labels: ["__meta_kubernetes_pod_phase"], action: "drop", regex: "Pending|Succeeded|Failed" },
      { source_labels: [discoveryLabel(SCRAPE_ANNOTATIONS.path)], action: "replace", regex: "(.+)", target_label: "__metrics_path__" },
      // The annotated port on the pod's IP (IPv6, then IPv4). A pod is discovered once per container
      // port; after this rewrite those targets are identical and Prometheus scrapes the pod once.
      { source_labels: [discoveryLabel(SCRAPE_ANNOTATIONS.port), "__meta_kubernetes_pod_ip"], action: "replace", regex: IPV6_ADDRESS, replacement: "[$2]:$1", target_label: "__address__" },
      { source_labels: [discoveryLabel(SCRAPE_ANNOTATIONS.port), "__meta_kubernetes_pod_ip"], action: "replace", regex: IPV4_ADDRESS, replacement: "$2:$1", target_label: "__address__" },
      { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
      { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
      { source_labels: ["__meta_kubernetes_pod_label_app_kubernetes_io_name"], target_label: "service" },
    ],
  };
}

/**
 * A job over every node's kubelet (on the port the node reports), authenticated with Prometheus'
 * token (the kubelet authorizes it as nodes/metrics). The kubelet reports on every pod of its node:
 * only the platform namespaces' series are kept.
 */
function kubeletJob(jobName: string, path: string, namespaces: readonly string[], tls: KubeletTls, keepMetrics?: string): Record<string, unknown> {
  return {
    job_name: jobName,
    scheme: "https",
    metrics_path: path,
    kubernetes_sd_configs: [{ role: "node" }],
    authorization: { credentials_file: `${SERVICE_ACCOUNT_DIR}/token` },
    tls_config: tls === "verify" ? { ca_file: `${SERVICE_ACCOUNT_DIR}/ca.crt` } : { insecure_skip_verify: true },
    relabel_configs: [{ source_labels: ["__meta_kubernetes_node_name"], target_label: "node" }],
    metric_relabel_configs: [
      ...(keepMetrics ? [{ source_labels: ["__name__"], action: "keep", regex: keepMetrics }] : []),
      { source_labels: ["namespace"], action: "keep", regex: namespaces.map(escapeRegex).join("|") },
    ],
  };
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export type KubeletTls = PlatformConfig["metrics"]["kubeletTls"];

/** The Prometheus configuration file as an object (rendered to YAML by the caller). */
export function prometheusConfig(args: Pick<PrometheusArgs, "clusterName" | "namespaces" | "operatorNamespaces" | "alertmanagers" | "kubeletTls">): Record<string, unknown> {
  return {
    global: {
      scrape_interval: OBSERVABILITY_DEFAULTS.scrapeInterval,
      evaluation_interval: OBSERVABILITY_DEFAULTS.evaluationInterval,
      external_labels: { cluster: args.clusterName },
    },
    rule_files: [`${RULES_DIR}/*.yaml`],
    alerting: {
      alertmanagers: [{ api_version: "v2", static_configs: [{ targets: [...args.alertmanagers] }] }],
    },
    scrape_configs: [
      podJob(POD_JOB, args.namespaces, false),
      podJob(EXPORTER_JOB, [...args.namespaces, ...(args.operatorNamespaces ?? [])], true),
      // Volume usage (VolumeAlmostFull); the kubelet's own metrics are not needed.
      kubeletJob(KUBELET_JOB, "/metrics", args.namespaces, args.kubeletTls, "kubelet_volume_stats_.+"),
      // Containers' CPU and memory usage and limits (CPUNearLimit, MemoryNearLimit).
      kubeletJob(CADVISOR_JOB, "/metrics/cadvisor", args.namespaces, args.kubeletTls),
    ],
  };
}

export function prometheus(args: PrometheusArgs, ctx: WorkloadContext, parent: pulumi.Resource): PrometheusOutputs {
  const id = { name: NAME, component: COMPONENT, version: imageVersion(args.image) };
  const labels = labelsOf(id);
  const opts = { parent };
  if (!args.size.storage) throw new Error("prometheus: its size has no storage; the sizing table must give it a volume");

  const configYaml = stringify(prometheusConfig(args), { lineWidth: 0 });
  const rulesYaml = rulesFile(args.rules);
  const config = configFiles(`${NAME}-config`, ctx.namespace, labels, { "prometheus.yml": configYaml }, parent);
  const rules = configFiles(`${NAME}-rules`, ctx.namespace, labels, { "alerts.yaml": rulesYaml }, parent);

  // Pod discovery reads pods (services, endpoints and endpoint slices let service-based jobs be added
  // without another RBAC change), only in the platform namespaces; node discovery lists nodes, and
  // nodes/metrics is what the kubelet asks of a scraper. Read-only throughout.
  clusterReader(
    {
      name: NAME,
      namespace: ctx.namespace,
      labels,
      bindIn: [...args.namespaces, ...(args.operatorNamespaces ?? [])],
      rules: [
        { apiGroups: [""], resources: ["pods", "services", "endpoints"] },
        { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"] },
      ],
    },
    parent,
  );
  clusterReader(
    {
      name: NAME,
      namespace: ctx.namespace,
      labels,
      purpose: "nodes",
      rules: [
        { apiGroups: [""], resources: ["nodes"], verbs: ["list", "watch"] },
        { apiGroups: [""], resources: ["nodes/metrics"], verbs: ["get"] },
      ],
    },
    parent,
  );

  const retentionSizeMb = Math.floor((memoryBytes(args.size.storage) * RETENTION_SIZE_SHARE) / 2 ** 20);
  const ready = httpProbe("/-/ready", "http");
  const workload = new Workload(
    {
      id,
      size: args.size,
      runAsUser: UID,
      state: { mountPath: DATA_DIR },
      containers: [
        {
          name: NAME,
          image: args.image,
          args: [
            `--config.file=${CONFIG_DIR}/prometheus.yml`,
            `--storage.tsdb.path=${DATA_DIR}`,
            `--storage.tsdb.retention.time=${OBSERVABILITY_DEFAULTS.retention}`,
            `--storage.tsdb.retention.size=${retentionSizeMb}MB`,
            `--web.listen-address=:${PORT}`,
          ],
          ports: [{ name: "http", containerPort: PORT }],
          volumeMounts: [
            { name: "data", mountPath: DATA_DIR },
            { name: "config", mountPath: CONFIG_DIR, readOnly: true },
            { name: "rules", mountPath: RULES_DIR, readOnly: true },
          ],
          // Replaying the write-ahead log after a restart can take minutes on a full volume.
          probes: { startup: startupAllowance(ready, 15), readiness: ready, liveness: httpProbe("/-/healthy", "http") },
        },
      ],
      volumes: [
        { name: "config", configMap: { name: config.name } },
        { name: "rules", configMap: { name: rules.name } },
      ],
      metrics: { port: "http", path: "/metrics" },
      dependencies: args.dependencies,
      egress: [
        kubernetesApiEgress(),
        // Targets are discovered from pod annotations at run time, on whatever port each declares:
        // no static list of ports exists, so every pod of the platform namespaces is reachable.
        // Each target still admits Prometheus only on its metrics port (the kit's "metrics" policy).
        namespacesEgress("scrape-targets", [...args.namespaces, ...(args.operatorNamespaces ?? [])]),
        // Kubelets listen on the nodes' addresses, which no pod or namespace selector matches.
        externalEgress("kubelets", [KUBELET_PORT]),
      ],
      exceptions: [
        {
          rule: "no-service-account-token",
          reason: "Prometheus discovers its scrape targets through the Kubernetes API (kubernetes_sd_configs) and authenticates to the kubelets with its ServiceAccount token",
        },
      ],
      podAnnotations: { [CONFIG_HASH_ANNOTATION]: configHash(config.hash, rules.hash) },
      terminationGracePeriodSeconds: 120,
    },
    ctx,
    opts,
  );
  return { endpoint: workload.endpoint };
}
