import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { inspect } from "util";
import { ConfigError, SECRET_KEYS, loadConfig } from "../components/config/schema";
import { ROOT, stackSettings } from "./harness";

/** Markdown and stack files of the repository (its documentation), outside dependencies. */
function docFiles(dir = ROOT): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...docFiles(full));
    else if (/\.md$|^Pulumi.*\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out;
}

/**
 * Every value the docs show for a secret: the value of each `pulumi config set --secret` command, and
 * every inline-code token shaped like a placeholder (`<key>`, `phc_...`, `your-...`, `YOUR_...`).
 */
function documentedPlaceholders(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of docFiles()) {
    const text = fs.readFileSync(file, "utf8");
    const where = path.relative(ROOT, file);
    for (const m of text.matchAll(/pulumi config set --secret(?:\s+--stack\s+\S+)?\s+(\S+)\s+(\S+)/g)) found.set(m[2].replace(/[`'",:;)]+$/, ""), `${where} (${m[1]})`);
    for (const m of text.matchAll(/`([^`\s]+)`/g)) {
      if (/^<[^>]+>$|\.\.\.|^your[-_]|YOUR_/i.test(m[1])) found.set(m[1], where);
    }
  }
  return found;
}

/** What a failed load leaves anywhere a user or CI log could see it. */
function everythingPrinted(run: () => void): string {
  const printed: string[] = [];
  const originals = { log: console.log, warn: console.warn, error: console.error, info: console.info, debug: console.debug };
  const stdout = process.stdout.write.bind(process.stdout);
  const stderr = process.stderr.write.bind(process.stderr);
  const capture = (...args: unknown[]) => void printed.push(args.map((a) => (typeof a === "string" ? a : inspect(a, { depth: 10 }))).join(" "));
  Object.assign(console, { log: capture, warn: capture, error: capture, info: capture, debug: capture });
  process.stdout.write = ((chunk: unknown) => (printed.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: unknown) => (printed.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    run();
  } catch (e) {
    printed.push(String(e), (e as Error).stack ?? "", inspect(e, { depth: 10 }), JSON.stringify(e));
    if (e instanceof ConfigError) printed.push(...e.problems);
  } finally {
    Object.assign(console, originals);
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
  return printed.join("\n");
}

describe("config: documentation placeholders are never taken for real secrets", () => {
  const placeholders = documentedPlaceholders();

  it("finds the placeholders the README shows (the scan itself works)", () => {
    for (const p of ["<key>", "phc_...", "<secret>"]) assert.ok(placeholders.has(p), `${p} not found in ${[...placeholders.keys()].join(", ")}`);
  });

  for (const [placeholder, where] of placeholders) {
    it(`refuses ${JSON.stringify(placeholder)} (from ${where}) for every secret, without repeating it`, () => {
      for (const k of SECRET_KEYS) {
        for (const form of [placeholder, `${placeholder}\n`, ` ${placeholder.toUpperCase()} `]) {
          let problems: string[] = [];
          try {
            loadConfig("dev", stackSettings("dev", { [k]: form }));
          } catch (e) {
            problems = (e as ConfigError).problems ?? [];
          }
          assert.ok(
            problems.includes(`voicehelper:${k}: is a documentation placeholder, not a real key; set it with \`pulumi config set --secret ${k} <value>\``),
            `${k}=${JSON.stringify(form)}: ${problems.join("\n")}`,
          );
        }
      }
    });
  }

  for (const shape of ["sk-ant-...", "your_openai_key", "REPLACE_ME", "changeit", "$OPENAI_API_KEY", "${OPENAI_API_KEY}", "xxxxxxxx", "********", "sk-…"]) {
    it(`refuses the common placeholder shape ${JSON.stringify(shape)}`, () => {
      const found = (() => {
        try {
          loadConfig("dev", stackSettings("dev", { openaiApiKey: shape }));
          return [];
        } catch (e) {
          return (e as ConfigError).problems;
        }
      })();
      assert.ok(
        found.some((p) => p.startsWith("voicehelper:openaiApiKey: is a documentation placeholder")),
        found.join("\n"),
      );
    });
  }
});

describe("config: no message, log line or stack ever repeats a secret", () => {
  const marker = (k: string) => `zz9-MARKER-${k}-c4f1e7a2d9`;
  const secrets = Object.fromEntries(SECRET_KEYS.map((k) => [k, marker(k)]));
  const markers = Object.values(secrets);
  const anyMarker = markers[0];

  /** Each case reaches a different error path; `expect` proves it was reached, so the check is not vacuous. */
  const cases: { name: string; stack?: string; overrides: Record<string, unknown>; expect: RegExp }[] = [
    { name: "a PostHog key that is not a project key", overrides: {}, expect: /voicehelper:posthogApiKey: must be a PostHog project API key/ },
    { name: "SMTP password without alerting.email", overrides: {}, expect: /voicehelper:smtpPassword: is set but alerting.email is not/ },
    { name: "a secret pasted into the image tag", overrides: { images: { tag: `${anyMarker}!` } }, expect: /voicehelper:images.tag: must be an image tag/ },
    { name: "a secret pasted into the domain", overrides: { domain: anyMarker }, expect: /voicehelper:domain: must be a lower-case DNS name/ },
    {
      name: "a secret in the webhook URL's user info",
      overrides: { alertWebhookUrl: `https://bot:${anyMarker}@hooks.example.com/x` },
      expect: /voicehelper:alertWebhookUrl: must not carry a user or password/,
    },
    { name: "a malformed webhook URL holding a token", overrides: {}, expect: /voicehelper:alertWebhookUrl: must be an http\(s\) URL/ },
    {
      name: "a webhook URL with its token given in clear text",
      overrides: { alerting: { webhookUrl: `https://hooks.example.com/${anyMarker}` } },
      expect: /voicehelper:alerting.webhookUrl: is not taken in clear text/,
    },
    {
      name: "a secret in the mirror URL",
      overrides: { backup: { mirror: { url: `https://k:${anyMarker}@s3.example.com`, bucket: "mirror-bucket" } } },
      expect: /voicehelper:backup.mirror.url: must not carry/,
    },
    { name: "a secret pasted into the PostHog host", overrides: { posthog: { mode: "self-hosted", host: `x${anyMarker}` } }, expect: /voicehelper:posthog.host: must be an http\(s\) URL/ },
    {
      name: "a secret pasted into the SMTP relay",
      overrides: { alerting: { email: { to: "a@example.com", from: "b@example.com", smarthost: `${anyMarker}:587x` } } },
      expect: /voicehelper:alerting.email.smarthost/,
    },
    { name: "a secret pasted into a TURN URL", overrides: { voiceMedia: { mode: "turn", turnUrls: [`turn:${anyMarker}@x`] } }, expect: /voicehelper:voiceMedia.turnUrls.0/ },
    { name: "a secret pasted as a service name", overrides: { overrides: { [anyMarker]: { replicas: 1 } } }, expect: /unknown service/ },
    {
      name: "a secret pasted into a quantity",
      overrides: { overrides: { gateway: { limits: { memory: anyMarker } } } },
      expect: /voicehelper:overrides.gateway.limits.memory: malformed memory quantity/,
    },
    { name: "a secret pasted into the tier", overrides: { sizing: anyMarker }, expect: /voicehelper:sizing: must be one of/ },
    { name: "a secret pasted into a switch", overrides: { mesh: anyMarker }, expect: /voicehelper:mesh: must be true or false/ },
    { name: "a secret pasted into the render directory off a render stack", overrides: { renderTo: anyMarker }, expect: /voicehelper:renderTo: only a dedicated render stack/ },
    { name: "a secret pasted as a nested key", overrides: { tls: { issuer: "acme", [anyMarker]: "x" } }, expect: /voicehelper:tls\..*: unknown setting/ },
    { name: "a number out of range next to the secrets", overrides: { overrides: { gateway: { replicas: 2 ** 40 } } }, expect: /voicehelper:overrides.gateway.replicas/ },
    { name: "a reserved key next to the secrets", overrides: { overrides: { gateway: {} }, tls: '{"__proto__": {}}' }, expect: /voicehelper:tls.__proto__: is a reserved name/ },
    { name: "the production checks", stack: "prod", overrides: { posthog: { mode: "cloud" } }, expect: /voicehelper:posthogApiKey: must be a PostHog project API key/ },
    { name: "a production key left out", stack: "prod", overrides: { openaiApiKey: "" }, expect: /voicehelper:openaiApiKey: is required in production/ },
    { name: "a documentation placeholder beside real secrets", overrides: { anthropicApiKey: "<key>" }, expect: /voicehelper:anthropicApiKey: is a documentation placeholder/ },
    {
      name: "a backup mirror without its keys",
      overrides: { backup: { mirror: { url: "https://s3.example.com", bucket: "mirror-bucket" } }, backupMirrorAccessKey: "" },
      expect: /voicehelper:backupMirrorAccessKey: is required when backup.mirror is set/,
    },
    { name: "ACME without an e-mail", overrides: { tls: { issuer: "acme" } }, expect: /voicehelper:tls.email: is required/ },
    { name: "ingress without class or controller namespace", overrides: { edge: { mode: "ingress" } }, expect: /voicehelper:edge.controllerNamespace: is required/ },
    { name: "an unexposable service", overrides: { edge: { expose: ["redis"] } }, expect: /voicehelper:edge.expose: "redis" cannot be exposed/ },
    { name: "Enterprise without a licence answer", overrides: { neo4j: { edition: "enterprise" } }, expect: /voicehelper:neo4j.acceptLicenseAgreement: is required/ },
    { name: "TURN mode without servers", overrides: { voiceMedia: { mode: "turn" } }, expect: /voicehelper:voiceMedia.turnUrls: is required/ },
    { name: "an unknown kubelet TLS mode", overrides: { metrics: { kubeletTls: "off" } }, expect: /voicehelper:metrics.kubeletTls: must be one of/ },
    { name: "a render stack without renderTo", stack: "render", overrides: { renderTo: "" }, expect: /voicehelper:renderTo: stack "render" is a render stack/ },
    { name: "a request above its limit", overrides: { overrides: { gateway: { requests: { cpu: "4" }, limits: { cpu: "1" } } } }, expect: /cpu request 4 is above the cpu limit 1/ },
    { name: "GPUs on a service without GPU support", overrides: { overrides: { gateway: { gpu: 1 } } }, expect: /voicehelper:overrides.gateway.gpu: gateway cannot use a GPU/ },
    { name: "autoscaling a DaemonSet", overrides: { overrides: { fluentd: { autoscale: { min: 1, max: 2 } } } }, expect: /fluentd is a DaemonSet and cannot be autoscaled/ },
    { name: "a replica count the clustering cannot run", overrides: { overrides: { redis: { replicas: 3 } } }, expect: /voicehelper:overrides.redis.replicas: must be 1 \(standalone\)/ },
    { name: "an unknown top-level setting", overrides: { [`${anyMarker}Key`]: "x" }, expect: /unknown setting/ },
  ];

  for (const c of cases) {
    it(`${c.name}: the error names the setting and never the secret`, () => {
      const stack = c.stack ?? "dev";
      const raw = stackSettings(stack, {}, secrets);
      for (const [k, v] of Object.entries(c.overrides)) raw[k] = typeof v === "string" ? v : JSON.stringify(v);
      const printed = everythingPrinted(() => loadConfig(stack, raw));
      assert.match(printed, c.expect, "the case did not reach its error path");
      for (const m of markers) assert.ok(!printed.includes(m), `the secret ${m} appears in:\n${printed}`);
      // Nor any recognisable part of it (a truncated value is still a leak).
      assert.ok(!/MARKER-[a-z]/i.test(printed), printed);
    });
  }

  it("a stack that loads keeps the secrets out of anything printable", () => {
    const webhook = `https://hooks.example.com/${marker("webhook")}`;
    const valid = { ...secrets, posthogApiKey: `phc_${marker("posthog")}`, smtpPassword: "", alertWebhookUrl: webhook };
    const config = loadConfig("dev", stackSettings("dev", {}, valid));
    const printed = inspect(config, { depth: 20 });
    for (const m of [...markers, marker("posthog"), marker("webhook")]) assert.ok(!printed.includes(m), `${m} in the resolved config's printed form`);
  });
});
