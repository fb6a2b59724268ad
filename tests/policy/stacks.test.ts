/**
 * The policy pack against every stack the program renders: no mandatory violation anywhere, and a
 * deliberately broken variant of a real service is caught.
 */
import { strict as assert } from "assert";
import { Rendered, RenderedResource, render } from "../harness";
import { NEO4J_ENTERPRISE_CLUSTER } from "../storage/helpers";
import { TestResource, Violation, mandatory, runPolicies } from "./util";

function asPolicyInput(r: Rendered): TestResource[] {
  return r.resources.map((x) => ({
    type: x.type,
    name: x.name,
    urn: x.urn,
    props: x.inputs,
    parent: x.parent || undefined,
    dependencies: x.dependencies,
    propertyDependencies: x.propertyDependencies,
  }));
}

async function violations(r: Rendered, mutate?: (resources: RenderedResource[]) => void): Promise<Violation[]> {
  if (mutate) mutate(r.resources);
  return runPolicies(asPolicyInput(r));
}

const describeAll = (vs: Violation[]) => vs.map((v) => `${v.policyName} ${v.urn?.split("::").pop()}: ${v.message}`).join("\n  ");

const VARIANTS: [string, string, Record<string, unknown>][] = [
  ["dev", "dev", {}],
  ["staging", "staging", {}],
  ["prod", "prod", {}],
  ["dev, minimal mode", "dev", { deployMode: "minimal" }],
  ["dev, storage-only", "dev", { deployMode: "storage-only" }],
  ["dev, ai-only", "dev", { deployMode: "ai-only" }],
  ["dev, monitoring-only", "dev", { deployMode: "monitoring-only" }],
  ["dev, PostHog self-hosted", "dev", { posthog: { mode: "self-hosted" } }],
  ["dev, PostHog disabled", "dev", { posthog: { mode: "disabled" } }],
  ["staging, classic Ingress", "staging", { edge: { mode: "ingress", ingressClassName: "traefik", controllerNamespace: "traefik" } }],
  ["prod, mesh off, no TLS issuer", "prod", { mesh: false, tls: { issuer: "none" } }],
  ["prod, Neo4j Enterprise cluster", "prod", NEO4J_ENTERPRISE_CLUSTER],
];

describe("policy pack on every rendered stack", () => {
  for (const [title, stack, overrides] of VARIANTS) {
    it(`${title}: no mandatory violation`, async () => {
      const found = mandatory(await violations(await render(stack, overrides)));
      assert.deepEqual(found, [], `\n  ${describeAll(found)}`);
    });
  }
});

describe("policy pack catches a broken variant of a real service", () => {
  const redisContainer = (rs: RenderedResource[]) => rs.find((x) => x.type === "kubernetes:apps/v1:StatefulSet" && x.inputs.metadata.name === "redis")!.inputs.spec.template.spec.containers[0];

  it("a default password in Redis' Secret", async () => {
    const found = mandatory(
      await violations(await render("dev"), (rs) => {
        const secret = rs.find((x) => x.type === "kubernetes:core/v1:Secret" && x.inputs.metadata.name === "redis-auth")!;
        secret.inputs.stringData.password = "changeme";
      }),
    );
    assert.ok(
      found.some((v) => v.policyName === "no-default-credentials"),
      describeAll(found),
    );
    assert.ok(
      found.every((v) => !v.message.includes("changeme")),
      "a violation never repeats the value",
    );
  });

  it("Redis whose config no longer includes its password file", async () => {
    const found = mandatory(
      await violations(await render("dev"), (rs) => {
        const cm = rs.find((x) => x.type === "kubernetes:core/v1:ConfigMap" && x.inputs.metadata.name === "redis-config")!;
        cm.inputs.data["redis.conf"] = cm.inputs.data["redis.conf"].replace(/^include .*$/m, "");
      }),
    );
    assert.ok(
      found.some((v) => v.policyName === "no-default-credentials" && /requirepass|auth/i.test(v.message)),
      describeAll(found),
    );
  });

  it("a missing memory limit", async () => {
    const found = mandatory(await violations(await render("dev"), (rs) => delete redisContainer(rs).resources.limits.memory));
    assert.ok(
      found.some((v) => v.policyName === "resource-limits"),
      describeAll(found),
    );
  });

  it("a latest image", async () => {
    const found = mandatory(await violations(await render("dev"), (rs) => (redisContainer(rs).image = "redis:latest")));
    assert.ok(
      found.some((v) => v.policyName === "pinned-images"),
      describeAll(found),
    );
  });

  it("a literal password in an env var", async () => {
    const found = mandatory(
      await violations(await render("dev"), (rs) => {
        const gw = rs.find((x) => x.type === "kubernetes:apps/v1:Deployment" && x.inputs.metadata.name === "gateway")!;
        const env = gw.inputs.spec.template.spec.containers[0].env;
        env.find((e: any) => e.name === "REDIS_PASSWORD").value = "Sup3rS3cretButLiteral!";
        delete env.find((e: any) => e.name === "REDIS_PASSWORD").valueFrom;
      }),
    );
    assert.ok(
      found.some((v) => v.policyName === "no-default-credentials"),
      describeAll(found),
    );
  });
});
