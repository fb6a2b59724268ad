/**
 * Neo4j: the knowledge graph. Community runs one node. Enterprise runs under the licence answer the
 * stack gave (NEO4J_ACCEPT_LICENSE_AGREEMENT), as one node or, with 3+ replicas, as a cluster whose
 * discovery list and initial primaries are the StatefulSet's own pods. The password is generated and
 * handed to the image as NEO4J_AUTH; heap and page cache are sized from the container's memory limit.
 */
import * as pulumi from "@pulumi/pulumi";
import { mebibytesOf } from "../../config/quantity";
import { Neo4jSettings, ServiceSize } from "../../config/schema";
import { ContainerPort, EnvVar, fieldEnv, httpProbe, secretEnv, seededPaths, startupAllowance, tcpProbe } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { imageVersion, labels as labelsOf } from "../../kit/labels";
import { GeneratedSecret, SharedCredential, password } from "../../kit/secret";
import { StatefulNames, Workload, WorkloadContext, statefulNames } from "../../kit/workload";

const HTTP = 7474;
const BOLT = 7687;
/** Cluster-internal traffic, discovery included (Neo4j 2025.01 dropped the separate discovery port 5000). */
const CLUSTER = 6000;
const RAFT = 7000;
/** Server-side routing: a member forwards a client's writes to the leader. */
const ROUTING = 7688;
const UID = 7474; // the neo4j user of the official image
const USER = "neo4j";
/** Not NEO4J_-prefixed: the image's entrypoint turns every NEO4J_* variable into a setting. */
const POD_NAME = "POD_NAME";

export interface Neo4jArgs {
  /** The image of the chosen edition. */
  image: string;
  size: ServiceSize;
  edition: Neo4jSettings;
}

export interface Neo4jOutputs {
  endpoint: ServiceEndpoint;
  /** "bolt://host:7687" for one node; "neo4j://host:7687" for a cluster, so drivers route by the members' roles. */
  uri: string;
  mode: "single" | "cluster";
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

/**
 * The settings that make the pods one cluster. Every member advertises its stable pod name (the
 * image's default, the short hostname, does not resolve in other pods), finds the others in the list
 * of all members, and the cluster forms only when all of them are up, hosting the system and default
 * databases on every member as primaries.
 */
export function clusterEnv(names: StatefulNames): EnvVar[] {
  const self = `$(${POD_NAME}).${names.headlessHost}`;
  const members = String(names.podHosts.length);
  return [
    fieldEnv(POD_NAME, "metadata.name"),
    // Bolt and HTTP too: a routing driver is sent to the members by their advertised addresses.
    { name: "NEO4J_server_default__advertised__address", value: self },
    // Set explicitly: the image writes $(hostname) defaults for these three.
    { name: "NEO4J_server_cluster_advertised__address", value: `${self}:${CLUSTER}` },
    { name: "NEO4J_server_cluster_raft_advertised__address", value: `${self}:${RAFT}` },
    { name: "NEO4J_server_routing_advertised__address", value: `${self}:${ROUTING}` },
    { name: "NEO4J_server_cluster_listen__address", value: `:${CLUSTER}` },
    { name: "NEO4J_server_cluster_raft_listen__address", value: `:${RAFT}` },
    { name: "NEO4J_server_routing_listen__address", value: `:${ROUTING}` },
    { name: "NEO4J_dbms_cluster_discovery_resolver__type", value: "LIST" },
    { name: "NEO4J_dbms_cluster_endpoints", value: names.podHosts.map((h) => `${h}:${CLUSTER}`).join(",") },
    { name: "NEO4J_dbms_cluster_minimum__initial__system__primaries__count", value: members },
    { name: "NEO4J_initial_dbms_default__primaries__count", value: members },
    // A member added later by raising replicas starts serving without a manual ENABLE SERVER.
    { name: "NEO4J_initial_dbms_automatically__enable__free__servers", value: "true" },
  ];
}

export function neo4j(args: Neo4jArgs, ctx: WorkloadContext, parent: pulumi.Resource): Neo4jOutputs {
  const name = "neo4j";
  const { size, edition } = args;
  // The config refuses more than one Community node and an Enterprise pair.
  const cluster = size.replicas > 1;
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
  const peerPorts: ContainerPort[] = cluster
    ? [
        { name: "cluster", containerPort: CLUSTER },
        { name: "raft", containerPort: RAFT },
        { name: "routing", containerPort: ROUTING },
      ]
    : [];

  const workload = new Workload(
    {
      id,
      size,
      runAsUser: UID,
      // A cluster forms only once its initial primaries have all started: start them together.
      state: { mountPath: "/data", podManagementPolicy: cluster ? "Parallel" : "OrderedReady" },
      initContainers: [conf.init],
      containers: [
        {
          name: "neo4j",
          image: args.image,
          env: [
            ...(edition.edition === "enterprise" ? [{ name: "NEO4J_ACCEPT_LICENSE_AGREEMENT", value: edition.acceptLicenseAgreement }] : []),
            secretEnv("NEO4J_AUTH", auth.ref("NEO4J_AUTH")),
            { name: "NEO4J_server_memory_heap_initial__size", value: `${memory.heapMb}m` },
            { name: "NEO4J_server_memory_heap_max__size", value: `${memory.heapMb}m` },
            { name: "NEO4J_server_memory_pagecache_size", value: `${memory.pageCacheMb}m` },
            { name: "NEO4J_server_default__listen__address", value: "0.0.0.0" },
            { name: "NEO4J_server_http_listen__address", value: `:${HTTP}` },
            { name: "NEO4J_server_bolt_listen__address", value: `:${BOLT}` },
            // Member-to-member traffic is plain TCP admitted between the members only (the mesh, when on, encrypts it).
            ...(cluster ? clusterEnv(statefulNames(name, ctx.namespace, size.replicas)) : []),
          ],
          ports: [{ name: "http", containerPort: HTTP }, { name: "bolt", containerPort: BOLT }, ...peerPorts],
          volumeMounts: [{ name: "data", mountPath: "/data" }, ...conf.mounts],
          writablePaths: ["/logs", "/tmp", "/var/lib/neo4j/run"],
          probes: { startup: startupAllowance(bolt, 10), readiness: httpProbe("/", "http"), liveness: bolt },
        },
      ],
      volumes: conf.volumes,
      clientPorts: ["http", "bolt"],
      primaryPort: "http",
      peerPorts: cluster ? peerPorts.map((p) => p.name) : undefined,
      terminationGracePeriodSeconds: 60,
    },
    ctx,
    opts,
  );

  return {
    endpoint: workload.endpoint,
    uri: `${cluster ? "neo4j" : "bolt"}://${workload.endpoint.host}:${BOLT}`,
    mode: cluster ? "cluster" : "single",
    username: USER,
    password: auth.credential("password"),
  };
}
