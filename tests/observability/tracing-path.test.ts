/**
 * Tracing followed end to end on a rendered stack: every in-house service is told where the
 * collector is and which sampler to use, the path to the collector's ports is open both ways through
 * default-deny, and the strategy the collector serves for the service is the rate seed 004 asks for.
 */
import { strict as assert } from "assert";
import { CATALOG, ServiceName } from "../../components/config/catalog";
import { IN_HOUSE_IMAGES } from "../../components/config/images";
import { tracingCollector } from "../../components/layers/observability";
import { Rendered, RenderedResource, render } from "../harness";
import { PodRef, podOf, reachable } from "../network-paths";
import { configFile, configText } from "./helpers";

const WORKLOADS = ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet"];

function workloadOf(r: Rendered, name: string): RenderedResource {
  const found = r.resources.filter((x) => WORKLOADS.includes(x.type) && x.inputs.metadata.name === name);
  assert.equal(found.length, 1, `one workload named ${name}`);
  return found[0];
}

function envMap(w: RenderedResource): Record<string, string> {
  const c = w.inputs.spec.template.spec.containers[0];
  return Object.fromEntries((c.env ?? []).filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
}

/** `endpoint=...,pollingIntervalMs=...,initialSamplingRate=...` as an object. */
function samplerArgs(arg: string): Record<string, string> {
  return Object.fromEntries(arg.split(",").map((kv) => kv.split("=") as [string, string]));
}

describe("tracing: every in-house service to the Jaeger collector (staging)", () => {
  let r: Rendered;
  let jaeger: RenderedResource;
  let strategies: { default_strategy: { param: number }; service_strategies: { service: string; param: number }[] };
  before(async () => {
    r = await render("staging");
    jaeger = workloadOf(r, "jaeger");
    strategies = JSON.parse(configText(r, "jaeger-config", "sampling.json"));
  });

  it("the collector the services are pointed at is the deployed Jaeger: its Service, pods and ports", () => {
    const c = tracingCollector();
    const svc = r.object("kubernetes:core/v1:Service", "jaeger", c.namespace);
    assert.equal(c.host, `${svc.inputs.metadata.name}.${svc.inputs.metadata.namespace}.svc.cluster.local`);
    assert.deepEqual(svc.inputs.spec.selector, c.selector);
    for (const [k, v] of Object.entries(c.selector)) assert.equal(podOf(jaeger).labels[k], v);
    const servicePorts = svc.inputs.spec.ports.map((p: any) => p.port);
    for (const p of Object.values(c.ports)) assert.ok(servicePorts.includes(p), `the jaeger Service carries ${p}`);
    const cfg = configFile(r, "jaeger-config", "config.yaml");
    assert.equal(cfg.receivers.otlp.protocols.http.endpoint, `0.0.0.0:${c.ports["otlp-http"]}`);
    assert.equal(cfg.extensions.remote_sampling.grpc.endpoint, `0.0.0.0:${c.ports["sampling-grpc"]}`);
  });

  for (const service of IN_HOUSE_IMAGES) {
    it(`${service}: OTEL env to the collector, the path open both ways, and its seed rate served`, () => {
      const w = workloadOf(r, service);
      const env = envMap(w);
      const c = tracingCollector();
      assert.equal(env.OTEL_SERVICE_NAME, service, "the strategy is looked up by this name");
      assert.equal(env.OTEL_TRACES_EXPORTER, "otlp");
      assert.equal(env.OTEL_EXPORTER_OTLP_PROTOCOL, "http/protobuf");
      const otlp = new URL(env.OTEL_EXPORTER_OTLP_ENDPOINT);
      assert.equal(otlp.hostname, c.host);
      assert.equal(Number(otlp.port), 4318);
      assert.equal(env.OTEL_METRICS_EXPORTER, "none", "Jaeger stores traces only; metrics are scraped");
      assert.equal(env.OTEL_TRACES_SAMPLER, "parentbased_jaeger_remote");
      const sampler = samplerArgs(env.OTEL_TRACES_SAMPLER_ARG);
      const samplerUrl = new URL(sampler.endpoint);
      assert.equal(samplerUrl.hostname, c.host);
      assert.equal(Number(samplerUrl.port), 5779, "the SDKs' remote sampler speaks gRPC");

      const pod: PodRef = podOf(w);
      const collector: PodRef = podOf(jaeger);
      for (const port of [4318, 5779]) assert.ok(reachable(r, pod, collector, port), `${service} cannot reach the collector on ${port}`);
      assert.ok(!reachable(r, pod, collector, 16686), "the services get the collector's ingest ports, not its UI");

      const expected = CATALOG[service as ServiceName].layer === "ai" ? 0.5 : 0.1;
      const served = strategies.service_strategies.find((s) => s.service === service)?.param ?? strategies.default_strategy.param;
      assert.equal(served, expected, `seed 004: ${service} samples ${expected}`);
      assert.equal(Number(sampler.initialSamplingRate), expected, "before the first strategy arrives the same rate applies");
    });
  }

  it("nothing else in the application namespace reaches the collector", () => {
    const stranger: PodRef = { namespace: "voicehelper", labels: { "gateway.networking.k8s.io/gateway-name": "public" } };
    assert.ok(!reachable(r, stranger, podOf(jaeger), 4318));
  });

  it("a stack without Jaeger gives the services no tracing env", async () => {
    const aiOnly = await render("dev", { deployMode: "ai-only" });
    const env = envMap(workloadOf(aiOnly, "llm-proxy"));
    assert.equal(env.OTEL_EXPORTER_OTLP_ENDPOINT, undefined);
  });
});
