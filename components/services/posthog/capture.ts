/**
 * PostHog capture (events) and replay capture (session recordings): the same Rust service in two modes,
 * each producing to its Kafka topic. Stateless, scaled by the tier's autoscaler in production.
 */
import * as pulumi from "@pulumi/pulumi";
import { httpProbe } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { imageVersion } from "../../kit/labels";
import { Workload, WorkloadContext } from "../../kit/workload";
import { POSTHOG_RUST_UID, PosthogServiceArgs, plaintextKafkaHosts, redisEnv } from "./posthog-app";

export const CAPTURE_PORT = 3000;

/** Mode, topic and catalog name of the two capture services. */
export const CAPTURE_MODES = {
  events: { name: "posthog-capture", topic: "events_plugin_ingestion" },
  recordings: { name: "posthog-replay-capture", topic: "session_recording_snapshot_item_events" },
} as const;

export function posthogCapture(args: PosthogServiceArgs & { image: string; mode: keyof typeof CAPTURE_MODES }, ctx: WorkloadContext, parent: pulumi.Resource): ServiceEndpoint {
  const { wiring: w, mode, image, size } = args;
  const { name, topic } = CAPTURE_MODES[mode];
  const live = httpProbe("/_liveness", "http");
  return new Workload(
    {
      id: { name, component: "analytics-capture", version: imageVersion(image) },
      size,
      runAsUser: POSTHOG_RUST_UID,
      containers: [
        {
          name: "capture",
          image,
          env: [
            { name: "ADDRESS", value: `0.0.0.0:${CAPTURE_PORT}` },
            { name: "CAPTURE_MODE", value: mode },
            { name: "KAFKA_TOPIC", value: topic },
            // PostHog's Rust Kafka client has no SASL settings: the broker's plaintext listener, which only
            // the capture pods and ClickHouse are admitted to.
            { name: "KAFKA_HOSTS", value: plaintextKafkaHosts(w) },
            ...redisEnv(w),
            { name: "RUST_LOG", value: "info,rdkafka=warn" },
          ],
          ports: [{ name: "http", containerPort: CAPTURE_PORT }],
          writablePaths: ["/tmp"],
          probes: { readiness: httpProbe("/_readiness", "http"), liveness: live },
        },
      ],
      dependencies: [{ endpoint: w.stores.kafka.endpoint, ports: ["plaintext"] }, { endpoint: w.stores.redis.endpoint }],
      terminationGracePeriodSeconds: 30,
    },
    ctx,
    { parent, dependsOn: args.after },
  ).endpoint;
}
