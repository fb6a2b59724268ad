import * as assert from "assert";
import { container, cronJob, deployment, mutate, podSpec, statefulSet } from "./fixtures";
import { check, UNKNOWN } from "./util";

const RULE = "resource-limits";
const messages = async (...args: Parameters<typeof check>) => (await check(...args)).map((v) => v.message);

describe("policy: resource-limits", () => {
  it("passes containers with all four values and requests <= limits", async () => {
    assert.deepStrictEqual(await messages(RULE, [deployment(), statefulSet(), cronJob()]), []);
  });

  it("rejects each missing value, in containers and init containers", async () => {
    const init = container("init", { resources: { limits: { cpu: "100m", memory: "64Mi" } } });
    const d = deployment("api", { spec: podSpec([container("app", { resources: { requests: { memory: "64Mi" } } })], { initContainers: [init] }) });
    assert.deepStrictEqual(await messages(RULE, d), [
      'Deployment/apps/api: init container "init" has no cpu request, memory request',
      'Deployment/apps/api: container "app" has no cpu request, cpu limit, memory limit',
    ]);
  });

  it("rejects requests above limits and limits above the ceilings, which config can raise per container", async () => {
    const big = container("big", { resources: { requests: { cpu: "2", memory: "1Gi" }, limits: { cpu: "32", memory: "1000Mi" } } });
    const d = statefulSet("es", { spec: podSpec([big]) });
    assert.deepStrictEqual(await messages(RULE, d), [
      'StatefulSet/apps/es: container "big" requests more memory than its limit',
      'StatefulSet/apps/es: container "big" has a cpu limit of 32 cores, above the ceiling of 16',
    ]);
    const cfg = { [RULE]: { ceilingOverrides: [{ resource: "StatefulSet/apps/es", container: "big", maxCpuLimit: "32" }] } };
    assert.deepStrictEqual(await messages(RULE, d, cfg), ['StatefulSet/apps/es: container "big" requests more memory than its limit']);
    assert.deepStrictEqual((await messages(RULE, d, { [RULE]: { maxCpuLimit: "8", maxMemoryLimit: "512Mi" } })).length, 3);
  });

  it("rejects JVM heaps that are not below the memory limit (ES, Kafka, Nacos, Neo4j)", async () => {
    const mem = (limit: string) => ({ requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: limit } });
    const d = statefulSet("jvm", {
      spec: podSpec([
        container("es", { image: "docker.elastic.co/elasticsearch/elasticsearch:8.19.4", resources: mem("2Gi"), env: [{ name: "ES_JAVA_OPTS", value: "-Xms2g -Xmx2g" }] }),
        container("kafka", { image: "apache/kafka:4.1.0", resources: mem("1Gi") }),
        container("nacos", { image: "nacos/nacos-server:v3.1.0", resources: mem("1Gi"), env: [{ name: "JVM_XMX", value: "1g" }] }),
        container("neo4j", {
          image: "neo4j:2026.01",
          resources: mem("2Gi"),
          env: [
            { name: "NEO4J_server_memory_heap_max__size", value: "1g" },
            { name: "NEO4J_server_memory_pagecache_size", value: "1g" },
          ],
        }),
        container("ok", { image: "apache/kafka:4.1.0", resources: mem("2Gi"), env: [{ name: "KAFKA_HEAP_OPTS", value: "-Xmx1G -Xms1G" }] }),
      ]),
    });
    assert.deepStrictEqual(await messages(RULE, d), [
      'StatefulSet/apps/jvm: container "es" reserves heap 2Gi (-Xmx in ES_JAVA_OPTS), not below its memory limit of 2Gi',
      'StatefulSet/apps/jvm: container "kafka" reserves heap 1Gi (Kafka\'s default heap (-Xmx1G, KAFKA_HEAP_OPTS unset)), not below its memory limit of 1Gi',
      'StatefulSet/apps/jvm: container "nacos" reserves heap 1Gi (JVM_XMX), not below its memory limit of 1Gi',
      'StatefulSet/apps/jvm: container "neo4j" reserves heap 1Gi (NEO4J_server_memory_heap_max__size) + page cache 1Gi, not below its memory limit of 2Gi',
    ]);
  });

  it("rejects a Redis maxmemory that is not below the memory limit", async () => {
    const redis = container("redis", {
      image: "redis:8.2-alpine",
      args: ["--requirepass", "$(REDIS_PASSWORD)", "--maxmemory", "2gb"],
      resources: { requests: { cpu: "100m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } },
    });
    assert.deepStrictEqual(await messages(RULE, statefulSet("redis", { spec: podSpec([redis]) })), [
      'StatefulSet/apps/redis: container "redis" sets Redis maxmemory 2Gi, not below its memory limit of 2Gi',
    ]);
  });

  it("treats values unknown during preview as set", async () => {
    const d = mutate(deployment(), (p) => (p.spec.template.spec.containers[0].resources.limits.memory = UNKNOWN));
    assert.deepStrictEqual(await messages(RULE, d), []);
  });

  describe("CloudNativePG custom resources", () => {
    const cluster = (spec: Record<string, any>) => ({
      type: "kubernetes:postgresql.cnpg.io/v1:Cluster",
      name: "pg",
      props: { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name: "pg", namespace: "storage" }, spec: { instances: 3, ...spec } },
    });
    const pooler = (spec: Record<string, any>) => ({
      type: "kubernetes:apiextensions.k8s.io:CustomResource",
      name: "pg-pooler",
      props: { apiVersion: "postgresql.cnpg.io/v1", kind: "Pooler", metadata: { name: "pg-pooler-rw", namespace: "storage" }, spec: { cluster: { name: "pg" }, instances: 2, type: "rw", ...spec } },
    });
    const res = { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } };

    it("passes a Cluster with resources and a Pooler whose pgbouncer container has them", async () => {
      const tmpl = { spec: { containers: [{ name: "pgbouncer", resources: res }] } };
      assert.deepStrictEqual(await messages(RULE, [cluster({ resources: res, postgresql: { parameters: { shared_buffers: "512MB" } } }), pooler({ template: tmpl })]), []);
    });
    it("rejects a Cluster without resources or with shared_buffers at the limit", async () => {
      assert.deepStrictEqual(await messages(RULE, cluster({})), ["Cluster/storage/pg: spec.resources (each PostgreSQL instance) has no cpu request, memory request, cpu limit, memory limit"]);
      assert.deepStrictEqual(await messages(RULE, cluster({ resources: res, postgresql: { parameters: { shared_buffers: "2GB" } } })), [
        "Cluster/storage/pg: spec.resources (each PostgreSQL instance) sets shared_buffers 2Gi, not below the memory limit of 2Gi",
      ]);
    });
    it("rejects a Pooler without a template or without pgbouncer resources", async () => {
      assert.deepStrictEqual(await messages(RULE, pooler({})), ["Pooler/storage/pg-pooler-rw: the Pooler has no spec.template with resources for its pgbouncer container"]);
      const tmpl = { spec: { containers: [{ name: "pgbouncer" }] } };
      assert.deepStrictEqual(await messages(RULE, pooler({ template: tmpl })), ['Pooler/storage/pg-pooler-rw: container "pgbouncer" has no cpu request, memory request, cpu limit, memory limit']);
    });
  });
});
