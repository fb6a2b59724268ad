import * as assert from "assert";
import { IMAGES } from "../../components/config/images";
import { memoryBytes } from "../../components/config/quantity";
import { JOB, STORAGE_NS, STS, assertFromGeneratedSecret, assertProtection, claimSize, envOf, mainContainer, podHostsOf, podNamesOf, portsOf, stacks } from "./helpers";

const ROLE = "kubernetes:rbac.authorization.k8s.io/v1:Role";
const hasEnv = (c: any, name: string) => (c.env ?? []).some((e: any) => e.name === name);

describe("storage: Elasticsearch", () => {
  const s = stacks("dev", "staging", "prod");

  it("runs one node with single-node discovery in dev", () => {
    const sts = s.dev.object(STS, "elasticsearch", STORAGE_NS);
    assert.strictEqual(sts.inputs.spec.replicas, 1);
    const c = mainContainer(sts);
    assert.strictEqual(envOf(c, "discovery.type").value, "single-node");
    assert.ok(!hasEnv(c, "discovery.seed_hosts") && !hasEnv(c, "cluster.initial_master_nodes"));
  });

  it("forms a three-node cluster whose seed hosts and initial masters are exactly the StatefulSet's pods", () => {
    for (const out of [s.staging, s.prod]) {
      const sts = out.object(STS, "elasticsearch", STORAGE_NS);
      assert.strictEqual(sts.inputs.spec.replicas, 3);
      assert.strictEqual(sts.inputs.spec.podManagementPolicy, "Parallel");
      const c = mainContainer(sts);
      assert.ok(!hasEnv(c, "discovery.type"));
      assert.deepStrictEqual(
        envOf(c, "discovery.seed_hosts").value.split(","),
        podHostsOf(sts).map((h) => `${h}:9300`),
      );
      assert.deepStrictEqual(envOf(c, "cluster.initial_master_nodes").value.split(","), podNamesOf(sts));
      assert.deepStrictEqual(envOf(c, "node.name").valueFrom, { fieldRef: { fieldPath: "metadata.name" } });
    }
  });

  it("uses the pinned image, the tier's volume, the HTTP and transport ports and probes", () => {
    for (const out of [s.dev, s.prod]) {
      const sts = out.object(STS, "elasticsearch", STORAGE_NS);
      const c = mainContainer(sts);
      assert.strictEqual(c.image, IMAGES.elasticsearch);
      assert.strictEqual(claimSize(sts), out.config.sizes.elasticsearch.storage);
      assert.deepStrictEqual(portsOf(c), { http: 9200, transport: 9300 });
      assert.match(c.readinessProbe.exec.command.join(" "), /_cluster\/health/);
      assert.ok(c.livenessProbe && c.startupProbe);
      assert.strictEqual(sts.inputs.spec.template.spec.securityContext.runAsUser, 1000);
    }
  });

  it("takes the elastic password from a generated Secret and keeps security on", () => {
    const c = mainContainer(s.prod.object(STS, "elasticsearch", STORAGE_NS));
    assert.notStrictEqual(assertFromGeneratedSecret(s.prod, STORAGE_NS, c, "ELASTIC_PASSWORD"), "changeme");
    assert.strictEqual(envOf(c, "xpack.security.enabled").value, "true");
  });

  it("gives the JVM half the memory limit", () => {
    for (const out of [s.dev, s.prod]) {
      const c = mainContainer(out.object(STS, "elasticsearch", STORAGE_NS));
      const m = /^-Xms(\d+)m -Xmx(\d+)m$/.exec(envOf(c, "ES_JAVA_OPTS").value)!;
      assert.ok(m);
      assert.strictEqual(m[1], m[2]);
      assert.strictEqual(Number(m[2]), Math.floor(memoryBytes(c.resources.limits.memory) / 2 / 2 ** 20));
    }
  });

  it("needs no privileged sysctl init container: mmap is off instead", () => {
    const sts = s.prod.object(STS, "elasticsearch", STORAGE_NS);
    assert.strictEqual(envOf(mainContainer(sts), "node.store.allow_mmap").value, "false");
    for (const c of [...(sts.inputs.spec.template.spec.initContainers ?? []), ...sts.inputs.spec.template.spec.containers]) {
      assert.notStrictEqual(c.securityContext.privileged, true, `${c.name} must not be privileged`);
      assert.strictEqual(c.securityContext.runAsNonRoot, true);
    }
  });

  it("encrypts transport in a cluster with a certificate a Job issues for exactly the pods' names", () => {
    const out = s.prod;
    const sts = out.object(STS, "elasticsearch", STORAGE_NS);
    const c = mainContainer(sts);
    assert.strictEqual(envOf(c, "xpack.security.transport.ssl.enabled").value, "true");
    const certDir = envOf(c, "xpack.security.transport.ssl.certificate").value.replace(/\/[^/]+$/, "");
    const mount = c.volumeMounts.find((m: any) => m.mountPath === certDir);
    assert.ok(mount, "the certificate directory is mounted");
    const volume = sts.inputs.spec.template.spec.volumes.find((v: any) => v.name === mount.name);
    const job = out.object(JOB, "elasticsearch-certs", STORAGE_NS);
    const jc = mainContainer(job);
    assert.strictEqual(envOf(jc, "TARGET_SECRET_NAME").value, volume.secret.secretName);
    const names = envOf(jc, "DNS_NAMES").value.split(",");
    for (const h of podHostsOf(sts)) assert.ok(names.includes(h), `certificate covers ${h}`);
    assert.strictEqual(jc.image, IMAGES.elasticsearch);
    // Only this job gets an API token, and its Role can create Secrets and read only its own.
    assert.strictEqual(job.inputs.spec.template.spec.automountServiceAccountToken, true);
    const role = out.object(ROLE, "elasticsearch-certs", STORAGE_NS);
    assert.deepStrictEqual(role.inputs.rules.find((r: any) => r.verbs.includes("get")).resourceNames, [volume.secret.secretName]);
  });

  it("needs no transport certificate as a single node", () => {
    const c = mainContainer(s.dev.object(STS, "elasticsearch", STORAGE_NS));
    assert.ok(!hasEnv(c, "xpack.security.transport.ssl.enabled"));
    assert.strictEqual(s.dev.ofType(JOB).filter((j) => j.inputs.metadata.name === "elasticsearch-certs").length, 0);
  });

  it("protects its data in prod and not in dev", () => {
    assertProtection(s.prod.object(STS, "elasticsearch", STORAGE_NS), true);
    assertProtection(s.dev.object(STS, "elasticsearch", STORAGE_NS), false);
  });
});
