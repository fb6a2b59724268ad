import * as assert from "assert";
import { container, daemonSet, deployment, mutate, podSpec, secret } from "./fixtures";
import { check, Violation } from "./util";

const ANNOTATION = "voicehelper.io/policy-exceptions";
const msgs = (vs: Violation[]) => vs.map((v) => `${v.enforcementLevel}: ${v.message}`);

/** Fluentd as the platform runs it: root, host logs, both declared as named exceptions. */
function fluentd(exceptions: Record<string, string>, where: "workload" | "template" = "workload") {
  const c = container("fluentd", { volumeMounts: [{ name: "varlog", mountPath: "/var/log", readOnly: true }] });
  delete c.securityContext.runAsNonRoot;
  const spec = podSpec([c], { volumes: [{ name: "varlog", hostPath: { path: "/var/log" } }] });
  delete spec.securityContext.runAsNonRoot;
  spec.securityContext.runAsUser = 0;
  const value = JSON.stringify(exceptions);
  return daemonSet("fluentd", { namespace: "logging", spec, ...(where === "workload" ? { annotations: { [ANNOTATION]: value } } : { templateAnnotations: { [ANNOTATION]: value } }) });
}

describe("policy: named exceptions", () => {
  it("turns an excepted finding into an advisory that names the exception and its reason", async () => {
    const ds = fluentd({ "run-as-non-root": "Fluentd reads root-owned host logs", "host-path": "Fluentd tails /var/log on the node" });
    assert.deepStrictEqual(msgs(await check("host-path", ds)), [
      `advisory: excepted by annotation ${ANNOTATION} on DaemonSet/logging/fluentd: "Fluentd tails /var/log on the node". Finding: DaemonSet/logging/fluentd: volume "varlog" mounts hostPath /var/log`,
    ]);
    const root = await check("run-as-non-root", ds);
    assert.strictEqual(root.length, 2);
    assert.ok(
      root.every((v) => v.enforcementLevel === "advisory" && v.message.includes('"Fluentd reads root-owned host logs"')),
      msgs(root).join("\n"),
    );
  });

  it("reads the annotation on the pod template too", async () => {
    const vs = await check("host-path", fluentd({ "host-path": "Fluentd tails /var/log on the node" }, "template"));
    assert.deepStrictEqual(
      vs.map((v) => v.enforcementLevel),
      ["advisory"],
    );
    assert.match(vs[0].message, /on DaemonSet\/logging\/fluentd \(pod template\)/);
  });

  it('scopes "<rule>:<container>" exceptions to that container', async () => {
    const sysctl = container("sysctl", { securityContext: { privileged: true, allowPrivilegeEscalation: true, capabilities: { drop: ["ALL"] } } });
    const es = container("es", { securityContext: { privileged: true } });
    const d = deployment("es", {
      annotations: { [ANNOTATION]: JSON.stringify({ "no-privileged:sysctl": "sets vm.max_map_count for Elasticsearch" }) },
      spec: podSpec([es], { initContainers: [sysctl] }),
    });
    assert.deepStrictEqual(msgs(await check("no-privileged", d)), [
      'advisory: excepted by annotation voicehelper.io/policy-exceptions on Deployment/apps/es (container "sysctl"): "sets vm.max_map_count for Elasticsearch". Finding: Deployment/apps/es: init container "sysctl" runs privileged (securityContext.privileged: true)',
      'mandatory: Deployment/apps/es: container "es" runs privileged (securityContext.privileged: true)',
    ]);
  });

  it("does not apply an exception with an empty reason, and says so", async () => {
    const vs = await check("host-path", fluentd({ "host-path": " " }));
    assert.deepStrictEqual(msgs(vs), [
      `mandatory: DaemonSet/logging/fluentd: volume "varlog" mounts hostPath /var/log [the exception for host-path in annotation ${ANNOTATION} on DaemonSet/logging/fluentd has an empty reason, so it does not apply]`,
    ]);
  });

  it("accepts exceptions from the stack's pack config, with wildcards", async () => {
    const ds = fluentd({});
    const cfg = { "host-path": { exceptions: [{ resource: "DaemonSet/logging/*", reason: "node log collection" }] } };
    assert.deepStrictEqual(msgs(await check("host-path", ds, cfg)), [
      'advisory: excepted by pack config of host-path (DaemonSet/logging/*): "node log collection". Finding: DaemonSet/logging/fluentd: volume "varlog" mounts hostPath /var/log',
    ]);
    const otherRule = { "host-path": { exceptions: [{ rule: "run-as-non-root", resource: "DaemonSet/logging/fluentd", reason: "wrong rule" }] } };
    assert.deepStrictEqual(
      (await check("host-path", ds, otherRule)).map((v) => v.enforcementLevel),
      ["mandatory"],
    );
  });

  it("never lets the annotation relax the guarantees; pack config can, visibly", async () => {
    const s = secret("grafana", { GF_SECURITY_ADMIN_PASSWORD: "admin" });
    s.props.metadata.annotations = { [ANNOTATION]: JSON.stringify({ "no-default-credentials": "dev only" }) };
    assert.deepStrictEqual(
      (await check("no-default-credentials", s)).map((v) => v.enforcementLevel),
      ["mandatory"],
    );
    assert.deepStrictEqual(msgs(await check("policy-exceptions", s)), [
      'mandatory: Secret/apps/grafana: exception "no-default-credentials" is not allowed by annotation; only the stack\'s policy config can relax no-default-credentials',
    ]);
    const cfg = { "no-default-credentials": { exceptions: [{ resource: "Secret/apps/grafana", reason: "throw-away kind cluster" }] } };
    assert.deepStrictEqual(
      (await check("no-default-credentials", s, cfg)).map((v) => v.enforcementLevel),
      ["advisory"],
    );
  });

  describe("policy-exceptions", () => {
    it("passes well-formed annotations", async () => {
      assert.deepStrictEqual(await check("policy-exceptions", fluentd({ "run-as-non-root": "root-owned logs", "host-path:fluentd": "tails /var/log" })), []);
    });
    it("rejects invalid JSON, unknown rules, unknown containers and empty reasons", async () => {
      const bad = (value: string) => deployment("api", { annotations: { [ANNOTATION]: value } });
      assert.deepStrictEqual(msgs(await check("policy-exceptions", bad("{run-as-non-root: yes}"))), [`mandatory: Deployment/apps/api: annotation ${ANNOTATION} is not valid JSON`]);
      assert.deepStrictEqual(msgs(await check("policy-exceptions", bad('["host-path"]'))), [`mandatory: Deployment/apps/api: annotation ${ANNOTATION} must be a JSON object {"<rule>": "<reason>"}`]);
      assert.deepStrictEqual(msgs(await check("policy-exceptions", bad('{"run-as-root": "typo", "host-path:sidecar": "x", "pinned-images": ""}'))), [
        'mandatory: Deployment/apps/api: exception "run-as-root" names no rule of this pack',
        'mandatory: Deployment/apps/api: exception "host-path:sidecar" names a container the pod does not have',
        'mandatory: Deployment/apps/api: exception "pinned-images" has an empty reason',
      ]);
    });
  });

  describe("enforcement levels from pack config", () => {
    const privileged = mutate(deployment(), (p) => (p.spec.template.spec.containers[0].securityContext.privileged = true));
    it("lets a stack relax a rule to advisory or disable it", async () => {
      assert.deepStrictEqual(
        (await check("no-privileged", privileged, { "no-privileged": "advisory" })).map((v) => v.enforcementLevel),
        ["advisory"],
      );
      assert.deepStrictEqual(
        (await check("no-privileged", privileged, { "no-privileged": { enforcementLevel: "advisory" } })).map((v) => v.enforcementLevel),
        ["advisory"],
      );
      assert.deepStrictEqual(await check("no-privileged", privileged, { "no-privileged": "disabled" }), []);
      assert.deepStrictEqual(
        (await check("no-privileged", privileged, { all: "advisory" })).map((v) => v.enforcementLevel),
        ["advisory"],
      );
    });
  });
});
