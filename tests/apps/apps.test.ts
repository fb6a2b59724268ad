import { strict as assert } from "assert";
import { CATALOG, NAMESPACES, SERVICE_NAMES, ServiceName } from "../../components/config/catalog";
import { Rendered, podSpecOf, render } from "../harness";

const APPS = NAMESPACES.apps;
const NP = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const APP_SERVICES: ServiceName[] = SERVICE_NAMES.filter((s) => CATALOG[s].layer === "apps");
const deploymentOf = (r: Rendered, name: string) => r.object("kubernetes:apps/v1:Deployment", name, APPS);
const envOf = (r: Rendered, name: string): Record<string, any> => Object.fromEntries(podSpecOf(deploymentOf(r, name)).containers[0].env.map((e: any) => [e.name, e]));
/** The env var that proves a dependency is configured, by dependency. */
const MARKER: Record<string, (client: string) => string> = {
  postgresql: () => "DATABASE_HOST",
  redis: () => "REDIS_ADDRS",
  minio: () => "S3_URL",
  kafka: () => "KAFKA_BOOTSTRAP_SERVERS",
  nats: () => "NATS_URL",
  rabbitmq: () => "RABBITMQ_HOST",
  nacos: () => "NACOS_SERVER_ADDR",
  milvus: () => "MILVUS_URI",
  neo4j: () => "NEO4J_URI",
  elasticsearch: () => "ELASTICSEARCH_URL",
};
const markerOf = (client: string, dep: string) => MARKER[dep]?.(client) ?? (client === "gateway" ? `UPSTREAM_${dep.toUpperCase().replace(/-/g, "_")}` : `${dep.toUpperCase().replace(/-/g, "_")}_URL`);

describe("apps: wiring", () => {
  let prod: Rendered;
  before(async () => {
    prod = await render("prod");
  });

  it("every app service is deployed with an HPA per seed 003 (2-10) and a PDB where it runs more than one replica", () => {
    for (const s of APP_SERVICES) {
      assert.ok(deploymentOf(prod, s), s);
      const hpa = prod.ofType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler").find((h) => h.inputs.metadata.name === s);
      if (s !== "admin-portal") assert.deepEqual([hpa?.inputs.spec.minReplicas, hpa?.inputs.spec.maxReplicas], [2, 10], s);
      assert.ok(prod.object("kubernetes:policy/v1:PodDisruptionBudget", s, APPS), `${s} has a PDB`);
    }
  });

  it("every declared dependency that is deployed becomes env configuration and an allowed path on both sides; nothing undeclared is reachable", () => {
    for (const s of APP_SERVICES) {
      const declared = [...(CATALOG[s].needs ?? []), ...(CATALOG[s].uses ?? [])].filter((d) => prod.outputs.deployed.includes(d));
      const env = envOf(prod, s);
      for (const d of declared) {
        assert.ok(env[markerOf(s, d)], `${s} is configured for ${d} (${markerOf(s, d)})`);
        assert.ok(prod.object(NP, `${d}-from-${s}`), `${d} admits ${s}`);
      }
      const egress = prod.object(NP, `${s}-egress`, APPS).inputs.spec.egress;
      const external = egress.filter((e: any) => e.to?.[0]?.ipBlock);
      // Plus the trace collector every in-house service reports to (kit/tracing.ts).
      const tracing = egress.filter((e: any) => e.to?.[0]?.podSelector?.matchLabels?.["app.kubernetes.io/name"] === "jaeger");
      assert.equal(tracing.length, 1, `${s}: egress to the trace collector`);
      assert.equal(egress.length, 1 + declared.length + external.length + tracing.length, `${s}: DNS + one rule per dependency`);
      assert.deepEqual(external.length, s === "voice-service" ? 1 : 0, `${s}: external egress only for TURN`);
      // Every rule names a declared dependency's pods (or DNS, or the stated external path).
      const names = egress.map((e: any) => e.to?.[0]?.podSelector?.matchLabels?.["app.kubernetes.io/name"] ?? e.to?.[0]?.podSelector?.matchLabels?.["cnpg.io/cluster"]).filter(Boolean);
      for (const n of names) assert.ok(n === "postgresql" || n === "jaeger" || declared.includes(n), `${s} reaches only declared services (found ${n})`);
    }
  });

  it("algo-service uses its own database and the optional stores the stack deploys", () => {
    const env = envOf(prod, "algo-service");
    assert.equal(env.DATABASE_NAME.value, "knowledge");
    assert.equal(env.RABBITMQ_PASSWORD.valueFrom.secretKeyRef.key, "password");
    assert.equal(env.RABBITMQ_PASSWORD.valueFrom.secretKeyRef.name, "rabbitmq-user-algo-service");
    const copy = prod.object("kubernetes:core/v1:Secret", "rabbitmq-user-algo-service", APPS);
    assert.ok(copy, "its own RabbitMQ credentials are copied into the client's namespace");
  });

  it("the gateway routes to its upstreams and reads its identity database", () => {
    const env = envOf(prod, "gateway");
    assert.equal(env.UPSTREAM_MODEL_ROUTER.value, "model-router.voicehelper.svc.cluster.local:8080");
    assert.equal(env.DATABASE_NAME.value, "identity");
  });
});

describe("apps: voice media", () => {
  it("load-balancer (dev): one UDP port on a LoadBalancer Service labelled as edge, admitted from anywhere on that port only", async () => {
    const dev = await render("dev");
    const svc = dev.object("kubernetes:core/v1:Service", "voice-service-media", APPS).inputs;
    assert.equal(svc.spec.type, "LoadBalancer");
    assert.equal(svc.spec.externalTrafficPolicy, "Local");
    assert.deepEqual(
      svc.spec.ports.map((p: any) => [p.protocol, p.port]),
      [["UDP", 7882]],
    );
    assert.equal(svc.metadata.labels["voicehelper.io/edge"], "true");
    const media = dev.object(NP, "voice-service-from-media", APPS).inputs.spec.ingress[0];
    assert.deepEqual(media.ports, [{ protocol: "UDP", port: 7882 }]);
    assert.equal(envOf(dev, "voice-service").MEDIA_ADVERTISE_HOST.value, "media.voicehelper.local");
    assert.deepEqual(
      dev.object("kubernetes:core/v1:Service", "voice-service", APPS).inputs.spec.ports.map((p: any) => p.name),
      ["http"],
    );
  });

  it("turn (prod): no inbound UDP, TURN URLs in env, egress to the TURN ports only", async () => {
    const prod = await render("prod", {}, { ...(await import("../harness")).FAKE_SECRETS, turnSharedSecret: "not-a-real-turn-secret-0000" });
    assert.equal(prod.ofType("kubernetes:core/v1:Service").filter((s) => s.inputs.spec.type === "LoadBalancer").length, 0);
    const env = envOf(prod, "voice-service");
    assert.match(env.TURN_URLS.value, /^turns:turn\.voicehelper\.example\.com:5349,/);
    assert.equal(env.TURN_SHARED_SECRET.valueFrom.secretKeyRef.key, "shared-secret");
    const turn = prod.object(NP, "voice-service-egress", APPS).inputs.spec.egress.find((e: any) => e.to?.[0]?.ipBlock);
    assert.deepEqual(turn.ports.map((p: any) => `${p.protocol}/${p.port}`).sort(), ["TCP/3478", "TCP/5349", "UDP/3478", "UDP/5349"]);
  });
});
