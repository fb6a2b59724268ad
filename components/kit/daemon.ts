/**
 * Node agents: one pod per node (a DaemonSet) on the same secure pod template, ServiceAccount,
 * scrape annotations and NetworkPolicy derivation as every other workload. No Service, PDB or HPA:
 * an agent serves its own node, and its count follows the nodes.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { workloadPolicies } from "./network-policy";
import { podOwner, podTemplate } from "./pod";
import { WorkloadArgs, WorkloadContext, metricsAdmission, scrapeAnnotations } from "./workload";

/** A workload's arguments minus what only replicated workloads have (state, client ports, peers, init containers). */
export type NodeAgentArgs = Pick<
  WorkloadArgs,
  "id" | "size" | "containers" | "runAsUser" | "metrics" | "dependencies" | "admissions" | "egress" | "volumes" | "exceptions" | "podAnnotations" | "terminationGracePeriodSeconds"
> & {
  /** Taints to accept. @default the control plane's NoSchedule taint, so every node's logs are read */
  tolerations?: k8s.types.input.core.v1.Toleration[];
};

export class NodeAgent extends pulumi.ComponentResource {
  readonly daemonSet: k8s.apps.v1.DaemonSet;

  constructor(args: NodeAgentArgs, ctx: WorkloadContext, opts?: pulumi.ComponentResourceOptions) {
    const name = args.id.name;
    super("voicehelper:kit:NodeAgent", name, {}, opts);
    const ns = ctx.namespace;
    const { labels, selector, annotations, pod } = podOwner(args, ctx, this);
    const template = podTemplate({
      ...pod,
      annotations: { ...scrapeAnnotations(args.containers, args.metrics), ...(args.podAnnotations ?? {}) },
      terminationGracePeriodSeconds: args.terminationGracePeriodSeconds,
      tolerations: args.tolerations ?? [{ key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" }],
      longRunning: true,
    });
    this.daemonSet = new k8s.apps.v1.DaemonSet(
      name,
      {
        metadata: { name, namespace: ns, labels, annotations },
        spec: { selector: { matchLabels: selector }, updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } }, template },
      },
      { parent: this },
    );

    const admissions = [...(args.admissions ?? []), ...metricsAdmission(args.containers, args.metrics, ctx.scrapers)];
    workloadPolicies({ name, namespace: ns, selector, labels, dependencies: args.dependencies ?? [], admissions, egress: args.egress ?? [], ambient: ctx.ambient }, this);
    this.registerOutputs({});
  }
}
