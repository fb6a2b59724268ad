/**
 * ZooKeeper for PostHog's ClickHouse (replicated tables and ON CLUSTER migrations need a coordinator).
 * One node in small tiers, an ensemble of three in production: each pod's id is its ordinal + 1 and
 * the ensemble lists the StatefulSet's own pods. Only ClickHouse is admitted (NetworkPolicy).
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceSize } from "../../config/schema";
import { fieldEnv, startupAllowance, tcpProbe } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { imageVersion } from "../../kit/labels";
import { Workload, WorkloadContext, statefulNames } from "../../kit/workload";

const CLIENT = 2181;
const FOLLOWER = 2888;
const ELECTION = 3888;
const UID = 1000; // the zookeeper user of the official image
const DATA_DIR = "/data";
/** The entrypoint writes it as zoo.cfg's dataLogDir; ZooKeeper creates the directory. */
export const TRANSACTION_LOG_DIR = `${DATA_DIR}/txnlog`;

export interface ZookeeperArgs {
  name: string;
  image: string;
  size: ServiceSize;
}

export interface ZookeeperOutputs {
  endpoint: ServiceEndpoint;
  /** Every node's host, in ordinal order (ClickHouse lists them all). */
  nodes: string[];
  port: number;
}

/** `ZOO_SERVERS` for the ensemble: "server.<ordinal+1>=<pod host>:2888:3888;2181 ...". */
export function zookeeperServers(podHosts: readonly string[]): string {
  return podHosts.map((h, i) => `server.${i + 1}=${h}:${FOLLOWER}:${ELECTION};${CLIENT}`).join(" ");
}

export function zookeeper(args: ZookeeperArgs, ctx: WorkloadContext, parent: pulumi.Resource): ZookeeperOutputs {
  const { name, size } = args;
  const names = statefulNames(name, ctx.namespace, size.replicas);
  const ensemble = size.replicas > 1;
  const client = tcpProbe("client");
  const workload = new Workload(
    {
      id: { name, component: "coordination", version: imageVersion(args.image) },
      size,
      runAsUser: UID,
      state: { mountPath: DATA_DIR, podManagementPolicy: ensemble ? "Parallel" : "OrderedReady" },
      containers: [
        {
          name: "zookeeper",
          image: args.image,
          // The image's entrypoint writes zoo.cfg and myid from these variables; the id is the ordinal + 1.
          command: ["sh", "-c", "export ZOO_MY_ID=$((POD_INDEX + 1)); exec /docker-entrypoint.sh zkServer.sh start-foreground"],
          env: [
            fieldEnv("POD_INDEX", "metadata.labels['apps.kubernetes.io/pod-index']"),
            { name: "ZOO_SERVERS", value: zookeeperServers(names.podHosts) },
            { name: "ZOO_STANDALONE_ENABLED", value: String(!ensemble) },
            { name: "ZOO_ADMINSERVER_ENABLED", value: "false" },
            // The transaction log is the ensemble's durable state: on the volume, not the image's /datalog
            // (an emptyDir here would lose every write since the last snapshot when the pod moves).
            { name: "ZOO_DATA_LOG_DIR", value: TRANSACTION_LOG_DIR },
            { name: "ZOO_AUTOPURGE_PURGEINTERVAL", value: "1" },
            { name: "ZOO_AUTOPURGE_SNAPRETAINCOUNT", value: "3" },
          ],
          ports: [
            { name: "client", containerPort: CLIENT },
            { name: "follower", containerPort: FOLLOWER },
            { name: "election", containerPort: ELECTION },
          ],
          volumeMounts: [{ name: "data", mountPath: DATA_DIR }],
          writablePaths: ["/conf", "/logs", "/tmp"],
          probes: { startup: startupAllowance(client, 5), readiness: client, liveness: client },
        },
      ],
      clientPorts: ["client"],
      peerPorts: ensemble ? ["follower", "election"] : undefined,
      terminationGracePeriodSeconds: 30,
    },
    ctx,
    { parent },
  );
  return { endpoint: workload.endpoint, nodes: ensemble ? workload.podHosts : [workload.endpoint.host], port: CLIENT };
}
