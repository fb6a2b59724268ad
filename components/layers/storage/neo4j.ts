/**
 * Neo4j Community: the knowledge graph, one node (clustering needs Enterprise and an accepted
 * licence; the config constraints refuse replicas > 1). The password is generated and handed to the
 * image as NEO4J_AUTH; heap and page cache are sized from the container's memory limit.
 */
import * as pulumi from "@pulumi/pulumi";
import { mebibytesOf } from "../../config/quantity";
import { ServiceSize } from "../../config/schema";
import { httpProbe, secretEnv, seededPaths, startupAllowance, tcpProbe } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { imageVersion, labels as labelsOf } from "../../kit/labels";
import { GeneratedSecret, SharedCredential, password } from "../../kit/secret";
import { Workload, WorkloadContext } from "../../kit/workload";

const HTTP = 7474;
const BOLT = 7687;
const UID = 7474; // the neo4j user of the official image
const USER = "neo4j";

export interface Neo4jArgs {
  image: string;
  size: ServiceSize;
}

export interface Neo4jOutputs {
  endpoint: ServiceEndpoint;
  /** "bolt://host:7687" */
  boltUrl: string;
  username: string;
  password: SharedCredential;
}

/**
 * Heap and page cache from the memory limit: the JVM heap takes 40%, the page cache (the graph's
 * working set, off-heap) 30%, and the rest is left to direct memory, thread stacks and the OS.
 */
export function neo4jMemory(memoryLimit: string): { heapMb: number; pageCacheMb: number } {
  return { heapMb: mebibytesOf(memoryLimit, 0.4), pageCacheMb: mebibytesOf(memoryLimit, 0.3) };
}

export function neo4j(args: Neo4jArgs, ctx: WorkloadContext, parent: pulumi.Resource): Neo4jOutputs {
  const name = "neo4j";
  const { size } = args;
  const id = { name, component: "graph-database", version: imageVersion(args.image) };
  const opts = { parent };

  const auth = new GeneratedSecret(
    `${name}-auth`,
    {
      namespace: ctx.namespace,
      labels: labelsOf(id),
      generate: { password: password(32) },
      plain: { username: USER },
      derive: (v) => ({ NEO4J_AUTH: pulumi.interpolate`${USER}/${v.password}` }),
    },
    opts,
  );

  const memory = neo4jMemory(size.resources.limits.memory);
  // The entrypoint writes the NEO4J_* settings into conf/: a writable copy of the image's conf.
  const conf = seededPaths(name, args.image, ["/var/lib/neo4j/conf"], UID);
  const bolt = tcpProbe("bolt");

  const workload = new Workload(
    {
      id,
      size,
      runAsUser: UID,
      state: { mountPath: "/data" },
      initContainers: [conf.init],
      containers: [
        {
          name: "neo4j",
          image: args.image,
          env: [
            secretEnv("NEO4J_AUTH", auth.ref("NEO4J_AUTH")),
            { name: "NEO4J_server_memory_heap_initial__size", value: `${memory.heapMb}m` },
            { name: "NEO4J_server_memory_heap_max__size", value: `${memory.heapMb}m` },
            { name: "NEO4J_server_memory_pagecache_size", value: `${memory.pageCacheMb}m` },
            { name: "NEO4J_server_default__listen__address", value: "0.0.0.0" },
            { name: "NEO4J_server_http_listen__address", value: `:${HTTP}` },
            { name: "NEO4J_server_bolt_listen__address", value: `:${BOLT}` },
          ],
          ports: [
            { name: "http", containerPort: HTTP },
            { name: "bolt", containerPort: BOLT },
          ],
          volumeMounts: [{ name: "data", mountPath: "/data" }, ...conf.mounts],
          writablePaths: ["/logs", "/tmp", "/var/lib/neo4j/run"],
          probes: { startup: startupAllowance(bolt, 10), readiness: httpProbe("/", "http"), liveness: bolt },
        },
      ],
      volumes: conf.volumes,
      terminationGracePeriodSeconds: 60,
    },
    ctx,
    opts,
  );

  return { endpoint: workload.endpoint, boltUrl: `bolt://${workload.endpoint.host}:${BOLT}`, username: USER, password: auth.credential("password") };
}
