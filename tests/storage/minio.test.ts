import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { IMAGES } from "../../components/config/images";
import { mcAliases } from "../../components/services/minio/object-store";
import { JOB, STORAGE_NS, STS, assertFromGeneratedSecret, assertProtection, claimSize, envOf, mainContainer, podHostsOf, stacks } from "./helpers";

/** Expands MinIO's "{a...b}" ellipsis the way `minio server` does. */
function expandEllipsis(arg: string): string[] {
  const m = /^(.*)\{(\d+)\.\.\.(\d+)\}(.*)$/.exec(arg);
  if (!m) return [arg];
  const out: string[] = [];
  for (let i = Number(m[2]); i <= Number(m[3]); i++) out.push(`${m[1]}${i}${m[4]}`);
  return out;
}

describe("storage: MinIO", () => {
  const s = stacks("dev", "prod");

  it("runs one standalone node on its own drive in dev", () => {
    const sts = s.dev.object(STS, "minio", STORAGE_NS);
    assert.strictEqual(sts.inputs.spec.replicas, 1);
    assert.strictEqual(claimSize(sts), s.dev.config.sizes.minio.storage);
    const c = mainContainer(sts);
    assert.strictEqual(c.image, IMAGES.minio);
    // The pinned image is Silo, MinIO's maintained fork: its executable is `silo`, there is no `minio`.
    assert.deepStrictEqual(c.command, ["silo"]);
    assert.deepStrictEqual(c.args.slice(0, 2), ["server", "/data"]);
    assert.ok(c.volumeMounts.some((m: any) => m.name === "data" && m.mountPath === "/data"));
  });

  it("runs distributed in prod: every pod started in parallel, the pool naming exactly the StatefulSet's pods", () => {
    const sts = s.prod.object(STS, "minio", STORAGE_NS);
    assert.strictEqual(sts.inputs.spec.replicas, 4);
    assert.strictEqual(sts.inputs.spec.podManagementPolicy, "Parallel");
    assert.strictEqual(claimSize(sts), s.prod.config.sizes.minio.storage);
    const pool = mainContainer(sts).args[1];
    const urls = expandEllipsis(pool);
    assert.deepStrictEqual(
      urls,
      podHostsOf(sts).map((h) => `http://${h}/data`),
    );
  });

  it("serves the S3 API and the console, with MinIO's health probes", () => {
    const c = mainContainer(s.prod.object(STS, "minio", STORAGE_NS));
    const ports = Object.fromEntries(c.ports.map((p: any) => [p.name, p.containerPort]));
    assert.deepStrictEqual(ports, { api: 9000, console: 9001 });
    assert.strictEqual(c.livenessProbe.httpGet.path, "/minio/health/live");
    assert.strictEqual(c.readinessProbe.httpGet.path, "/minio/health/ready");
    assert.strictEqual(c.readinessProbe.httpGet.port, "api");
  });

  it("takes its root user and password from a generated Secret", () => {
    for (const out of [s.dev, s.prod]) {
      const c = mainContainer(out.object(STS, "minio", STORAGE_NS));
      const user = assertFromGeneratedSecret(out, STORAGE_NS, c, "MINIO_ROOT_USER");
      const pass = assertFromGeneratedSecret(out, STORAGE_NS, c, "MINIO_ROOT_PASSWORD");
      assert.notStrictEqual(user, "minioadmin");
      assert.ok(pass.length >= 32);
    }
  });

  it("creates the platform's buckets with mc, authenticated with the same Secret", () => {
    const job = s.prod.object(JOB, "minio-buckets", STORAGE_NS);
    const c = mainContainer(job);
    assert.strictEqual(c.image, IMAGES.minioClient);
    // prod runs PostHog self-hosted: its session-replay bucket exists too (dev, PostHog cloud: it does not).
    assert.deepStrictEqual(envOf(c, "BUCKETS").value.split(" ").sort(), ["backups", "documents", "milvus-bucket", "multimodal", "posthog"]);
    assert.ok(
      !envOf(mainContainer(s.dev.object(JOB, "minio-buckets", STORAGE_NS)), "BUCKETS")
        .value.split(" ")
        .includes("posthog"),
    );
    assert.match(c.command.join(" "), /mc mb --ignore-existing/);
    assert.ok(c.command.join(" ").includes(mcAliases([{ alias: "platform", prefix: "MINIO_ROOT" }])), "mc's alias from the root credentials, written to its config file");
    const server = mainContainer(s.prod.object(STS, "minio", STORAGE_NS));
    assert.deepStrictEqual(envOf(c, "MINIO_ROOT_ACCESS_KEY").valueFrom, envOf(server, "MINIO_ROOT_USER").valueFrom);
    assert.deepStrictEqual(envOf(c, "MINIO_ROOT_SECRET_KEY").valueFrom, envOf(server, "MINIO_ROOT_PASSWORD").valueFrom);
    assert.strictEqual(envOf(c, "MINIO_ROOT_URL").value, `http://minio.${STORAGE_NS}.svc.cluster.local:9000`);
  });

  it("gives each client its own generated user, limited by policy to the buckets it uses", () => {
    const c = mainContainer(s.prod.object(JOB, "minio-buckets", STORAGE_NS));
    assert.deepStrictEqual(envOf(c, "CLIENTS").value.split(" "), ["APPS", "MILVUS", "BACKUP", "POSTHOG"]);
    assert.match(c.command.join(" "), /mc admin user add/);
    assert.match(c.command.join(" "), /mc admin policy attach/);
    const bucketsOf = (client: string, action: string) =>
      JSON.parse(envOf(c, `CLIENT_${client}_POLICY`).value)
        .Statement.filter((st: any) => st.Action.includes(action))
        .flatMap((st: any) => st.Resource.map((r: string) => r.replace(/^arn:aws:s3:::/, "").replace(/\/\*$/, "")))
        .sort();
    assert.deepStrictEqual(bucketsOf("APPS", "s3:PutObject"), ["documents", "multimodal"]);
    assert.deepStrictEqual(bucketsOf("MILVUS", "s3:PutObject"), ["milvus-bucket"]);
    assert.deepStrictEqual(bucketsOf("BACKUP", "s3:PutObject"), ["backups"]);
    assert.deepStrictEqual(bucketsOf("POSTHOG", "s3:PutObject"), ["posthog"]);
    assert.deepStrictEqual(bucketsOf("POSTHOG", "s3:GetObject"), ["posthog"]);
    assert.deepStrictEqual(bucketsOf("BACKUP", "s3:GetObject"), ["backups", "documents", "milvus-bucket", "multimodal", "posthog"]);
    const root = assertFromGeneratedSecret(s.prod, STORAGE_NS, c, "MINIO_ROOT_ACCESS_KEY");
    const keys = ["APPS", "MILVUS", "BACKUP", "POSTHOG"].map((client) => assertFromGeneratedSecret(s.prod, STORAGE_NS, c, `CLIENT_${client}_ACCESS_KEY`));
    assert.strictEqual(new Set([root, ...keys]).size, 5, "every client has its own key, none is root");
  });

  it("protects its data in prod and not in dev", () => {
    assertProtection(s.prod.object(STS, "minio", STORAGE_NS), true);
    assertProtection(s.dev.object(STS, "minio", STORAGE_NS), false);
  });
});

describe("mc's aliases (object-store clients)", () => {
  it("are written to mc's config file, readable by its owner only, with keys JSON-escaped, from the clients' env", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-"));
    const env = {
      PATH: process.env.PATH,
      MC_CONFIG_DIR: path.join(dir, "mc"),
      SOURCE_URL: "http://minio.voicehelper-storage.svc.cluster.local:9000",
      SOURCE_ACCESS_KEY: "test-access",
      SOURCE_SECRET_KEY: 'test-"quoted"\\back/slash+plus',
      TARGET_URL: "https://s3.example.com",
      TARGET_ACCESS_KEY: "test-target-access",
      TARGET_SECRET_KEY: "test-target-secret",
    };
    execFileSync(
      "sh",
      [
        "-c",
        mcAliases([
          { alias: "source", prefix: "SOURCE" },
          { alias: "target", prefix: "TARGET" },
        ]),
      ],
      { env },
    );
    const file = path.join(dir, "mc", "config.json");
    assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600);
    const config = JSON.parse(fs.readFileSync(file, "utf8"));
    assert.strictEqual(config.version, "10");
    assert.deepStrictEqual(config.aliases.source, { url: env.SOURCE_URL, accessKey: env.SOURCE_ACCESS_KEY, secretKey: env.SOURCE_SECRET_KEY, api: "S3v4", path: "auto" });
    assert.deepStrictEqual(Object.keys(config.aliases), ["source", "target"]);
    assert.strictEqual(config.aliases.target.secretKey, env.TARGET_SECRET_KEY);
  });
});
