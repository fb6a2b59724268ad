/**
 * What Jaeger and Fluentd need to know about Elasticsearch (built by the storage layer): where its
 * HTTP API is and, when its security is on, which of its users each logs in as.
 */
import { ServiceEndpoint } from "../../kit/endpoint";
import { ElasticsearchCredentials } from "./elasticsearch-users";

/** One client's own Elasticsearch user, when its security is on (the storage layer's outputs). */
export type ElasticsearchAuth = ElasticsearchCredentials;

/** The port Elasticsearch answers HTTP on: the one named "http", or 9200. */
export function elasticsearchPort(es: ServiceEndpoint): number {
  const entry = Object.entries(es.ports).find(([name, port]) => name === "http" || port === 9200);
  if (!entry) throw new Error(`elasticsearch offers no HTTP port (named "http" or 9200); it offers ${Object.keys(es.ports).join(", ")}`);
  return entry[1];
}
