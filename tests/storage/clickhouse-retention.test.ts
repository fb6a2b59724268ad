/**
 * Seed 004's ClickHouse promises (retention 90 days, compression on), read from the server
 * configuration file the pod mounts and from the schema Job's SQL.
 */
import * as assert from "assert";
import { IMAGES } from "../../components/config/images";
import { Rendered } from "../harness";
import { CONFIGMAP, JOB, STORAGE_NS, STS, assertFromGeneratedSecret, envOf, mainContainer, rendered, stacks } from "./helpers";

const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const POSTHOG_NS = "voicehelper-posthog";
const CONFIG_HASH = "voicehelper.io/config-hash";

/** The config.d file a ClickHouse StatefulSet mounts, found through its volume mount. */
function serverConfig(out: Rendered, name: string, namespace: string): string {
  const sts = out.object(STS, name, namespace);
  const mount = mainContainer(sts).volumeMounts.find((m: any) => m.mountPath.startsWith("/etc/clickhouse-server/config.d/"));
  const volume = sts.inputs.spec.template.spec.volumes.find((v: any) => v.name === mount.name);
  return out.object(CONFIGMAP, volume.configMap.name, namespace).inputs.data[mount.subPath];
}

/** The TTL set on one system log section, if any. */
function systemLogTtl(xml: string, log: string): string | undefined {
  const section = new RegExp(`<${log}>([\\s\\S]*?)</${log}>`).exec(xml)?.[1];
  return section && /<ttl>([^<]*)<\/ttl>/.exec(section)?.[1];
}

const schemaJob = (out: Rendered) => mainContainer(out.object(JOB, "clickhouse-schema", STORAGE_NS));
const hash = (out: Rendered) => out.object(STS, "clickhouse", STORAGE_NS).inputs.spec.template.metadata.annotations[CONFIG_HASH];

describe("storage: ClickHouse retention and compression", () => {
  const s = stacks("dev", "staging");

  it("expires the server's own system logs after the configured days", () => {
    const xml = serverConfig(s.dev, "clickhouse", STORAGE_NS);
    for (const log of ["query_log", "query_thread_log", "part_log", "trace_log", "text_log", "metric_log", "asynchronous_metric_log", "error_log"]) {
      assert.strictEqual(systemLogTtl(xml, log), `event_date + INTERVAL ${s.dev.config.retention.clickhouseDays} DAY DELETE`, log);
    }
    assert.strictEqual(s.dev.config.retention.clickhouseDays, 90);
    // Its stock <engine> spec would have to carry a TTL; a TTL beside it stops the server.
    assert.strictEqual(systemLogTtl(xml, "opentelemetry_span_log"), undefined);
  });

  it("compresses large parts with ZSTD (LZ4 stays for the rest)", () => {
    const xml = serverConfig(s.dev, "clickhouse", STORAGE_NS);
    const compression = /<compression>([\s\S]*?)<\/compression>/.exec(xml)?.[1];
    assert.ok(compression, "a <compression> section");
    const cases = [...compression.matchAll(/<case>([\s\S]*?)<\/case>/g)].map((m) => m[1]);
    assert.strictEqual(cases.length, 1);
    assert.match(cases[0], /<method>zstd<\/method>/);
    assert.ok(Number(/<min_part_size>(\d+)<\/min_part_size>/.exec(cases[0])?.[1]) > 0, "only parts above a size");
  });

  it("creates the analytics database and its events table with the TTL, and applies a changed TTL to an existing table", () => {
    const c = schemaJob(s.dev);
    assert.strictEqual(c.image, IMAGES.clickhouse);
    const sql: string = envOf(c, "SCHEMA_SQL").value;
    assert.match(sql, /CREATE DATABASE IF NOT EXISTS voicehelper;/);
    assert.match(sql, /CREATE TABLE IF NOT EXISTS voicehelper\.events[\s\S]*TTL event_date \+ INTERVAL 90 DAY DELETE/);
    assert.match(sql, /ALTER TABLE voicehelper\.events MODIFY TTL event_date \+ INTERVAL 90 DAY DELETE;/);
  });

  it("a changed retention rolls the server onto the new system-log TTL and replaces the schema Job", async () => {
    // ClickHouse alone, before and after: the two renders differ in the retention only.
    const before = await rendered("dev", { services: ["clickhouse"] });
    const changed = await rendered("dev", { services: ["clickhouse"], retention: { clickhouseDays: 30 } });
    assert.strictEqual(systemLogTtl(serverConfig(changed, "clickhouse", STORAGE_NS), "query_log"), "event_date + INTERVAL 30 DAY DELETE");
    assert.notStrictEqual(hash(changed), hash(before), "the pod template's config hash changes, so the pods restart with the new file");
    assert.match(envOf(schemaJob(changed), "SCHEMA_SQL").value, /MODIFY TTL event_date \+ INTERVAL 30 DAY DELETE/);
    // A Job's pod template is immutable: a different one makes Pulumi replace the Job, which runs again.
    assert.notDeepStrictEqual(changed.object(JOB, "clickhouse-schema", STORAGE_NS).inputs.spec.template, before.object(JOB, "clickhouse-schema", STORAGE_NS).inputs.spec.template);
  });

  it("logs the schema Job in with the generated user from a Secret, never on a command line, through ClickHouse's native port", () => {
    const c = schemaJob(s.dev);
    const password = assertFromGeneratedSecret(s.dev, STORAGE_NS, c, "CLICKHOUSE_PASSWORD");
    assert.ok(envOf(c, "CLICKHOUSE_USER").valueFrom.secretKeyRef);
    const script = [...c.command, ...(c.args ?? [])].join(" ");
    assert.ok(!script.includes(password));
    assert.doesNotMatch(script, /--password/);
    const admitted = s.dev.object(NETPOL, "clickhouse-from-clickhouse-schema", STORAGE_NS).inputs.spec;
    assert.deepStrictEqual(admitted.ingress[0].ports, [{ protocol: "TCP", port: 9000 }]);
  });

  it("leaves PostHog's ClickHouse to PostHog: no platform TTL, no compression change, no schema Job", () => {
    const xml = serverConfig(s.staging, "posthog-clickhouse", POSTHOG_NS);
    assert.match(xml, /<remote_servers>/, "this is PostHog's server configuration");
    assert.strictEqual(systemLogTtl(xml, "query_log"), undefined);
    assert.doesNotMatch(xml, /<compression>/);
    assert.strictEqual(s.staging.ofType(JOB).filter((j) => j.inputs.metadata.namespace === POSTHOG_NS && j.inputs.metadata.name === "clickhouse-schema").length, 0);
  });
});
