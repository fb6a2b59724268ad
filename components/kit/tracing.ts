/**
 * How an in-house service sends traces (docs/tracing.md): the OpenTelemetry SDK's standard `OTEL_*`
 * variables, pointing at the stack's trace collector, with the collector's remote sampling strategy
 * for the service. The collector is a dependency like any other: both sides of the path become
 * NetworkPolicy rules.
 */
import { EnvVar } from "./container";
import { ServiceEndpoint } from "./endpoint";
import { Dependency } from "./network-policy";

/** The collector's port names: OTLP over HTTP, and Jaeger's remote sampling over gRPC. */
export const OTLP_HTTP_PORT = "otlp-http";
export const SAMPLING_GRPC_PORT = "sampling-grpc";
/** How often the SDK asks for its strategy again: a changed rate applies within a minute. */
export const SAMPLING_POLL_MS = 60000;

/** What a service needs to send traces. */
export interface Tracing {
  /** The collector, offering OTLP_HTTP_PORT and SAMPLING_GRPC_PORT. */
  collector: ServiceEndpoint;
  /** The service's rate until its first strategy arrives (and whenever the collector is unreachable). */
  initialSamplingRate: number;
}

function url(collector: ServiceEndpoint, port: string): string {
  const p = collector.ports[port];
  if (p === undefined) throw new Error(`the trace collector ${collector.service} offers no port "${port}" (it offers ${Object.keys(collector.ports).join(", ")})`);
  return `http://${collector.host}:${p}`;
}

/**
 * The OTEL_* environment of `service`. Traces only: the collector stores spans, and metrics are
 * scraped from /metrics, so the SDK's metric and log exporters are off rather than failing against
 * a receiver that refuses them. `parentbased_jaeger_remote` follows the caller's decision, so a trace
 * is either whole or absent, and otherwise applies the service's strategy from the collector.
 */
export function tracingEnv(service: string, t: Tracing): EnvVar[] {
  const sampler = [`endpoint=${url(t.collector, SAMPLING_GRPC_PORT)}`, `pollingIntervalMs=${SAMPLING_POLL_MS}`, `initialSamplingRate=${t.initialSamplingRate}`].join(",");
  return [
    { name: "OTEL_SERVICE_NAME", value: service },
    { name: "OTEL_TRACES_EXPORTER", value: "otlp" },
    { name: "OTEL_METRICS_EXPORTER", value: "none" },
    { name: "OTEL_LOGS_EXPORTER", value: "none" },
    { name: "OTEL_EXPORTER_OTLP_ENDPOINT", value: url(t.collector, OTLP_HTTP_PORT) },
    { name: "OTEL_EXPORTER_OTLP_PROTOCOL", value: "http/protobuf" },
    { name: "OTEL_TRACES_SAMPLER", value: "parentbased_jaeger_remote" },
    { name: "OTEL_TRACES_SAMPLER_ARG", value: sampler },
  ];
}

/** The collector as a dependency on exactly the two ports the SDK uses. */
export function tracingDependency(t: Tracing): Dependency {
  return { endpoint: t.collector, ports: [OTLP_HTTP_PORT, SAMPLING_GRPC_PORT] };
}
