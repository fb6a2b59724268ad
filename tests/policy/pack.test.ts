import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { allPolicies, RULE_NAMES } from "../../policy/policies";
import { compliantStack, container, podSpec, statefulSet } from "./fixtures";
import { mandatory, runPolicies } from "./util";

const POLICY_DIR = path.join(__dirname, "..", "..", "policy");

describe("policy: the pack", () => {
  it("contains every rule once, in README order", () => {
    assert.deepStrictEqual(
      allPolicies.map((p) => p.name),
      [...RULE_NAMES],
    );
  });

  it("declares every rule mandatory, documented and configurable with exceptions", () => {
    for (const p of allPolicies) {
      assert.strictEqual(p.enforcementLevel, "mandatory", p.name);
      assert.ok(p.description.length > 20 && (p.remediationSteps ?? "").length > 20, p.name);
      assert.ok(p.configSchema?.properties.exceptions, `${p.name} accepts no exceptions`);
      assert.ok(!("enforcementLevel" in (p.configSchema?.properties ?? {})), `${p.name}: the server refuses enforcementLevel in configSchema`);
    }
  });

  it("documents every rule in the README table", () => {
    const readme = fs.readFileSync(path.join(POLICY_DIR, "README.md"), "utf8");
    for (const name of RULE_NAMES) {
      const row = readme.split("\n").find((l) => l.startsWith(`| \`${name}\` |`));
      assert.ok(row, `README has no row for ${name}`);
      assert.strictEqual(row.split(" | ").length, 6, `README row for ${name} needs 6 columns`);
      assert.match(row, /\| mandatory/, `README row for ${name} states no default level`);
    }
  });

  it("passes a compliant stack with no violation at all", async () => {
    assert.deepStrictEqual(await runPolicies(compliantStack()), []);
  });

  it("catches a deliberately broken variant of a real service (Redis)", async () => {
    const redis = (c: Record<string, any>) =>
      statefulSet("redis", {
        replicas: 1,
        spec: podSpec([
          container("redis", {
            image: "redis:8.2-alpine",
            ports: [{ name: "redis", containerPort: 6379 }],
            livenessProbe: { tcpSocket: { port: "redis" } },
            readinessProbe: { tcpSocket: { port: "redis" } },
            ...c,
          }),
        ]),
      });
    const good = redis({ args: ["--requirepass", "$(REDIS_PASSWORD)"], env: [{ name: "REDIS_PASSWORD", valueFrom: { secretKeyRef: { name: "redis", key: "password" } } }] });
    const base = compliantStack();
    assert.deepStrictEqual(await runPolicies([...base, good]), []);
    const broken = redis({ image: "redis", args: ["--protected-mode", "no"], resources: undefined, securityContext: { privileged: true } });
    const failed = new Set(mandatory(await runPolicies([...base, broken])).map((v) => v.policyName));
    for (const rule of [
      "no-default-credentials",
      "resource-limits",
      "no-privileged",
      "no-privilege-escalation",
      "read-only-root-filesystem",
      "drop-capabilities",
      "pinned-images",
      "namespace-pod-security",
    ]) {
      assert.ok(failed.has(rule), `${rule} did not catch the broken Redis (caught by: ${[...failed].join(", ")})`);
    }
  });

  it("starts the policy server from policy/index.ts", async function () {
    // Loading the pack's TypeScript is ~10 CPU seconds; the margin is for a loaded 2-core machine.
    this.timeout(180_000);
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "index.ts"], { cwd: POLICY_DIR, stdio: ["ignore", "pipe", "pipe"] });
    try {
      const port = await new Promise<string>((resolve, reject) => {
        let out = "";
        let err = "";
        child.stdout.on("data", (d) => {
          out += d;
          const m = /^(\d+)\s*$/m.exec(out);
          if (m) resolve(m[1]);
        });
        child.stderr.on("data", (d) => (err += d));
        child.on("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${err}`)));
      });
      assert.ok(Number(port) > 0);
    } finally {
      child.kill();
    }
  });
});
