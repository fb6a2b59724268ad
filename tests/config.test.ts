import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CATALOG, DEPLOY_MODES, SERVICE_NAMES, ServiceName, closure, rootServices } from "../components/config/catalog";
import { ConfigError, SECRET_KEYS, loadConfig } from "../components/config/schema";
import { NEO4J_ENTERPRISE_REPLICAS, SIZING, TIERS } from "../components/config/sizing";
import { IMAGES } from "../components/config/images";
import { FAKE_SECRETS, ROOT, stackSettings } from "./harness";

/** Loads the settings and returns the ConfigError's problems (fails if it loads). */
function problems(stack: string, settings: Record<string, string>): string[] {
  try {
    loadConfig(stack, settings);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${(e as Error).stack}`);
    return e.problems;
  }
  assert.fail("the configuration was accepted");
}

const base = (overrides: Record<string, unknown> = {}, stack = "dev") => stackSettings(stack, overrides);
const expectProblem = (stack: string, overrides: Record<string, unknown>, ...fragments: (string | RegExp)[]) => {
  const found = problems(stack, base(overrides, stack));
  for (const f of fragments) {
    assert.ok(
      found.some((p) => (typeof f === "string" ? p.includes(f) : f.test(p))),
      `no problem matching ${f} in:\n  ${found.join("\n  ")}`,
    );
  }
  return found;
};

describe("config: bad settings are refused before anything is deployed", () => {
  it("an unknown tier names the setting and the allowed tiers", () => {
    expectProblem("dev", { sizing: "huge" }, /voicehelper:sizing: must be one of: minimal, recommended, production \(got "huge"\)/);
  });

  it("a missing tier is reported as missing", () => {
    expectProblem("dev", { sizing: undefined }, /voicehelper:sizing: .*it is missing/);
  });

  it("an unknown deploy mode lists the modes", () => {
    expectProblem("dev", { deployMode: "everything" }, /voicehelper:deployMode: must be one of: full, minimal, storage-only, ai-only, monitoring-only \(got "everything"\)/);
  });

  it("services: an unknown name lists the services, a repeated one and a combination with a deploy mode are refused", () => {
    expectProblem("dev", { services: ["redis", "memcached"] }, /voicehelper:services: "memcached" is not a service; services are .*redis/);
    expectProblem("dev", { services: ["redis", "redis"] }, "voicehelper:services: lists a service more than once");
    expectProblem("dev", { services: ["redis"], deployMode: "ai-only" }, "voicehelper:services: cannot be combined with deployMode ai-only");
    expectProblem("dev", { services: "redis" }, /voicehelper:services: must be a list of service names/);
  });

  it("services: deploys the listed services and what they need, nothing else", () => {
    const cfg = loadConfig("dev", base({ services: ["llm-proxy", "nats"] }));
    assert.deepEqual(cfg.services, closure(["llm-proxy", "nats"]));
    assert.deepEqual([...cfg.services].sort(), ["llm-proxy", "nats", "redis"]);
  });

  it("an override of an unknown service lists the services", () => {
    expectProblem("dev", { overrides: { "redis-cluster": { replicas: 3 } } }, /voicehelper:overrides.redis-cluster: unknown service; services are .*redis/);
  });

  it("negative replicas are refused", () => {
    expectProblem(
      "dev",
      { overrides: { gateway: { replicas: -2 } } },
      /voicehelper:overrides.gateway.replicas: replicas must be a whole number from 1 to 1000 \(use deployMode to leave a service out\) \(got -2\)/,
    );
  });

  it("fractional replicas are refused", () => {
    expectProblem("dev", { overrides: { gateway: { replicas: 1.5 } } }, /voicehelper:overrides.gateway.replicas: replicas must be a whole number/);
  });

  it("a request above its limit is refused with both values", () => {
    expectProblem("dev", { overrides: { gateway: { requests: { cpu: "2" }, limits: { cpu: "1" } } } }, "voicehelper:overrides.gateway: cpu request 2 is above the cpu limit 1");
    expectProblem("dev", { overrides: { redis: { requests: { memory: "4Gi" } } } }, "voicehelper:overrides.redis: memory request 4Gi is above the memory limit 512Mi");
  });

  it("a malformed quantity is refused with an example of a good one", () => {
    expectProblem("dev", { overrides: { redis: { limits: { memory: "2 gigs" } } } }, /voicehelper:overrides.redis.limits.memory: malformed memory quantity; use a Kubernetes quantity such as "512Mi"/);
  });

  it("a replica count the service's clustering cannot run is refused", () => {
    expectProblem("dev", { overrides: { redis: { replicas: 3 } } }, /voicehelper:overrides.redis.replicas: must be 1 \(standalone\) or an even number of at least 6 .*\(got 3\)/);
    expectProblem("dev", { overrides: { kafka: { replicas: 2 } } }, /voicehelper:overrides.kafka.replicas: must be 1 or at least 3/);
  });

  it("fixing replicas of an autoscaled service points at autoscale", () => {
    expectProblem("staging", { overrides: { gateway: { replicas: 4 } } }, /voicehelper:overrides.gateway.replicas: gateway is autoscaled \(2-10\); set autoscale.min\/max, or autoscale: false/);
  });

  it("autoscale bounds out of order are refused", () => {
    expectProblem("dev", { overrides: { gateway: { autoscale: { min: 5, max: 2 } } } }, "voicehelper:overrides.gateway.autoscale: min 5 is above max 2");
  });

  it("storage on a service without data is refused", () => {
    expectProblem("dev", { overrides: { gateway: { storage: "10Gi" } } }, "voicehelper:overrides.gateway.storage: gateway keeps no data volume");
  });

  it("production without the LLM keys names each missing secret and how to set it", () => {
    const found = problems("prod", stackSettings("prod", {}, {}));
    assert.ok(found.some((p) => p.startsWith("voicehelper:openaiApiKey: is required in production") && p.includes("pulumi config set --secret openaiApiKey")));
    assert.ok(found.some((p) => p.startsWith("voicehelper:anthropicApiKey: is required in production")));
  });

  it("PostHog cloud in production without a project key is refused", () => {
    const found = problems("prod", stackSettings("prod", { posthog: { mode: "cloud" } }, { openaiApiKey: FAKE_SECRETS.openaiApiKey, anthropicApiKey: FAKE_SECRETS.anthropicApiKey }));
    assert.ok(
      found.some((p) => p.startsWith("voicehelper:posthogApiKey: is required in production when posthog.mode is cloud")),
      found.join("\n"),
    );
  });

  it("a seed placeholder is not accepted as a key, and the value is never echoed", () => {
    const found = problems("prod", stackSettings("prod", {}, { ...FAKE_SECRETS, openaiApiKey: "your-openai-key", posthogApiKey: "phc_YOUR_API_KEY" }));
    assert.ok(found.some((p) => p.startsWith("voicehelper:openaiApiKey: is a documentation placeholder")));
    assert.ok(found.some((p) => p.startsWith("voicehelper:posthogApiKey: is a documentation placeholder")));
    assert.ok(found.every((p) => !p.includes("your-openai-key") && !p.includes("phc_YOUR_API_KEY")));
  });

  it("a PostHog key that is not a project key is refused", () => {
    expectProblem("dev", { posthogApiKey: "phx_personal_key_is_not_a_project_key" }, 'voicehelper:posthogApiKey: must be a PostHog project API key (it starts with "phc_")');
  });

  it("ACME without an e-mail, and ingress without a class, are refused", () => {
    expectProblem("dev", { tls: { issuer: "acme" } }, "voicehelper:tls.email: is required when tls.issuer is acme");
    expectProblem("dev", { edge: { mode: "ingress" } }, "voicehelper:edge.ingressClassName: is required when edge.mode is ingress");
  });

  it("an image tag of latest is refused", () => {
    expectProblem("dev", { images: { tag: "latest" } }, /voicehelper:images.tag: must be an exact release, not latest/);
  });

  it("renderTo is refused outside a render stack, with a cluster, and missing on a render stack", () => {
    expectProblem("dev", { renderTo: "out" }, /voicehelper:renderTo: only a dedicated render stack .* would replace the provider/);
    expectProblem("render", { kubeconfig: "/tmp/kubeconfig" }, "voicehelper:renderTo: cannot be combined with voicehelper:kubeconfig");
    expectProblem("render", { renderTo: undefined }, 'voicehelper:renderTo: stack "render" is a render stack and must set renderTo');
  });

  it("typos in setting names are reported, top-level and nested", () => {
    expectProblem("dev", { deploymode: "full" }, /voicehelper:deploymode: unknown setting; known settings are .*deployMode/);
    expectProblem("dev", { posthog: { mode: "cloud", hots: "x" } }, "voicehelper:posthog.hots: unknown setting");
  });

  it("reports every problem at once", () => {
    const found = problems("dev", base({ sizing: "huge", deployMode: "most", mesh: "maybe" }));
    assert.ok(found.length >= 3, found.join("\n"));
  });
});

describe("config: good settings resolve to one concrete size per service", () => {
  it("each stack file loads", () => {
    for (const stack of ["dev", "staging", "prod", "render"]) loadConfig(stack, stackSettings(stack));
  });

  it("the Model Router gets exactly seed 001's sizing in production", () => {
    const cfg = loadConfig("prod", stackSettings("prod"));
    const mr = cfg.sizes["model-router"];
    assert.deepEqual(mr.autoscaling, { minReplicas: 3, maxReplicas: 10, cpuUtilization: 70, memoryUtilization: 80 });
    assert.deepEqual(mr.resources, { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } });
  });

  it("overrides replace only what they name", () => {
    const cfg = loadConfig("dev", base({ overrides: { redis: { limits: { memory: "1Gi" }, storage: "5Gi" } } }));
    assert.equal(cfg.sizes.redis.resources.limits.memory, "1Gi");
    assert.equal(cfg.sizes.redis.resources.requests.memory, SIZING.redis.minimal.memory[0]);
    assert.equal(cfg.sizes.redis.storage, "5Gi");
  });

  it("autoscale: false turns the HPA off and fixes the replica count", () => {
    const cfg = loadConfig("staging", base({ overrides: { gateway: { autoscale: false, replicas: 4 } } }, "staging"));
    assert.equal(cfg.sizes.gateway.autoscaling, undefined);
    assert.equal(cfg.sizes.gateway.replicas, 4);
  });

  it("protectData defaults to off on dev stacks and on elsewhere, and can be set", () => {
    assert.equal(loadConfig("dev", stackSettings("dev")).protectData, false);
    assert.equal(loadConfig("prod", stackSettings("prod")).protectData, true);
    assert.equal(loadConfig("staging", stackSettings("staging", { protectData: false })).protectData, false);
  });

  it("config secrets stay Pulumi secrets", async () => {
    const cfg = loadConfig("prod", stackSettings("prod"));
    assert.ok(cfg.llm.openaiApiKey);
    assert.equal(await (cfg.llm.openaiApiKey as any).isSecret, true);
  });

  it("Pulumi.yaml declares every setting, and its defaults are loadConfig's defaults", () => {
    const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
    const declared = Object.keys(project.config);
    const known = [
      "sizing",
      "deployMode",
      "services",
      "domain",
      "storageClass",
      "protectData",
      "posthog",
      "images",
      "imageDigests",
      "tls",
      "edge",
      "mesh",
      "overrides",
      "kubeconfig",
      "kubeContext",
      "renderTo",
      "skipAwait",
      "externalCharts",
      "alerting",
      "metrics",
      "backup",
      "restore",
      "voiceMedia",
      "neo4j",
      "retention",
      "app",
      ...SECRET_KEYS,
    ];
    // Config secrets stay undeclared: the engine requires a declared secret without a default and refuses a plain default.
    assert.deepEqual([...declared].sort(), known.filter((k) => !(SECRET_KEYS as readonly string[]).includes(k)).sort());
    const header = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
    for (const k of SECRET_KEYS) assert.match(header, new RegExp(`^#\\s+${k}\\s`, "m"), `${k} must be documented in Pulumi.yaml`);
    // The engine refuses to run when a declared setting without a default is unset: only the required ones may lack one.
    const withoutDefault = declared.filter((k) => !("default" in project.config[k])).sort();
    assert.deepEqual(withoutDefault, ["images", "sizing"]);
    // A declared default means exactly what leaving the setting out means.
    const required = { sizing: "minimal", images: JSON.stringify({ tag: "1.0.0" }) };
    const defaults = Object.fromEntries(
      Object.entries<any>(project.config)
        .filter(([, d]) => "default" in d)
        .map(([k, d]) => [k, typeof d.default === "string" ? d.default : JSON.stringify(d.default)]),
    );
    const plain = (c: object) => JSON.parse(JSON.stringify(c, (_k, v) => (v && typeof v === "object" && "__pulumiOutput" in v ? "<output>" : v)));
    for (const stack of ["dev", "prod"]) {
      assert.deepEqual(plain(loadConfig(stack, { ...required, ...defaults })), plain(loadConfig(stack, required)), stack);
    }
  });
});

describe("catalog, deploy modes and images", () => {
  it("every catalog service has a size in every tier, and every dependency is a catalog service", () => {
    for (const s of SERVICE_NAMES) {
      for (const t of TIERS) assert.ok(SIZING[s][t], `${s} has no ${t} size`);
      for (const d of [...(CATALOG[s].needs ?? []), ...(CATALOG[s].uses ?? [])]) assert.ok(SERVICE_NAMES.includes(d as ServiceName), `${s} depends on unknown ${d}`);
    }
  });

  it("ai-only deploys the AI layer and exactly the stores it needs", () => {
    const services = closure(rootServices("ai-only"));
    const nonAi = services.filter((s) => CATALOG[s].layer !== "ai");
    assert.deepEqual(nonAi.sort(), ["cnpg-operator", "minio", "postgresql", "redis"]);
  });

  it("minimal is the core path and leaves out what the core does not need", () => {
    const services = closure(rootServices("minimal"));
    for (const s of ["gateway", "model-router", "redis", "postgresql", "minio", "nats"]) assert.ok(services.includes(s as ServiceName), s);
    for (const s of ["kafka", "neo4j", "elasticsearch", "prometheus", "posthog-web", "admin-portal"]) assert.ok(!services.includes(s as ServiceName), s);
  });

  it("every deploy mode resolves, storage-only has no apps and monitoring-only has no AI", () => {
    for (const m of DEPLOY_MODES) assert.ok(closure(rootServices(m)).length > 0);
    assert.ok(closure(rootServices("storage-only")).every((s) => ["storage", "backup"].includes(CATALOG[s].layer)));
    assert.ok(closure(rootServices("monitoring-only")).every((s) => CATALOG[s].layer !== "ai"));
  });

  it("PostHog's components are deployed only when self-hosted", () => {
    const cloud = loadConfig("dev", stackSettings("dev")).services;
    const self = loadConfig("dev", stackSettings("dev", { posthog: { mode: "self-hosted" } })).services;
    assert.ok(!cloud.some((s) => s.startsWith("posthog-")));
    assert.ok(self.includes("posthog-web") && self.includes("posthog-clickhouse"));
  });

  it("every third-party image is pinned to an exact version, never latest", () => {
    for (const [key, image] of Object.entries(IMAGES)) {
      const tag = image.includes("@") ? image.split("@")[1] : image.slice(image.lastIndexOf(":") + 1);
      assert.ok(image.lastIndexOf(":") > image.lastIndexOf("/") || image.includes("@sha256:"), `${key} has no tag`);
      assert.ok(!/latest/i.test(tag), `${key} uses ${tag}`);
      assert.match(tag, /\d/, `${key}: ${tag} is not a version`);
    }
  });
});

describe("config: GPUs", () => {
  it("a GPU-capable service can be given GPUs by override; others are refused with the list of capable services", () => {
    const cfg = loadConfig("prod", stackSettings("prod", { overrides: { "speech-service": { gpu: 1 } } }));
    assert.equal(cfg.sizes["speech-service"].resources.gpu, 1);
    assert.equal(cfg.sizes["tts-service"].resources.gpu, undefined, "no tier gives a GPU by default: the seed clusters have none");
    expectProblem(
      "dev",
      { overrides: { gateway: { gpu: 1 } } },
      /voicehelper:overrides.gateway.gpu: gateway cannot use a GPU; GPU-capable services are bge-service, faiss-service, speech-service, tts-service/,
    );
  });
});

describe("config: voice media", () => {
  it("load-balancer is the default and works for one voice-service replica (dev)", () => {
    const cfg = loadConfig("dev", stackSettings("dev"));
    assert.deepEqual([cfg.voiceMedia.mode, cfg.voiceMedia.turnUrls], ["load-balancer", []]);
  });

  it("load-balancer with an autoscaled voice-service is refused with the way out", () => {
    expectProblem("staging", { voiceMedia: undefined }, /voicehelper:voiceMedia\.mode: load-balancer supports one voice-service replica .* runs 2-10 by autoscaling; choose voiceMedia\.mode turn/);
    assert.equal(loadConfig("staging", base({ voiceMedia: undefined, overrides: { "voice-service": { replicas: 1, autoscale: false } } }, "staging")).voiceMedia.mode, "load-balancer");
  });

  it("turn needs TURN URLs, and TURN URLs need turn", () => {
    expectProblem("dev", { voiceMedia: { mode: "turn" } }, /voicehelper:voiceMedia\.turnUrls: is required when voiceMedia\.mode is turn/);
    expectProblem("dev", { voiceMedia: { mode: "load-balancer", turnUrls: ["turn:turn.example.com"] } }, /voiceMedia\.turnUrls: only applies when voiceMedia\.mode is turn/);
    expectProblem("dev", { voiceMedia: { mode: "turn", turnUrls: ["https://turn.example.com"] } }, /voicehelper:voiceMedia\.turnUrls\.0: must be TURN URLs/);
    expectProblem("dev", { voiceMedia: { mode: "udp" } }, /voicehelper:voiceMedia\.mode: must be one of: load-balancer, turn/);
  });
});

describe("config: metrics", () => {
  it("verifies the kubelets' certificates unless skip-verify is chosen by name; anything else is refused", () => {
    assert.deepEqual(loadConfig("prod", stackSettings("prod")).metrics, { kubeletTls: "verify" });
    assert.deepEqual(loadConfig("dev", base({ metrics: { kubeletTls: "skip-verify" } })).metrics, { kubeletTls: "skip-verify" });
    expectProblem("dev", { metrics: { kubeletTls: "insecure" } }, /^voicehelper:metrics\.kubeletTls: must be one of: verify, skip-verify \(got "insecure"\)/);
    expectProblem("dev", { metrics: { kubeletTLS: "verify" } }, /voicehelper:metrics\.kubeletTLS: unknown setting/);
  });
});

describe("config: Neo4j edition and licence", () => {
  const enterprise = (accept?: string) => ({ neo4j: { edition: "enterprise", ...(accept === undefined ? {} : { acceptLicenseAgreement: accept }) } });

  it("is Community with one node in every tier by default, and accepts no licence on the user's behalf", () => {
    for (const stack of ["dev", "staging", "prod"]) {
      const cfg = loadConfig(stack, stackSettings(stack));
      assert.deepEqual(cfg.neo4j, { edition: "community" });
      assert.equal(cfg.sizes.neo4j.replicas, 1);
    }
  });

  it("Enterprise without an accepted licence is refused, naming the setting and its allowed values", () => {
    expectProblem("prod", enterprise(), /^voicehelper:neo4j\.acceptLicenseAgreement: is required when neo4j\.edition is enterprise .*"yes" .*"eval"/);
  });

  it("a licence answer other than yes or eval is refused; so is one for Community", () => {
    expectProblem("dev", enterprise("true"), /^voicehelper:neo4j\.acceptLicenseAgreement: must be "yes" .* or "eval" .*\(got "true"\)/);
    expectProblem("dev", { neo4j: { edition: "community", acceptLicenseAgreement: "yes" } }, /^voicehelper:neo4j\.acceptLicenseAgreement: only applies when neo4j\.edition is enterprise/);
    expectProblem("dev", { neo4j: { edition: "aura" } }, /^voicehelper:neo4j\.edition: must be one of: community, enterprise \(got "aura"\)/);
  });

  it("Community with more than one replica is refused, pointing at Enterprise and its licence", () => {
    expectProblem(
      "dev",
      { overrides: { neo4j: { replicas: 3 } } },
      /^voicehelper:overrides\.neo4j\.replicas: must be 1 with Neo4j Community; for a cluster choose neo4j\.edition enterprise and accept its licence with neo4j\.acceptLicenseAgreement \(got 3\)/,
    );
  });

  it("Enterprise accepts 1 or 3 to 11 members: 2 cannot lose one, and more than 11 cannot all be primaries", () => {
    expectProblem(
      "dev",
      { ...enterprise("yes"), overrides: { neo4j: { replicas: 2 } } },
      /^voicehelper:overrides\.neo4j\.replicas: must be 1 or 3 to 11 with Neo4j Enterprise: a Raft primary set of 2 cannot lose a node.* \(got 2\)/,
    );
    expectProblem("dev", { ...enterprise("yes"), overrides: { neo4j: { replicas: 12 } } }, /overrides\.neo4j\.replicas: must be 1 or 3 to 11 .*\(got 12\)/);
    for (const replicas of [1, 3, 5, 11]) assert.equal(loadConfig("dev", base({ ...enterprise("eval"), overrides: { neo4j: { replicas } } })).sizes.neo4j.replicas, replicas);
  });

  it("Enterprise takes its members per tier from the sizing table, with the tier's resources for each", () => {
    for (const [stack, tier] of [
      ["dev", "minimal"],
      ["staging", "recommended"],
      ["prod", "production"],
    ] as const) {
      const cfg = loadConfig(stack, base(enterprise("yes"), stack));
      assert.deepEqual(cfg.neo4j, { edition: "enterprise", acceptLicenseAgreement: "yes" });
      assert.equal(cfg.sizes.neo4j.replicas, NEO4J_ENTERPRISE_REPLICAS[tier]);
      assert.equal(cfg.sizes.neo4j.resources.limits.memory, SIZING.neo4j[tier].memory[1]);
    }
    assert.deepEqual(NEO4J_ENTERPRISE_REPLICAS, { minimal: 1, recommended: 3, production: 3 });
  });

  it("reports the licence and the replica problem together", () => {
    const found = expectProblem("dev", { ...enterprise(), overrides: { neo4j: { replicas: 2 } } }, "neo4j.acceptLicenseAgreement: is required", "overrides.neo4j.replicas: must be 1 or 3 to 11");
    assert.equal(found.length, 2, found.join("\n"));
  });
});

describe("config: retention", () => {
  it("keeps seed 004's days by default: 30 for Elasticsearch, 90 for ClickHouse", () => {
    assert.deepEqual(loadConfig("dev", base()).retention, { elasticsearchDays: 30, clickhouseDays: 90 });
    assert.deepEqual(loadConfig("dev", base({ retention: undefined })).retention, { elasticsearchDays: 30, clickhouseDays: 90 });
  });

  it("a stack may change one store's days; the other keeps its default", () => {
    assert.deepEqual(loadConfig("dev", base({ retention: { elasticsearchDays: 7 } })).retention, { elasticsearchDays: 7, clickhouseDays: 90 });
  });

  it("zero, negative, fractional, huge or textual days are refused, naming the setting and the allowed range", () => {
    const allowed = "must be a whole number of days from 1 to 3650";
    for (const [days, got] of [
      [0, "0"],
      [-5, "-5"],
      [1.5, "1.5"],
      [36500, "36500"],
      ["30", '"30"'],
    ] as const) {
      expectProblem("dev", { retention: { elasticsearchDays: days } }, `voicehelper:retention.elasticsearchDays: ${allowed} (got ${got})`);
      expectProblem("dev", { retention: { clickhouseDays: days } }, `voicehelper:retention.clickhouseDays: ${allowed} (got ${got})`);
    }
  });

  it("a misspelt retention key is reported", () => {
    expectProblem("dev", { retention: { elasticSearchDays: 30 } }, "voicehelper:retention.elasticSearchDays: unknown setting");
  });
});
