/**
 * The stores' exporter sidecars: each Redis node, NATS server, Elasticsearch node and Kafka broker carries one, pinned, reading its own
 * node over localhost, with its credentials from a Secret and never from its arguments; Prometheus
 * reaches the exporter's port and no other; the namespace quota counts the sidecars.
 */
import { strict as assert } from "assert";
import { IMAGES } from "../../components/config/images";
import { EPHEMERAL_STORAGE, EXPORTER_SIDECARS, EXPORTER_SIDECAR_SIZE, QUOTA_JOB_SLOTS } from "../../components/config/sizing";
import { exporterSidecar } from "../../components/services/exporter-sidecar";
import { SCRAPE_ANNOTATIONS } from "../../components/kit/scrape";
import { HBONE_PORT } from "../../components/kit/network-policy";
import { cpuCores, memoryBytes } from "../../components/config/quantity";
import { namespaceQuota } from "../../components/layers/prerequisites";
import { Rendered, render } from "../harness";

const STORAGE = "voicehelper-storage";
const POSTHOG = "voicehelper-posthog";

const sts = (r: Rendered, name: string, ns: string) => r.object("kubernetes:apps/v1:StatefulSet", name, ns).inputs;
const container = (r: Rendered, name: string, ns: string, c: string) => sts(r, name, ns).spec.template.spec.containers.find((x: any) => x.name === c);

/** Ports Prometheus' pods are admitted to by the NetworkPolicies selecting `service` in `ns`. */
function prometheusPorts(r: Rendered, service: string, ns: string): number[] {
  return r
    .ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy")
    .filter((p) => p.inputs.metadata.namespace === ns && p.inputs.spec.podSelector.matchLabels?.["app.kubernetes.io/name"] === service)
    .flatMap((p) => p.inputs.spec.ingress ?? [])
    .filter((rule: any) => rule.from?.some((f: any) => f.podSelector?.matchLabels?.["app.kubernetes.io/name"] === "prometheus"))
    .flatMap((rule: any) => rule.ports.map((p: any) => p.port))
    .filter((port: number) => port !== HBONE_PORT); // the mesh's tunnel, admitted wherever a peer is
}

describe("exporter sidecars (Redis, NATS, Elasticsearch, Kafka)", () => {
  let prod: Rendered;
  before(async () => {
    prod = await render("prod", { posthog: { mode: "self-hosted" } });
  });

  for (const [service, ns, sidecar, image, port] of [
    ["redis", STORAGE, "redis-exporter", IMAGES.redisExporter, 9121],
    ["posthog-redis", POSTHOG, "redis-exporter", IMAGES.redisExporter, 9121],
    ["nats", STORAGE, "nats-exporter", IMAGES.natsExporter, 7777],
    ["elasticsearch", STORAGE, "elasticsearch-exporter", IMAGES.elasticsearchExporter, 9114],
    ["kafka", STORAGE, "kafka-exporter", IMAGES.kafkaExporter, 8080],
    ["posthog-kafka", POSTHOG, "kafka-exporter", IMAGES.kafkaExporter, 8080],
  ] as const) {
    it(`${service}: every pod runs ${sidecar} (${image}) at the fixed exporter size, scraped on ${port}, Prometheus admitted there only`, () => {
      const c = container(prod, service, ns, sidecar);
      assert.ok(c, `${service} has no ${sidecar} container`);
      assert.equal(c.image, image);
      // The kit bounds every container's node-local disk too (no emptyDir mounted: the container's own bound).
      const disk = EPHEMERAL_STORAGE.container;
      assert.deepEqual(c.resources, {
        requests: { ...EXPORTER_SIDECAR_SIZE.requests, "ephemeral-storage": disk.request },
        limits: { ...EXPORTER_SIDECAR_SIZE.limits, "ephemeral-storage": disk.limit },
      });
      assert.deepEqual(
        c.ports.map((p: any) => p.containerPort),
        [port],
      );
      assert.equal(c.securityContext.readOnlyRootFilesystem, true);
      const annotations = sts(prod, service, ns).spec.template.metadata.annotations;
      assert.deepEqual([annotations[SCRAPE_ANNOTATIONS.enabled], annotations[SCRAPE_ANNOTATIONS.port], annotations[SCRAPE_ANNOTATIONS.path]], ["true", String(port), "/metrics"]);
      assert.deepEqual(prometheusPorts(prod, service, ns), [port], "Prometheus reaches the exporter, not the store's own ports");
    });
  }

  it("redis_exporter reads its own node over localhost, with the server's password from the Secret as REDIS_PASSWORD, nothing on its command line", () => {
    const c = container(prod, "redis", STORAGE, "redis-exporter");
    const env = Object.fromEntries(c.env.map((e: any) => [e.name, e]));
    assert.equal(env.REDIS_ADDR.value, "redis://127.0.0.1:6379");
    const main = sts(prod, "redis", STORAGE).spec.template.spec.containers[0];
    assert.deepEqual(env.REDIS_PASSWORD.valueFrom.secretKeyRef, main.env.find((e: any) => e.name === "REDISCLI_AUTH").valueFrom.secretKeyRef);
    assert.equal(c.args, undefined);
    assert.equal(c.command, undefined);
  });

  it("elasticsearch_exporter reads its own node as metrics-exporter (cluster monitor, no index), the password spliced into ES_URI from its Secret, none in its arguments", () => {
    const c = container(prod, "elasticsearch", STORAGE, "elasticsearch-exporter");
    const env = Object.fromEntries(c.env.map((e: any) => [e.name, e]));
    assert.equal(env.ES_URI.value, "http://metrics-exporter:$(ES_PASSWORD)@127.0.0.1:9200");
    assert.ok(c.env.findIndex((e: any) => e.name === "ES_PASSWORD") < c.env.findIndex((e: any) => e.name === "ES_URI"), "Kubernetes expands $(VAR) only from variables defined before");
    assert.deepEqual(env.ES_PASSWORD.valueFrom.secretKeyRef, { name: "elasticsearch-metrics-exporter", key: "password" });
    assert.ok(!c.args.some((a: string) => /password|@/i.test(a)));
    const job = prod.object("kubernetes:batch/v1:Job", "elasticsearch-users", STORAGE).inputs.spec.template.spec.containers[0];
    const role = JSON.parse(job.env.find((e: any) => e.name === "ROLE_METRICS").value);
    assert.deepEqual([role.cluster, role.indices], [["monitor"], []]);
  });

  it("KMinion logs in to its own broker as the metrics user, with a generated password of its own from the Secret, nothing on its command line; the brokers accept that user", () => {
    for (const [service, ns] of [
      ["kafka", STORAGE],
      ["posthog-kafka", POSTHOG],
    ] as const) {
      const c = container(prod, service, ns, "kafka-exporter");
      const env = Object.fromEntries(c.env.map((e: any) => [e.name, e]));
      assert.equal(env.KAFKA_BROKERS.value, "127.0.0.1:9092", "the SASL listener of the broker in the same pod");
      assert.deepEqual([env.KAFKA_SASL_ENABLED.value, env.KAFKA_SASL_MECHANISM.value, env.KAFKA_SASL_USERNAME.value], ["true", "PLAIN", "metrics"]);
      assert.deepEqual(env.KAFKA_SASL_PASSWORD.valueFrom.secretKeyRef, { name: `${service}-metrics`, key: "password" });
      // KMinion's own default reads __consumer_offsets; the Admin API needs no read access to that topic.
      assert.equal(env.MINION_CONSUMERGROUPS_SCRAPEMODE.value, "adminApi");
      assert.equal(env.EXPORTER_PORT.value, "8080");
      // Its Go heap bound sits below the container's memory limit, so GC works harder before an OOM kill.
      const heap = memoryBytes(env.GOMEMLIMIT.value.replace(/iB$/, "i"));
      assert.ok(heap > 0 && heap < memoryBytes(c.resources.limits.memory), `GOMEMLIMIT ${env.GOMEMLIMIT.value} under the limit ${c.resources.limits.memory}`);
      assert.equal(c.args, undefined);
      assert.equal(c.command, undefined);
      const main = sts(prod, service, ns).spec.template.spec.containers[0];
      const jaasRef = main.env.find((e: any) => e.name === "KAFKA_LISTENER_NAME_SASL__PLAINTEXT_PLAIN_SASL_JAAS_CONFIG").valueFrom.secretKeyRef;
      const jaas = prod.object("kubernetes:core/v1:Secret", jaasRef.name, ns).inputs.stringData[jaasRef.key];
      const secret = prod.object("kubernetes:core/v1:Secret", `${service}-auth`, ns).inputs.stringData;
      const exporterSecret = prod.object("kubernetes:core/v1:Secret", `${service}-metrics`, ns).inputs.stringData;
      const accepted = Object.fromEntries([...jaas.matchAll(/ user_([a-z]+)="([^"]+)"/g)].map((m: string[]) => [m[1], m[2]]));
      assert.deepEqual(accepted, { voicehelper: secret.password, metrics: exporterSecret.password }, "the broker accepts the applications' user and the exporter's, each with its own password");
      assert.notEqual(exporterSecret.password, secret.password);
    }
    // The applications' copy of the Kafka Secret carries their own credential, not the exporter's.
    const copy = prod.object("kubernetes:core/v1:Secret", "kafka-auth", "voicehelper").inputs.stringData;
    const exporterPassword = prod.object("kubernetes:core/v1:Secret", "kafka-metrics", STORAGE).inputs.stringData.password;
    assert.ok(copy.password);
    assert.ok(!Object.values<string>(copy).some((v) => v.includes(exporterPassword)), "no key of the copy holds the exporter's password");
  });

  it("prometheus-nats-exporter polls its own server's /varz over localhost on the port and path the scrape annotations name", () => {
    const c = container(prod, "nats", STORAGE, "nats-exporter");
    assert.deepEqual(c.args, ["-port=7777", "-path=/metrics", "-varz", "http://127.0.0.1:8222"]);
  });

  it("the namespace quota counts one sidecar per pod at the services' maximum scale", () => {
    const sizes = prod.config.sizes;
    const q = namespaceQuota("production", ["redis"], sizes);
    const pods = sizes.redis.autoscaling?.maxReplicas ?? sizes.redis.replicas;
    const jobs = cpuCores(sizes.backup.resources.requests.cpu) * QUOTA_JOB_SLOTS;
    const jobMemory = memoryBytes(sizes.backup.resources.requests.memory) * QUOTA_JOB_SLOTS;
    assert.ok(Math.abs(q.cpuRequests - (jobs + (cpuCores(sizes.redis.resources.requests.cpu) + cpuCores(EXPORTER_SIDECAR_SIZE.requests.cpu)) * pods)) < 1e-9);
    assert.equal(q.memoryRequests, jobMemory + (memoryBytes(sizes.redis.resources.requests.memory) + memoryBytes(EXPORTER_SIDECAR_SIZE.requests.memory)) * pods);
  });

  it("refuses an exporter sidecar for a service the quota does not count", () => {
    assert.ok(!EXPORTER_SIDECARS.includes("rabbitmq"));
    assert.throws(() => exporterSidecar("rabbitmq", { name: "x", image: "x", ports: [{ name: "metrics", containerPort: 1 }] }), /EXPORTER_SIDECARS/);
  });
});
