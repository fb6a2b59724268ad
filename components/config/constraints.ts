/**
 * Replica counts a service's clustering accepts. Checked by loadConfig so a bad override is refused
 * before anything is deployed, not discovered as a crash-looping cluster. What a service accepts can
 * depend on the stack's other choices (Neo4j clusters only as Enterprise).
 */
import { ServiceName } from "./catalog";
import type { Neo4jEdition } from "./schema";

/** The settings besides replicas that decide whether and how a service can cluster. */
export interface ClusteringChoices {
  neo4jEdition: Neo4jEdition;
}

type Check = (replicas: number, choices: ClusteringChoices) => string | undefined;

/** Neo4j hosts a database on at most 11 primaries (initial.dbms.default_primaries_count). */
const NEO4J_MAX_PRIMARIES = 11;

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
  neo4j: (n, { neo4jEdition }) =>
    neo4jEdition === "community"
      ? n === 1
        ? undefined
        : "must be 1 with Neo4j Community; for a cluster choose neo4j.edition enterprise and accept its licence with neo4j.acceptLicenseAgreement"
      : n === 1 || (n >= 3 && n <= NEO4J_MAX_PRIMARIES)
        ? undefined
        : `must be 1 or 3 to ${NEO4J_MAX_PRIMARIES} with Neo4j Enterprise: a Raft primary set of 2 cannot lose a node, and Neo4j hosts a database on at most ${NEO4J_MAX_PRIMARIES} primaries`,
};
