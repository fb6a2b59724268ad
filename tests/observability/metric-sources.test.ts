/**
 * Every alert rule can fire: the series it reads are collected by a scrape job this stack configures,
 * from an exporter this stack runs and Prometheus may reach. (promtool's rule unit tests, in the
 * promtool step, prove the expressions fire on series named and labelled as those exporters do.)
 */
import * as assert from "assert";
import { IMAGES } from "../../components/config/images";
import { SCRAPE_ANNOTATIONS } from "../../components/kit/scrape";
import { alertRules } from "../../components/services/prometheus/rules";
import { Rendered, podSpecOf } from "../harness";
import { MONITORING, configFile, platformNamespaces, renderOnce } from "./helpers";

const STORAGE = "voicehelper-storage";
const PROMETHEUS_POD = { "app.kubernetes.io/name": "prometheus" };

/** Pod templates (of any kind) carrying the scrape annotations, with their annotations. */
function scrapedPods(r: Rendered): { name: string; annotations: Record<string, string> }[] {
  return r.resources
    .map((res) => ({ res, spec: podSpecOf(res) }))
    .filter(({ spec }) => spec !== undefined)
    .map(({ res }) => ({ name: res.inputs.metadata.name, annotations: res.inputs.spec?.template?.metadata?.annotations ?? res.inputs.spec?.jobTemplate?.spec?.template?.metadata?.annotations ?? {} }))
    .filter((p) => p.annotations[SCRAPE_ANNOTATIONS.enabled] === "true");
}

/** Whether a NetworkPolicy selecting `selector` in `namespace` admits Prometheus' pods on `port`. */
function admitsPrometheus(r: Rendered, namespace: string, selector: Record<string, string>, port: number): boolean {
  return r
    .ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy")
    .filter((p) => p.inputs.metadata.namespace === namespace && Object.entries(selector).every(([k, v]) => p.inputs.spec.podSelector.matchLabels?.[k] === v))
    .flatMap((p) => p.inputs.spec.ingress ?? [])
    .some(
      (rule: any) =>
        rule.ports?.some((p: any) => p.port === port) &&
        rule.from?.some(
          (f: any) => f.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === MONITORING && Object.entries(PROMETHEUS_POD).every(([k, v]) => f.podSelector?.matchLabels?.[k] === v),
        ),
    );
}

for (const stack of ["dev", "prod"] as const) {
  describe(`observability: every alert's series are collected (${stack})`, () => {
    let r: Rendered;
    let jobs: any[];
    before(async () => {
      r = await renderOnce(stack);
      jobs = configFile(r, "prometheus-config", "prometheus.yml").scrape_configs;
    });

    for (const rule of alertRules()) {
      it(`${rule.alert}: read from the ${rule.source.job} job (${rule.source.exporter})`, () => {
        assert.ok(
          jobs.some((j) => j.job_name === rule.source.job),
          `no scrape job ${rule.source.job} among ${jobs.map((j) => j.job_name).join(", ")}`,
        );
      });
    }

    it("kube-state-metrics (FrequentRestarts) runs, is annotated for the exporters job and admits Prometheus on its metrics port", () => {
      const ksm = scrapedPods(r).find((p) => p.name === "kube-state-metrics");
      assert.ok(ksm, "kube-state-metrics pods are annotated for scraping");
      assert.strictEqual(ksm.annotations[SCRAPE_ANNOTATIONS.honorLabels], "true", "scraped by the job that keeps its labels");
      assert.ok(admitsPrometheus(r, MONITORING, { "app.kubernetes.io/name": "kube-state-metrics" }, Number(ksm.annotations[SCRAPE_ANNOTATIONS.port])));
      assert.ok(
        scrapedPods(r)
          .filter((p) => p.name !== "kube-state-metrics")
          .every((p) => p.annotations[SCRAPE_ANNOTATIONS.honorLabels] === undefined),
        "only exporters keep their labels",
      );
    });

    it("PostgreSQL (DatabaseConnectionsHigh): CloudNativePG's instances carry the scrape annotations for 9187 and admit Prometheus there", () => {
      const cluster = r.ofType("kubernetes:postgresql.cnpg.io/v1:Cluster").find((c) => c.inputs.metadata.name === "postgresql")!.inputs;
      const annotations = cluster.spec.inheritedMetadata.annotations;
      assert.deepStrictEqual([annotations[SCRAPE_ANNOTATIONS.enabled], annotations[SCRAPE_ANNOTATIONS.port], annotations[SCRAPE_ANNOTATIONS.path]], ["true", "9187", "/metrics"]);
      assert.strictEqual(annotations[SCRAPE_ANNOTATIONS.honorLabels], undefined, "its series are about itself");
      assert.strictEqual(cluster.spec.inheritedMetadata.labels["app.kubernetes.io/name"], "postgresql", "the pods' service label");
      assert.ok(admitsPrometheus(r, STORAGE, { "cnpg.io/cluster": "postgresql" }, 9187), "Prometheus admitted to 9187");
      assert.ok(!admitsPrometheus(r, STORAGE, { "cnpg.io/cluster": "postgresql" }, 5432), "but not to PostgreSQL itself");
    });

    // The stores' own endpoints the store alerts read (docs/metrics-upstream.md): annotated for the pods job, Prometheus admitted.
    for (const [alert, store, port] of [
      ["MessageBrokerAlarm", "rabbitmq", 15692],
      ["ClickHouseQueryErrors", "clickhouse", 9363],
      ["ObjectStoreNodeOffline", "minio", 9000],
      ["RedisDown", "redis", 9121],
      ["MessagingSlowConsumers", "nats", 7777],
      ["KafkaConsumerLagHigh", "kafka", 8080],
      ["VectorSearchSlow", "milvus", 9091],
      ["SearchClusterRed", "elasticsearch", 9114],
    ] as const) {
      it(`${store} (${alert}): its pods are annotated for its metrics on ${port} and admit Prometheus there`, () => {
        const pod = scrapedPods(r).find((p) => p.name === store);
        assert.ok(pod, `${store} is not annotated for scraping`);
        assert.deepStrictEqual([pod.annotations[SCRAPE_ANNOTATIONS.port], pod.annotations[SCRAPE_ANNOTATIONS.path]], [String(port), store === "minio" ? "/minio/v2/metrics/cluster" : "/metrics"]);
        assert.ok(admitsPrometheus(r, STORAGE, { "app.kubernetes.io/name": store }, port), `Prometheus is not admitted to ${store}:${port}`);
      });
    }

    it("the services' own metrics (error rate, latency, service down) come from annotated pods of the apps", () => {
      const apps = scrapedPods(r).map((p) => p.name);
      for (const s of ["gateway", "model-router"]) assert.ok(apps.includes(s), `${s} is scraped`);
    });
  });
}

describe("observability: kube-state-metrics", () => {
  let r: Rendered;
  let deployment: any;
  before(async () => {
    r = await renderOnce("dev");
    deployment = r.object("kubernetes:apps/v1:Deployment", "kube-state-metrics", MONITORING).inputs;
  });

  const arg = (name: string) => {
    const found = deployment.spec.template.spec.containers[0].args.find((a: string) => a.startsWith(`--${name}=`));
    assert.ok(found, `--${name}`);
    return found.slice(name.length + 3).split(",");
  };

  it("runs the pinned image and watches only the platform namespaces this stack creates", () => {
    assert.strictEqual(deployment.spec.template.spec.containers[0].image, IMAGES.kubeStateMetrics);
    assert.deepStrictEqual(arg("namespaces").sort(), platformNamespaces(r));
  });

  it("may list and watch exactly the kinds it exports, only in those namespaces (RoleBindings, no cluster-wide binding)", () => {
    const role = r.ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole").find((x) => x.inputs.metadata.name === `${MONITORING}-kube-state-metrics`)!.inputs;
    const granted = role.rules.flatMap((x: any) => x.resources);
    assert.deepStrictEqual([...granted].sort(), [...arg("resources")].sort());
    for (const x of role.rules) assert.deepStrictEqual([...x.verbs].sort(), ["list", "watch"]);
    const bindings = r.ofType("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding").filter((b) => b.inputs.roleRef.name === role.metadata.name);
    assert.deepStrictEqual(bindings.map((b) => b.inputs.metadata.namespace).sort(), platformNamespaces(r));
    for (const b of bindings) assert.deepStrictEqual(b.inputs.subjects, [{ kind: "ServiceAccount", name: "kube-state-metrics", namespace: MONITORING }]);
    assert.ok(!r.ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding").some((b) => b.inputs.roleRef.name === role.metadata.name));
  });

  it("exports what FrequentRestarts reads (pods) and probes its own health endpoints", () => {
    assert.ok(arg("resources").includes("pods"));
    const c = deployment.spec.template.spec.containers[0];
    assert.strictEqual(c.readinessProbe.httpGet.path, "/readyz");
    assert.strictEqual(c.livenessProbe.httpGet.path, "/livez");
  });

  it("is deployed wherever Prometheus is (monitoring-only too), sized by the tables", async () => {
    const monitoring = await renderOnce("dev", { deployMode: "monitoring-only" });
    assert.ok(monitoring.config.services.includes("kube-state-metrics"));
    const { cpu, memory } = deployment.spec.template.spec.containers[0].resources.limits;
    assert.deepStrictEqual({ cpu, memory }, r.config.sizes["kube-state-metrics"].resources.limits);
  });
});

describe("observability: cert-manager's certificate metrics (CertificateExpiringSoon, CertificateNotReady)", () => {
  it("the controller is annotated for the exporters job, and Prometheus looks for it in its namespace", async () => {
    const r = await renderOnce("dev");
    const cm = r.ofType("kubernetes-cert-manager:index:CertManager")[0].inputs;
    assert.strictEqual(cm.prometheus.enabled, true, "the chart annotates the controller's pods for scraping");
    assert.strictEqual(cm.podAnnotations[SCRAPE_ANNOTATIONS.honorLabels], "true", "scraped by the job that keeps the certificates' namespace");
    const job = configFile(r, "prometheus-config", "prometheus.yml").scrape_configs.find((j: any) => j.job_name === "kubernetes-exporters");
    assert.ok(job.kubernetes_sd_configs[0].namespaces.names.includes(cm.helmOptions.namespace));
  });
});
