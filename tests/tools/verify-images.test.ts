/**
 * `npm run verify:images` against registries on this machine only: crane's own registry on 127.0.0.1
 * (started here, stopped after; it also stops by itself after five minutes) and an in-process HTTP
 * server standing in for the chart repositories.
 */
import { strict as assert } from "assert";
import { ChildProcess, execFile, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { CHARTS, IMAGES } from "../../components/config/images";
import { loadConfig } from "../../components/config/schema";
import { askedReference } from "../../tools/images/resolve";
import { ROOT, stackSettings } from "../harness";

const crane = execFileSync("bash", [path.join(ROOT, "tools/images/build.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();

describe("npm run verify:images (against a loopback registry)", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "verify-images-"));
  let registry: ChildProcess;
  let registryHost = "";
  let charts: http.Server;
  let chartMirror = "";
  /** Chart versions the stand-in repositories list, per repository URL and chart. */
  const listed = new Map<string, { chart: string; version: string }[]>();

  before(async () => {
    registry = spawn("timeout", ["300", crane, "registry", "serve", "--address", "127.0.0.1:0"], { stdio: ["ignore", "ignore", "pipe"] });
    registryHost = await new Promise<string>((resolve, reject) => {
      let err = "";
      registry.stderr!.on("data", (d: Buffer) => {
        err += d.toString();
        const m = /serving on port (\d+)/.exec(err);
        if (m) resolve(`127.0.0.1:${m[1]}`);
      });
      registry.on("exit", (code) => reject(new Error(`the registry exited (${code}): ${err}`)));
    });
    charts = http.createServer((req, res) => {
      const repo = Object.values(CHARTS).find((c) => req.url === `/${c.repo.replace(/^https?:\/\//, "")}/index.yaml`)?.repo;
      if (!repo) return void res.writeHead(404).end();
      const entries: Record<string, { version: string; digest: string }[]> = {};
      for (const e of listed.get(repo) ?? []) (entries[e.chart] ??= []).push({ version: e.version, digest: "ab".repeat(32) });
      res.writeHead(200, { "content-type": "text/yaml" }).end(stringify({ apiVersion: "v1", entries }));
    });
    await new Promise<void>((resolve) => charts.listen(0, "127.0.0.1", resolve));
    chartMirror = `http://127.0.0.1:${(charts.address() as AddressInfo).port}`;
    fs.writeFileSync(path.join(work, "hello.txt"), "a layer\n");
    execFileSync("tar", ["-cf", path.join(work, "layer.tar"), "-C", work, "hello.txt"]);
  });

  after(async () => {
    registry?.kill();
    await new Promise((resolve) => charts?.close(resolve));
    fs.rmSync(work, { recursive: true, force: true });
  });

  const push = (reference: string) => execFileSync(crane, ["append", "--insecure", "-f", path.join(work, "layer.tar"), "-t", askedReference(reference, registryHost)], { stdio: "pipe" });
  const list = (key: keyof typeof CHARTS, version: string) => {
    const c = CHARTS[key];
    listed.set(c.repo, [...(listed.get(c.repo) ?? []).filter((e) => e.chart !== c.chart), { chart: c.chart, version }]);
  };
  // Asynchronous: the chart server runs in this process and must keep answering while the command runs.
  const verify = (...extra: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const args = ["ts-node", "--transpile-only", "tools/images/main.ts", "--registry-mirror", registryHost, "--chart-mirror", chartMirror, "--insecure", ...extra];
      const child = execFile("npx", args, { cwd: ROOT, encoding: "utf8", timeout: 180_000 }, (_err, stdout, stderr) => resolve({ status: child.exitCode, stdout, stderr }));
    });

  it("fails naming each image and chart version the registries do not serve, and resolves the rest to their digests", async () => {
    for (const [key, ref] of Object.entries(IMAGES)) if (key !== "posthogCapture") push(ref);
    for (const key of Object.keys(CHARTS) as (keyof typeof CHARTS)[]) list(key, key === "ztunnel" ? "0.0.1" : CHARTS[key].version);
    const run = await verify();
    assert.strictEqual(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, new RegExp(`^missing image posthogCapture ${registryHost}/posthog/posthog/capture:`, "m"));
    assert.match(run.stdout, new RegExp(`^missing chart ztunnel .* lists no ztunnel ${CHARTS.ztunnel.version.replace(/\./g, "\\.")}$`, "m"));
    const served = execFileSync(crane, ["digest", "--insecure", askedReference(IMAGES.redis, registryHost)], { encoding: "utf8" }).trim();
    assert.ok(run.stdout.includes(`ok image redis ${askedReference(IMAGES.redis, registryHost)}@${served}\n`), run.stdout);
    assert.match(run.stdout, new RegExp(`^${Object.keys(IMAGES).length + Object.keys(CHARTS).length - 2} resolved, 2 missing$`, "m"));
  });

  it("passes once everything is served, and writes a voicehelper:imageDigests setting the program accepts", async () => {
    push(IMAGES.posthogCapture);
    list("ztunnel", CHARTS.ztunnel.version);
    const out = path.join(work, "digests.yaml");
    const run = await verify("--write-digests", out);
    assert.strictEqual(run.status, 0, run.stdout + run.stderr);
    const setting = parse(fs.readFileSync(out, "utf8")).config["voicehelper:imageDigests"];
    assert.deepStrictEqual(Object.keys(setting).sort(), Object.keys(IMAGES).sort());
    const cfg = loadConfig("dev", stackSettings("dev", { imageDigests: setting }));
    assert.deepStrictEqual(cfg.imageDigests, setting);
  });
});
