/**
 * What peer linters (kube-score, Trivy) found on the rendered stacks, fixed and held: budgets let a
 * drain evict an unhealthy pod, scheduled jobs start late rather than never, the CloudNativePG Pooler
 * is spread, budgeted and probed for liveness, and PostHog's ZooKeeper keeps its transaction log on its
 * volume.
 */
import { strict as assert } from "assert";
import { parse } from "yaml";
import { CRON_STARTING_DEADLINE_SECONDS } from "../components/kit/job";
import { TRANSACTION_LOG_DIR } from "../components/services/posthog/zookeeper";
import { memoryBytes } from "../components/config/quantity";
import { EPHEMERAL_STORAGE } from "../components/config/sizing";
import { Rendered, containersOf, podSpecOf, render } from "./harness";

const PDB = "kubernetes:policy/v1:PodDisruptionBudget";

describe("peer findings on the rendered production stack", () => {
  let prod: Rendered;
  before(async () => {
    prod = await render("prod");
  });

  it("every PodDisruptionBudget lets a drain evict a pod that is running but not ready", () => {
    const pdbs = prod.ofType(PDB);
    assert.ok(pdbs.length > 10, `prod has budgets (${pdbs.length})`);
    for (const p of pdbs) assert.equal(p.inputs.spec.unhealthyPodEvictionPolicy, "AlwaysAllow", p.inputs.metadata.name);
    const gatewayBudget = parse(prod.object("kubernetes:core/v1:ConfigMap", "edge-gateway-parameters").inputs.data.podDisruptionBudget);
    assert.equal(gatewayBudget.spec.unhealthyPodEvictionPolicy, "AlwaysAllow", "the budget Istio makes for the Gateway's proxy too");
  });

  it("every CronJob starts a late run within a deadline shorter than the shortest schedule (hourly)", () => {
    const cronJobs = prod.ofType("kubernetes:batch/v1:CronJob");
    assert.ok(cronJobs.length > 0);
    for (const c of cronJobs) {
      assert.equal(c.inputs.spec.startingDeadlineSeconds, CRON_STARTING_DEADLINE_SECONDS, c.inputs.metadata.name);
      assert.ok(CRON_STARTING_DEADLINE_SECONDS < 3600);
    }
  });

  it("the PgBouncer Pooler is budgeted, spread over nodes and probed for liveness on the port CloudNativePG names", () => {
    const poolers = prod.ofType("kubernetes:postgresql.cnpg.io/v1:Pooler");
    assert.ok(poolers.length > 0, "prod runs a Pooler");
    for (const p of poolers) {
      const name = p.inputs.metadata.name;
      assert.ok(p.inputs.spec.instances > 1, `${name} is replicated in production`);
      const selector = { "cnpg.io/poolerName": name };
      const budget = prod.ofType(PDB).find((b) => b.inputs.metadata.namespace === p.inputs.metadata.namespace && JSON.stringify(b.inputs.spec.selector.matchLabels) === JSON.stringify(selector));
      assert.ok(budget, `${name} has a budget selecting the label CloudNativePG puts on its pods`);
      const spec = p.inputs.spec.template.spec;
      assert.deepEqual(spec.topologySpreadConstraints[0].labelSelector.matchLabels, selector);
      assert.equal(spec.topologySpreadConstraints[0].topologyKey, "kubernetes.io/hostname");
      assert.deepEqual(spec.containers[0].livenessProbe.tcpSocket, { port: "pgbouncer" });
    }
  });

  it("every container bounds its ephemeral storage, above the caps of the emptyDirs it mounts, and every emptyDir is capped", () => {
    let containers = 0;
    for (const w of prod.kubernetes()) {
      const spec = podSpecOf(w);
      if (!spec) continue;
      const caps = new Map<string, string>();
      for (const v of spec.volumes ?? []) {
        if (!v.emptyDir) continue;
        assert.ok(v.emptyDir.sizeLimit, `${w.inputs.metadata.name}: emptyDir ${v.name} has no sizeLimit`);
        caps.set(v.name, v.emptyDir.sizeLimit);
      }
      for (const c of containersOf(w)) {
        containers++;
        const req = c.resources.requests["ephemeral-storage"];
        const lim = c.resources.limits["ephemeral-storage"];
        assert.ok(req && lim, `${w.inputs.metadata.name}/${c.name} bounds ephemeral storage`);
        const mounted = (c.volumeMounts ?? []).filter((m: any) => caps.has(m.name)).reduce((n: number, m: any) => n + memoryBytes(caps.get(m.name)!), 0);
        assert.ok(memoryBytes(lim) >= mounted + memoryBytes(EPHEMERAL_STORAGE.container.limit), `${w.inputs.metadata.name}/${c.name}: the limit leaves room for its emptyDirs`);
      }
    }
    assert.ok(containers > 50, `checked ${containers} containers`);
    const bge = prod.object("kubernetes:apps/v1:Deployment", "bge-service").inputs.spec.template.spec;
    assert.equal(
      bge.volumes.find((v: any) => v.emptyDir && bge.containers[0].volumeMounts.some((m: any) => m.name === v.name && m.mountPath === "/models")).emptyDir.sizeLimit,
      EPHEMERAL_STORAGE.modelCache,
    );
  });

  it("PostHog's ZooKeeper writes its transaction log to its volume, not to an emptyDir", () => {
    const zk = prod.object("kubernetes:apps/v1:StatefulSet", "posthog-zookeeper");
    const c = zk.inputs.spec.template.spec.containers[0];
    assert.equal(c.env.find((e: any) => e.name === "ZOO_DATA_LOG_DIR").value, TRANSACTION_LOG_DIR);
    const mount = c.volumeMounts.filter((m: any) => TRANSACTION_LOG_DIR.startsWith(`${m.mountPath}/`)).sort((a: any, b: any) => b.mountPath.length - a.mountPath.length)[0];
    assert.equal(mount.name, "data");
    assert.ok(
      zk.inputs.spec.volumeClaimTemplates.some((t: any) => t.metadata.name === "data"),
      "the data mount is the volume claim",
    );
    const emptyDirs = (zk.inputs.spec.template.spec.volumes ?? []).filter((v: any) => v.emptyDir).map((v: any) => v.name);
    assert.ok(!c.volumeMounts.some((m: any) => emptyDirs.includes(m.name) && TRANSACTION_LOG_DIR.startsWith(m.mountPath)));
  });
});
