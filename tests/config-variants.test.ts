/**
 * Settings with modes resolve to one variant per mode holding exactly the fields that mode uses: the
 * fields a mode requires are there (no `!` downstream), and the type refuses a field of another mode
 * (the `@ts-expect-error` lines fail `tsc` if the type ever allows them again).
 */
import { strict as assert } from "assert";
import { PlatformConfig, loadConfig } from "../components/config/schema";
import { stackSettings } from "./harness";

const dev = (overrides: Record<string, unknown>): PlatformConfig => loadConfig("dev", stackSettings("dev", overrides));

describe("config: one variant per mode", () => {
  it("edge: ingress carries its class and controller namespace, gateway-api neither", () => {
    const ingress = dev({ edge: { mode: "ingress", ingressClassName: "traefik", controllerNamespace: "traefik" } }).edge;
    assert.equal(ingress.mode, "ingress");
    if (ingress.mode === "ingress") assert.deepEqual([ingress.ingressClassName, ingress.controllerNamespace], ["traefik", "traefik"]);
    // A controller namespace given to the Gateway API edge has nothing to configure and is not carried.
    const gateway = dev({ edge: { mode: "gateway-api", controllerNamespace: "traefik" } }).edge;
    assert.deepEqual(Object.keys(gateway).sort(), ["mode", "publicServices"]);
    // @ts-expect-error only the ingress variant has an IngressClass
    assert.equal(gateway.ingressClassName, undefined);
  });

  it("tls: acme carries the account e-mail; self-signed and none carry nothing else", () => {
    const acme = dev({ tls: { issuer: "acme", email: "ops@example.com" } }).tls;
    assert.deepEqual(acme, { issuer: "acme", email: "ops@example.com" });
    assert.deepEqual(dev({ tls: { issuer: "self-signed", email: "ops@example.com" } }).tls, { issuer: "self-signed" });
    const none = dev({ tls: { issuer: "none" } }).tls;
    assert.deepEqual(none, { issuer: "none" });
    // @ts-expect-error only ACME registers an e-mail
    assert.equal(none.email, undefined);
  });

  it("voiceMedia: turn carries its servers; load-balancer has none", () => {
    const turn = dev({ voiceMedia: { mode: "turn", turnUrls: ["turns:turn.example.com:5349"] } }).voiceMedia;
    assert.equal(turn.mode, "turn");
    assert.deepEqual(turn.turnUrls, ["turns:turn.example.com:5349"]);
    const lb = dev({}).voiceMedia;
    assert.deepEqual(lb, { mode: "load-balancer", turnUrls: [] });
    // @ts-expect-error the TURN REST secret belongs to the turn variant
    assert.equal(lb.turnSharedSecret, undefined);
  });

  it("posthog: cloud and self-hosted carry a host (defaulted per mode); disabled carries nothing", () => {
    const cloud = dev({ posthog: { mode: "cloud" } }).posthog;
    assert.deepEqual([cloud.mode, cloud.mode !== "disabled" && cloud.host], ["cloud", "https://us.i.posthog.com"]);
    const self = dev({ posthog: { mode: "self-hosted" }, domain: "vh.example.com" }).posthog;
    assert.deepEqual([self.mode, self.mode !== "disabled" && self.host], ["self-hosted", "https://posthog.vh.example.com"]);
    const disabled = dev({ posthog: { mode: "disabled" } }).posthog;
    assert.deepEqual(disabled, { mode: "disabled" });
    // @ts-expect-error disabled PostHog has no host to reach
    assert.equal(disabled.host, undefined);
  });

  it("neo4j: Enterprise carries the licence answer the stack gave", () => {
    assert.deepEqual(dev({ neo4j: { edition: "enterprise", acceptLicenseAgreement: "eval" } }).neo4j, { edition: "enterprise", acceptLicenseAgreement: "eval" });
    assert.deepEqual(dev({}).neo4j, { edition: "community" });
  });
});
