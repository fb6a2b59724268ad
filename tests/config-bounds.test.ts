import { strict as assert } from "assert";
import { ConfigError, NUMBER_BOUNDS, loadConfig } from "../components/config/schema";
import { stackSettings } from "./harness";

/** The problems of refused raw settings (fails when they load, or throw anything but a ConfigError). */
function refusedRaw(raw: Record<string, string>, stack = "dev"): string[] {
  try {
    loadConfig(stack, raw);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${(e as Error).stack}`);
    return e.problems;
  }
  assert.fail(`accepted ${JSON.stringify(raw)}`);
}

/** The problems of a refused configuration: the dev stack with `overrides`. */
const refused = (overrides: Record<string, unknown>, stack = "dev") => refusedRaw(stackSettings(stack, overrides), stack);

/** The dev stack with settings given exactly as Pulumi stores them (raw JSON, which may hold what JSON.stringify cannot write). */
const rawDev = (raw: Record<string, string>) => ({ ...stackSettings("dev"), ...raw });

function assertRefused(overrides: Record<string, unknown>, expected: string | RegExp): void {
  const found = refused(overrides);
  assert.ok(
    found.some((p) => (typeof expected === "string" ? p.includes(expected) : expected.test(p))),
    `no problem matching ${expected} in:\n  ${found.join("\n  ")}`,
  );
}

describe("config: numbers past what Kubernetes or the program can hold are refused, never crash", () => {
  const replicas = `replicas must be a whole number from 1 to ${NUMBER_BOUNDS.maxReplicas}`;
  const cases: [string, Record<string, unknown>, string | RegExp][] = [
    ["replicas past int32", { overrides: { gateway: { replicas: 2 ** 31 } } }, `voicehelper:overrides.gateway.replicas: ${replicas}`],
    ["replicas past what fits in an array", { overrides: { alertmanager: { replicas: 2 ** 32 } } }, `voicehelper:overrides.alertmanager.replicas: ${replicas}`],
    ["replicas just past the ceiling", { overrides: { gateway: { replicas: NUMBER_BOUNDS.maxReplicas + 1 } } }, `voicehelper:overrides.gateway.replicas: ${replicas}`],
    ["replicas in exponent form", { overrides: { gateway: { replicas: 1e300 } } }, `voicehelper:overrides.gateway.replicas: ${replicas}`],
    ["autoscale max past the ceiling", { overrides: { gateway: { autoscale: { min: 2, max: 1e20 } } } }, /overrides.gateway.autoscale.max: autoscale.max must be a whole number from 1 to 1000/],
    ["autoscale min of zero", { overrides: { gateway: { autoscale: { min: 0, max: 3 } } } }, /overrides.gateway.autoscale.min: autoscale.min must be a whole number from 1 to 1000/],
    ["GPUs past any node", { overrides: { "bge-service": { gpu: 1e9 } } }, /overrides.bge-service.gpu: gpu must be a whole number from 0 to 16/],
    ["negative GPUs", { overrides: { "bge-service": { gpu: -1 } } }, /overrides.bge-service.gpu: gpu must be a whole number from 0 to 16/],
    ["memory past 2^53 bytes", { overrides: { gateway: { limits: { memory: "99999999999999999999999Ei" } } } }, /overrides.gateway.limits.memory: memory quantity too large; at most 8Pi/],
    ["memory request past 2^53 bytes", { overrides: { gateway: { requests: { memory: "9Pi" } } } }, /overrides.gateway.requests.memory: memory quantity too large/],
    ["storage past 2^53 bytes", { overrides: { redis: { storage: "100Ei" } } }, /overrides.redis.storage: storage quantity too large/],
    ["cpu past int64 millicores", { overrides: { gateway: { limits: { cpu: "999999999999999999999999" } } } }, /overrides.gateway.limits.cpu: cpu quantity too large/],
    ["cpu in exponent form", { overrides: { gateway: { limits: { cpu: "1e400" } } } }, /overrides.gateway.limits.cpu: malformed cpu quantity/],
    ["retention past ten years, reported once", { retention: { elasticsearchDays: 1e300 } }, "voicehelper:retention.elasticsearchDays: must be a whole number of days from 1 to 3650"],
    ["TURN port past 65535", { voiceMedia: { mode: "turn", turnUrls: ["turns:turn.example.com:70000"] } }, /voiceMedia.turnUrls.0: the port must be from 1 to 65535/],
    ["TURN port zero", { voiceMedia: { mode: "turn", turnUrls: ["turn:turn.example.com:0?transport=udp"] } }, /voiceMedia.turnUrls.0: the port must be from 1 to 65535/],
    [
      "SMTP port past 65535",
      { alerting: { email: { to: "ops@example.com", from: "alerts@example.com", smarthost: "smtp.example.com:99999" } } },
      /alerting.email.smarthost: the port must be from 1 to 65535/,
    ],
  ];
  for (const [trick, overrides, expected] of cases) {
    it(`refuses ${trick}, naming the setting and the range`, () => assertRefused(overrides, expected));
  }

  it("refuses a number too large for JSON (1e999 parses to Infinity), showing it as such", () => {
    const found = refusedRaw(rawDev({ overrides: '{"gateway": {"replicas": 1e999}}' }));
    assert.ok(found.includes(`voicehelper:overrides.gateway.replicas: ${replicas} (use deployMode to leave a service out) (got Infinity)`), found.join("\n"));
  });

  it("reports a value that misses several checks once", () => {
    const found = refused({ retention: { elasticsearchDays: 1e300 } });
    assert.equal(found.filter((p) => p.startsWith("voicehelper:retention.elasticsearchDays")).length, 1, found.join("\n"));
  });

  it("accepts the ceilings themselves", () => {
    const config = loadConfig(
      "dev",
      stackSettings("dev", {
        overrides: { alertmanager: { replicas: 3 }, "bge-service": { gpu: NUMBER_BOUNDS.maxGpus }, gateway: { autoscale: { min: 1, max: NUMBER_BOUNDS.maxReplicas }, limits: { memory: "8Pi" } } },
      }),
    );
    assert.equal(config.sizes.gateway.autoscaling?.maxReplicas, NUMBER_BOUNDS.maxReplicas);
    assert.equal(config.sizes.gateway.resources.limits.memory, "8Pi");
  });
});

describe("config: reserved object keys are never taken for settings or services", () => {
  for (const reserved of ["__proto__", "constructor", "prototype"]) {
    it(`refuses "${reserved}" as a service name in overrides`, () => {
      const problems = refusedRaw(rawDev({ overrides: `{"${reserved}": {"replicas": 2}}` }));
      assert.ok(
        problems.some((p) => p.startsWith(`voicehelper:overrides.${reserved}: is a reserved name`)),
        problems.join("\n"),
      );
      assert.equal(({} as Record<string, unknown>).replicas, undefined, "the prototype of every object was changed");
    });
  }

  it("refuses a reserved key nested in any setting, and leaves Object.prototype alone", () => {
    const problems = refusedRaw(rawDev({ tls: '{"issuer": "self-signed", "__proto__": {"issuer": "none"}}', overrides: '{"gateway": {"__proto__": {"replicas": 5}}}' }));
    assert.ok(problems.includes("voicehelper:tls.__proto__: is a reserved name, not a setting or a service name"), problems.join("\n"));
    assert.ok(problems.includes("voicehelper:overrides.gateway.__proto__: is a reserved name, not a setting or a service name"), problems.join("\n"));
    assert.equal(({} as Record<string, unknown>).issuer, undefined);
  });
});

describe("config: URLs carry no credentials", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["the PostHog host", { posthog: { mode: "self-hosted", host: "https://admin:hunter2@posthog.example.com" } }, "voicehelper:posthog.host: must not carry a user or password"],
    ["the webhook", { alertWebhookUrl: "https://bot:hunter2@hooks.example.com/alert" }, "voicehelper:alertWebhookUrl: must not carry a user or password"],
    [
      "the backup mirror",
      { backup: { mirror: { url: "https://AKIAFAKE:fake-secret@s3.example.com", bucket: "voicehelper-mirror" } } },
      "voicehelper:backup.mirror.url: must not carry a user or password",
    ],
  ];
  for (const [what, overrides, expected] of cases) {
    it(`refuses user:password@ in ${what}, without repeating the URL`, () => {
      const found = refused(overrides);
      assert.ok(
        found.some((p) => p.startsWith(expected)),
        found.join("\n"),
      );
      assert.ok(
        found.every((p) => !p.includes("hunter2") && !p.includes("fake-secret")),
        found.join("\n"),
      );
    });
  }
});
