/**
 * The shared application settings (the seed's `voicehelper-config` ConfigMap): set in stack config,
 * read by every in-house service, and a change rolls them.
 */
import { strict as assert } from "assert";
import { NAMESPACES } from "../../components/config/catalog";
import { ConfigError, loadConfig } from "../../components/config/schema";
import { CONFIG_HASH_ANNOTATION } from "../../components/kit/config-hash";
import { Rendered, RenderedResource, podSpecOf, render, stackSettings } from "../harness";

const WORKLOADS = ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet"];

/** The workloads running the product's own images (`images.registry`). */
function inHouse(r: Rendered): RenderedResource[] {
  return WORKLOADS.flatMap((t) => r.ofType(t)).filter((w) => podSpecOf(w).containers.some((c: any) => c.image.startsWith(`${r.config.images.registry}/`)));
}
const hashOf = (w: RenderedResource): string => w.inputs.spec.template.metadata.annotations?.[CONFIG_HASH_ANNOTATION];
const byName = (ws: RenderedResource[]) => new Map(ws.map((w) => [w.inputs.metadata.name as string, w]));

describe("shared application settings (app)", () => {
  let dev: Rendered;
  let debug: Rendered;
  before(async () => {
    dev = await render("dev");
    debug = await render("dev", { app: { logLevel: "debug" } });
  });

  it("creates voicehelper-config in the in-house services' namespace with LOG_LEVEL (default info) and the stack's name", () => {
    const cm = dev.object("kubernetes:core/v1:ConfigMap", "voicehelper-config", NAMESPACES.apps);
    assert.deepEqual(cm.inputs.data, { LOG_LEVEL: "info", ENVIRONMENT: "dev" });
    assert.equal(debug.object("kubernetes:core/v1:ConfigMap", "voicehelper-config", NAMESPACES.apps).inputs.data.LOG_LEVEL, "debug");
  });

  it("every in-house service reads it as env", () => {
    const services = inHouse(dev);
    assert.ok(services.length >= 10, `only ${services.length} in-house workloads found`);
    for (const w of services) {
      const main = podSpecOf(w).containers[0];
      assert.deepEqual(main.envFrom, [{ configMapRef: { name: "voicehelper-config" } }], `${w.inputs.metadata.name} does not read voicehelper-config`);
    }
  });

  it("changing app.logLevel rolls every in-house service and nothing else", () => {
    const before = byName(inHouse(dev));
    for (const [name, w] of byName(inHouse(debug))) {
      assert.ok(hashOf(w), `${name} has no config hash`);
      assert.notEqual(hashOf(w), hashOf(before.get(name)!), `${name}'s pod template does not change with app.logLevel`);
    }
    const redisBefore = dev.object("kubernetes:apps/v1:StatefulSet", "redis").inputs.spec.template;
    assert.deepEqual(debug.object("kubernetes:apps/v1:StatefulSet", "redis").inputs.spec.template, redisBefore, "a store rolled with an application setting");
  });

  it("keeps the Model Router's own configuration in its hash", async () => {
    const selfHosted = await render("dev", { posthog: { mode: "disabled" } });
    const router = (r: Rendered) => hashOf(r.object("kubernetes:apps/v1:Deployment", "model-router"));
    assert.notEqual(router(selfHosted), router(dev), "the Model Router does not roll when its PostHog settings change");
  });

  it("is not created when the stack deploys no in-house service", async () => {
    const storageOnly = await render("dev", { deployMode: "storage-only" });
    assert.equal(storageOnly.ofType("kubernetes:core/v1:ConfigMap").filter((c) => c.inputs.metadata.name === "voicehelper-config").length, 0);
  });

  it("refuses an unknown log level, naming the setting and the allowed values", () => {
    assert.throws(
      () => loadConfig("dev", stackSettings("dev", { app: { logLevel: "verbose" } })),
      (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.includes("voicehelper:app.logLevel") && p.includes("debug, info, warn, error")),
    );
    assert.throws(() => loadConfig("dev", stackSettings("dev", { app: { logLevel: "info", color: true } })), ConfigError);
  });
});
