/**
 * Replica counts a service's clustering accepts. Checked by loadConfig so a bad override is refused
 * before anything is deployed, not discovered as a crash-looping cluster.
 */
import { ServiceName } from "./catalog";

type Check = (replicas: number) => string | undefined;

export const REPLICA_CONSTRAINTS: Partial<Record<ServiceName, Check>> = {
  // Standalone, or Redis Cluster: 3+ primaries each with one replica.
  redis: (n) => (n === 1 || (n >= 6 && n % 2 === 0) ? undefined : "must be 1 (standalone) or an even number of at least 6 (Redis Cluster: primaries with one replica each)"),
  "posthog-redis": (n) => (n === 1 ? undefined : "must be 1: PostHog uses a single Redis"),
  // Quorum-based stores need an odd count to survive a partition.
  "milvus-etcd": (n) => (n % 2 === 1 ? undefined : "must be odd (1, 3, 5): etcd needs a majority"),
  kafka: (n) => (n === 1 || n >= 3 ? undefined : "must be 1 or at least 3: a KRaft quorum of 2 cannot lose a node"),
  nats: (n) => (n === 1 || n >= 3 ? undefined : "must be 1 or at least 3: JetStream needs a majority"),
  rabbitmq: (n) => (n % 2 === 1 ? undefined : "must be odd (1, 3, 5): quorum queues need a majority"),
  elasticsearch: (n) => (n === 1 || n >= 3 ? undefined : "must be 1 or at least 3: master election needs a majority"),
  minio: (n) => (n === 1 || (n >= 4 && n % 2 === 0) ? undefined : "must be 1 or an even number of at least 4 (erasure-coded distributed mode)"),
  nacos: (n) => (n === 1 || n >= 3 ? undefined : "must be 1 (standalone) or at least 3 (cluster)"),
  "posthog-zookeeper": (n) => (n % 2 === 1 ? undefined : "must be odd (1, 3, 5): ZooKeeper needs a majority"),
  milvus: (n) => (n === 1 ? undefined : "must be 1: the platform runs Milvus standalone (a cluster needs the distributed deployment)"),
  neo4j: (n) => (n === 1 ? undefined : "must be 1: clustering needs Neo4j Enterprise and an accepted licence"),
};
