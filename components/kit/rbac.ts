/**
 * Cluster-wide read access for a workload's ServiceAccount (discovery, scraping, log enrichment).
 * Only read verbs can be granted here: a workload that changes cluster objects is an operator and
 * states its ClusterRole itself, where a reviewer sees it.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Labels } from "./labels";

export const READ_VERBS = ["get", "list", "watch"] as const;
export type ReadVerb = (typeof READ_VERBS)[number];

export interface ReadRule {
  /** "" is the core API group. */
  apiGroups: string[];
  resources: string[];
  /** @default get, list and watch */
  verbs?: ReadVerb[];
}

export interface ClusterReaderArgs {
  /** The workload's name: its ServiceAccount, and the ClusterRole and binding (prefixed with the namespace). */
  name: string;
  namespace: string;
  labels: Labels;
  rules: ReadRule[];
}

/** A ClusterRole holding only read rules, bound to the workload's ServiceAccount. */
export function clusterReader(args: ClusterReaderArgs, parent: pulumi.Resource): k8s.rbac.v1.ClusterRole {
  for (const r of args.rules) {
    for (const v of r.verbs ?? READ_VERBS) {
      if (!(READ_VERBS as readonly string[]).includes(v)) {
        throw new Error(`${args.name}: clusterReader grants only ${READ_VERBS.join(", ")} (got "${v}" on ${r.resources.join(", ")})`);
      }
    }
  }
  // Cluster-scoped names: the namespace keeps two stacks' roles in one cluster apart.
  const roleName = `${args.namespace}-${args.name}`;
  const role = new k8s.rbac.v1.ClusterRole(
    `${args.name}-cluster-role`,
    {
      metadata: { name: roleName, labels: args.labels },
      rules: args.rules.map((r) => ({ apiGroups: r.apiGroups, resources: r.resources, verbs: [...(r.verbs ?? READ_VERBS)] })),
    },
    { parent },
  );
  new k8s.rbac.v1.ClusterRoleBinding(
    `${args.name}-cluster-role-binding`,
    {
      metadata: { name: roleName, labels: args.labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
      subjects: [{ kind: "ServiceAccount", name: args.name, namespace: args.namespace }],
    },
    { parent },
  );
  return role;
}
