/**
 * PostHog's property-definitions service (Rust `property-defs-rs`): reads ingested events from Kafka
 * (`clickhouse_events_json`) and writes the event and property definitions behind PostHog's event and
 * property pickers into Postgres. PostHog's compose runs it with writes and reads on and every team
 * processed (`FILTER_MODE` opt-out); the Node plugin server's own writer is off in production builds.
 * Like capture, its Kafka client has no SASL settings: it reads from the broker's plaintext listener.
 */
import * as pulumi from "@pulumi/pulumi";
import { httpProbe } from "../../kit/container";
import { imageVersion } from "../../kit/labels";
import { Workload, WorkloadContext } from "../../kit/workload";
import { POSTHOG_RUST_UID, PosthogServiceArgs, databaseEnv, plaintextKafkaHosts } from "./posthog-app";

export const PROPERTY_DEFS_PORT = 3301;

export function posthogPropertyDefs(args: PosthogServiceArgs & { image: string }, ctx: WorkloadContext, parent: pulumi.Resource): void {
  const { wiring: w, image, size } = args;
  new Workload(
    {
      id: { name: "posthog-property-defs", component: "analytics-taxonomy", version: imageVersion(image) },
      size,
      runAsUser: POSTHOG_RUST_UID,
      containers: [
        {
          name: "property-defs",
          image,
          env: [
            ...databaseEnv(w),
            { name: "KAFKA_HOSTS", value: plaintextKafkaHosts(w) },
            { name: "SKIP_WRITES", value: "false" },
            { name: "SKIP_READS", value: "false" },
            { name: "FILTER_MODE", value: "opt-out" },
            // Its default bind address is "::", which an IPv4-only pod network may not offer.
            { name: "BIND_HOST", value: "0.0.0.0" },
            { name: "BIND_PORT", value: String(PROPERTY_DEFS_PORT) },
            { name: "RUST_LOG", value: "info,rdkafka=warn" },
          ],
          ports: [{ name: "http", containerPort: PROPERTY_DEFS_PORT }],
          writablePaths: ["/tmp"],
          probes: { readiness: httpProbe("/_readiness", "http"), liveness: httpProbe("/_liveness", "http") },
        },
      ],
      // Nothing calls it: no Service; Prometheus reads its /metrics on the same port.
      clientPorts: [],
      metrics: { port: "http", path: "/metrics" },
      dependencies: [{ endpoint: w.stores.postgresEndpoint }, { endpoint: w.stores.kafka.endpoint, ports: ["plaintext"] }],
      terminationGracePeriodSeconds: 30,
    },
    ctx,
    { parent, dependsOn: args.after },
  );
}
