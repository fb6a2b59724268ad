import * as assert from "assert";
import { Rendered } from "../harness";
import { fluentdIndex, jaegerIndices, matches } from "../storage/elasticsearch-indices";
import { MONITORING, configFile, mainContainer, renderOnce } from "./helpers";

describe("observability: Grafana", () => {
  let r: Rendered;
  before(async () => {
    r = await renderOnce("dev");
  });
  const env = (name: string) => {
    const e = mainContainer(r, "grafana").env.find((x: any) => x.name === name);
    assert.ok(e, `env ${name}`);
    return e;
  };

  for (const name of ["GF_SECURITY_ADMIN_PASSWORD", "GF_SECURITY_SECRET_KEY"]) {
    it(`${name} comes from a generated Secret, never a literal`, () => {
      const e = env(name);
      assert.strictEqual(e.value, undefined);
      const ref = e.valueFrom.secretKeyRef;
      const secret = r.object("kubernetes:core/v1:Secret", ref.name, MONITORING);
      const value = secret.inputs.stringData[ref.key];
      assert.ok(typeof value === "string" && value.length >= 32, "a long value");
      assert.ok(!["admin", "VoiceHelper2025!", "SW2YcwTIb9zpOOhoPsMm"].includes(value), "not a published default");
      const generator = r.ofType("random:index/randomPassword:RandomPassword").find((x) => x.name === `${ref.name}-${ref.key}`);
      assert.ok(generator, `a RandomPassword generates ${ref.key}`);
    });
  }

  it("has no anonymous access", () => {
    assert.strictEqual(env("GF_AUTH_ANONYMOUS_ENABLED").value, "false");
  });

  it("runs as UID 472", () => {
    assert.strictEqual(r.object("kubernetes:apps/v1:StatefulSet", "grafana", MONITORING).inputs.spec.template.spec.securityContext.runAsUser, 472);
  });

  it("its Prometheus datasource points at the Prometheus Service the program creates", () => {
    const svc = r.object("kubernetes:core/v1:Service", "prometheus", MONITORING).inputs;
    const port = svc.spec.ports.find((p: any) => p.name === "http").port;
    const ds = configFile(r, "grafana-provisioning", "datasources.yaml").datasources.find((d: any) => d.type === "prometheus");
    assert.strictEqual(ds.url, `http://${svc.metadata.name}.${svc.metadata.namespace}.svc.cluster.local:${port}`);
    assert.strictEqual(ds.isDefault, true);
  });

  it("provisions the datasources and the dashboards from the mounted paths", () => {
    const pod = r.object("kubernetes:apps/v1:StatefulSet", "grafana", MONITORING).inputs.spec.template.spec;
    const c = pod.containers[0];
    const provisioningDir = c.env.find((x: any) => x.name === "GF_PATHS_PROVISIONING").value;
    const vol = pod.volumes.find((v: any) => v.configMap?.name === "grafana-provisioning");
    assert.strictEqual(c.volumeMounts.find((m: any) => m.name === vol.name).mountPath, provisioningDir);
    assert.deepStrictEqual(vol.configMap.items.map((i: any) => i.path).sort(), ["dashboards/dashboards.yaml", "datasources/datasources.yaml"]);
    const provider = configFile(r, "grafana-provisioning", "dashboards.yaml").providers[0];
    const dashVol = pod.volumes.find((v: any) => v.configMap?.name === "grafana-dashboards");
    assert.strictEqual(c.volumeMounts.find((m: any) => m.name === dashVol.name).mountPath, provider.options.path);
  });

  it("the platform dashboard plots request rate, errors, p95 latency, restarts, CPU/memory against limits, free volume and database connections", () => {
    const dash = configFile(r, "grafana-dashboards", "platform.json");
    const exprs: string[] = dash.panels.map((p: any) => p.targets[0].expr);
    assert.ok(exprs.some((e) => /rate\(http_requests_total\[5m\]\)/.test(e) && !e.includes("5..")));
    assert.ok(exprs.some((e) => e.includes('code=~"5.."')));
    assert.ok(exprs.some((e) => e.startsWith("histogram_quantile(0.95")));
    assert.ok(exprs.some((e) => e.includes("kube_pod_container_status_restarts_total")));
    assert.ok(exprs.some((e) => e.includes("container_spec_cpu_quota")));
    assert.ok(exprs.some((e) => e.includes("container_spec_memory_limit_bytes")));
    assert.ok(exprs.some((e) => e.includes("kubelet_volume_stats_available_bytes")));
    assert.ok(exprs.some((e) => e.includes("cnpg_backends_total")));
    // Seed 003's plots: P50/P99 beside P95, network and disk I/O; seed 001's Model Router series.
    for (const q of ["0.5", "0.99"])
      assert.ok(
        exprs.some((e) => e.startsWith(`histogram_quantile(${q}, sum by (namespace, service, le)`)),
        `no p${Number(q) * 100} panel`,
      );
    assert.ok(
      exprs.some((e) => e.includes('service=~"bge-service|faiss-service|llm-proxy|speech-service|tts-service|model-router"')),
      "no AI services latency panel",
    );
    assert.ok(
      exprs.some((e) => e.includes('service="gateway"')),
      "no end-to-end latency panel",
    );
    for (const m of [
      "container_network_receive_bytes_total",
      "container_network_transmit_bytes_total",
      "container_fs_reads_bytes_total",
      "container_fs_writes_bytes_total",
      "model_router_ab_test_exposures_total",
      "posthog_events_sent_total",
      "rabbitmq_alarms_",
      "ClickHouseProfileEvents_FailedQuery",
      "minio_cluster_nodes_offline_total",
      "milvus_proxy_req_latency_bucket",
    ]) {
      assert.ok(
        exprs.some((e) => e.includes(m)),
        `no panel plots ${m}`,
      );
    }
    const ds = configFile(r, "grafana-provisioning", "datasources.yaml").datasources.find((d: any) => d.type === "prometheus");
    assert.ok(
      dash.panels.every((p: any) => p.datasource.uid === ds.uid),
      "every panel uses the provisioned datasource",
    );
  });
});

describe("observability: Grafana's log search", () => {
  let r: Rendered;
  before(async () => {
    r = await renderOnce("dev");
  });

  it("searches the indices Fluentd writes, logging in with a password taken from the environment", () => {
    const ds = configFile(r, "grafana-provisioning", "datasources.yaml").datasources.find((d: any) => d.type === "elasticsearch");
    assert.ok(ds, "an Elasticsearch datasource");
    assert.ok(matches(ds.jsonData.index, fluentdIndex(r)), `${ds.jsonData.index} covers ${fluentdIndex(r)}`);
    assert.ok(
      jaegerIndices(r).every((i) => !matches(ds.jsonData.index, i)),
      "logs only, not traces",
    );
    assert.strictEqual(ds.url, "http://elasticsearch.voicehelper-storage.svc.cluster.local:9200");
    assert.strictEqual(ds.basicAuth, true);
    const env = mainContainer(r, "grafana").env.find((e: any) => `$${e.name}` === ds.secureJsonData.basicAuthPassword);
    assert.ok(env?.valueFrom?.secretKeyRef, "the password is an env var from a Secret");
    // Its user and that user's read-only role: tests/storage/elasticsearch-users.test.ts, with every other client.
  });

  it("is admitted to Elasticsearch's HTTP port (a declared use)", () => {
    const policy = r.object("kubernetes:networking.k8s.io/v1:NetworkPolicy", "elasticsearch-from-grafana", "voicehelper-storage").inputs.spec;
    assert.deepStrictEqual(
      policy.ingress[0].ports.map((p: any) => p.port).filter((p: number) => p !== 15008),
      [9200],
    );
  });

  it("monitoring-only stacks (Fluentd ships there too) search logs as well", async () => {
    const monitoring = await renderOnce("dev", { deployMode: "monitoring-only" });
    assert.ok(monitoring.config.services.includes("fluentd"));
    const types = configFile(monitoring, "grafana-provisioning", "datasources.yaml").datasources.map((d: any) => d.type);
    assert.deepStrictEqual(types, ["prometheus", "jaeger", "elasticsearch"]);
  });
});
