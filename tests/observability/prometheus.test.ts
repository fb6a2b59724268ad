import * as assert from "assert";
import { EXCEPTIONS_ANNOTATION } from "../../components/kit/exceptions";
import { Rendered } from "../harness";
import { SCRAPE_ANNOTATIONS, discoveryLabel } from "../../components/kit/scrape";
import { MONITORING, configFile, mainContainer, platformNamespaces, renderOnce, statefulSet } from "./helpers";

const CERT_MANAGER = "cert-manager";

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
    assert.ok(
      ruleKeys.every((k) => k.endsWith(".yaml")),
      "every rules key matches the glob",
    );
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

  it("discovers annotated pods in the platform namespaces this stack creates; exporters get a job of their own that keeps their labels", () => {
    const cfg = configFile(dev, "prometheus-config", "prometheus.yml");
    const created = platformNamespaces(dev);
    assert.ok(!created.includes("voicehelper-posthog"), "dev sends analytics to PostHog Cloud: no posthog namespace");
    for (const [jobName, honor] of [
      ["kubernetes-pods", "drop"],
      ["kubernetes-exporters", "keep"],
    ] as const) {
      const job = cfg.scrape_configs.find((j: any) => j.job_name === jobName);
      assert.ok(job, `job ${jobName}`);
      const sd = job.kubernetes_sd_configs[0];
      assert.strictEqual(sd.role, "pod");
      // Exporters also in cert-manager's namespace: its controller reports the certificates' expiry.
      assert.deepStrictEqual([...sd.namespaces.names].sort(), honor === "keep" ? [CERT_MANAGER, ...created].sort() : created);
      const scrape = job.relabel_configs.find((x: any) => x.source_labels?.[0] === discoveryLabel(SCRAPE_ANNOTATIONS.enabled));
      assert.deepStrictEqual([scrape.action, scrape.regex], ["keep", "true"]);
      const exporter = job.relabel_configs.find((x: any) => x.source_labels?.[0] === discoveryLabel(SCRAPE_ANNOTATIONS.honorLabels));
      assert.deepStrictEqual([exporter.action, exporter.regex], [honor, "true"], `${jobName} ${honor}s exporters`);
      assert.strictEqual(job.honor_labels === true, honor === "keep");
      const targets = job.relabel_configs.filter((x: any) => x.target_label).map((x: any) => x.target_label);
      for (const t of ["__metrics_path__", "__address__", "namespace", "pod", "service"]) assert.ok(targets.includes(t), `sets ${t}`);
    }
  });

  it("the annotation names in the scrape config are the ones the kit puts on pods", () => {
    const gateway = dev.object("kubernetes:apps/v1:Deployment", "gateway").inputs.spec.template.metadata.annotations;
    const job = configFile(dev, "prometheus-config", "prometheus.yml").scrape_configs.find((j: any) => j.job_name === "kubernetes-pods");
    const used = job.relabel_configs.flatMap((x: any) => x.source_labels ?? []).filter((l: string) => l.startsWith("__meta_kubernetes_pod_annotation_"));
    for (const key of Object.keys(gateway).filter((k) => k.startsWith("prometheus.io/"))) assert.ok(used.includes(discoveryLabel(key)), `${key} is read`);
    assert.ok(used.includes("__meta_kubernetes_pod_annotation_prometheus_io_scrape"));
  });

  it("scrapes every kubelet over HTTPS with its token, verifying the kubelet's certificate against the cluster CA unless told otherwise", async () => {
    const jobs = (r: Rendered) => configFile(r, "prometheus-config", "prometheus.yml").scrape_configs.filter((j: any) => j.kubernetes_sd_configs[0].role === "node");
    const verified = jobs(dev);
    assert.deepStrictEqual(
      verified.map((j: any) => [j.job_name, j.metrics_path]),
      [
        ["kubelet", "/metrics"],
        ["kubelet-cadvisor", "/metrics/cadvisor"],
      ],
    );
    for (const j of verified) {
      assert.strictEqual(j.scheme, "https");
      assert.strictEqual(j.authorization.credentials_file, "/var/run/secrets/kubernetes.io/serviceaccount/token");
      assert.deepStrictEqual(j.tls_config, { ca_file: "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt" });
      // Only the platform's pods: the kubelet reports on every pod of its node.
      const ns = j.metric_relabel_configs.find((x: any) => x.source_labels[0] === "namespace");
      assert.strictEqual(ns.action, "keep");
      assert.deepStrictEqual(
        ns.regex
          .split("|")
          .map((x: string) => x.replace(/\\/g, ""))
          .sort(),
        platformNamespaces(dev),
      );
    }
    // Prometheus alone (and what it needs) is enough to read its scrape configuration.
    const skipping = jobs(await renderOnce("dev", { services: ["prometheus"], metrics: { kubeletTls: "skip-verify" } }));
    assert.strictEqual(skipping.length, verified.length, "both kubelet jobs");
    for (const j of skipping) assert.deepStrictEqual(j.tls_config, { insecure_skip_verify: true });
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

  it("RBAC: reads pods, services and endpoints only in the platform namespaces; nodes cluster-wide for discovery and nodes/metrics for the kubelets; nothing else", () => {
    const roles = dev.ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole").filter((r) => r.inputs.metadata.name.startsWith(`${MONITORING}-prometheus`));
    const grants = (role: any) => role.inputs.rules.flatMap((x: any) => x.resources.map((res: string) => `${x.apiGroups.join(",")}/${res}:${[...x.verbs].sort().join(",")}`)).sort();
    const byName = Object.fromEntries(roles.map((r) => [r.inputs.metadata.name, r]));
    assert.deepStrictEqual(Object.keys(byName).sort(), [`${MONITORING}-prometheus`, `${MONITORING}-prometheus-nodes`]);
    assert.deepStrictEqual(grants(byName[`${MONITORING}-prometheus`]), [
      "/endpoints:get,list,watch",
      "/pods:get,list,watch",
      "/services:get,list,watch",
      "discovery.k8s.io/endpointslices:get,list,watch",
    ]);
    assert.deepStrictEqual(grants(byName[`${MONITORING}-prometheus-nodes`]), ["/nodes/metrics:get", "/nodes:list,watch"]);
    const subject = [{ kind: "ServiceAccount", name: "prometheus", namespace: MONITORING }];
    const namespaced = dev.ofType("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding").filter((b) => b.inputs.roleRef.name === `${MONITORING}-prometheus`);
    assert.deepStrictEqual(namespaced.map((b) => b.inputs.metadata.namespace).sort(), [CERT_MANAGER, ...platformNamespaces(dev)].sort());
    for (const b of namespaced) assert.deepStrictEqual(b.inputs.subjects, subject);
    const clusterWide = dev.ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding").filter((b) => b.inputs.metadata.name.startsWith(`${MONITORING}-prometheus`));
    assert.deepStrictEqual(
      clusterWide.map((b) => b.inputs.roleRef.name),
      [`${MONITORING}-prometheus-nodes`],
    );
    assert.deepStrictEqual(clusterWide[0].inputs.subjects, subject);
  });

  it("egress: the Kubernetes API, every port of the platform namespaces' pods (targets are discovered) and the kubelets' port", () => {
    const egress = dev.object("kubernetes:networking.k8s.io/v1:NetworkPolicy", "prometheus-egress", MONITORING).inputs.spec.egress;
    const api = egress.find((e: any) => e.ports?.some((p: any) => p.port === 6443));
    assert.ok(api, "Kubernetes API egress");
    const scrape = egress.filter((e: any) => e.ports === undefined);
    assert.strictEqual(scrape.length, 1, "one rule without a port list");
    const namespaces = scrape[0].to.map((t: any) => t.namespaceSelector.matchLabels["kubernetes.io/metadata.name"]).sort();
    assert.deepStrictEqual(namespaces, [CERT_MANAGER, ...platformNamespaces(dev)].sort());
    assert.ok(
      scrape[0].to.every((t: any) => t.podSelector === undefined && t.ipBlock === undefined),
      "namespaces only, nothing outside the platform",
    );
    const kubelets = egress.filter((e: any) => e.ports?.some((p: any) => p.port === 10250));
    assert.strictEqual(kubelets.length, 1);
    assert.deepStrictEqual(kubelets[0].ports, [{ protocol: "TCP", port: 10250 }], "node addresses on the kubelet port only");
  });
});
