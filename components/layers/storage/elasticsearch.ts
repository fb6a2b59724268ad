/**
 * Elasticsearch 8: one node with single-node discovery in small tiers; three master-eligible data
 * nodes otherwise, whose seed hosts and initial masters are the StatefulSet's own pods. Security is
 * on with a generated `elastic` password; the heap is half the memory limit.
 */
import * as pulumi from "@pulumi/pulumi";
import { mebibytesOf } from "../../config/quantity";
import { ServiceSize } from "../../config/schema";
import { EnvVar, execProbe, fieldEnv, secretEnv, seededPaths, startupAllowance, tcpProbe } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { imageVersion, labels as labelsOf } from "../../kit/labels";
import { GeneratedSecret, SecretKeyRef, password } from "../../kit/secret";
import { Workload, WorkloadContext, statefulNames } from "../../kit/workload";

const HTTP = 9200;
const TRANSPORT = 9300;
const UID = 1000; // the elasticsearch user of the official image
const HOME = "/usr/share/elasticsearch";
const USER = "elastic";

export interface ElasticsearchArgs {
  image: string;
  size: ServiceSize;
}

export interface ElasticsearchOutputs {
  endpoint: ServiceEndpoint;
  /** "http://host:9200" */
  url: string;
  username: string;
  password: SecretKeyRef;
  mode: "single-node" | "cluster";
}

/** The discovery settings: single-node, or the cluster's pods as seed hosts and initial masters. */
export function discoveryEnv(podNames: string[], podHosts: string[]): EnvVar[] {
  if (podNames.length <= 1) return [{ name: "discovery.type", value: "single-node" }];
  return [
    { name: "discovery.seed_hosts", value: podHosts.map((h) => `${h}:${TRANSPORT}`).join(",") },
    { name: "cluster.initial_master_nodes", value: podNames.join(",") },
  ];
}

export function elasticsearch(args: ElasticsearchArgs, ctx: WorkloadContext, parent: pulumi.Resource): ElasticsearchOutputs {
  const name = "elasticsearch";
  const { size } = args;
  const cluster = size.replicas > 1;
  const id = { name, component: "search", version: imageVersion(args.image) };
  const opts = { parent };

  const auth = new GeneratedSecret(`${name}-auth`, { namespace: ctx.namespace, labels: labelsOf(id), generate: { password: password(32) }, plain: { username: USER } }, opts);
  const names = statefulNames(name, ctx.namespace, size.replicas);
  const heapMb = mebibytesOf(size.resources.limits.memory, 0.5);
  // The entrypoint stores the bootstrap password in a keystore under config/: a writable copy of it.
  const config = seededPaths(name, args.image, [`${HOME}/config`], UID);
  const transport = tcpProbe("transport");
  const health = (query: string) =>
    execProbe(["sh", "-c", `curl -fsS -o /dev/null -u "${USER}:$ELASTIC_PASSWORD" "http://127.0.0.1:${HTTP}/_cluster/health?${query}"`], { timeoutSeconds: 10 });

  const workload = new Workload(
    {
      id,
      size,
      runAsUser: UID,
      // Master election needs every node up: start them together.
      state: { mountPath: `${HOME}/data`, podManagementPolicy: cluster ? "Parallel" : "OrderedReady" },
      initContainers: [config.init],
      containers: [
        {
          name: "elasticsearch",
          image: args.image,
          env: [
            secretEnv("ELASTIC_PASSWORD", auth.ref("password")),
            fieldEnv("node.name", "metadata.name"),
            { name: "cluster.name", value: "voicehelper" },
            { name: "network.host", value: "0.0.0.0" },
            ...discoveryEnv(names.podNames, names.podHosts),
            { name: "ES_JAVA_OPTS", value: `-Xms${heapMb}m -Xmx${heapMb}m` },
            // Elasticsearch memory-maps its indices and then needs the node's vm.max_map_count raised to
            // 262144, which only a privileged init container (or the node's own setup) can do. Turning
            // mmap off keeps the pod unprivileged at some cost in search speed; raise the sysctl on the
            // nodes and drop this setting to get it back.
            { name: "node.store.allow_mmap", value: "false" },
            { name: "xpack.security.enabled", value: "true" },
            // Plain HTTP inside the cluster (authenticated; the mesh encrypts pod-to-pod traffic).
            { name: "xpack.security.http.ssl.enabled", value: "false" },
          ],
          ports: [
            { name: "http", containerPort: HTTP },
            { name: "transport", containerPort: TRANSPORT },
          ],
          volumeMounts: [{ name: "data", mountPath: `${HOME}/data` }, ...config.mounts],
          writablePaths: ["/tmp", `${HOME}/logs`],
          probes: {
            startup: startupAllowance(transport, 10),
            // A node is ready once it has joined a cluster with every primary allocated (local view).
            readiness: health("local=true&wait_for_status=yellow&timeout=5s"),
            liveness: transport,
          },
        },
      ],
      volumes: config.volumes,
      clientPorts: ["http"],
      peerPorts: ["transport"],
      terminationGracePeriodSeconds: 120,
    },
    ctx,
    opts,
  );

  return {
    endpoint: workload.endpoint,
    url: `http://${workload.endpoint.host}:${HTTP}`,
    username: USER,
    password: auth.ref("password"),
    mode: cluster ? "cluster" : "single-node",
  };
}
