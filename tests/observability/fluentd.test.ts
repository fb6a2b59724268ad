import * as assert from "assert";
import { EXCEPTIONS_ANNOTATION } from "../../components/kit/exceptions";
import { Rendered } from "../harness";
import { ELASTICSEARCH, MONITORING, configText, renderOnce, renderWithElasticsearch } from "./helpers";

const DAEMONSET = "kubernetes:apps/v1:DaemonSet";

describe("observability: Fluentd", () => {
  let r: Rendered;
  let dev: Rendered;
  before(async () => {
    r = await renderWithElasticsearch();
    dev = await renderOnce("dev");
  });
  const pod = () => r.object(DAEMONSET, "fluentd", MONITORING).inputs.spec.template.spec;

  it("makes the monitoring namespace privileged, with the reason recorded, only while it runs", async () => {
    assert.ok(dev.outputs.deployed.includes("fluentd"));
    const ns = dev.object("kubernetes:core/v1:Namespace", MONITORING).inputs.metadata;
    assert.strictEqual(ns.labels["pod-security.kubernetes.io/enforce"], "privileged");
    assert.match(JSON.parse(ns.annotations[EXCEPTIONS_ANNOTATION])["namespace-pod-security"], /Fluentd/);
    assert.strictEqual(ns.labels["pod-security.kubernetes.io/warn"], "restricted", "drift still shows");
    const noLogs = await renderOnce("dev", { deployMode: "minimal" });
    assert.strictEqual(noLogs.ofType(DAEMONSET).length, 0);
  });

  it("runs one pod per node, control-plane nodes included", () => {
    const tolerations = pod().tolerations;
    assert.ok(tolerations.some((t: any) => t.key === "node-role.kubernetes.io/control-plane" && t.operator === "Exists"));
  });

  it("runs as root and reads host paths only through named exceptions with reasons", () => {
    const ds = r.object(DAEMONSET, "fluentd", MONITORING).inputs;
    const exceptions = JSON.parse(ds.metadata.annotations[EXCEPTIONS_ANNOTATION]);
    assert.deepStrictEqual(Object.keys(exceptions).sort(), ["host-path", "no-service-account-token", "run-as-non-root"]);
    for (const reason of Object.values<string>(exceptions)) assert.ok(reason.length > 40);
    const c = pod().containers[0];
    assert.strictEqual(c.securityContext.runAsUser, 0);
    assert.deepStrictEqual(c.securityContext.capabilities, { drop: ["ALL"] });
    assert.strictEqual(c.securityContext.readOnlyRootFilesystem, true);
    assert.strictEqual(c.securityContext.allowPrivilegeEscalation, false);
  });

  it("mounts the node's logs read-only and only its own state directory writable", () => {
    const hostVolumes = pod().volumes.filter((v: any) => v.hostPath);
    const mounts = pod().containers[0].volumeMounts;
    const byPath = Object.fromEntries(hostVolumes.map((v: any) => [v.hostPath.path, mounts.find((m: any) => m.name === v.name)]));
    assert.deepStrictEqual(Object.keys(byPath).sort(), ["/var/lib/voicehelper-fluentd", "/var/log/containers", "/var/log/pods"]);
    assert.strictEqual(byPath["/var/log/pods"].readOnly, true);
    assert.strictEqual(byPath["/var/log/containers"].readOnly, true);
    assert.notStrictEqual(byPath["/var/lib/voicehelper-fluentd"].readOnly, true);
  });

  it("tails container logs in CRI format, skips its own, and ships them to the Elasticsearch endpoint", () => {
    const conf = configText(r, "fluentd-config", "fluent.conf");
    assert.match(conf, /path \/var\/log\/containers\/\*\.log/);
    assert.match(conf, /@type cri/);
    assert.match(conf, /exclude_path \["\/var\/log\/containers\/fluentd-\*_voicehelper-monitoring_\*\.log"\]/);
    assert.match(conf, new RegExp(`host ${ELASTICSEARCH.host.replace(/\./g, "\\.")}\\n  port 9200`));
    assert.match(conf, /pos_file \/var\/lib\/fluentd\//);
    const env = pod().containers[0].env;
    assert.strictEqual(env.find((e: any) => e.name === "FLUENTD_CONF").value, "voicehelper/fluent.conf");
    const cfgVolume = pod().volumes.find((v: any) => v.configMap?.name === "fluentd-config");
    assert.strictEqual(pod().containers[0].volumeMounts.find((m: any) => m.name === cfgVolume.name).mountPath, "/fluentd/etc/voicehelper");
  });

  it("logs in to Elasticsearch as its own user, the password from that user's Secret, never from its config", () => {
    const conf = configText(r, "fluentd-config", "fluent.conf");
    assert.match(conf, /password "#\{ENV\['ES_PASSWORD'\]\}"/);
    const env = pod().containers[0].env;
    assert.strictEqual(env.find((e: any) => e.name === "ES_USER").value, "fluentd");
    assert.deepStrictEqual(env.find((e: any) => e.name === "ES_PASSWORD").valueFrom.secretKeyRef, { name: "elasticsearch-fluentd", key: "password" });
  });

  it("reads pod metadata with a read-only ClusterRole, and may reach Elasticsearch", () => {
    const role = r.ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole").find((x) => x.inputs.metadata.name === `${MONITORING}-fluentd`);
    assert.ok(role);
    assert.deepStrictEqual(role.inputs.rules, [{ apiGroups: [""], resources: ["pods", "namespaces"], verbs: ["get", "list", "watch"] }]);
    const ingress = r.object("kubernetes:networking.k8s.io/v1:NetworkPolicy", "elasticsearch-from-fluentd", "voicehelper-storage").inputs.spec;
    assert.deepStrictEqual(ingress.ingress[0].ports, [{ protocol: "TCP", port: 9200 }]);
  });

  it("is scraped on its metrics port", () => {
    const ds = r.object(DAEMONSET, "fluentd", MONITORING).inputs;
    assert.strictEqual(ds.spec.template.metadata.annotations["prometheus.io/port"], "24231");
  });
});
