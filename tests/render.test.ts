/**
 * The offline render (`npm run render`): the command writes every object of a stack, lists the charts
 * it cannot expand, writes no real credential, and writes the same bytes every time.
 */
import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { PLACEHOLDER_VALUES, RANDOM_VALUES } from "../tools/render/generated-values";
import { CLUSTER_SCOPED_DIR } from "../tools/render/manifests";
import { SUMMARY_FILE, UsageError, configSecretPlaceholder, parseRenderArgs, renderStack } from "../tools/render/render";
import { loadConfig } from "../components/config/schema";
import { stackSettings as readStackSettings } from "../tools/render/stack-files";
import { ROOT, Rendered, render } from "./harness";

const STACK = "dev";

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string, prefix = ""): string[] {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(dir, path.join(prefix, e.name)) : [path.join(prefix, e.name)]))
    .sort();
}

/** Values in a Secret that look generated: mixed-case alphanumerics with digits, or hex, 16+ characters, not all zero. */
function highEntropyValues(secret: any): string[] {
  const values = [...Object.values<string>(secret.stringData ?? {}), ...Object.values<string>(secret.data ?? {}).map((v) => Buffer.from(v, "base64").toString("utf8"))];
  return values
    .flatMap((v) => String(v).match(/[A-Za-z0-9+/_=-]{16,}/g) ?? [])
    .filter((t) => (/[A-Z]/.test(t) && /[a-z]/.test(t) && /[0-9]/.test(t)) || (/^[0-9a-f]{16,}$/.test(t) && /[1-9a-f]/.test(t)));
}

interface CommandRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command in its own process and collects what it printed, without blocking this one. */
function runCommand(command: string, args: string[]): Promise<CommandRun> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", (e) => (stderr += String(e)));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const cliTmp = fs.mkdtempSync(path.join(os.tmpdir(), "voicehelper-render-"));
const cliOut = path.join(cliTmp, "cli");
let cliRun: Promise<CommandRun> | undefined;
// Root hooks: the command starts before the run's first test and works in its own process (on the
// other core) while the other files' tests run; its own tests wait for it. Its output is removed at
// the end of the run, also when a --grep left none of its tests to run.
before(() => {
  cliRun = runCommand("npm", ["run", "--silent", "render", "--", "--stack", STACK, "--out", cliOut]);
});
after(async () => {
  await cliRun;
  fs.rmSync(cliTmp, { recursive: true, force: true });
});

describe("offline render (npm run render)", function () {
  const out = cliOut;
  let command: CommandRun;
  let expected: Rendered;
  let files: string[];
  const read = (file: string) => parse(fs.readFileSync(path.join(out, STACK, file), "utf8"));

  before(async () => {
    command = await cliRun!;
    expected = await render(STACK);
    files = fs.existsSync(path.join(out, STACK)) ? filesUnder(path.join(out, STACK)) : [];
  });

  it("runs without the Pulumi CLI, a cluster or the network and says where it wrote what", () => {
    assert.equal(command.status, 0, `${command.stderr}`);
    assert.match(String(command.stdout), new RegExp(`^${STACK}: ${expected.kubernetes().length} objects .* written to ${out}/${STACK}`, "m"));
    assert.match(String(command.stdout), /^secrets: placeholders only$/m);
  });

  it("writes every Kubernetes object the stack deploys, one file each, named by namespace, kind and name", () => {
    const want = expected
      .kubernetes()
      .map((r) => `${r.inputs.metadata.namespace ?? CLUSTER_SCOPED_DIR}/${r.inputs.kind.toLowerCase()}-${r.inputs.metadata.name}.yaml`)
      .sort();
    assert.deepEqual(
      files.filter((f) => f !== SUMMARY_FILE),
      want,
    );
    for (const file of want) {
      const m = read(file);
      const fromPath = file.replace(/\.yaml$/, "").split("/");
      assert.equal(`${m.kind.toLowerCase()}-${m.metadata.name}`, fromPath[1], file);
      assert.equal(m.metadata.namespace ?? CLUSTER_SCOPED_DIR, fromPath[0], file);
      assert.ok(m.apiVersion, `${file} has an apiVersion`);
    }
  });

  it("writes the objects as the program declares them (a Deployment's whole spec)", () => {
    const gateway = expected.object("kubernetes:apps/v1:Deployment", "gateway");
    assert.deepEqual(read(`${gateway.inputs.metadata.namespace}/deployment-gateway.yaml`).spec, gateway.inputs.spec);
  });

  it('writes YAML that reads the same under YAML 1.1 (kubectl) as under 1.2: MinIO\'s "off" stays a string', () => {
    for (const file of files.filter((f) => f.endsWith(".yaml"))) {
      const text = fs.readFileSync(path.join(out, STACK, file), "utf8");
      assert.deepEqual(parse(text, { version: "1.1" }), parse(text), file);
    }
    const minio = read("voicehelper-storage/statefulset-minio.yaml").spec.template.spec.containers.find((c: any) => c.name === "minio");
    assert.equal(minio.env.find((e: any) => e.name === "MINIO_BROWSER_REDIRECT").value, "off");
  });

  it("keeps only cluster-scoped kinds out of the namespaces", () => {
    const kinds = new Set(files.filter((f) => f.startsWith(`${CLUSTER_SCOPED_DIR}/`)).map((f) => read(f).kind));
    assert.deepEqual([...kinds].sort(), ["ClusterIssuer", "ClusterRole", "ClusterRoleBinding", "Namespace", "PriorityClass"]);
  });

  it("lists every chart it cannot render offline, with its version and repository", () => {
    const summary = fs.readFileSync(path.join(out, STACK, SUMMARY_FILE), "utf8");
    const charts = expected.resources.filter((r) => r.type.startsWith("kubernetes:helm.sh/") || r.type === "kubernetes-cert-manager:index:CertManager");
    assert.ok(charts.length >= 2, "the dev stack installs charts");
    for (const c of charts) {
      const row = summary.split("\n").find((l) => l.startsWith(`| ${c.type} \`${c.name}\``));
      assert.ok(row, `${c.name} is listed as not rendered`);
      if (c.inputs.chart) assert.ok(row.includes(`| ${c.inputs.chart} | ${c.inputs.version} | ${c.inputs.repositoryOpts.repo} |`), row);
    }
    assert.match(summary, /pinned by @pulumi\/kubernetes-cert-manager \d+\.\d+\.\d+/);
  });

  it("writes no real credential: generated values and config secrets are placeholders", () => {
    const secrets = files.filter((f) => /\/secret-[^/]+\.yaml$/.test(f)).map(read);
    assert.ok(secrets.length > 10);
    assert.deepEqual(
      secrets.flatMap((s) => highEntropyValues(s).map((v) => `${s.metadata.namespace}/${s.metadata.name}: ${v}`)),
      [],
    );
    // The check is not blind: the tests' own render, with realistic generated values, is caught by it.
    const realistic = expected.ofType("kubernetes:core/v1:Secret").filter((s) => highEntropyValues(s.inputs).length > 0);
    assert.ok(realistic.length > 10, `only ${realistic.length} Secrets with generated values caught`);
    for (const file of ["voicehelper/secret-llm-provider-keys.yaml", "voicehelper/secret-posthog-cloud.yaml"]) {
      for (const value of Object.values<string>(read(file).stringData)) assert.match(value, /placeholder/, file);
    }
  });

  it("renders every stack of the repository, feeding placeholders for the keys its backup stores need", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "render-stacks-"));
    try {
      for (const stack of ["staging", "prod"]) {
        const result = await renderStack({ stack, out: tmp, secrets: "placeholder", config: {} });
        const target = fs.readFileSync(path.join(result.directory, "voicehelper", "secret-backup-target.yaml"), "utf8");
        assert.match(target, /placeholder-not-a-secret-backupTargetAccessKey/, `${stack}: the backup target's key`);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("writes the same bytes on every run, replacing the earlier render (stale files too)", async () => {
    const first = new Map(files.map((f) => [f, fs.readFileSync(path.join(out, STACK, f), "utf8")]));
    fs.writeFileSync(path.join(out, STACK, "voicehelper", "deployment-removed-since.yaml"), "kind: Deployment\n");
    await renderStack({ stack: STACK, out, secrets: "placeholder", config: {} });
    assert.deepEqual(filesUnder(path.join(out, STACK)), files);
    for (const [file, text] of first) assert.equal(fs.readFileSync(path.join(out, STACK, file), "utf8"), text, file);
  });

  it("never replaces a directory it did not write", async () => {
    const foreign = path.join(cliTmp, "foreign");
    fs.mkdirSync(path.join(foreign, STACK), { recursive: true });
    fs.writeFileSync(path.join(foreign, STACK, "notes.txt"), "mine");
    await assert.rejects(renderStack({ stack: STACK, out: foreign, secrets: "placeholder", config: {} }), /is not an offline render \(no RENDERED\.md\); choose another --out or remove it/);
    assert.deepEqual(fs.readdirSync(foreign), [STACK]);
    assert.equal(fs.readFileSync(path.join(foreign, STACK, "notes.txt"), "utf8"), "mine");
  });
});

describe("offline render --secrets generate", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "voicehelper-render-generate-"));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("fills every generated credential with a fresh value, in files only their owner can read", async () => {
    await renderStack({ stack: STACK, out: tmp, secrets: "generate", config: {} });
    const dir = path.join(tmp, STACK);
    const files = filesUnder(dir);
    const secrets = files.filter((f) => /\/secret-[^/]+\.yaml$/.test(f));
    // Only the config secrets (ciphertext in a stack file) stay placeholders.
    const withPlaceholders = secrets.filter((f) => fs.readFileSync(path.join(dir, f), "utf8").includes("placeholder"));
    assert.deepEqual(withPlaceholders, ["voicehelper/secret-llm-provider-keys.yaml", "voicehelper/secret-posthog-cloud.yaml"]);
    const kafka = parse(fs.readFileSync(path.join(dir, "voicehelper/secret-kafka-auth.yaml"), "utf8"));
    assert.match(kafka.stringData.password, /^[A-Za-z0-9]{16,}$/);
    assert.notEqual(kafka.stringData["cluster-id"], "AAAAAAAAAAAAAAAAAAAAAA");
    assert.ok(highEntropyValues(kafka).length > 0);
    for (const f of files) assert.equal(fs.statSync(path.join(dir, f)).mode & 0o077, 0, `${f} is readable by others`);
    assert.equal(fs.statSync(dir).mode & 0o077, 0);
  });
});

describe("offline render: command line", () => {
  const stacks = ["dev", "prod", "render", "staging"];

  it("names the stacks when --stack is missing or unknown", () => {
    assert.throws(
      () => parseRenderArgs([], stacks),
      (e: Error) => e instanceof UsageError && /--stack is required; the stacks are dev, prod, render, staging/.test(e.message),
    );
    assert.throws(() => parseRenderArgs(["--stack", "qa"], stacks), /--stack "qa" is not a stack of this project; the stacks are dev, prod, render, staging/);
  });

  it("a stack file's encrypted alert webhook renders with a placeholder URL the config accepts", () => {
    const placeholders = Object.fromEntries(
      ["openaiApiKey", "anthropicApiKey", "posthogApiKey", "backupTargetAccessKey", "backupTargetSecretKey", "alertWebhookUrl"].map((k) => [k, configSecretPlaceholder(k)]),
    );
    const cfg = loadConfig("prod", readStackSettings("prod", placeholders));
    assert.equal(cfg.alerting.webhook?.port, 443);
    assert.match(configSecretPlaceholder("alertWebhookUrl"), /^https:\/\/[^/]+\.invalid\/placeholder-not-a-secret$/);
  });

  it("reads the stacks from the project's Pulumi.<stack>.yaml files", () => {
    assert.throws(() => parseRenderArgs(["--stack", "qa"]), /the stacks are dev, prod, render, staging/);
  });

  it("refuses unknown options and secrets modes, naming the allowed ones", () => {
    assert.throws(() => parseRenderArgs(["--stack", "dev", "--output", "x"], stacks), /unknown option "--output"; the options are --stack, --out, --secrets, --config/);
    assert.throws(() => parseRenderArgs(["--stack", "dev", "--secrets", "real"], stacks), /--secrets "real" is not allowed; use placeholder or generate/);
    assert.throws(() => parseRenderArgs(["--stack"], stacks), /--stack needs a value/);
  });

  it("defaults to ./rendered with placeholder secrets, and accepts --flag=value", () => {
    assert.deepEqual(parseRenderArgs(["--stack", "dev"], stacks), { stack: "dev", out: "rendered", secrets: "placeholder", config: {} });
    assert.deepEqual(parseRenderArgs(["--stack=prod", "--out=/tmp/x", "--secrets=generate"], stacks), { stack: "prod", out: "/tmp/x", secrets: "generate", config: {} });
  });

  it("takes settings over the stack file's with --config, as pulumi config set would, but no config secret", () => {
    const o = parseRenderArgs(["--stack", "dev", "--config", "externalCharts=false", '--config=voicehelper:tls={"issuer":"none"}'], stacks);
    assert.deepEqual(o.config, { externalCharts: "false", tls: '{"issuer":"none"}' });
    assert.throws(() => parseRenderArgs(["--stack", "dev", "--config", "externalCharts"], stacks), /--config "externalCharts" is not <key>=<value>/);
    assert.throws(() => parseRenderArgs(["--stack", "dev", "--config", "openaiApiKey=sk-x"], stacks), /--config openaiApiKey: config secrets are not taken on the command line/);
  });
});

describe("offline render: generated values", () => {
  const kitPassword = { length: 32, special: false, minLower: 2, minUpper: 2, minNumeric: 2 };

  it("placeholders say what they are: passwords name their resource, keys are zero bytes", () => {
    assert.equal(PLACEHOLDER_VALUES.password("redis-auth-password", kitPassword), "placeholder-not-a-secret-redis-auth-password");
    assert.deepEqual(PLACEHOLDER_VALUES.id("kafka-cluster-id", 16), Buffer.alloc(16));
  });

  it("--secrets generate makes fresh passwords of the requested length and character classes", () => {
    const a = RANDOM_VALUES.password("p", kitPassword);
    const b = RANDOM_VALUES.password("p", kitPassword);
    assert.notEqual(a, b);
    for (const p of [a, b]) {
      assert.match(p, /^[A-Za-z0-9]{32}$/);
      for (const cls of [/[a-z]/g, /[A-Z]/g, /[0-9]/g]) assert.ok((p.match(cls) ?? []).length >= 2, p);
    }
    assert.equal(RANDOM_VALUES.id("k", 16).length, 16);
    assert.notDeepEqual(RANDOM_VALUES.id("k", 16), RANDOM_VALUES.id("k", 16));
  });

  it("--secrets generate refuses a password shape it would only approximate", () => {
    assert.throws(() => RANDOM_VALUES.password("admin", { length: 16 }), /RandomPassword admin: the offline render generates passwords without special characters only/);
    assert.throws(() => RANDOM_VALUES.password("tiny", { ...kitPassword, length: 4 }), /RandomPassword tiny: cannot generate length 4/);
  });
});
