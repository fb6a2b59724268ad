/**
 * PostHog's migrations as one Job, never inside the multi-replica web pods: the commands of the
 * `migrate` service of PostHog's compose at the pinned release (Postgres, ClickHouse, async
 * migrations). Not `bin/migrate`: some releases' version of it first runs a script from `rust/`, which
 * the image does not contain. Its pod template names the image, so a new release is a
 * new template: Kubernetes refuses to change a Job's template and Pulumi replaces the Job, which runs the
 * new release's migrations. Web, worker and the plugin server wait for it in an init container.
 */
import * as pulumi from "@pulumi/pulumi";
import { BatchJob } from "../../kit/job";
import { imageVersion } from "../../kit/labels";
import { WorkloadContext } from "../../kit/workload";
import { POSTHOG_UID, PosthogServiceArgs, djangoEnv, storeDependencies } from "./posthog-app";

/** The compose `migrate` service's steps, in its order; each must succeed before the next. */
export const MIGRATION_STEPS = ["python manage.py migrate", "python manage.py migrate_clickhouse", "python manage.py run_async_migrations"] as const;

export function posthogMigrate(args: PosthogServiceArgs, ctx: WorkloadContext, parent: pulumi.Resource): BatchJob {
  const { wiring: w, size } = args;
  return new BatchJob(
    {
      id: { name: "posthog-migrate", component: "migrations", version: imageVersion(w.image) },
      size,
      runAsUser: POSTHOG_UID,
      containers: [{ name: "migrate", image: w.image, command: ["sh", "-c", MIGRATION_STEPS.join(" && ")], env: djangoEnv(w), writablePaths: ["/tmp"] }],
      dependencies: storeDependencies(w),
      // The stores may still be starting: retry, and give a first install's ClickHouse migrations time.
      backoffLimit: 10,
      activeDeadlineSeconds: 3600,
    },
    ctx,
    { parent, dependsOn: args.after },
  );
}
