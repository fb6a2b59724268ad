/**
 * HTTPS with `tls.issuer: acme`, followed end to end on the rendered objects: cert-manager can
 * answer HTTP-01 through the edge, the challenge reaches the solver pod through default-deny, and the
 * certificate lands in the Secret the listener serves.
 */
import { strict as assert } from "assert";
import { NAMESPACES } from "../../components/config/catalog";
import { CHARTS } from "../../components/config/images";
import { ACME_SOLVER, CERT_MANAGER_GATEWAY_API_FLAG } from "../../components/layers/edge/tls";
import { Rendered, render } from "../harness";
import { PodRef, egressAllowed, ingressAllowed, isolated, reachable } from "../network-paths";

const GW = "kubernetes:gateway.networking.k8s.io/v1:Gateway";
const ISSUER = "kubernetes:cert-manager.io/v1:ClusterIssuer";
const CERT = "kubernetes:cert-manager.io/v1:Certificate";
const CERT_MANAGER = "kubernetes-cert-manager:index:CertManager";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";

/** A solver pod as cert-manager labels it (plus the per-challenge hashes it adds). */
const solverIn = (namespace: string): PodRef => ({ namespace, labels: { ...ACME_SOLVER.selector, "acme.cert-manager.io/http-domain": "1234", "acme.cert-manager.io/http-token": "5678" } });
/** The proxy pod Istio deploys for the Gateway `public`. */
const gatewayProxy: PodRef = { namespace: NAMESPACES.apps, labels: { "gateway.networking.k8s.io/gateway-name": "public", "istio.io/gateway-name": "public" } };
const certManagerController: PodRef = { namespace: NAMESPACES.certManager, labels: { "app.kubernetes.io/name": "cert-manager", "app.kubernetes.io/component": "controller" } };

describe("ACME HTTP-01 through the Gateway (staging)", () => {
  let staging: Rendered;
  before(async () => {
    staging = await render("staging");
  });

  it("installs cert-manager from the pinned chart with its Gateway API support switched on", () => {
    const [cm] = staging.ofType(CERT_MANAGER);
    assert.equal(cm.inputs.helmOptions.version, CHARTS.certManager.version);
    assert.match(CHARTS.certManager.version, /^v\d+\.\d+\.\d+$/, "Jetstack's chart versions are exact and start with v");
    assert.equal(cm.inputs.helmOptions.repositoryOpts.repo, "https://charts.jetstack.io");
    assert.ok(cm.inputs.extraArgs.includes(CERT_MANAGER_GATEWAY_API_FLAG), "without --enable-gateway-api cert-manager ignores gatewayHTTPRoute solvers");
  });

  it("solves on the Gateway's plain-HTTP listener with a ClusterIP solver Service (the namespace quota admits no NodePort)", () => {
    const [issuer] = staging.ofType(ISSUER);
    const solver = issuer.inputs.spec.acme.solvers[0].http01.gatewayHTTPRoute;
    assert.equal(solver.serviceType, "ClusterIP");
    const [ref] = solver.parentRefs;
    const gw = staging.object(GW, ref.name, ref.namespace);
    const listener = gw.inputs.spec.listeners.find((l: any) => l.name === ref.sectionName);
    assert.deepEqual([listener.protocol, listener.port], ["HTTP", 80], "Let's Encrypt fetches HTTP-01 over port 80");
    const quota = staging.ofType("kubernetes:core/v1:ResourceQuota").find((q) => q.inputs.metadata.namespace === ref.namespace)!;
    const nodePorts = Number(quota.inputs.spec.hard["services.nodeports"]);
    const listenerPorts = gw.inputs.spec.listeners.length;
    assert.ok(nodePorts <= listenerPorts + 1, "the quota leaves no node port spare for a NodePort solver Service");
    // The challenge's HTTPRoute lands in the Certificate's namespace; the listener must accept routes from there.
    const cert = staging.ofType(CERT).find((c) => c.inputs.metadata.name === "public")!;
    assert.equal(listener.allowedRoutes.namespaces.from, "Same");
    assert.equal(cert.inputs.metadata.namespace, ref.namespace);
  });

  it("the proxy reaches the solver pod on 8089 (and HBONE in the ambient mesh) through default-deny, both ways", () => {
    const ns = NAMESPACES.apps;
    assert.ok(isolated(staging, solverIn(ns), "Ingress"), "the namespace is default-deny");
    assert.ok(reachable(staging, gatewayProxy, solverIn(ns), ACME_SOLVER.port));
    assert.ok(reachable(staging, gatewayProxy, solverIn(ns), 15008), "staging is in the ambient mesh: the proxy speaks HBONE to the solver");
    assert.ok(!reachable(staging, gatewayProxy, solverIn(ns), 8080), "only the solver's port is opened");
    const stranger: PodRef = { namespace: NAMESPACES.apps, labels: { "app.kubernetes.io/name": "frontend" } };
    assert.ok(!ingressAllowed(staging, stranger, solverIn(ns), ACME_SOLVER.port), "nothing but the edge reaches the solver");
  });

  it("cert-manager's self-check reaches the public HTTP listener from inside the cluster", () => {
    assert.ok(!isolated(staging, certManagerController, "Egress"), "cert-manager's namespace has no default-deny: its controller may reach the public address");
    assert.ok(ingressAllowed(staging, certManagerController, gatewayProxy, 80), "the proxy admits the controller by namespace, not only by ipBlock");
    assert.ok(!ingressAllowed(staging, certManagerController, gatewayProxy, 443));
  });

  it("the solver needs no egress, and gets none", () => {
    assert.ok(isolated(staging, solverIn(NAMESPACES.apps), "Egress"));
    assert.ok(!egressAllowed(staging, solverIn(NAMESPACES.apps), { namespace: NAMESPACES.storage, labels: {} }, 5432));
  });

  it("the certificate is written to the Secret the HTTPS listener serves, in the listener's namespace", () => {
    const gw = staging.ofType(GW)[0];
    const https = gw.inputs.spec.listeners.find((l: any) => l.protocol === "HTTPS");
    const [ref] = https.tls.certificateRefs;
    const cert = staging.ofType(CERT).find((c) => c.inputs.metadata.namespace === gw.inputs.metadata.namespace)!;
    assert.equal(cert.inputs.spec.secretName, ref.name);
    assert.equal(cert.inputs.spec.issuerRef.name, staging.ofType(ISSUER)[0].inputs.metadata.name);
    const routed = staging.ofType("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute").filter((r) => r.inputs.spec.parentRefs[0].sectionName === "https");
    for (const host of routed.flatMap((r) => r.inputs.spec.hostnames)) assert.ok(cert.inputs.spec.dnsNames.includes(host), `${host} is routed but not certified`);
  });

  it("self-signed certificates open no solver path and leave cert-manager's Gateway API support off", async () => {
    const dev = await render("dev");
    assert.ok(!dev.ofType(CERT_MANAGER)[0].inputs.extraArgs?.includes(CERT_MANAGER_GATEWAY_API_FLAG));
    assert.equal(dev.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((p) => p.inputs.metadata.name === "acme-http01-solver-from-edge").length, 0);
  });
});

describe("ACME HTTP-01 through an Ingress controller", () => {
  let r: Rendered;
  before(async () => {
    r = await render("staging", { edge: { mode: "ingress", ingressClassName: "traefik", controllerNamespace: "traefik", expose: ["kafka-ui"] } });
  });

  it("solves through the controller's class, with a ClusterIP Service and without the Gateway API flag", () => {
    const http01 = r.ofType(ISSUER)[0].inputs.spec.acme.solvers[0].http01;
    assert.deepEqual({ ...http01.ingress, podTemplate: undefined }, { serviceType: "ClusterIP", ingressClassName: "traefik", podTemplate: undefined });
    assert.ok(!r.ofType(CERT_MANAGER)[0].inputs.extraArgs.includes(CERT_MANAGER_GATEWAY_API_FLAG), "the flag would stop a controller on a cluster without the Gateway API CRDs");
  });

  it("the controller reaches the solver in every namespace that holds a certificate, and each Ingress serves its namespace's Secret", () => {
    const controller: PodRef = { namespace: "traefik", labels: { "app.kubernetes.io/name": "traefik" } };
    const certNamespaces = r.ofType(CERT).map((c) => c.inputs.metadata.namespace);
    assert.deepEqual([...certNamespaces].sort(), [NAMESPACES.apps, NAMESPACES.monitoring, NAMESPACES.posthog, NAMESPACES.storage].sort());
    for (const ns of certNamespaces) {
      assert.ok(ingressAllowed(r, controller, solverIn(ns), ACME_SOLVER.port), `the controller cannot reach the solver in ${ns}`);
      assert.ok(!ingressAllowed(r, { namespace: "elsewhere", labels: {} }, solverIn(ns), ACME_SOLVER.port));
    }
    for (const ing of r.ofType(INGRESS)) {
      const cert = r.ofType(CERT).find((c) => c.inputs.metadata.namespace === ing.inputs.metadata.namespace)!;
      assert.equal(ing.inputs.spec.tls[0].secretName, cert.inputs.spec.secretName);
    }
  });
});
