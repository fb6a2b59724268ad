import * as assert from "assert";
import { IMAGES } from "../../components/config/images";
import { Rendered } from "../harness";
import { ELASTICSEARCH, MONITORING, configFile, configText, renderOnce, renderWithElasticsearch } from "./helpers";

describe("observability: Jaeger v2", () => {
  let r: Rendered;
  let dev: Rendered;
  before(async () => {
    r = await renderWithElasticsearch();
    dev = await renderOnce("dev");
  });

  it("is deployed with the Elasticsearch it stores traces in", () => {
    assert.ok(dev.outputs.deployed.includes("jaeger") && dev.outputs.deployed.includes("elasticsearch"));
  });

  it("runs the pinned v2 image with its config file", () => {
    const c = r.object("kubernetes:apps/v1:Deployment", "jaeger", MONITORING).inputs.spec.template.spec.containers[0];
    assert.strictEqual(c.image, IMAGES.jaeger);
    assert.match(IMAGES.jaeger, /jaeger:2\./);
    assert.deepStrictEqual(c.args, ["--config", "/etc/jaeger/config.yaml"]);
  });

  it("stores traces in the Elasticsearch endpoint it is given, as its own user, password from that user's Secret", () => {
    const cfg = configFile(r, "jaeger-config", "config.yaml");
    const es = cfg.extensions.jaeger_storage.backends.elasticsearch.elasticsearch;
    assert.deepStrictEqual(es.server_urls, ["http://elasticsearch.voicehelper-storage.svc.cluster.local:9200"]);
    assert.deepStrictEqual(es.auth.basic, { username: "jaeger", password: "${env:ES_PASSWORD}" });
    const env = r.object("kubernetes:apps/v1:Deployment", "jaeger", MONITORING).inputs.spec.template.spec.containers[0].env;
    assert.deepStrictEqual(env.find((e: any) => e.name === "ES_PASSWORD").valueFrom.secretKeyRef, { name: "elasticsearch-jaeger", key: "password" });
    assert.strictEqual(cfg.exporters.jaeger_storage_exporter.trace_storage, "elasticsearch");
    assert.strictEqual(cfg.extensions.jaeger_query.storage.traces, "elasticsearch");
  });

  it("receives OTLP on 4317/4318 and admits each in-house service by name to OTLP/HTTP and gRPC sampling", () => {
    const cfg = configFile(r, "jaeger-config", "config.yaml");
    assert.strictEqual(cfg.receivers.otlp.protocols.grpc.endpoint, "0.0.0.0:4317");
    assert.strictEqual(cfg.receivers.otlp.protocols.http.endpoint, "0.0.0.0:4318");
    const policy = r.object("kubernetes:networking.k8s.io/v1:NetworkPolicy", "jaeger-from-gateway", MONITORING).inputs.spec.ingress[0];
    assert.deepStrictEqual(policy.from[0].namespaceSelector.matchLabels, { "kubernetes.io/metadata.name": "voicehelper" });
    assert.strictEqual(policy.from[0].podSelector.matchLabels["app.kubernetes.io/name"], "gateway");
    assert.deepStrictEqual(policy.ports.map((p: any) => p.port).sort(), [4318, 5779]);
  });

  it("may reach Elasticsearch, and Elasticsearch admits it", () => {
    const ingress = r.object("kubernetes:networking.k8s.io/v1:NetworkPolicy", "elasticsearch-from-jaeger", "voicehelper-storage").inputs.spec;
    assert.deepStrictEqual(ingress.podSelector.matchLabels, ELASTICSEARCH.selector);
    assert.deepStrictEqual(ingress.ingress[0].ports, [{ protocol: "TCP", port: 9200 }]);
  });

  it("samples 10% by default and 50% for the AI services (seed 003)", () => {
    const s = JSON.parse(configText(r, "jaeger-config", "sampling.json"));
    assert.deepStrictEqual(s.default_strategy, { type: "probabilistic", param: 0.1 });
    const ai = Object.fromEntries(s.service_strategies.map((x: any) => [x.service, x.param]));
    for (const svc of ["bge-service", "faiss-service", "llm-proxy", "speech-service", "tts-service", "model-router"]) assert.strictEqual(ai[svc], 0.5, svc);
    assert.strictEqual(ai.gateway, undefined);
    const cfg = configFile(r, "jaeger-config", "config.yaml");
    assert.strictEqual(cfg.extensions.remote_sampling.file.path, "/etc/jaeger/sampling.json");
  });

  it("becomes Grafana's second datasource", () => {
    const ds = configFile(r, "grafana-provisioning", "datasources.yaml").datasources.find((d: any) => d.type === "jaeger");
    assert.strictEqual(ds.url, `http://jaeger.${MONITORING}.svc.cluster.local:16686`);
  });
});
