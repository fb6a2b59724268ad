import { strict as assert } from "assert";
import { CATALOG, NAMESPACES, SERVICE_NAMES, ServiceName, closure, rootServices } from "../../components/config/catalog";
import { FAKE_SECRETS, Rendered, podSpecOf, render } from "../harness";

const APPS = NAMESPACES.apps;
const NP = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const AI: ServiceName[] = SERVICE_NAMES.filter((s) => CATALOG[s].layer === "ai");
const workloadOf = (r: Rendered, name: string) => [...r.ofType("kubernetes:apps/v1:Deployment"), ...r.ofType("kubernetes:apps/v1:StatefulSet")].find((w) => w.inputs.metadata.name === name);
const mainContainer = (r: Rendered, name: string) => podSpecOf(workloadOf(r, name)!).containers[0];
const envOf = (c: any): Record<string, any> => Object.fromEntries(c.env.map((e: any) => [e.name, e]));
const workloadNames = (r: Rendered) =>
  [...r.ofType("kubernetes:apps/v1:Deployment"), ...r.ofType("kubernetes:apps/v1:StatefulSet"), ...r.ofType("postgresql.cnpg.io/v1:Cluster")].map((w) => w.inputs.metadata.name as string).sort();

describe("ai: inventory per deploy mode", () => {
  it("ai-only deploys the AI layer and exactly the data stores it needs", async () => {
    const r = await render("dev", { deployMode: "ai-only" });
    const expected = closure(rootServices("ai-only"));
    assert.deepEqual([...r.config.services].sort(), [...expected].sort());
    assert.deepEqual(
      expected.filter((s) => CATALOG[s].layer !== "ai").sort(),
      ["cnpg-operator", "minio", "postgresql", "redis"],
      "embeddings, search, speech and routing need the object store, Redis and PostgreSQL only",
    );
    for (const s of AI) assert.ok(workloadOf(r, s), `${s} is deployed`);
    for (const absent of ["kafka", "nats", "rabbitmq", "milvus", "neo4j", "elasticsearch", "gateway", "prometheus"]) {
      assert.equal(workloadOf(r, absent), undefined, `${absent} is not deployed in ai-only`);
    }
    assert.deepEqual([...r.outputs.deployed].sort(), [...expected].sort(), "everything the mode selects is deployed");
  });

  it("minimal deploys the core path, full deploys every AI service", async () => {
    const minimal = await render("dev", { deployMode: "minimal" });
    for (const s of AI.filter((x) => CATALOG[x].core)) assert.ok(workloadOf(minimal, s), `${s} is core`);
    assert.equal(workloadOf(minimal, "rabbitmq"), undefined, "RabbitMQ is not on the core path");
    const full = await render("dev");
    for (const s of [...AI, "rabbitmq"]) assert.ok(workloadOf(full, s), `${s} in full`);
    assert.ok(workloadNames(full).includes("faiss-service"));
  });
});

describe("ai: wiring", () => {
  let prod: Rendered;
  before(async () => {
    prod = await render("prod");
  });

  it("every declared dependency becomes env configuration and an allowed NetworkPolicy path on both sides; nothing else is reachable", () => {
    for (const s of AI) {
      const declared = [...(CATALOG[s].needs ?? []), ...(CATALOG[s].uses ?? [])].filter((d) => workloadOf(prod, d) || d === "postgresql" || d === "minio");
      const deployed = declared.filter((d) => prod.config.services.includes(d as ServiceName));
      const env = envOf(mainContainer(prod, s));
      const egress = prod.object(NP, `${s}-egress`, APPS).inputs.spec.egress;
      for (const d of deployed) {
        // PostHog is configured from its connection (POSTHOG_HOST), whichever PostHog component is reached.
        const prefix = d.startsWith("posthog-") ? "POSTHOG_HOST" : ({ postgresql: "DATABASE_HOST", minio: "S3_URL", redis: "REDIS_ADDRS" }[d as string] ?? `${d.toUpperCase().replace(/-/g, "_")}_URL`);
        assert.ok(env[prefix], `${s} gets ${prefix} for ${d}`);
        assert.ok(prod.object(NP, `${d}-from-${s}`), `${d} admits ${s}`);
      }
      // DNS, one rule per dependency, and only the external HTTPS a service states (llm-proxy: providers).
      const external = egress.filter((e: any) => e.to?.[0]?.ipBlock);
      // Plus the trace collector every in-house service reports to (kit/tracing.ts).
      const tracing = egress.filter((e: any) => e.to?.[0]?.podSelector?.matchLabels?.["app.kubernetes.io/name"] === "jaeger");
      assert.equal(tracing.length, 1, `${s}: egress to the trace collector`);
      assert.equal(egress.length, 1 + deployed.length + external.length + tracing.length, `${s}: no undeclared egress`);
      assert.deepEqual(
        external.map((e: any) => e.ports.map((p: any) => p.port)),
        s === "llm-proxy" ? [[443]] : [],
        `${s}: external egress only where stated`,
      );
    }
  });

  it("credentials are secretKeyRefs into Secrets that exist in the service's own namespace", () => {
    for (const s of AI) {
      for (const c of podSpecOf(workloadOf(prod, s)!).containers) {
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.secretKeyRef;
          if (!ref) continue;
          const secret = prod.object("kubernetes:core/v1:Secret", ref.name, APPS);
          assert.ok(ref.key in secret.inputs.stringData, `${s}: ${e.name} -> ${ref.name}/${ref.key}`);
        }
      }
    }
  });

  it("faiss keeps its index on a volume claim and copies it daily to the backup target (prod: off the cluster) from replica 0's volume", () => {
    const sts = prod.object("kubernetes:apps/v1:StatefulSet", "faiss-service", APPS).inputs.spec;
    assert.equal(sts.volumeClaimTemplates[0].spec.resources.requests.storage, "50Gi");
    const cron = prod.object("kubernetes:batch/v1:CronJob", "faiss-service-backup", APPS).inputs.spec;
    assert.match(cron.schedule, /^\d+ \d+ \* \* \*$/, "daily");
    const pod = cron.jobTemplate.spec.template.spec;
    assert.equal(pod.volumes.find((v: any) => v.name === "index").persistentVolumeClaim.claimName, "data-faiss-service-0");
    assert.equal(pod.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchLabels["statefulset.kubernetes.io/pod-name"], "faiss-service-0");
    assert.match(envOf(pod.containers[0]).TARGET.value, /^voicehelper-prod-backups\/prod\/faiss$/);
    assert.ok(
      prod.object(NP, "faiss-service-backup-egress").inputs.spec.egress.some((e: any) => e.ports?.some((p: any) => p.port === 443)),
      "reaches the target's HTTPS port",
    );
  });

  it("a GPU override gives the model server a GPU, the GPU toleration and the CUDA device", async () => {
    // The two model servers alone (and what they need): the one with the GPU and one without.
    const r = await render("dev", { services: ["bge-service", "tts-service"], overrides: { "bge-service": { gpu: 1 } } });
    const pod = podSpecOf(workloadOf(r, "bge-service")!);
    assert.equal(pod.containers[0].resources.limits["nvidia.com/gpu"], "1");
    assert.ok(pod.tolerations.some((t: any) => t.key === "nvidia.com/gpu"));
    assert.equal(envOf(pod.containers[0]).DEVICE.value, "cuda");
    assert.equal(envOf(mainContainer(r, "tts-service")).DEVICE.value, "cpu");
  });
});

describe("ai: model router (seed 001)", () => {
  const hpa = (r: Rendered) => r.ofType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler").find((h) => h.inputs.metadata.name === "model-router")?.inputs.spec;

  it("replicas, HPA and resources per tier match the seed: production 3-10, 500m-2 CPU, 512Mi-2Gi", async () => {
    const prod = await render("prod");
    assert.deepEqual([hpa(prod).minReplicas, hpa(prod).maxReplicas], [3, 10]);
    assert.equal(workloadOf(prod, "model-router")!.inputs.spec.replicas, undefined, "the HPA owns the replica count");
    const res = mainContainer(prod, "model-router").resources;
    assert.deepEqual([res.requests.cpu, res.limits.cpu, res.requests.memory, res.limits.memory], ["500m", "2", "512Mi", "2Gi"]);
    assert.ok(prod.object("kubernetes:policy/v1:PodDisruptionBudget", "model-router", APPS));
    const staging = await render("staging");
    assert.deepEqual([hpa(staging).minReplicas, hpa(staging).maxReplicas], [2, 6]);
    const dev = await render("dev");
    assert.equal(hpa(dev), undefined);
    assert.equal(workloadOf(dev, "model-router")!.inputs.spec.replicas, 1);
  });

  it("probes /health on 8080, exposes metrics on 9090 with scrape annotations, and reads its database model_router", async () => {
    const r = await render("prod");
    const w = workloadOf(r, "model-router")!.inputs.spec.template;
    const c = w.spec.containers[0];
    assert.deepEqual(
      c.ports.map((p: any) => [p.name, p.containerPort]),
      [
        ["http", 8080],
        ["metrics", 9090],
      ],
    );
    for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe]) assert.deepEqual([probe.httpGet.path, probe.httpGet.port], ["/health", "http"]);
    assert.deepEqual([w.metadata.annotations["prometheus.io/scrape"], w.metadata.annotations["prometheus.io/port"]], ["true", "9090"]);
    const env = envOf(c);
    assert.equal(env.DATABASE_NAME.value, "model_router");
    assert.equal(env.DATABASE_PASSWORD.valueFrom.secretKeyRef.key, "password");
  });

  // The Model Router alone (and what it needs): its PostHog wiring is all these tests read.
  const posthogOf = async (overrides: Record<string, unknown>, secrets: Record<string, string>) => {
    const r = await render("dev", { services: ["model-router"], ...overrides }, secrets);
    const env = envOf(mainContainer(r, "model-router"));
    const cm = r.object("kubernetes:core/v1:ConfigMap", "model-router-config", APPS).inputs.data;
    const external = r.object(NP, "model-router-egress", APPS).inputs.spec.egress.filter((e: any) => e.to?.[0]?.ipBlock);
    return { r, env, cm, external };
  };

  it("posthog cloud with a key: enabled, host in the ConfigMap, key from a config-sourced Secret, HTTPS egress", async () => {
    const { r, env, cm, external } = await posthogOf({ posthog: { mode: "cloud", host: "https://eu.i.posthog.com" } }, FAKE_SECRETS);
    assert.deepEqual(cm, { POSTHOG_ENABLED: "true", POSTHOG_HOST: "https://eu.i.posthog.com" });
    assert.equal(env.POSTHOG_ENABLED.valueFrom.configMapKeyRef.key, "POSTHOG_ENABLED");
    const ref = env.POSTHOG_API_KEY.valueFrom.secretKeyRef;
    const secret = r.object("kubernetes:core/v1:Secret", ref.name, APPS).inputs;
    assert.equal(secret.stringData[ref.key], FAKE_SECRETS.posthogApiKey);
    assert.equal(secret.metadata.annotations["voicehelper.io/credential-source"], "config");
    assert.deepEqual(
      external.map((e: any) => e.ports.map((p: any) => p.port)),
      [[443]],
    );
    assert.ok(env.OPENAI_API_KEY && env.ANTHROPIC_API_KEY);
  });

  for (const [what, overrides] of [
    ["cloud without a key (dev)", { posthog: { mode: "cloud" } }],
    ["disabled", { posthog: { mode: "disabled" } }],
  ] as const) {
    it(`posthog ${what}: disabled, no key referenced, no egress to PostHog; readiness does not depend on it`, async () => {
      const { env, cm, external } = await posthogOf(overrides, {});
      assert.equal(cm.POSTHOG_ENABLED, "false");
      assert.equal(env.POSTHOG_API_KEY, undefined);
      assert.equal(env.OPENAI_API_KEY, undefined, "an LLM key that is not configured is not referenced");
      assert.equal(env.ANTHROPIC_API_KEY, undefined);
      assert.deepEqual(external, []);
    });
  }
});
