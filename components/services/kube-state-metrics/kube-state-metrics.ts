/**
 * kube-state-metrics: the state of the platform's Kubernetes objects as metrics (container restarts
 * for FrequentRestarts, desired vs ready replicas, job outcomes, volume claims). It watches only the
 * platform namespaces and only the kinds listed here; its RBAC is derived from the same list, bound in
 * those namespaces alone.
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { httpProbe } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { imageVersion, labels as labelsOf } from "../../kit/labels";
import { kubernetesApiEgress } from "../../kit/network-policy";
import { ReadRule, clusterReader } from "../../kit/rbac";
import { Workload, WorkloadContext } from "../../kit/workload";

const NAME = "kube-state-metrics";
const METRICS_PORT = 8080;
const TELEMETRY_PORT = 8081;
const UID = 65534; // nobody, the image's user

/** The kinds exported: kube-state-metrics' `--resources` name and the API group it lists them from. */
export const EXPORTED_KINDS: readonly { resource: string; apiGroup: string }[] = [
  { resource: "pods", apiGroup: "" },
  { resource: "persistentvolumeclaims", apiGroup: "" },
  { resource: "deployments", apiGroup: "apps" },
  { resource: "statefulsets", apiGroup: "apps" },
  { resource: "daemonsets", apiGroup: "apps" },
  { resource: "jobs", apiGroup: "batch" },
  { resource: "cronjobs", apiGroup: "batch" },
  { resource: "horizontalpodautoscalers", apiGroup: "autoscaling" },
  { resource: "poddisruptionbudgets", apiGroup: "policy" },
];

export interface KubeStateMetricsArgs {
  image: string;
  size: ServiceSize;
  /** The namespaces whose objects are exported (and the only ones it may read). */
  namespaces: readonly string[];
}

/** Read rules for exactly the exported kinds: list and watch (it never fetches single objects). */
export function kubeStateMetricsRules(kinds = EXPORTED_KINDS): ReadRule[] {
  const groups = [...new Set(kinds.map((k) => k.apiGroup))];
  return groups.map((g) => ({ apiGroups: [g], resources: kinds.filter((k) => k.apiGroup === g).map((k) => k.resource), verbs: ["list", "watch"] }));
}

export function kubeStateMetrics(args: KubeStateMetricsArgs, ctx: WorkloadContext, parent: pulumi.Resource): ServiceEndpoint {
  const id = { name: NAME, component: "metrics-exporter", version: imageVersion(args.image) };
  const namespaces = [...new Set(args.namespaces)];
  clusterReader({ name: NAME, namespace: ctx.namespace, labels: labelsOf(id), rules: kubeStateMetricsRules(), bindIn: namespaces }, parent);

  const workload = new Workload(
    {
      id,
      size: args.size,
      runAsUser: UID,
      containers: [
        {
          name: NAME,
          image: args.image,
          args: [`--port=${METRICS_PORT}`, `--telemetry-port=${TELEMETRY_PORT}`, `--resources=${EXPORTED_KINDS.map((k) => k.resource).join(",")}`, `--namespaces=${namespaces.join(",")}`],
          ports: [
            { name: "metrics", containerPort: METRICS_PORT },
            { name: "telemetry", containerPort: TELEMETRY_PORT },
          ],
          probes: { readiness: httpProbe("/readyz", "telemetry"), liveness: httpProbe("/livez", "metrics") },
        },
      ],
      clientPorts: ["metrics"],
      // Its series name other pods: Prometheus must keep their namespace, pod and container labels.
      metrics: { port: "metrics", path: "/metrics", honorLabels: true },
      egress: [kubernetesApiEgress()],
      exceptions: [{ rule: "no-service-account-token", reason: "kube-state-metrics lists and watches the platform's objects through the Kubernetes API" }],
    },
    ctx,
    { parent },
  );
  return workload.endpoint;
}
