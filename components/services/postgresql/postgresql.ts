/**
 * PostgreSQL with CloudNativePG (its operator: cnpg-operator.ts): one `Cluster` with `instances` from the tier (1, or 3 with automatic failover), a
 * generated owner role per database (managed roles, `kubernetes.io/basic-auth` Secrets), a PgBouncer
 * `Pooler`, and barman backups to the backup target: WAL archived continuously (at least every five
 * minutes: the seed's RPO) plus a daily base backup. A restore creates a new Cluster, `<name>-restored`,
 * from the old one's backups (up to a point in time), and clients follow its Services; the old
 * Cluster's archive is never written by the new one.
 *
 * Backups use CloudNativePG's in-tree Barman Cloud support (`barmanObjectStore`), which runs the
 * barman-cloud tools inside the PostgreSQL image: the image must be of the `system` flavour (see
 * docs/disaster-recovery.md, "Why barmanObjectStore and the system image").
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { chartResources } from "../../kit/chart-resources";
import { ServiceEndpoint, clusterHost } from "../../kit/endpoint";
import { exceptionsAnnotation } from "../../kit/exceptions";
import { imageVersion, labels as labelsOf } from "../../kit/labels";
import { kubernetesApiEgress, workloadPolicies } from "../../kit/network-policy";
import { podScrapeAnnotations } from "../../kit/scrape";
import { GeneratedSecret, SharedCredential, password } from "../../kit/secret";
import { WorkloadContext, nodeSpread, scraperAdmission } from "../../kit/workload";
import { tcpProbe } from "../../kit/container";
import { disruptionBudgetSpec } from "../../kit/disruption";
import { BackupTarget, targetPaths, targetPath } from "../backup/target";
import { postgresRecoveryTime } from "../../config/disaster-recovery";
import { CNPG_INSTANCE_PORTS, CnpgOperatorOutputs, PREINSTALLED_CNPG_OPERATOR } from "../cnpg-operator/cnpg-operator";

const PORT = 5432;
/** CloudNativePG's instance manager exports PostgreSQL's metrics (backends, settings, replication) here. */
const METRICS_PORT = 9187;
/** The name CloudNativePG gives PgBouncer's port (5432) in the Pooler's pods. */
const POOLER_PORT_NAME = "pgbouncer";

/** The platform's databases (seed 003); each is owned by a role of the same name. */
export const DATABASES = ["identity", "conversation", "knowledge", "model_router"] as const;
export type DatabaseName = (typeof DATABASES)[number];

/** How a client reaches one database. */
export interface DatabaseConnection {
  /** The primary's read-write Service. */
  host: string;
  port: number;
  database: string;
  /** The owner role's credentials (a basic-auth Secret: `username`, `password`). */
  username: SharedCredential;
  password: SharedCredential;
}

export interface PostgresqlArgs<D extends string = DatabaseName> {
  /** The Cluster's name (and its Services' prefix). @default "postgresql" */
  name?: string;
  /** The databases, each owned by a role of the same name; the first is created by initdb. @default DATABASES */
  databases?: readonly D[];
  /** `max_connections`. @default "300" (four databases behind a pool of 50, plus headroom) */
  maxConnections?: string;
  image: string;
  size: ServiceSize;
  /** The PgBouncer pooler's size; no pooler when undefined. */
  poolerSize?: ServiceSize;
  /** The operator this stack installs; undefined when it is installed by other means. */
  operator?: CnpgOperatorOutputs;
  /** Where base backups and WAL are archived, under `<root><cluster name>/`. */
  backupTarget: BackupTarget;
  /** Seconds-first cron (CloudNativePG's format) of the daily base backup. @default "0 0 2 * * *" */
  backupSchedule?: string;
  /** Days base backups and WAL are kept. @default 30 */
  retentionDays?: number;
  /**
   * Recreate the cluster from its backups as `<name>-restored`, replaying WAL up to targetTime (RFC
   * 3339), or to the end of the archive when unset. Clients are given the restored cluster's Services.
   */
  restore?: { targetTime?: string };
}

export interface PostgresqlOutputs<D extends string = DatabaseName> {
  /** The primary (read-write Service) of the cluster. */
  endpoint: ServiceEndpoint;
  /** PgBouncer in front of the primary, when deployed. */
  pooler?: ServiceEndpoint;
  databases: Readonly<Record<D, DatabaseConnection>>;
  instances: number;
}

export function postgresql<D extends string = DatabaseName>(args: PostgresqlArgs<D>, ctx: WorkloadContext, parent: pulumi.Resource): PostgresqlOutputs<D> {
  const origin = args.name ?? "postgresql";
  const name = args.restore ? `${origin}-restored` : origin;
  const databases = args.databases ?? (DATABASES as readonly string[] as readonly D[]);
  if (databases.length === 0) throw new Error(`${name}: needs at least one database`);
  const ns = ctx.namespace;
  const id = { name, component: "database", version: imageVersion(args.image) };
  const labels = labelsOf(id);
  const instances = args.size.replicas;
  const protect = ctx.protectData;
  const instanceSelector = { "cnpg.io/cluster": name };

  const after = args.operator ? { dependsOn: args.operator.ready } : {};

  // One owner role per database, each with its own generated password.
  const roles = Object.fromEntries(
    databases.map((db) => [
      db,
      // Named for the original cluster, so a restore keeps the passwords the restored database's roles have.
      new GeneratedSecret(
        `${origin}-${db.replace(/_/g, "-")}-owner`,
        { namespace: ns, labels: { ...labels, "cnpg.io/reload": "true" }, type: "kubernetes.io/basic-auth", plain: { username: db }, generate: { password: password(32) } },
        { parent },
      ),
    ]),
  ) as Record<D, GeneratedSecret>;

  const target = args.backupTarget;
  const paths = targetPaths(target);
  const barman = (server: string) => ({
    destinationPath: `s3://${targetPath(target, server)}`,
    endpointURL: target.url,
    s3Credentials: { accessKeyId: target.accessKey.in(ns), secretAccessKey: target.secretKey.in(ns) },
  });
  const cluster = new k8s.apiextensions.CustomResource(
    name,
    {
      apiVersion: "postgresql.cnpg.io/v1",
      kind: "Cluster",
      metadata: { name, namespace: ns, labels },
      spec: {
        instances,
        imageName: args.image,
        priorityClassName: ctx.priorityClassName,
        // Applied by the operator to the pods it creates, so the policy pack sees the exception.
        inheritedMetadata: {
          labels,
          annotations: {
            ...exceptionsAnnotation([{ rule: "no-service-account-token", reason: "CloudNativePG's instance manager watches its Cluster through the Kubernetes API" }]),
            // Prometheus' pod discovery finds the instances by these (no PodMonitor: no Prometheus Operator).
            ...podScrapeAnnotations({ port: METRICS_PORT, path: "/metrics" }),
          },
        },
        storage: { size: args.size.storage, storageClass: ctx.storageClass },
        resources: chartResources(args.size),
        // Replicas of one database on one node would fail together.
        affinity: instances > 1 ? { enablePodAntiAffinity: true, topologyKey: "kubernetes.io/hostname", podAntiAffinityType: "required" } : undefined,
        postgresql: {
          parameters: {
            // Four databases x a PgBouncer pool of 50 = the seed's 200 server connections, plus headroom
            // for replication, the operator and administrators.
            max_connections: args.maxConnections ?? "300",
            // Switch WAL segments at least every five minutes so archived WAL meets the RPO.
            archive_timeout: "5min",
          },
        },
        bootstrap: args.restore
          ? {
              recovery: {
                source: origin,
                ...(args.restore.targetTime ? { recoveryTarget: { targetTime: postgresRecoveryTime(args.restore.targetTime) } } : {}),
              },
            }
          : { initdb: { database: databases[0], owner: databases[0], secret: { name: roles[databases[0]].secretName } } },
        // The archive the restore reads: the original cluster's, by its server name (never written here).
        externalClusters: args.restore ? [{ name: origin, barmanObjectStore: { ...barman(origin), serverName: origin, wal: { maxParallel: 4 } } }] : undefined,
        managed: {
          roles: databases.map((db) => ({ name: db, ensure: "present", login: true, passwordSecret: { name: roles[db].secretName } })),
        },
        backup: {
          retentionPolicy: `${args.retentionDays ?? 30}d`,
          barmanObjectStore: {
            ...barman(name),
            wal: { compression: "gzip" },
            data: { compression: "gzip" },
          },
        },
      },
    },
    { parent, protect, retainOnDelete: protect, ...after },
  );

  for (const db of databases) {
    new k8s.apiextensions.CustomResource(
      `${name}-${db.replace(/_/g, "-")}`,
      {
        apiVersion: "postgresql.cnpg.io/v1",
        kind: "Database",
        metadata: { name: `${name}-${db.replace(/_/g, "-")}`, namespace: ns, labels },
        spec: { name: db, owner: db, cluster: { name }, ensure: "present" },
      },
      { parent, dependsOn: [cluster] },
    );
  }

  new k8s.apiextensions.CustomResource(
    `${name}-daily`,
    {
      apiVersion: "postgresql.cnpg.io/v1",
      kind: "ScheduledBackup",
      metadata: { name: `${name}-daily`, namespace: ns, labels },
      spec: { schedule: args.backupSchedule ?? "0 0 2 * * *", cluster: { name }, method: "barmanObjectStore", backupOwnerReference: "self", immediate: true },
    },
    { parent, dependsOn: [cluster] },
  );

  const self = { namespace: ns, selector: instanceSelector };
  workloadPolicies(
    {
      name,
      namespace: ns,
      selector: instanceSelector,
      labels,
      dependencies: paths.dependencies,
      admissions: [
        ...(instances > 1 ? [{ role: "peers", from: [self], ports: [PORT] }] : []),
        { role: "operator", from: [args.operator?.peer ?? PREINSTALLED_CNPG_OPERATOR], ports: [...CNPG_INSTANCE_PORTS] },
        ...scraperAdmission(METRICS_PORT, ctx.scrapers),
      ],
      egress: [kubernetesApiEgress(), ...paths.egress],
      ambient: ctx.ambient,
    },
    parent,
  );

  // Named for the service clients declare (the catalog's), whichever Cluster serves it.
  const endpoint: ServiceEndpoint = { service: origin, namespace: ns, host: clusterHost(`${name}-rw`, ns), selector: instanceSelector, ports: { postgresql: PORT }, primaryPort: "postgresql" };

  let pooler: ServiceEndpoint | undefined;
  if (args.poolerSize) {
    const poolerName = `${name}-pooler`;
    const poolerSelector = { "cnpg.io/poolerName": poolerName };
    const poolerLabels = labelsOf({ name: poolerName, component: "connection-pooler", version: id.version });
    new k8s.apiextensions.CustomResource(
      poolerName,
      {
        apiVersion: "postgresql.cnpg.io/v1",
        kind: "Pooler",
        metadata: { name: poolerName, namespace: ns, labels: poolerLabels },
        spec: {
          cluster: { name },
          instances: args.poolerSize.replicas,
          type: "rw",
          pgbouncer: { poolMode: "transaction", parameters: { max_client_conn: "2000", default_pool_size: "50" } },
          // CloudNativePG builds the Deployment from this template and adds only a readiness probe of its own
          // (docs/peer-checks.md): liveness and spreading are ours to add.
          template: {
            metadata: {
              labels: poolerLabels,
              annotations: exceptionsAnnotation([{ rule: "no-service-account-token", reason: "CloudNativePG's PgBouncer manager reads its Pooler through the Kubernetes API" }]),
            },
            spec: {
              priorityClassName: ctx.priorityClassName,
              topologySpreadConstraints: args.poolerSize.replicas > 1 ? nodeSpread(poolerSelector, false) : undefined,
              containers: [{ name: "pgbouncer", resources: chartResources(args.poolerSize), livenessProbe: tcpProbe(POOLER_PORT_NAME) }],
            },
          },
        },
      },
      { parent, dependsOn: [cluster] },
    );
    if (args.poolerSize.replicas > 1) {
      // The operator makes the Deployment but no budget for it.
      new k8s.policy.v1.PodDisruptionBudget(poolerName, { metadata: { name: poolerName, namespace: ns, labels: poolerLabels }, spec: disruptionBudgetSpec(poolerSelector) }, { parent });
    }
    pooler = { service: `${origin}-pooler`, namespace: ns, host: clusterHost(poolerName, ns), selector: poolerSelector, ports: { postgresql: PORT }, primaryPort: "postgresql" };
    workloadPolicies(
      { name: poolerName, namespace: ns, selector: poolerSelector, labels: poolerLabels, dependencies: [{ endpoint }], admissions: [], egress: [kubernetesApiEgress()], ambient: ctx.ambient },
      parent,
    );
  }

  const connections = Object.fromEntries(
    databases.map((db) => [db, { host: endpoint.host, port: PORT, database: db, username: roles[db].credential("username"), password: roles[db].credential("password") }]),
  ) as unknown as Record<D, DatabaseConnection>;

  return {
    endpoint,
    pooler,
    databases: connections,
    instances,
  };
}
