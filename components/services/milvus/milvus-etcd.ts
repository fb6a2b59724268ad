/**
 * etcd for Milvus' metadata: one member, or an odd-sized cluster whose initial membership is the
 * StatefulSet's own pods. v3.5 (Milvus is not verified on 3.6), revision auto-compaction and a 4 GiB
 * backend quota as Milvus recommends. Only Milvus may reach it (NetworkPolicies from its dependencies).
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { fieldEnv, httpProbe, startupAllowance } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { imageVersion } from "../../kit/labels";
import { StatefulNames, Workload, WorkloadContext, statefulNames } from "../../kit/workload";

const CLIENT = 2379;
const PEER = 2380;
const METRICS = 2381;
const UID = 1001; // the image is distroless and runs any UID; data lives on the volume only
const DATA = "/var/lib/etcd";

export interface EtcdArgs {
  name: string;
  image: string;
  size: ServiceSize;
}

export interface EtcdOutputs {
  endpoint: ServiceEndpoint;
  /** Every member's "host:port" for clients. */
  endpoints: string[];
}

/** `--initial-cluster`: every pod by name with its peer URL. */
export function initialCluster(names: StatefulNames): string {
  return names.podNames.map((pod, i) => `${pod}=http://${names.podHosts[i]}:${PEER}`).join(",");
}

export function etcd(args: EtcdArgs, ctx: WorkloadContext, parent: pulumi.Resource): EtcdOutputs {
  const { name, size } = args;
  const cluster = size.replicas > 1;
  const names = statefulNames(name, ctx.namespace, size.replicas);
  const self = `$(POD_NAME).${names.headlessHost}`;
  const health = httpProbe("/health", "metrics");

  const workload = new Workload(
    {
      id: { name, component: "metadata-store", version: imageVersion(args.image) },
      size,
      runAsUser: UID,
      // Members wait for a quorum before they are ready: start them together.
      state: { mountPath: DATA, podManagementPolicy: cluster ? "Parallel" : "OrderedReady" },
      containers: [
        {
          name: "etcd",
          image: args.image,
          command: ["etcd"],
          args: [
            "--name=$(POD_NAME)",
            `--data-dir=${DATA}/data`,
            `--listen-client-urls=http://0.0.0.0:${CLIENT}`,
            `--advertise-client-urls=http://${self}:${CLIENT}`,
            `--listen-peer-urls=http://0.0.0.0:${PEER}`,
            `--initial-advertise-peer-urls=http://${self}:${PEER}`,
            `--listen-metrics-urls=http://0.0.0.0:${METRICS}`,
            `--initial-cluster=${initialCluster(names)}`,
            "--initial-cluster-state=new",
            `--initial-cluster-token=${name}`,
            "--auto-compaction-mode=revision",
            "--auto-compaction-retention=1000",
            `--quota-backend-bytes=${4 * 2 ** 30}`,
            "--snapshot-count=50000",
          ],
          env: [fieldEnv("POD_NAME", "metadata.name")],
          ports: [
            { name: "client", containerPort: CLIENT },
            { name: "peer", containerPort: PEER },
            { name: "metrics", containerPort: METRICS },
          ],
          volumeMounts: [{ name: "data", mountPath: DATA }],
          probes: {
            startup: startupAllowance(health, 5),
            // Ready only with a leader; alive as long as the member itself answers.
            readiness: health,
            liveness: httpProbe("/health?serializable=true", "metrics"),
          },
        },
      ],
      clientPorts: ["client"],
      peerPorts: cluster ? ["peer"] : undefined,
      metrics: { port: "metrics", path: "/metrics" },
      terminationGracePeriodSeconds: 30,
    },
    ctx,
    { parent },
  );

  return { endpoint: workload.endpoint, endpoints: names.podHosts.map((h) => `${h}:${CLIENT}`) };
}
