/**
 * The analytics layer per PostHog mode, read from the rendered objects the way the cluster would see
 * them: which components exist, what each PostHog container's env points at, the migration order, and
 * that no PostHog sample credential can reach a Secret.
 */
import * as assert from "assert";
import { CATALOG, SERVICE_NAMES } from "../../components/config/catalog";
import { IMAGES, POSTHOG_RELEASE, POSTHOG_RUST_TAG } from "../../components/config/images";
import { MIGRATION_STEPS } from "../../components/services/posthog/migrate";
import { imageVersion } from "../../components/kit/labels";
import { Rendered, RenderedResource } from "../harness";
import { JOB, SECRET, STS, assertFromGeneratedSecret, envOf, rendered, secretData } from "../storage/helpers";

const NS = "voicehelper-posthog";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SERVICE = "kubernetes:core/v1:Service";
const POSTHOG_SERVICES = SERVICE_NAMES.filter((s) => CATALOG[s].layer === "analytics");

function inNamespace(out: Rendered): RenderedResource[] {
  return out.kubernetes().filter((r) => r.inputs?.metadata?.namespace === NS);
}

function podSpec(r: RenderedResource): any {
  return r.inputs.spec.template.spec;
}

/** Every container (init and main) of every PostHog pod template. */
function posthogContainers(out: Rendered): { owner: string; c: any }[] {
  return inNamespace(out)
    .filter((r) => [DEPLOYMENT, STS, JOB].includes(r.type))
    .flatMap((r) => [...(podSpec(r).initContainers ?? []), ...podSpec(r).containers].map((c: any) => ({ owner: r.inputs.metadata.name, c })));
}

describe("analytics: PostHog per mode", () => {
  let cloud: Rendered, disabled: Rendered, self: Rendered;
  before(async () => {
    cloud = await rendered("dev", { posthog: { mode: "cloud" } });
    disabled = await rendered("dev", { posthog: { mode: "disabled" } });
    self = await rendered("dev", { posthog: { mode: "self-hosted" } });
  });

  it("cloud: only a Secret with the project key, nothing in PostHog's namespace; health is the cloud host's", () => {
    assert.deepStrictEqual(inNamespace(cloud), []);
    assert.ok(!cloud.outputs.deployed.some((s) => s.startsWith("posthog-")));
    const key = cloud.object(SECRET, "posthog-cloud");
    assert.match(secretData(key)["api-key"], /^phc_/);
    assert.strictEqual(cloud.outputs.posthogHealthUrl, `${cloud.config.posthog.mode === "cloud" ? cloud.config.posthog.host : "not cloud"}/_health`);
  });

  it("disabled: nothing PostHog at all, and no health URL", () => {
    assert.deepStrictEqual(inNamespace(disabled), []);
    assert.ok(!disabled.kubernetes().some((r) => r.inputs?.metadata?.name?.startsWith("posthog")));
    assert.strictEqual(disabled.outputs.posthogHealthUrl, "");
  });

  it("self-hosted: exactly PostHog's components, each deployed, and the replay bucket", () => {
    assert.deepStrictEqual(self.outputs.deployed.filter((s) => s.startsWith("posthog-")).sort(), [...POSTHOG_SERVICES].sort());
    const workloads = inNamespace(self)
      .filter((r) => [DEPLOYMENT, STS].includes(r.type))
      .map((r) => r.inputs.metadata.name)
      .sort();
    assert.deepStrictEqual(workloads, [
      "posthog-capture",
      "posthog-clickhouse",
      "posthog-feature-flags",
      "posthog-kafka",
      "posthog-plugins",
      "posthog-property-defs",
      "posthog-redis",
      "posthog-replay-capture",
      "posthog-web",
      "posthog-worker",
      "posthog-zookeeper",
    ]);
    assert.ok(inNamespace(self).some((r) => r.type === "kubernetes:postgresql.cnpg.io/v1:Cluster" && r.inputs.metadata.name === "posthog-postgresql"));
    const db = inNamespace(self).find((r) => r.type === "kubernetes:postgresql.cnpg.io/v1:Database")!;
    assert.deepStrictEqual([db.inputs.spec.name, db.inputs.spec.ensure], ["posthog", "present"]);
    const buckets = envOf(self.object(JOB, "minio-buckets").inputs.spec.template.spec.containers[0], "BUCKETS").value.split(" ");
    assert.ok(buckets.includes("posthog"));
    assert.ok(!envOf(cloud.object(JOB, "minio-buckets").inputs.spec.template.spec.containers[0], "BUCKETS").value.split(" ").includes("posthog"));
    assert.strictEqual(self.outputs.posthogHealthUrl, "http://posthog-web.voicehelper-posthog.svc.cluster.local:8000/_health");
    assert.strictEqual(self.outputs.urls["posthog-web"], "https://posthog.voicehelper.local");
  });

  it("self-hosted: replicas follow the tier's sizing", () => {
    for (const name of ["posthog-web", "posthog-worker", "posthog-plugins", "posthog-capture", "posthog-feature-flags"] as const) {
      assert.strictEqual(self.object(DEPLOYMENT, name, NS).inputs.spec.replicas, self.config.sizes[name].replicas, name);
    }
  });

  it("self-hosted: every store URL and credential in a PostHog container names a Service and a Secret the program creates", () => {
    const services = new Set(self.ofType(SERVICE).map((s) => `${s.inputs.metadata.name}.${s.inputs.metadata.namespace}.svc.cluster.local`));
    // CloudNativePG creates the -rw Service of the posthog-postgresql Cluster.
    services.add(`posthog-postgresql-rw.${NS}.svc.cluster.local`);
    const urlVars = [
      "DATABASE_URL",
      "READ_DATABASE_URL",
      "REDIS_URL",
      "CLICKHOUSE_HOST",
      "KAFKA_HOSTS",
      "OBJECT_STORAGE_ENDPOINT",
      "SESSION_RECORDING_V2_S3_ENDPOINT",
      "CDP_API_URL",
      "FEATURE_FLAGS_SERVICE_URL",
      "PGHOST",
    ];
    let checked = 0;
    for (const { owner, c } of posthogContainers(self)) {
      if (!c.image.includes("posthog/posthog")) continue;
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref) {
          const value = secretData(self.object(SECRET, ref.name, NS))[ref.key];
          assert.ok(typeof value === "string" && value.length > 0, `${owner}/${c.name} ${e.name}: ${ref.name}/${ref.key} resolves`);
          checked++;
        }
        if (urlVars.includes(e.name)) {
          const hosts = String(e.value)
            .split(",")
            .map((h) => h.replace(/^[a-z]+:\/\/(.*@)?/, "").replace(/[:/].*$/, ""));
          for (const h of hosts) {
            const service = h.replace(/^[a-z0-9-]+-\d+\.(?=[a-z0-9-]+-headless\.)/, "");
            assert.ok(services.has(service), `${owner}/${c.name} ${e.name}: ${h} is not a Service the program creates`);
          }
        }
      }
      // Credentials enter URLs only through $(VAR) references to Secret-backed variables.
      for (const v of ["DATABASE_URL", "REDIS_URL"]) {
        const e = (c.env ?? []).find((x: any) => x.name === v);
        if (e) assert.match(e.value, /\$\([A-Z_]+\)@/, `${owner}/${c.name} ${v}`);
      }
    }
    assert.ok(checked > 50, `only ${checked} Secret references checked`);
    const web = self.object(DEPLOYMENT, "posthog-web", NS).inputs.spec.template.spec.containers[0];
    for (const v of ["SECRET_KEY", "SALT_KEY", "ENCRYPTION_SALT_KEYS", "PGPASSWORD", "REDIS_PASSWORD", "CLICKHOUSE_PASSWORD", "KAFKA_SASL_PASSWORD", "OBJECT_STORAGE_SECRET_ACCESS_KEY"]) {
      assertFromGeneratedSecret(self, NS, web, v);
    }
  });

  it("self-hosted: migrations run in a Job, and web, worker and plugins wait for them (init container + dependsOn)", () => {
    const job = self.object(JOB, "posthog-migrate", NS);
    assert.deepStrictEqual(podSpec(job).containers[0].command, ["sh", "-c", MIGRATION_STEPS.join(" && ")]);
    assert.strictEqual(podSpec(job).containers[0].image, IMAGES.posthog);
    for (const name of ["posthog-web", "posthog-worker", "posthog-plugins"]) {
      const d = self.object(DEPLOYMENT, name, NS);
      const wait = (podSpec(d).initContainers ?? []).find((c: any) => c.name === "wait-for-migrations");
      assert.ok(wait, `${name} waits for migrations`);
      assert.match(wait.command.join(" "), /migrate --check/);
      assert.strictEqual(wait.image, IMAGES.posthog);
      assert.ok(!podSpec(d).containers.some((c: any) => /migrate/.test((c.command ?? []).join(" "))), `${name} does not migrate itself`);
    }
    // Pulumi expands a dependency on a component into its children: the Job object itself.
    const component = (n: string) => self.resources.find((r) => r.type === "voicehelper:kit:Workload" && r.name === n)!;
    for (const n of ["posthog-web", "posthog-worker", "posthog-plugins"]) {
      assert.ok(component(n).dependencies.includes(job.urn), `${n} dependsOn the Job`);
    }
  });

  it("self-hosted: web runs the WSGI app with gunicorn, as non-root, with PostHog's probes; worker runs Celery with the scheduler", () => {
    const web = podSpec(self.object(DEPLOYMENT, "posthog-web", NS)).containers[0];
    assert.match(web.command.join(" "), /exec gunicorn posthog\.wsgi .*--bind 0\.0\.0\.0:8000/);
    assert.strictEqual(web.readinessProbe.httpGet.path, "/_readyz?role=web");
    assert.strictEqual(web.livenessProbe.httpGet.path, "/_livez");
    const worker = podSpec(self.object(DEPLOYMENT, "posthog-worker", NS)).containers[0];
    assert.deepStrictEqual(worker.command, ["./bin/docker-worker-celery", "--with-scheduler"]);
    assert.ok(!self.ofType(SERVICE).some((s) => s.inputs.metadata.name === "posthog-worker"), "nothing calls the worker");
  });

  it("self-hosted: the plugin server and flags get the GeoIP database; every plugin Redis role points at PostHog's Redis", () => {
    for (const name of ["posthog-plugins", "posthog-feature-flags"]) {
      const spec = podSpec(self.object(DEPLOYMENT, name, NS));
      assert.ok(
        spec.initContainers.some((c: any) => c.name === "geoip"),
        name,
      );
    }
    const plugins = podSpec(self.object(DEPLOYMENT, "posthog-plugins", NS)).containers[0];
    assert.strictEqual(plugins.image, IMAGES.posthogNode);
    for (const role of ["CDP", "LOGS", "TRACES", "COOKIELESS", "SESSION_RECORDING_API"]) {
      assert.strictEqual(envOf(plugins, `${role}_REDIS_HOST`).value, `posthog-redis.${NS}.svc.cluster.local`);
      assert.strictEqual(envOf(plugins, `${role}_REDIS_TLS`).value, "false");
    }
    const capture = podSpec(self.object(DEPLOYMENT, "posthog-capture", NS)).containers[0];
    const replay = podSpec(self.object(DEPLOYMENT, "posthog-replay-capture", NS)).containers[0];
    assert.deepStrictEqual([envOf(capture, "CAPTURE_MODE").value, envOf(replay, "CAPTURE_MODE").value], ["events", "recordings"]);
  });

  it("self-hosted: Python and Node log in to Kafka with SASL; the Rust services (no SASL support) use the plaintext listener only they and ClickHouse reach", () => {
    const web = podSpec(self.object(DEPLOYMENT, "posthog-web", NS)).containers[0];
    assert.strictEqual(envOf(web, "KAFKA_SECURITY_PROTOCOL").value, "SASL_PLAINTEXT");
    assert.match(envOf(web, "KAFKA_HOSTS").value, /:9092(,|$)/);
    for (const name of ["posthog-capture", "posthog-replay-capture"]) {
      const c = podSpec(self.object(DEPLOYMENT, name, NS)).containers[0];
      assert.match(envOf(c, "KAFKA_HOSTS").value, /:9094(,|$)/);
      assert.ok(!(c.env ?? []).some((e: any) => e.name.startsWith("KAFKA_SASL")), name);
    }
    const policies = self.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((p) => p.inputs.metadata.namespace === NS);
    const admittedTo9094 = policies
      .filter((p) => p.inputs.spec.podSelector?.matchLabels?.["app.kubernetes.io/name"] === "posthog-kafka")
      .flatMap((p) => p.inputs.spec.ingress ?? [])
      .filter((rule: any) => (rule.ports ?? []).some((x: any) => x.port === 9094))
      .flatMap((rule: any) => rule.from.map((f: any) => f.podSelector?.matchLabels?.["app.kubernetes.io/name"]));
    assert.deepStrictEqual([...new Set(admittedTo9094)].sort(), ["posthog-capture", "posthog-clickhouse", "posthog-property-defs", "posthog-replay-capture"]);
  });

  it("self-hosted: PostHog's ClickHouse declares the clusters PostHog names and reads its password from env", () => {
    const sts = self.object(STS, "posthog-clickhouse", NS);
    assert.strictEqual(podSpec(sts).containers[0].image, IMAGES.posthogClickhouse);
    const cm = self.object("kubernetes:core/v1:ConfigMap", "posthog-clickhouse-config", NS);
    const xml: string = cm.inputs.data["voicehelper.xml"];
    for (const c of ["posthog", "posthog_migrations", "posthog_single_shard"]) assert.match(xml, new RegExp(`<${c}>`));
    assert.match(xml, /<password from_env="CLICKHOUSE_PASSWORD"\/>/);
    assert.match(xml, /posthog-zookeeper/);
  });

  it("self-hosted: every PostHog container keeps the secure defaults (restricted namespace)", () => {
    for (const { owner, c } of posthogContainers(self)) {
      const sc = c.securityContext;
      assert.strictEqual(sc.runAsNonRoot, true, `${owner}/${c.name}`);
      assert.strictEqual(sc.readOnlyRootFilesystem, true, `${owner}/${c.name}`);
      assert.strictEqual(sc.allowPrivilegeEscalation, false, `${owner}/${c.name}`);
      assert.deepStrictEqual(sc.capabilities, { drop: ["ALL"] }, `${owner}/${c.name}`);
    }
  });

  it("self-hosted: no PostHog sample credential reaches any Secret; keys are long enough", () => {
    const samples = ["<randomly generated secret key>", "0123456789abcdefghijklmnopqrstuvwxyz", "00beef0000beef0000beef0000beef00", "root-password-change-me-please", ""];
    for (const s of self.ofType(SECRET)) {
      for (const [k, v] of Object.entries(secretData(s))) assert.ok(!samples.includes(v), `${s.inputs.metadata.name}/${k}`);
    }
    const keys = secretData(self.object(SECRET, "posthog-secrets", NS));
    assert.ok(keys["secret-key"].length >= 32);
    assert.match(keys["encryption-salt-keys"], /^[0-9a-f]{32}$/);
    const ch = podSpec(self.object(STS, "posthog-clickhouse", NS)).containers[0];
    assert.ok(assertFromGeneratedSecret(self, NS, ch, "CLICKHOUSE_PASSWORD").length >= 32);
  });

  it("pins every PostHog image to one release, in the tag format PostHog's CI gives each image", () => {
    for (const image of [IMAGES.posthog, IMAGES.posthogNode]) assert.strictEqual(imageVersion(image), POSTHOG_RELEASE);
    for (const image of [IMAGES.posthogCapture, IMAGES.posthogFeatureFlags]) assert.strictEqual(imageVersion(image), POSTHOG_RUST_TAG);
    assert.ok(POSTHOG_RELEASE.startsWith(POSTHOG_RUST_TAG.replace(/^sha-/, "")));
  });
});
