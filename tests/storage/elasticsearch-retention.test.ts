/**
 * Seed 004's 30-day index lifecycle, read from what the cluster would receive: the ILM Job's request
 * bodies, and the index names Fluentd and Jaeger are configured to write (from their own rendered
 * configuration, not from the program's constants).
 */
import * as assert from "assert";
import { IMAGES } from "../../components/config/images";
import { Rendered } from "../harness";
import { covered, fluentdIndex, jaegerIndices } from "./elasticsearch-indices";
import { CRONJOB, JOB, STORAGE_NS, assertFromGeneratedSecret, envOf, mainContainer, rendered, stacks } from "./helpers";

const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

function retentionJob(out: Rendered) {
  const c = mainContainer(out.object(JOB, "elasticsearch-retention", STORAGE_NS));
  return {
    container: c,
    policy: JSON.parse(envOf(c, "POLICY").value),
    policyName: envOf(c, "POLICY_NAME").value as string,
    template: JSON.parse(envOf(c, "TEMPLATE").value),
    retained: (envOf(c, "RETAINED_INDICES").value as string).split(","),
  };
}

describe("storage: Elasticsearch retention (ILM)", () => {
  const s = stacks("dev", "staging", "prod");

  it("runs a Job and a daily CronJob with the pinned Elasticsearch image wherever Elasticsearch runs", () => {
    for (const out of [s.dev, s.staging, s.prod]) {
      assert.strictEqual(retentionJob(out).container.image, IMAGES.elasticsearch);
      const cron = out.object(CRONJOB, "elasticsearch-retention-daily", STORAGE_NS);
      assert.match(cron.inputs.spec.schedule, /^\d+ \d+ \* \* \*$/);
      assert.deepStrictEqual(mainContainer(cron).env, retentionJob(out).container.env, "the CronJob repeats exactly the Job's steps");
    }
  });

  it("is not created where Elasticsearch is not", async () => {
    const out = await rendered("dev", { deployMode: "ai-only" });
    assert.ok(!out.config.services.includes("elasticsearch"));
    const retention = [...out.ofType(JOB), ...out.ofType(CRONJOB)].filter((j) => j.inputs.metadata.name.startsWith("elasticsearch-retention"));
    assert.deepStrictEqual(retention, []);
  });

  it("sends a policy that deletes an index the configured days after its creation, with no rollover", () => {
    for (const out of [s.dev, s.prod]) {
      const { policy } = retentionJob(out);
      assert.deepStrictEqual(Object.keys(policy.policy.phases), ["delete"]);
      assert.strictEqual(policy.policy.phases.delete.min_age, `${out.config.retention.elasticsearchDays}d`);
      assert.deepStrictEqual(policy.policy.phases.delete.actions, { delete: {} });
    }
    assert.strictEqual(retentionJob(s.dev).policy.policy.phases.delete.min_age, "30d");
  });

  it("covers the log index Fluentd writes with a template, and every index Jaeger writes without touching Jaeger's templates", () => {
    for (const out of [s.dev, s.prod]) {
      const { template, retained, policyName } = retentionJob(out);
      const logs = fluentdIndex(out);
      assert.ok(covered(template.index_patterns, logs), `template covers ${logs}`);
      assert.strictEqual(template.template.settings["index.lifecycle.name"], policyName);
      assert.ok(covered(retained, logs), `the policy is set on existing ${logs}`);
      for (const index of jaegerIndices(out)) {
        assert.ok(covered(retained, index), `the policy is set on ${index}`);
        // Elasticsearch applies one composable template per index: ours must never outrank Jaeger's.
        assert.ok(!covered(template.index_patterns, index), `the logs template must not match Jaeger's ${index}`);
      }
      // A log index with a replica on a single node would stay yellow: replicas only where a second node exists.
      const nodes = out.object("kubernetes:apps/v1:StatefulSet", "elasticsearch", STORAGE_NS).inputs.spec.replicas;
      assert.strictEqual(template.template.settings["index.number_of_replicas"], nodes > 1 ? 1 : 0, `replicas on ${nodes} node(s)`);
      // The applications' search indices are business data, never expired.
      for (const index of ["documents", "knowledge-2026", "voicehelper-search"]) assert.ok(!covered(retained, index), `${index} must not be expired`);
    }
  });

  it("replaces the Job when the retention changes, so the new policy is applied", async () => {
    // Elasticsearch alone, before and after: the two renders differ in the retention only.
    const changed = await rendered("dev", { services: ["elasticsearch"], retention: { elasticsearchDays: 7 } });
    const before = (await rendered("dev", { services: ["elasticsearch"] })).object(JOB, "elasticsearch-retention", STORAGE_NS);
    const after = changed.object(JOB, "elasticsearch-retention", STORAGE_NS);
    assert.strictEqual(retentionJob(changed).policy.policy.phases.delete.min_age, "7d");
    // A Job's pod template is immutable: a different one makes Pulumi replace the Job, which runs again.
    assert.notDeepStrictEqual(after.inputs.spec.template, before.inputs.spec.template);
    assert.deepStrictEqual(mainContainer(changed.object(CRONJOB, "elasticsearch-retention-daily", STORAGE_NS)).env, retentionJob(changed).container.env);
  });

  it("logs in as its own user with a generated password from a Secret, never on a command line", () => {
    const { container } = retentionJob(s.prod);
    const password = assertFromGeneratedSecret(s.prod, STORAGE_NS, container, "ES_PASSWORD");
    assert.strictEqual(envOf(container, "ES_USER").value, "index-retention", "not the elastic superuser");
    const script = [...container.command, ...(container.args ?? [])].join(" ");
    assert.ok(!script.includes(password));
    assert.doesNotMatch(script, /(\s-u\s|--user\s)/, "curl reads the credentials from a file");
    assert.match(envOf(container, "ES_URL").value, /^http:\/\/elasticsearch\.voicehelper-storage\.svc\.cluster\.local:9200$/);
  });

  it("reaches only Elasticsearch's HTTP port, and Elasticsearch admits it there", () => {
    for (const name of ["elasticsearch-retention", "elasticsearch-retention-daily"]) {
      const egress = s.dev.object(NETPOL, `${name}-egress`, STORAGE_NS).inputs.spec.egress;
      const toEs = egress.filter((r: any) => r.to?.some((p: any) => p.podSelector?.matchLabels?.["app.kubernetes.io/name"] === "elasticsearch"));
      assert.deepStrictEqual(
        toEs.flatMap((r: any) => r.ports),
        [{ protocol: "TCP", port: 9200 }],
      );
      const admitted = s.dev.object(NETPOL, `elasticsearch-from-${name}`, STORAGE_NS).inputs.spec;
      assert.strictEqual(admitted.podSelector.matchLabels["app.kubernetes.io/name"], "elasticsearch");
      assert.deepStrictEqual(admitted.ingress[0].ports, [{ protocol: "TCP", port: 9200 }]);
      assert.strictEqual(admitted.ingress[0].from[0].podSelector.matchLabels["app.kubernetes.io/name"], name);
    }
  });
});
