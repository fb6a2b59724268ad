/**
 * Redis: standalone with AOF + RDB for small tiers; Redis Cluster (primaries with one replica each,
 * nodes announcing their stable hostnames) bootstrapped once by a Job in production. Always with a
 * generated password. Reused by the analytics layer for PostHog's own Redis.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { mebibytesOf } from "../../config/quantity";
import { execProbe, fieldEnv, secretEnv, startupAllowance } from "../../kit/container";
import { ServiceEndpoint, narrowedTo } from "../../kit/endpoint";
import { imageVersion, labels as labelsOf } from "../../kit/labels";
import { BatchJob } from "../../kit/job";
import { CONFIG_HASH_ANNOTATION, configHash } from "../../kit/config-hash";
import { GeneratedSecret, SharedCredential, password } from "../../kit/secret";
import { Workload, WorkloadContext, statefulNames } from "../../kit/workload";
import { BackupTarget } from "../backup/target";
import { redisRestore } from "../backup/redis-restore";
import { EXPORTER_PORT_NAME } from "../exporter-sidecar";
import { redisExporter } from "./redis-exporter";

const PORT = 6379;
const BUS_PORT = 16379;
const UID = 999; // the redis user of the official image
const AUTH_DIR = "/etc/redis-auth";

export interface RedisArgs {
  /** Service name, e.g. "redis" or "posthog-redis". */
  name: string;
  image: string;
  /** The redis_exporter image of the sidecar every node gets (IMAGES.redisExporter). */
  exporterImage: string;
  size: ServiceSize;
  /** Size of the bootstrap job's container. */
  jobSize: ServiceSize;
  /** "allkeys-lru" for a cache (seed 003), "noeviction" where keys are data (queues, locks). */
  evictionPolicy: "allkeys-lru" | "noeviction";
  /** Start a standalone server on one hourly RDB copy from the backup target (`restore.redis`). */
  restore?: { clientImage: string; target: BackupTarget; snapshot: string };
}

export interface RedisOutputs {
  endpoint: ServiceEndpoint;
  /** The password, usable from the client's namespace. */
  password: SharedCredential;
  mode: "standalone" | "cluster";
  /** Every node's "host:port" (cluster clients seed from these). */
  nodes: string[];
}

export function redis(args: RedisArgs, ctx: WorkloadContext, parent: pulumi.Resource): RedisOutputs {
  const { name, size } = args;
  const cluster = size.replicas > 1;
  const id = { name, component: "cache", version: imageVersion(args.image) };
  const opts = { parent };

  // The password reaches the server as a config file from the Secret, never on its command line
  // (where every process on the node could read it).
  const auth = new GeneratedSecret(
    `${name}-auth`,
    {
      namespace: ctx.namespace,
      labels: labelsOf(id),
      generate: { password: password(32) },
      derive: (v) => ({ "auth.conf": pulumi.interpolate`requirepass ${v.password}\nmasterauth ${v.password}\n` }),
    },
    opts,
  );

  // maxmemory leaves a quarter of the limit for fork-on-save, buffers and fragmentation.
  const maxmemoryMb = mebibytesOf(size.resources.limits.memory, 0.75);
  const conf = [
    `port ${PORT}`,
    "bind * -::*",
    "dir /data",
    "appendonly yes",
    "appendfsync everysec",
    "save 3600 1 300 100 60 10000",
    `maxmemory ${maxmemoryMb}mb`,
    `maxmemory-policy ${args.evictionPolicy}`,
    `include ${AUTH_DIR}/auth.conf`,
    ...(cluster ? ["cluster-enabled yes", "cluster-config-file /data/nodes.conf", "cluster-node-timeout 5000", "cluster-preferred-endpoint-type hostname"] : []),
  ].join("\n");
  const config = new k8s.core.v1.ConfigMap(`${name}-config`, { metadata: { name: `${name}-config`, namespace: ctx.namespace, labels: labelsOf(id) }, data: { "redis.conf": `${conf}\n` } }, opts);

  const headless = statefulNames(name, ctx.namespace, size.replicas).headlessHost;
  const ping = execProbe(["sh", "-c", 'redis-cli -h 127.0.0.1 ping | grep -Eq "PONG|LOADING"']);
  const ready = cluster
    ? execProbe(["sh", "-c", 'redis-cli -h 127.0.0.1 ping | grep -q PONG && redis-cli -h 127.0.0.1 cluster info | grep -q "cluster_state:ok"'])
    : execProbe(["sh", "-c", "redis-cli -h 127.0.0.1 ping | grep -q PONG"]);

  if (args.restore && cluster) throw new Error(`${name}: restore.redis supports a standalone server; a Redis Cluster is restored by hand (docs/disaster-recovery.md)`);
  // The backup job names each server's file after the first label of the host it asked: the Service, standalone.
  const restore = args.restore && redisRestore({ ...args.restore, file: `${name}.rdb`, dataPath: "/data" }, ctx.namespace);

  const workload = new Workload(
    {
      id,
      size,
      initContainers: restore && [restore.container],
      dependencies: restore?.dependencies,
      egress: restore?.egress,
      runAsUser: UID,
      state: { mountPath: "/data", podManagementPolicy: cluster ? "Parallel" : "OrderedReady" },
      containers: [
        {
          name: "redis",
          image: args.image,
          command: ["redis-server"],
          args: ["/etc/redis/redis.conf", ...(cluster ? ["--cluster-announce-hostname", `$(POD_NAME).${headless}`] : [])],
          // redis-cli (probes) reads the password from REDISCLI_AUTH.
          env: [secretEnv("REDISCLI_AUTH", auth.ref("password")), fieldEnv("POD_NAME", "metadata.name")],
          ports: [{ name: "redis", containerPort: PORT }, ...(cluster ? [{ name: "cluster-bus", containerPort: BUS_PORT }] : [])],
          volumeMounts: [
            { name: "data", mountPath: "/data" },
            { name: "config", mountPath: "/etc/redis", readOnly: true },
            { name: "auth", mountPath: AUTH_DIR, readOnly: true },
          ],
          writablePaths: ["/tmp"],
          probes: { startup: startupAllowance(ping, 5), readiness: ready, liveness: ping },
        },
        redisExporter({ service: name, image: args.exporterImage, redisPort: PORT, runAsUser: UID, password: secretEnv("REDIS_PASSWORD", auth.ref("password")) }),
      ],
      metrics: { port: EXPORTER_PORT_NAME, path: "/metrics" },
      volumes: [
        { name: "config", configMap: { name: config.metadata.name } },
        { name: "auth", secret: { secretName: auth.secretName, items: [{ key: "auth.conf", path: "auth.conf" }], defaultMode: 0o400 } },
      ],
      clientPorts: ["redis"],
      peerPorts: cluster ? ["cluster-bus"] : undefined,
      podAnnotations: { [CONFIG_HASH_ANNOTATION]: configHash(conf) },
      terminationGracePeriodSeconds: 30,
    },
    ctx,
    opts,
  );

  const nodes = cluster ? workload.podHosts.map((h) => `${h}:${PORT}`) : [`${workload.endpoint.host}:${PORT}`];
  if (cluster) {
    new BatchJob(
      {
        id: { name: `${name}-cluster-bootstrap`, component: "bootstrap", version: id.version },
        size: args.jobSize,
        runAsUser: UID,
        containers: [
          {
            name: "bootstrap",
            image: args.image,
            command: ["sh", "-c", BOOTSTRAP_SCRIPT],
            env: [secretEnv("REDISCLI_AUTH", auth.ref("password")), { name: "REDIS_NODES", value: nodes.join(" ") }],
          },
        ],
        dependencies: [{ endpoint: narrowedTo(workload.endpoint, "redis") }],
      },
      ctx,
      opts,
    );
  }

  return { endpoint: workload.endpoint, password: auth.credential("password"), mode: cluster ? "cluster" : "standalone", nodes };
}

/**
 * Forms the cluster once: waits for every node, does nothing when a cluster already exists, and refuses
 * to touch a half-formed one (that needs a human, not a retry).
 */
const BOOTSTRAP_SCRIPT = `set -eu
for node in $REDIS_NODES; do
  host=\${node%:*}; port=\${node##*:}
  until redis-cli -h "$host" -p "$port" ping 2>/dev/null | grep -q PONG; do echo "waiting for $node"; sleep 3; done
done
first=\${REDIS_NODES%% *}
info=$(redis-cli -h "\${first%:*}" -p "\${first##*:}" cluster info)
if echo "$info" | grep -q "cluster_state:ok"; then echo "cluster already formed"; exit 0; fi
known=$(echo "$info" | sed -n 's/^cluster_known_nodes:\\([0-9]*\\).*/\\1/p')
if [ "\${known:-1}" -gt 1 ]; then echo "cluster half-formed ($known nodes known): fix by hand" >&2; exit 1; fi
redis-cli --cluster create $REDIS_NODES --cluster-replicas 1 --cluster-yes
`;
