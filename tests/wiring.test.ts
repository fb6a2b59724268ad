/**
 * Every path a NetworkPolicy opens corresponds to something declared: a dependency in the service
 * catalog, a public route of the edge, a service's own jobs, or a named role (cluster peers, metrics
 * scrapers, webhooks). Nothing undeclared is reachable.
 */
import { strict as assert } from "assert";
import { CATALOG, ServiceName, isServiceName } from "../components/config/catalog";
import { isInHouse } from "../components/services/wiring";
import { Rendered, render } from "./harness";

/** Roles of admissions the kit and layers create, with what each may admit. */
const ROLES: Record<string, string> = {
  peers: "replicas of the same service",
  metrics: "Prometheus scraping a declared metrics port",
  "kubelet-probes": "the kubelet's probes through ztunnel (ambient mesh)",
  internet: "the public listeners of the edge proxy",
  edge: "an existing Ingress controller (ingress mode)",
  webhooks: "the API server calling an operator's admission webhooks",
  operator: "the CloudNativePG operator managing its instances",
  "tracing-clients": "services sending traces to Jaeger",
  "acme-self-check": "cert-manager checking an ACME HTTP-01 challenge through the public listener",
  media: "WebRTC media to the voice service's UDP port (voiceMedia.mode load-balancer)",
};

function check(r: Rendered): string[] {
  const problems: string[] = [];
  // Route backends: the public services and, behind PostHog's host, its capture, flags and plugin paths.
  const routed = new Set<string>([
    ...r.ofType("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute").flatMap((x) => (x.inputs.spec.rules ?? []).flatMap((rule: any) => (rule.backendRefs ?? []).map((b: any) => b.name))),
    ...r.ofType("kubernetes:networking.k8s.io/v1:Ingress").flatMap((x) => x.inputs.spec.rules.flatMap((rule: any) => rule.http.paths.map((p: any) => p.backend.service.name))),
  ]);
  for (const s of routed) if (!r.config.edge.publicServices.includes(s as ServiceName) && !s.startsWith("posthog-")) problems.push(`${s} is routed but not public`);
  for (const p of r.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy")) {
    const name: string = p.inputs.metadata.name;
    const m = /^(.+?)-from-(.+)$/.exec(name);
    if (!m) continue;
    const [, server, client] = m;
    if (client in ROLES) continue;
    if (client === "edge" && routed.has(server)) continue;
    if (client === "edge-gateway") {
      if (!routed.has(server)) problems.push(`${name}: ${server} is not a public route`);
      continue;
    }
    if (client.startsWith(`${server}-`)) continue; // the service's own jobs (bootstrap, buckets, backups)
    if (server === "jaeger" && isInHouse(client)) continue; // every in-house service reports traces (kit/tracing.ts)
    // Backup jobs belong to the catalog's "backup" service (their component label says so).
    const owner = p.inputs.metadata.labels?.["app.kubernetes.io/component"] === "backup" ? "backup" : client;
    if (owner !== client) {
      const declared = [...(CATALOG.backup.needs ?? []), ...(CATALOG.backup.uses ?? [])] as string[];
      if (!declared.includes(server)) problems.push(`${name}: the backup jobs do not declare ${server}`);
      continue;
    }
    if (!isServiceName(client)) {
      problems.push(`${name}: ${client} is neither a catalog service nor a named role`);
      continue;
    }
    const declared = [...(CATALOG[client].needs ?? []), ...(CATALOG[client].uses ?? [])] as string[];
    if (!declared.includes(server)) problems.push(`${name}: ${client} does not declare ${server} as a dependency`);
  }
  return problems;
}

describe("wiring: every open path is declared", () => {
  for (const [stack, overrides] of [
    ["dev", {}],
    ["staging", {}],
    ["prod", {}],
    ["dev", { posthog: { mode: "self-hosted" } }],
    ["staging", { edge: { mode: "ingress", ingressClassName: "traefik", controllerNamespace: "traefik" } }],
  ] as const) {
    it(`${stack} ${JSON.stringify(overrides)}`, async () => {
      const r = await render(stack, overrides as Record<string, unknown>);
      const problems = check(r);
      assert.deepEqual(problems, [], problems.join("\n"));
    });
  }

  it("catches an undeclared path", async () => {
    const r = await render("dev");
    r.resources.push({ ...r.object("kubernetes:networking.k8s.io/v1:NetworkPolicy", "redis-from-gateway"), inputs: { metadata: { name: "neo4j-from-gateway", namespace: "voicehelper-storage" } } });
    assert.deepEqual(check(r), ["neo4j-from-gateway: gateway does not declare neo4j as a dependency"]);
  });
});
