/**
 * Turns a service's declared dependencies (the catalog's needs/uses, resolved by `dependenciesOf`)
 * into its env configuration, from the typed outputs of the layers below. One function for every
 * in-house service, so "a declared dependency becomes env configuration" holds everywhere and a
 * dependency nobody knows how to wire fails the build instead of being silently ignored.
 */
import { CATALOG, ServiceName, isServiceName } from "../config/catalog";
import { EnvVar, secretEnv } from "../kit/container";
import { Dependency } from "../kit/network-policy";
import { SharedCredential } from "../kit/secret";
import { KafkaOutputs } from "./kafka/kafka";
import { NatsOutputs } from "./nats/nats";
import { RabbitmqOutputs } from "./rabbitmq/rabbitmq";
import { ElasticsearchOutputs } from "./elasticsearch/elasticsearch";
import { MilvusOutputs } from "./milvus/milvus";
import { NacosOutputs } from "./nacos/nacos";
import { Neo4jOutputs } from "./neo4j/neo4j";
import { ObjectStore, objectStoreEnv } from "./minio/object-store";
import { DatabaseName, PostgresqlOutputs } from "./postgresql/postgresql";
import { RedisOutputs } from "./redis/redis";
import { primaryHttpUrl } from "../kit/endpoint";

/** The typed outputs of the storage and messaging layers that in-house services consume. */
export interface Backends {
  redis?: RedisOutputs;
  postgresql?: PostgresqlOutputs;
  /** The object store as the application client sees it (documents and multimodal buckets). */
  objectStore?: ObjectStore;
  kafka?: KafkaOutputs;
  nats?: NatsOutputs;
  rabbitmq?: RabbitmqOutputs;
  nacos?: NacosOutputs;
  milvus?: MilvusOutputs;
  neo4j?: Neo4jOutputs;
  elasticsearch?: ElasticsearchOutputs;
}

/** The database each PostgreSQL client owns (seed 003's databases). */
export const DATABASE_OF: Partial<Record<ServiceName, DatabaseName>> = {
  gateway: "identity",
  "algo-service": "knowledge",
  "model-router": "model_router",
};

/** A service of the AI or apps layer (reached over HTTP), as opposed to a data store (configured). */
export function isInHouse(service: string): boolean {
  return isServiceName(service) && ["ai", "apps"].includes(CATALOG[service].layer);
}

/** `speech-service` -> `SPEECH_SERVICE`. */
export function envName(service: string): string {
  return service.toUpperCase().replace(/-/g, "_");
}

/** `<PREFIX>_USERNAME` and `<PREFIX>_PASSWORD` (from the store's Secret, copied into the client's namespace). */
function login(prefix: string, c: { username: string; password: SharedCredential }, namespace: string): EnvVar[] {
  return [{ name: `${prefix}_USERNAME`, value: c.username }, secretEnv(`${prefix}_PASSWORD`, c.password.in(namespace))];
}

/** Env vars for every dependency of `service`; a dependency whose typed outputs are missing is a wiring bug. */
export function dependencyEnv(service: ServiceName, dependencies: Dependency[], b: Backends, namespace: string): EnvVar[] {
  const missing = (what: string): never => {
    throw new Error(`${service} depends on ${what}, but its layer gave no typed outputs for it`);
  };
  return dependencies.flatMap((d): EnvVar[] => {
    const dep = d.endpoint.service;
    switch (dep) {
      case "redis": {
        const r = b.redis ?? missing(dep);
        return [{ name: "REDIS_MODE", value: r.mode }, { name: "REDIS_ADDRS", value: r.nodes.join(",") }, secretEnv("REDIS_PASSWORD", r.password.in(namespace))];
      }
      case "postgresql": {
        const db = DATABASE_OF[service] ?? missing(`postgresql without a database of its own (add it to DATABASE_OF)`);
        const c = (b.postgresql ?? missing(dep)).databases[db];
        return [
          { name: "DATABASE_HOST", value: c.host },
          { name: "DATABASE_PORT", value: String(c.port) },
          { name: "DATABASE_NAME", value: c.database },
          secretEnv("DATABASE_USER", c.username.in(namespace)),
          secretEnv("DATABASE_PASSWORD", c.password.in(namespace)),
        ];
      }
      case "minio": {
        const s = b.objectStore ?? missing(dep);
        return [...objectStoreEnv("S3", s, namespace), { name: "S3_BUCKET_DOCUMENTS", value: s.buckets.documents }, { name: "S3_BUCKET_MULTIMODAL", value: s.buckets.multimodal }];
      }
      case "kafka": {
        const k = b.kafka ?? missing(dep);
        return [
          { name: "KAFKA_BOOTSTRAP_SERVERS", value: k.bootstrapServers },
          { name: "KAFKA_SECURITY_PROTOCOL", value: "SASL_PLAINTEXT" },
          { name: "KAFKA_SASL_MECHANISM", value: "PLAIN" },
          { name: "KAFKA_USERNAME", value: k.username },
          secretEnv("KAFKA_PASSWORD", k.password.in(namespace)),
        ];
      }
      case "nats": {
        const n = b.nats ?? missing(dep);
        return [{ name: "NATS_URL", value: n.url }, ...login("NATS", n, namespace)];
      }
      case "rabbitmq": {
        const q = b.rabbitmq ?? missing(dep);
        const user = q.users[service] ?? missing("rabbitmq without a user of its own (RabbitMQ's clients come from the catalog)");
        return [{ name: "RABBITMQ_HOST", value: q.endpoint.host }, { name: "RABBITMQ_PORT", value: String(q.port) }, { name: "RABBITMQ_VHOST", value: q.vhost }, ...login("RABBITMQ", user, namespace)];
      }
      case "nacos": {
        const n = b.nacos ?? missing(dep);
        return [{ name: "NACOS_SERVER_ADDR", value: n.serverAddr }, ...login("NACOS", n, namespace)];
      }
      case "milvus": {
        const m = b.milvus ?? missing(dep);
        return [{ name: "MILVUS_URI", value: m.uri }, ...login("MILVUS", m, namespace)];
      }
      case "neo4j": {
        const n = b.neo4j ?? missing(dep);
        return [{ name: "NEO4J_URI", value: n.uri }, ...login("NEO4J", n, namespace)];
      }
      case "elasticsearch": {
        const e = b.elasticsearch ?? missing(dep);
        // The applications' user reaches only indices under their prefix (see elasticsearch-users.ts).
        return [{ name: "ELASTICSEARCH_URL", value: e.url }, { name: "ELASTICSEARCH_INDEX_PREFIX", value: e.indices.app }, ...login("ELASTICSEARCH", e.clients.app, namespace)];
      }
      default: {
        // PostHog is configured from the PosthogConnection (POSTHOG_HOST, the key), whatever its mode.
        if (dep.startsWith("posthog-")) return [];
        // Another in-house service: its HTTP base URL.
        if (!isInHouse(dep)) return missing(dep);
        return [{ name: `${envName(dep)}_URL`, value: primaryHttpUrl(d.endpoint) }];
      }
    }
  });
}
