/**
 * One-off Jobs (cluster bootstrap, schema loads, bucket creation) and CronJobs (backups), built on the
 * same secure pod template and NetworkPolicy derivation as long-running workloads.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "./size";
import { ContainerSpec, Volume } from "./container";
import { NamedException } from "./exceptions";
import { Identity } from "./labels";
import { Dependency, EgressRule, workloadPolicies } from "./network-policy";
import { podOwner, podTemplate } from "./pod";
import { WorkloadContext } from "./workload";

/** Seconds a scheduled run may start late: shorter than the shortest schedule here (hourly). */
export const CRON_STARTING_DEADLINE_SECONDS = 900;

export interface JobArgs {
  id: Identity;
  size: ServiceSize;
  containers: ContainerSpec[];
  initContainers?: ContainerSpec[];
  runAsUser: number;
  dependencies?: Dependency[];
  egress?: EgressRule[];
  volumes?: Volume[];
  /** Pod-level exceptions, e.g. a job that calls the Kubernetes API needs its service-account token. */
  exceptions?: NamedException[];
  /** Where the pods may run, e.g. next to the pod whose ReadWriteOnce volume a backup job reads. */
  affinity?: k8s.types.input.core.v1.Affinity;
  /** Run on this schedule (cron syntax) as a CronJob; otherwise once, as a Job. */
  schedule?: string;
  /** @default 6 */
  backoffLimit?: number;
  /** Seconds before a stuck run is killed. @default 1800 */
  activeDeadlineSeconds?: number;
}

export class BatchJob extends pulumi.ComponentResource {
  readonly job: k8s.batch.v1.Job | k8s.batch.v1.CronJob;

  constructor(args: JobArgs, ctx: WorkloadContext, opts?: pulumi.ComponentResourceOptions) {
    const name = args.id.name;
    super("voicehelper:kit:BatchJob", name, {}, opts);
    const ns = ctx.namespace;
    const { labels, selector, annotations, pod } = podOwner(args, ctx, this);
    const template = podTemplate({
      ...pod,
      affinity: args.affinity,
      restartPolicy: "OnFailure",
      longRunning: false,
    });
    const jobSpec = { backoffLimit: args.backoffLimit ?? 6, activeDeadlineSeconds: args.activeDeadlineSeconds ?? 1800, template };
    const metadata = { name, namespace: ns, labels, annotations };
    this.job = args.schedule
      ? new k8s.batch.v1.CronJob(
          name,
          {
            metadata,
            spec: {
              schedule: args.schedule,
              // A run the controller could not start on time (controller restart, quota full) still starts
              // within this window; a later one is skipped, ScheduledJobOverdue reports it, and the count of
              // missed runs never reaches the 100 after which the controller stops scheduling altogether.
              startingDeadlineSeconds: CRON_STARTING_DEADLINE_SECONDS,
              concurrencyPolicy: "Forbid",
              successfulJobsHistoryLimit: 3,
              failedJobsHistoryLimit: 3,
              jobTemplate: { spec: jobSpec },
            },
          },
          { parent: this },
        )
      : new k8s.batch.v1.Job(name, { metadata, spec: jobSpec }, { parent: this });

    workloadPolicies({ name, namespace: ns, selector, labels, dependencies: args.dependencies ?? [], admissions: [], egress: args.egress ?? [], ambient: ctx.ambient }, this);
    this.registerOutputs({});
  }
}
