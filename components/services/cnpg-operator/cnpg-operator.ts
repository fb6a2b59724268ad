/**
 * The CloudNativePG operator, installed from its pinned Helm chart. Cluster-wide: it manages every
 * `postgresql.cnpg.io` Cluster of the platform (ours here, PostHog's in its own namespace).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CHARTS } from "../../config/images";
import { ServiceSize } from "../../config/schema";
import { chartResources } from "../../kit/chart-resources";
import { Peer, ServiceEndpoint, clusterHost } from "../../kit/endpoint";
import { PART_OF } from "../../kit/labels";
import { kubernetesApiEgress, workloadPolicies } from "../../kit/network-policy";
import { WorkloadContext } from "../../kit/workload";

const WEBHOOK_PORT = 9443;
/** Ports the operator calls on every instance: PostgreSQL and the instance manager's status endpoint. */
export const CNPG_INSTANCE_PORTS = [5432, 8000] as const;

export interface CnpgOperatorOutputs {
  /** The operator's webhook Service. */
  endpoint: ServiceEndpoint;
  /** The operator's pods, for the instances' ingress policies. */
  peer: Peer;
  /** Resources that must exist before any CloudNativePG custom resource (the chart and its CRDs). */
  ready: pulumi.Resource[];
}

/** The labels the chart puts on the operator's pods (with `fullnameOverride: cnpg-operator`). */
export const CNPG_OPERATOR_POD_LABELS = { "app.kubernetes.io/name": "cloudnative-pg", "app.kubernetes.io/instance": "cnpg-operator" } as const;

/**
 * Without remote charts (`externalCharts: false`) the operator is installed by other means: CloudNativePG's
 * release manifest (`releases/cnpg-<version>.yaml`) puts it in `cnpg-system` with this label, and the
 * instances must still admit it (it reads every instance's status on port 8000).
 */
export const PREINSTALLED_CNPG_OPERATOR: Peer = { namespace: "cnpg-system", selector: { "app.kubernetes.io/name": "cloudnative-pg" } };

export function cnpgOperator(args: { size: ServiceSize }, ctx: WorkloadContext, parent: pulumi.Resource): CnpgOperatorOutputs {
  const name = "cnpg-operator";
  const ns = ctx.namespace;
  const selector = { ...CNPG_OPERATOR_POD_LABELS };
  const chart = new k8s.helm.v4.Chart(
    name,
    {
      name,
      namespace: ns,
      chart: CHARTS.cnpg.chart,
      version: CHARTS.cnpg.version,
      repositoryOpts: { repo: CHARTS.cnpg.repo },
      values: {
        fullnameOverride: name,
        replicaCount: args.size.replicas,
        resources: chartResources(args.size),
        priorityClassName: ctx.priorityClassName,
        crds: { create: true },
      },
    },
    { parent },
  );
  workloadPolicies(
    {
      name,
      namespace: ns,
      selector,
      labels: { ...selector, "app.kubernetes.io/part-of": PART_OF },
      dependencies: [],
      // The API server calls the operator's admission webhooks; its address is not known in advance.
      admissions: [{ role: "webhooks", from: "anywhere", ports: [WEBHOOK_PORT] }],
      ambient: ctx.ambient,
      egress: [
        kubernetesApiEgress(),
        {
          role: "instances",
          to: [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: "cnpg.io/cluster", operator: "Exists" }] } }],
          ports: CNPG_INSTANCE_PORTS.map((port) => ({ protocol: "TCP", port })),
        },
      ],
    },
    parent,
  );
  return {
    endpoint: { service: name, namespace: ns, host: clusterHost("cnpg-webhook-service", ns), selector, ports: { webhook: WEBHOOK_PORT }, primaryPort: "webhook" },
    peer: { namespace: ns, selector },
    ready: [chart],
  };
}
