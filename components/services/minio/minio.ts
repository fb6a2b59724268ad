/**
 * MinIO (run as Silo, its maintained fork: docs/object-storage.md): the S3-compatible object store. One node (standalone, single drive) in small tiers;
 * 4+ nodes in distributed erasure-coded mode, every node started in parallel with the pool's URL
 * naming exactly the StatefulSet's pods. Root credentials are generated; a Job creates the buckets.
 */
import * as pulumi from "@pulumi/pulumi";
import { OBJECT_STORE_SERVER } from "../../config/images";
import { ServiceSize } from "../../config/schema";
import { httpProbe, secretEnv, startupAllowance } from "../../kit/container";
import { ServiceEndpoint, clusterHost, narrowedTo } from "../../kit/endpoint";
import { BatchJob } from "../../kit/job";
import { imageVersion, labels as labelsOf } from "../../kit/labels";
import { GeneratedSecret, SharedCredential, password } from "../../kit/secret";
import { StatefulNames, Workload, WorkloadContext, statefulNames } from "../../kit/workload";
import { BASE_CLIENTS, BucketRole, ObjectStore, ObjectStoreClient, ObjectStoreClients, bucketRolesOf, clientPolicy, mcAliases } from "./object-store";

const API = 9000;
const CONSOLE = 9001;
const UID = 1000;
const DATA = "/data";

/** Bucket names by role (seed 003). */
export const MINIO_BUCKETS: Readonly<Record<BucketRole, string>> = {
  documents: "documents",
  multimodal: "multimodal",
  milvus: "milvus-bucket",
  backups: "backups",
  posthog: "posthog",
};

export interface MinioArgs {
  image: string;
  /** The `mc` client image, for the bucket job. */
  clientImage: string;
  size: ServiceSize;
  /** Size of the bucket job's container. */
  jobSize: ServiceSize;
  /** The clients (each with its own user and buckets). @default BASE_CLIENTS (apps, milvus, backup) */
  clients?: readonly ObjectStoreClient[];
}

export interface MinioOutputs {
  mode: "standalone" | "distributed";
  /** The store's API endpoint (S3 only; the console is not a client port). */
  endpoint: ServiceEndpoint;
  /** Each client's view of the store, with credentials limited to its buckets. */
  clients: ObjectStoreClients;
  /** The store's administrator (root) keys: only for a restore, which writes every bucket. */
  admin: { accessKey: SharedCredential; secretKey: SharedCredential };
}

/** The drive argument of `minio server`: a local path, or the pool of every pod's drive. */
export function minioVolumes(names: StatefulNames, path: string): string {
  const n = names.podNames.length;
  if (n <= 1) return path;
  // MinIO's ellipsis syntax: "http://minio-{0...3}.<headless>/data" expands to exactly the pods' hosts.
  const base = names.podNames[0].replace(/-0$/, "");
  return `http://${base}-{0...${n - 1}}.${names.headlessHost}${path}`;
}

export function minio(args: MinioArgs, ctx: WorkloadContext, parent: pulumi.Resource): MinioOutputs {
  const name = "minio";
  const { size } = args;
  const distributed = size.replicas > 1;
  const id = { name, component: "object-store", version: imageVersion(args.image) };
  const opts = { parent };
  const clientNames = args.clients ?? BASE_CLIENTS;
  const roles = bucketRolesOf(clientNames);

  const root = new GeneratedSecret(`${name}-root`, { namespace: ctx.namespace, labels: labelsOf(id), generate: { rootUser: password(20), rootPassword: password(40) } }, opts);
  const clients = Object.fromEntries(
    clientNames.map((c) => [c, new GeneratedSecret(`${name}-${c}`, { namespace: ctx.namespace, labels: labelsOf(id), generate: { accessKey: password(20), secretKey: password(40) } }, opts)]),
  ) as Partial<Record<ObjectStoreClient, GeneratedSecret>>;
  const names = statefulNames(name, ctx.namespace, size.replicas);
  const live = httpProbe("/minio/health/live", "api");

  const workload = new Workload(
    {
      id,
      size,
      runAsUser: UID,
      // Distributed nodes wait for each other: they must all start together, not one by one.
      state: { mountPath: DATA, podManagementPolicy: distributed ? "Parallel" : "OrderedReady" },
      containers: [
        {
          name: "minio",
          image: args.image,
          command: [OBJECT_STORE_SERVER],
          args: ["server", minioVolumes(names, DATA), "--address", `:${API}`, "--console-address", `:${CONSOLE}`, "--certs-dir", "/etc/minio/certs"],
          env: [
            secretEnv("MINIO_ROOT_USER", root.ref("rootUser")),
            secretEnv("MINIO_ROOT_PASSWORD", root.ref("rootPassword")),
            { name: "MINIO_BROWSER_REDIRECT", value: "off" },
            // Prometheus scrapes without a bearer token; the NetworkPolicies still limit who reaches the port.
            { name: "MINIO_PROMETHEUS_AUTH_TYPE", value: "public" },
          ],
          ports: [
            { name: "api", containerPort: API },
            { name: "console", containerPort: CONSOLE },
          ],
          volumeMounts: [{ name: "data", mountPath: DATA }],
          writablePaths: ["/tmp", "/etc/minio/certs"],
          probes: {
            startup: startupAllowance(live, 5),
            readiness: httpProbe("/minio/health/ready", "api"),
            liveness: live,
          },
        },
      ],
      clientPorts: ["api", "console"],
      primaryPort: "api",
      peerPorts: distributed ? ["api"] : undefined,
      metrics: { port: "api", path: "/minio/v2/metrics/cluster" },
      terminationGracePeriodSeconds: 30,
    },
    ctx,
    opts,
  );

  const url = `http://${clusterHost(name, ctx.namespace)}:${API}`;
  new BatchJob(
    {
      id: { name: `${name}-buckets`, component: "bootstrap", version: imageVersion(args.clientImage) },
      size: args.jobSize,
      runAsUser: UID,
      containers: [
        {
          name: "buckets",
          image: args.clientImage,
          command: ["sh", "-c", BUCKETS_SCRIPT],
          env: [
            // objectStoreEnv's names, which mcAliases reads.
            { name: "MINIO_ROOT_URL", value: url },
            secretEnv("MINIO_ROOT_ACCESS_KEY", root.ref("rootUser")),
            secretEnv("MINIO_ROOT_SECRET_KEY", root.ref("rootPassword")),
            { name: "BUCKETS", value: roles.map((r) => MINIO_BUCKETS[r]).join(" ") },
            { name: "CLIENTS", value: clientNames.map((c) => c.toUpperCase()).join(" ") },
            ...clientNames.flatMap((c) => [
              secretEnv(`CLIENT_${c.toUpperCase()}_ACCESS_KEY`, clients[c]!.ref("accessKey")),
              secretEnv(`CLIENT_${c.toUpperCase()}_SECRET_KEY`, clients[c]!.ref("secretKey")),
              { name: `CLIENT_${c.toUpperCase()}_POLICY`, value: clientPolicy(c, MINIO_BUCKETS, roles) },
            ]),
            { name: "MC_CONFIG_DIR", value: "/tmp/mc" },
          ],
          writablePaths: ["/tmp"],
        },
      ],
      dependencies: [{ endpoint: workload.endpoint, ports: ["api"] }],
    },
    ctx,
    opts,
  );

  // Clients get the S3 API only; the console is for people and is published by the edge, if at all.
  const endpoint = narrowedTo(workload.endpoint, "api");
  const view = (c: ObjectStoreClient): ObjectStore => ({
    endpoint,
    url,
    buckets: MINIO_BUCKETS,
    roles,
    accessKey: clients[c]!.credential("accessKey"),
    secretKey: clients[c]!.credential("secretKey"),
  });
  return {
    mode: distributed ? "distributed" : "standalone",
    endpoint,
    clients: Object.fromEntries(clientNames.map((c) => [c, view(c)])) as unknown as ObjectStoreClients,
    admin: { accessKey: root.credential("rootUser"), secretKey: root.credential("rootPassword") },
  };
}

/**
 * Waits for the store, creates each bucket unless it exists, then gives each client its user and
 * policy (adding a user again updates its key; safe to re-run).
 */
const BUCKETS_SCRIPT = `set -eu
${mcAliases([{ alias: "platform", prefix: "MINIO_ROOT" }])}
until mc ls platform >/dev/null 2>&1; do echo "waiting for $MINIO_ROOT_URL"; sleep 3; done
for bucket in $BUCKETS; do mc mb --ignore-existing "platform/$bucket"; done
for client in $CLIENTS; do
  eval "access=\\$CLIENT_\${client}_ACCESS_KEY secret=\\$CLIENT_\${client}_SECRET_KEY policy=\\$CLIENT_\${client}_POLICY"
  name="voicehelper-$(echo "$client" | tr 'A-Z' 'a-z')"
  printf '%s' "$policy" > /tmp/policy.json
  mc admin user add platform "$access" "$secret"
  mc admin policy create platform "$name" /tmp/policy.json
  mc admin policy attach platform "$name" --user "$access" 2>/dev/null || mc admin user info platform "$access" | grep -q "$name"
done
`;
