import * as assert from "assert";
import { EXCEPTIONS_ANNOTATION } from "../../components/kit/exceptions";
import { Rendered } from "../harness";
import { MONITORING, configFile, mainContainer, renderOnce, statefulSet } from "./helpers";

describe("observability: Prometheus", () => {
  let dev: Rendered;
  let prod: Rendered;
  before(async () => {
    dev = await renderOnce("dev");
    prod = await renderOnce("prod");
  });

  it("scrapes every 15s and loads its rules from where the rules ConfigMap is mounted", () => {
    const cfg = configFile(dev, "prometheus-config", "prometheus.yml");
    assert.strictEqual(cfg.global.scrape_interval, "15s");
    const pod = statefulSet(dev, "prometheus").spec.template.spec;
    const rulesVolume = pod.volumes.find((v: any) => v.configMap?.name === "prometheus-rules");
    assert.ok(rulesVolume, "rules ConfigMap mounted as a volume");
    const mount = pod.containers[0].volumeMounts.find((m: any) => m.name === rulesVolume.name);
    assert.deepStrictEqual(cfg.rule_files, [`${mount.mountPath}/*.yaml`]);
    const ruleKeys = Object.keys(dev.object("kubernetes:core/v1:ConfigMap", "prometheus-rules", MONITORING).inputs.data);
    assert.ok(ruleKeys.every((k) => k.endsWith(".yaml")), "every rules key matches the glob");
  });

  it("reads the config file the config ConfigMap provides", () => {
    const pod = statefulSet(dev, "prometheus").spec.template.spec;
    const vol = pod.volumes.find((v: any) => v.configMap?.name === "prometheus-config");
    const mount = pod.containers[0].volumeMounts.find((m: any) => m.name === vol.name);
    assert.ok(pod.containers[0].args.includes(`--config.file=${mount.mountPath}/prometheus.yml`));
  });

  it("keeps 15 days, on a volume from the sizing table, and probes /-/ready and /-/healthy", () => {
    const sts = statefulSet(prod, "prometheus");
    const c = mainContainer(prod, "prometheus");
    assert.ok(c.args.includes("--storage.tsdb.retention.time=15d"));
    assert.strictEqual(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage, prod.config.sizes.prometheus.storage);
    assert.strictEqual(prod.config.sizes.prometheus.storage, "100Gi");
    assert.strictEqual(c.readinessProbe.httpGet.path, "/-/ready");
    assert.strictEqual(c.livenessProbe.httpGet.path, "/-/healthy");
    assert.strictEqual(sts.spec.template.spec.securityContext.runAsUser, 65534);
  });

  it("discovers pods annotated prometheus.io/scrape=true in the platform namespaces", () => {
    const job = configFile(dev, "prometheus-config", "prometheus.yml").scrape_configs[0];
    const sd = job.kubernetes_sd_configs[0];
    assert.strictEqual(sd.role, "pod");
    assert.deepStrictEqual([...sd.namespaces.names].sort(), ["voicehelper", "voicehelper-monitoring", "voicehelper-posthog", "voicehelper-storage"]);
    const keep = job.relabel_configs.find((x: any) => x.action === "keep");
    assert.deepStrictEqual(keep.source_labels, ["__meta_kubernetes_pod_annotation_prometheus_io_scrape"]);
    assert.strictEqual(keep.regex, "true");
    const targets = job.relabel_configs.filter((x: any) => x.target_label).map((x: any) => x.target_label);
    for (const t of ["__metrics_path__", "__address__", "namespace", "pod", "service"]) assert.ok(targets.includes(t), `sets ${t}`);
  });

  it("sends alerts to every Alertmanager replica and labels them with the cluster", () => {
    const cfg = configFile(prod, "prometheus-config", "prometheus.yml");
    const targets: string[] = cfg.alerting.alertmanagers[0].static_configs[0].targets;
    assert.strictEqual(targets.length, prod.config.sizes.alertmanager.replicas);
    assert.ok(targets.every((t, i) => t === `alertmanager-${i}.alertmanager-headless.${MONITORING}.svc.cluster.local:9093`));
    assert.strictEqual(cfg.global.external_labels.cluster, "prod");
  });

  it("mounts its service-account token through the named exception, and only it", () => {
    const pod = statefulSet(dev, "prometheus").spec.template.spec;
    assert.strictEqual(pod.automountServiceAccountToken, true);
    const exceptions = JSON.parse(statefulSet(dev, "prometheus").metadata.annotations[EXCEPTIONS_ANNOTATION]);
    assert.deepStrictEqual(Object.keys(exceptions), ["no-service-account-token"]);
    assert.strictEqual(statefulSet(dev, "alertmanager").spec.template.spec.automountServiceAccountToken, false);
    assert.strictEqual(statefulSet(dev, "grafana").spec.template.spec.automountServiceAccountToken, false);
  });

  it("RBAC: a ClusterRole with get/list/watch on pods, services, endpoints and endpointslices only, bound to its ServiceAccount", () => {
    const roles = dev.ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole").filter((r) => r.inputs.metadata.name.includes("prometheus"));
    assert.strictEqual(roles.length, 1);
    const rules = roles[0].inputs.rules;
    const granted = rules.flatMap((x: any) => x.resources.map((res: string) => `${x.apiGroups.join(",")}/${res}`)).sort();
    assert.deepStrictEqual(granted, ["/endpoints", "/pods", "/services", "discovery.k8s.io/endpointslices"]);
    for (const x of rules) assert.deepStrictEqual([...x.verbs].sort(), ["get", "list", "watch"]);
    const binding = dev.ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding").find((b) => b.inputs.metadata.name.includes("prometheus"))!.inputs;
    assert.strictEqual(binding.roleRef.name, roles[0].inputs.metadata.name);
    assert.deepStrictEqual(binding.subjects, [{ kind: "ServiceAccount", name: "prometheus", namespace: MONITORING }]);
  });

  it("egress: the Kubernetes API and every port of the platform namespaces' pods (targets are discovered)", () => {
    const egress = dev.object("kubernetes:networking.k8s.io/v1:NetworkPolicy", "prometheus-egress", MONITORING).inputs.spec.egress;
    const api = egress.find((e: any) => e.ports?.some((p: any) => p.port === 6443));
    assert.ok(api, "Kubernetes API egress");
    const scrape = egress.find((e: any) => e.ports === undefined);
    assert.ok(scrape, "one rule without a port list");
    const namespaces = scrape.to.map((t: any) => t.namespaceSelector.matchLabels["kubernetes.io/metadata.name"]).sort();
    assert.deepStrictEqual(namespaces, ["voicehelper", "voicehelper-monitoring", "voicehelper-posthog", "voicehelper-storage"]);
    assert.ok(scrape.to.every((t: any) => t.podSelector === undefined && t.ipBlock === undefined), "namespaces only, nothing outside the platform");
  });
});
