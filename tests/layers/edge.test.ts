import { strict as assert } from "assert";
import { NAMESPACES } from "../../components/config/catalog";
import { Rendered, render } from "../harness";

const GW = "kubernetes:gateway.networking.k8s.io/v1:Gateway";
const ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";
const ISSUER = "kubernetes:cert-manager.io/v1:ClusterIssuer";
const CERT = "kubernetes:cert-manager.io/v1:Certificate";
const routesOf = (r: Rendered) => r.ofType(ROUTE).filter((x) => x.inputs.metadata.name !== "https-redirect");

describe("edge: Gateway API (default)", () => {
  let dev: Rendered;
  before(async () => {
    dev = await render("dev");
  });

  it("serves HTTPS with the platform certificate and uses plain HTTP only to redirect", () => {
    const [gw] = dev.ofType(GW);
    const listeners = Object.fromEntries(gw.inputs.spec.listeners.map((l: any) => [l.name, l]));
    assert.equal(gw.inputs.spec.gatewayClassName, "istio");
    assert.deepEqual([listeners.https.protocol, listeners.https.port, listeners.https.tls.certificateRefs[0].name], ["HTTPS", 443, "public-tls"]);
    const redirect = dev.object(ROUTE, "https-redirect");
    assert.deepEqual(redirect.inputs.spec.parentRefs, [{ name: "public", sectionName: "http" }]);
    assert.deepEqual(redirect.inputs.spec.rules[0].filters[0].requestRedirect, { scheme: "https", statusCode: 301 });
    for (const r of routesOf(dev))
      assert.deepEqual(
        r.inputs.spec.parentRefs.map((p: any) => p.sectionName),
        ["https"],
        `${r.inputs.metadata.name} must only attach to HTTPS`,
      );
  });

  it("routes exactly the public hosts of deployed services, one route each, and nothing internal", () => {
    const hosts = routesOf(dev)
      .map((r) => r.inputs.spec.hostnames)
      .flat();
    assert.deepEqual(hosts.sort(), ["api.voicehelper.local", "grafana.voicehelper.local", "voicehelper.local"]);
    assert.equal(new Set(hosts).size, hosts.length);
    const api = dev.object(ROUTE, "gateway").inputs.spec.rules[0].backendRefs[0];
    assert.deepEqual(api, { name: "gateway", namespace: NAMESPACES.apps, port: 8080 });
    assert.deepEqual(dev.outputs.urls, { gateway: "https://api.voicehelper.local", frontend: "https://voicehelper.local", grafana: "https://grafana.voicehelper.local" });
    assert.ok(!hosts.includes("prometheus.voicehelper.local"), "Prometheus has no authentication: not public unless exposed");
    assert.ok(!routesOf(dev).some((r) => r.inputs.metadata.name === "kafka-ui"), "internal tools are not public by default");
  });

  it("exposes an internal tool only when named, with a ReferenceGrant in its namespace", async () => {
    const r = await render("dev", { edge: { expose: ["kafka-ui"] } });
    const route = r.object(ROUTE, "kafka-ui");
    assert.deepEqual(route.inputs.spec.hostnames, ["kafka-ui.voicehelper.local"]);
    const grant = r.ofType("kubernetes:gateway.networking.k8s.io/v1beta1:ReferenceGrant")[0];
    assert.equal(grant.inputs.metadata.namespace, NAMESPACES.storage);
    assert.deepEqual(grant.inputs.spec.from, [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: NAMESPACES.apps }]);
  });

  it("admits the internet to the proxy's listeners only, and the proxy to routed backends only", () => {
    const internet = dev.object("kubernetes:networking.k8s.io/v1:NetworkPolicy", "edge-gateway-from-internet").inputs.spec;
    assert.deepEqual(internet.podSelector.matchLabels, { "gateway.networking.k8s.io/gateway-name": "public" });
    assert.deepEqual(internet.ingress[0].from, [{ ipBlock: { cidr: "0.0.0.0/0" } }]);
    assert.deepEqual(
      internet.ingress[0].ports.map((p: any) => p.port),
      [80, 443],
    );
    const toGateway = dev.object("kubernetes:networking.k8s.io/v1:NetworkPolicy", "gateway-from-edge-gateway").inputs.spec;
    assert.deepEqual(toGateway.ingress[0].ports, [{ protocol: "TCP", port: 8080 }]);
    const egress = dev.object("kubernetes:networking.k8s.io/v1:NetworkPolicy", "edge-gateway-egress").inputs.spec.egress;
    const podTargets = egress.flatMap((e: any) => e.to ?? []).map((t: any) => t.podSelector?.matchLabels?.["app.kubernetes.io/name"] ?? t.podSelector?.matchLabels?.app ?? "dns");
    assert.deepEqual(podTargets.filter((t: string) => t !== "dns").sort(), ["frontend", "gateway", "grafana", "istiod"]);
  });

  it("sizes the proxy from the sizing tables through the Gateway's parameters", async () => {
    const prod = await render("prod");
    const params = prod.object("kubernetes:core/v1:ConfigMap", "edge-gateway-parameters").inputs.data;
    assert.match(params.deployment, /cpu: "?1"?\n/);
    assert.match(params.horizontalPodAutoscaler, /minReplicas: 3\n\s+maxReplicas: 10/);
    assert.match(params.podDisruptionBudget, /maxUnavailable: 1/);
  });
});

describe("edge: certificates", () => {
  it("self-signed: a root CA and a CA issuer sign one certificate for every public host", async () => {
    const r = await render("dev", { edge: { expose: ["kafka-ui"] } });
    assert.deepEqual(
      r
        .ofType(ISSUER)
        .map((i) => i.inputs.metadata.name)
        .sort(),
      ["voicehelper-ca", "voicehelper-selfsigned"],
    );
    const cert = r.ofType(CERT).find((c) => c.inputs.metadata.name === "public")!;
    assert.deepEqual(cert.inputs.spec.dnsNames.sort(), ["api.voicehelper.local", "grafana.voicehelper.local", "kafka-ui.voicehelper.local", "voicehelper.local"]);
    assert.equal(cert.inputs.spec.secretName, "public-tls");
    assert.equal(cert.inputs.metadata.namespace, NAMESPACES.apps);
  });

  it("acme: Let's Encrypt with the configured e-mail, HTTP-01 answered through the Gateway's HTTP listener", async () => {
    const r = await render("staging");
    const [issuer] = r.ofType(ISSUER);
    assert.equal(issuer.inputs.spec.acme.email, "platform@voicehelper.example.com");
    assert.deepEqual(issuer.inputs.spec.acme.solvers[0].http01.gatewayHTTPRoute.parentRefs[0], { name: "public", namespace: NAMESPACES.apps, sectionName: "http", kind: "Gateway" });
  });

  it("none: no cert-manager and no issuer, the Gateway expects a Secret you provide", async () => {
    const r = await render("dev", { tls: { issuer: "none" } });
    assert.equal(r.ofType(ISSUER).length, 0);
    assert.equal(r.resources.filter((x) => x.type.includes("CertManager")).length, 0);
    assert.equal(r.ofType(GW)[0].inputs.spec.listeners[1].tls.certificateRefs[0].name, "public-tls");
  });

  it("cert-manager comes from its chart unless charts are switched off", async () => {
    const withCharts = await render("dev");
    assert.equal(withCharts.resources.filter((x) => x.type === "kubernetes-cert-manager:index:CertManager").length, 1);
    const without = await render("dev", { externalCharts: false });
    assert.equal(without.resources.filter((x) => x.type === "kubernetes-cert-manager:index:CertManager").length, 0);
    assert.equal(without.ofType(ISSUER).length, 2, "issuers still describe the certificates an installed cert-manager serves");
  });
});

describe("edge: classic Ingress", () => {
  it("renders one TLS Ingress per public host on the configured class, admits only the controller's namespace, and no Gateway", async () => {
    const r = await render("dev", { edge: { mode: "ingress", ingressClassName: "traefik", controllerNamespace: "traefik", expose: ["kafka-ui"] } });
    assert.equal(r.ofType(GW).length, 0);
    assert.equal(r.ofType(ROUTE).length, 0);
    const ingresses = r.ofType("kubernetes:networking.k8s.io/v1:Ingress");
    assert.deepEqual(ingresses.map((i) => i.inputs.spec.rules[0].host).sort(), ["api.voicehelper.local", "grafana.voicehelper.local", "kafka-ui.voicehelper.local", "voicehelper.local"]);
    for (const i of ingresses) {
      assert.equal(i.inputs.spec.ingressClassName, "traefik");
      assert.deepEqual(i.inputs.spec.tls[0].hosts, [i.inputs.spec.rules[0].host]);
      const cert = r.ofType(CERT).find((c) => c.inputs.metadata.name === "public" && c.inputs.metadata.namespace === i.inputs.metadata.namespace);
      assert.ok(cert && cert.inputs.spec.dnsNames.includes(i.inputs.spec.rules[0].host), `no certificate for ${i.inputs.spec.rules[0].host} in its namespace`);
    }
    const admitted = r.object("kubernetes:networking.k8s.io/v1:NetworkPolicy", "gateway-from-edge").inputs.spec.ingress[0];
    assert.equal(admitted.from[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"], "traefik");
    assert.equal(
      r.ofType("kubernetes:core/v1:Namespace").some((n) => n.inputs.metadata.name === NAMESPACES.istio),
      false,
      "no Istio without mesh or Gateway",
    );
  });

  it("ingress needs a controller namespace, and only exposable services may be exposed", async () => {
    await assert.rejects(render("dev", { edge: { mode: "ingress", ingressClassName: "traefik" } }), /voicehelper:edge.controllerNamespace: is required when edge.mode is ingress/);
    await assert.rejects(
      render("dev", { edge: { expose: ["redis"] } }),
      /voicehelper:edge.expose: "redis" cannot be exposed; choose from kafka-ui, bge-service, faiss-service, model-router, admin-portal, prometheus, jaeger/,
    );
  });
});
