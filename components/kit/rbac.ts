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
  /**
   * Bind only in these namespaces (RoleBindings to the ClusterRole), for workloads that read
   * namespaced objects of namespaces known in advance. @default bound cluster-wide
   */
  bindIn?: readonly string[];
  /** Distinguishes a second reader of the same workload (e.g. its cluster-scoped rules). @default none */
  purpose?: string;
}

/** A ClusterRole holding only read rules, bound to the workload's ServiceAccount cluster-wide or in `bindIn`. */
export function clusterReader(args: ClusterReaderArgs, parent: pulumi.Resource): k8s.rbac.v1.ClusterRole {
  for (const r of args.rules) {
    for (const v of r.verbs ?? READ_VERBS) {
      if (!(READ_VERBS as readonly string[]).includes(v)) {
        throw new Error(`${args.name}: clusterReader grants only ${READ_VERBS.join(", ")} (got "${v}" on ${r.resources.join(", ")})`);
      }
    }
  }
  // Cluster-scoped names: the namespace keeps two stacks' roles in one cluster apart.
  const suffix = args.purpose ? `-${args.purpose}` : "";
  const roleName = `${args.namespace}-${args.name}${suffix}`;
  const role = new k8s.rbac.v1.ClusterRole(
    `${args.name}${suffix}-cluster-role`,
    {
      metadata: { name: roleName, labels: args.labels },
      rules: args.rules.map((r) => ({ apiGroups: r.apiGroups, resources: r.resources, verbs: [...(r.verbs ?? READ_VERBS)] })),
    },
    { parent },
  );
  const binding = {
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
    subjects: [{ kind: "ServiceAccount", name: args.name, namespace: args.namespace }],
  };
  if (args.bindIn === undefined) {
    new k8s.rbac.v1.ClusterRoleBinding(`${args.name}${suffix}-cluster-role-binding`, { metadata: { name: roleName, labels: args.labels }, ...binding }, { parent });
  } else {
    for (const ns of new Set(args.bindIn)) {
      new k8s.rbac.v1.RoleBinding(`${args.name}${suffix}-role-binding-${ns}`, { metadata: { name: roleName, namespace: ns, labels: args.labels }, ...binding }, { parent });
    }
  }
  return role;
}
