import * as assert from "assert";
import { container, daemonSet, defaultDeny, deployment, gateway, hpa, httpRoute, mutate, namespace, NS, pdb, podSpec, randomPassword, redirectRoute, secret, statefulSet } from "./fixtures";
import { check, TestResource, UNKNOWN, urnOf, Violation } from "./util";

const msgs = (vs: Violation[]) => vs.map((v) => `${v.enforcementLevel}: ${v.message}`);

describe("policy: stack rules", () => {
  describe("namespace-default-deny", () => {
    it("passes namespaces with a default-deny policy", async () => {
      assert.deepStrictEqual(await check("namespace-default-deny", [namespace(), defaultDeny(), deployment()]), []);
    });
    it("rejects a namespace without one, reported on the Namespace's URN", async () => {
      const vs = await check("namespace-default-deny", [namespace(), deployment()]);
      assert.deepStrictEqual(msgs(vs), ['mandatory: namespace "apps" has no default-deny NetworkPolicy']);
      assert.strictEqual(vs[0].urn, urnOf("kubernetes:core/v1:Namespace", "apps"));
    });
    it("rejects a namespace the stack deploys into without creating it", async () => {
      assert.deepStrictEqual(msgs(await check("namespace-default-deny", [deployment("api", { namespace: "legacy" })])), [
        'mandatory: namespace "legacy" has no default-deny NetworkPolicy (the stack runs Deployment/legacy/api there)',
      ]);
    });
    it("does not count a policy that selects some pods, allows ingress, or leaves egress open", async () => {
      const bad = [
        mutate(defaultDeny(), (p) => (p.spec.podSelector = { matchLabels: { app: "x" } })),
        mutate(defaultDeny(), (p) => (p.spec.ingress = [{ from: [{ namespaceSelector: {} }] }])),
        mutate(defaultDeny(), (p) => (p.spec.policyTypes = ["Ingress"])),
      ];
      for (const np of bad) {
        assert.strictEqual((await check("namespace-default-deny", [namespace(), np])).length, 1);
      }
      assert.deepStrictEqual(await check("namespace-default-deny", [namespace(), bad[2]], { "namespace-default-deny": { requireEgress: false } }), []);
    });
  });

  describe("namespace-pod-security", () => {
    it("passes labelled namespaces whose workloads comply", async () => {
      assert.deepStrictEqual(await check("namespace-pod-security", [namespace(), deployment(), namespace("data", "baseline")]), []);
    });
    it("rejects a namespace without the enforce label or with an invalid one", async () => {
      assert.deepStrictEqual(msgs(await check("namespace-pod-security", [namespace("a", null), namespace("b", "strict")])), [
        "mandatory: Namespace/a has no pod-security.kubernetes.io/enforce label",
        'mandatory: Namespace/b has an invalid pod-security.kubernetes.io/enforce label "strict" (privileged, baseline or restricted)',
      ]);
    });
    it("rejects enforce=privileged unless the namespace carries a named exception", async () => {
      assert.deepStrictEqual(msgs(await check("namespace-pod-security", namespace("logging", "privileged"))), [
        'mandatory: Namespace/logging enforces only "privileged" Pod Security (minimum "baseline")',
      ]);
      const excepted = namespace("logging", "privileged", { "voicehelper.io/policy-exceptions": '{"namespace-pod-security": "Fluentd reads host logs as root"}' });
      const vs = await check("namespace-pod-security", excepted);
      assert.strictEqual(vs.length, 1);
      assert.strictEqual(vs[0].enforcementLevel, "advisory");
      assert.match(vs[0].message, /Fluentd reads host logs as root/);
    });
    it("predicts that Pod Security admission would reject a workload its namespace does not allow", async () => {
      const root = mutate(deployment(), (p) => {
        delete p.spec.template.spec.securityContext.runAsNonRoot;
        delete p.spec.template.spec.containers[0].securityContext.runAsNonRoot;
      });
      const fluentd = daemonSet("fluentd", { namespace: "logging", spec: podSpec([container("fluentd")], { volumes: [{ name: "varlog", hostPath: { path: "/var/log" } }] }) });
      assert.deepStrictEqual(msgs(await check("namespace-pod-security", [namespace(), root, namespace("logging", "baseline"), fluentd])), [
        'mandatory: Deployment/apps/api needs Pod Security "baseline" (runAsNonRoot on app) but namespace "apps" enforces "restricted": its pods would be rejected',
        'mandatory: DaemonSet/logging/fluentd needs Pod Security "privileged" (hostPath volume) but namespace "logging" enforces "baseline": its pods would be rejected',
      ]);
    });
  });

  describe("pdb-for-replicated", () => {
    it("passes multi-replica workloads covered by a budget, and single replicas without one", async () => {
      assert.deepStrictEqual(await check("pdb-for-replicated", [deployment("api", { replicas: 3 }), pdb("api"), statefulSet("db", { replicas: 1 })]), []);
    });
    it("rejects a multi-replica workload without a matching budget", async () => {
      const wrongNs = pdb("api", "other");
      assert.deepStrictEqual(msgs(await check("pdb-for-replicated", [statefulSet("kafka", { replicas: 3 }), pdb("zookeeper"), wrongNs])), [
        'mandatory: StatefulSet/apps/kafka runs 3 replicas but no PodDisruptionBudget in namespace "apps" selects its pods',
      ]);
    });
    it("counts an HPA's minReplicas when the workload leaves replicas unset", async () => {
      assert.strictEqual((await check("pdb-for-replicated", [deployment("api"), hpa("api", NS, 2, 10)])).length, 1);
      assert.deepStrictEqual(await check("pdb-for-replicated", [deployment("api"), hpa("api", NS, 1, 10)]), []);
    });
    it("covers the Deployment an operator makes from a CloudNativePG Pooler, by the label the operator adds", async () => {
      const pooler = (instances: number) => ({
        type: "kubernetes:postgresql.cnpg.io/v1:Pooler",
        name: "pooler",
        props: {
          apiVersion: "postgresql.cnpg.io/v1",
          kind: "Pooler",
          metadata: { name: "pg-pooler", namespace: NS },
          spec: { instances, template: { metadata: { labels: { app: "pgbouncer" } }, spec: { containers: [{ name: "pgbouncer" }] } } },
        },
      });
      const poolerPdb = {
        ...pdb("pg-pooler"),
        props: {
          apiVersion: "policy/v1",
          kind: "PodDisruptionBudget",
          metadata: { name: "pg-pooler", namespace: NS },
          spec: { maxUnavailable: 1, selector: { matchLabels: { "cnpg.io/poolerName": "pg-pooler" } } },
        },
      };
      assert.deepStrictEqual(msgs(await check("pdb-for-replicated", [pooler(2)])), [
        `mandatory: Pooler/${NS}/pg-pooler runs 2 replicas but no PodDisruptionBudget in namespace "${NS}" selects its pods`,
      ]);
      assert.deepStrictEqual(await check("pdb-for-replicated", [pooler(2), poolerPdb]), []);
      assert.deepStrictEqual(await check("pdb-for-replicated", [pooler(1)]), [], "one instance needs no budget");
    });
    it("rejects a budget that blocks every eviction", async () => {
      assert.deepStrictEqual(msgs(await check("pdb-for-replicated", [deployment("api", { replicas: 2 }), pdb("api", NS, { maxUnavailable: 0 })])), [
        "mandatory: PodDisruptionBudget/apps/api covers Deployment/apps/api, but maxUnavailable 0 blocks every voluntary eviction (node drains hang)",
      ]);
      assert.strictEqual((await check("pdb-for-replicated", [deployment("api", { replicas: 2 }), pdb("api", NS, { minAvailable: 2 })])).length, 1);
    });
  });

  describe("hpa-target-exists", () => {
    it("passes an HPA whose target the stack creates", async () => {
      assert.deepStrictEqual(await check("hpa-target-exists", [deployment("api"), hpa("api")]), []);
    });
    it("rejects an HPA targeting a missing workload, the wrong kind or namespace", async () => {
      assert.deepStrictEqual(msgs(await check("hpa-target-exists", [deployment("api"), hpa("gateway"), hpa("api", NS, 2, 10, "StatefulSet"), hpa("api", "other")])), [
        'mandatory: HorizontalPodAutoscaler/apps/gateway targets apps/v1 Deployment "gateway", which the stack does not create in namespace "apps"',
        'mandatory: HorizontalPodAutoscaler/apps/api targets apps/v1 StatefulSet "api", which the stack does not create in namespace "apps"',
        'mandatory: HorizontalPodAutoscaler/other/api targets apps/v1 Deployment "api", which the stack does not create in namespace "other"',
      ]);
    });
    it("rejects inverted bounds and warns when the target also sets replicas", async () => {
      assert.deepStrictEqual(msgs(await check("hpa-target-exists", [deployment("api", { replicas: 3 }), hpa("api", NS, 5, 3)])), [
        "advisory: Deployment/apps/api sets spec.replicas although HorizontalPodAutoscaler/apps/api scales it: every update resets the replica count (leave replicas unset)",
        "mandatory: HorizontalPodAutoscaler/apps/api has invalid bounds (minReplicas 5, maxReplicas 3)",
      ]);
    });
  });

  describe("tls-on-public-routes", () => {
    it("passes HTTPS listeners with certificates and a redirect-only HTTP listener", async () => {
      assert.deepStrictEqual(await check("tls-on-public-routes", [gateway(), redirectRoute(), httpRoute("app")]), []);
    });
    it("handles Gateway API objects that come as CustomResource", async () => {
      const gw = mutate(gateway("edge", "edge", true), (p) => delete p.spec.listeners[0].tls.certificateRefs);
      assert.strictEqual(gw.type, "kubernetes:apiextensions.k8s.io:CustomResource");
      assert.deepStrictEqual(msgs(await check("tls-on-public-routes", gw)), ['mandatory: Gateway/edge/edge: HTTPS listener "https" has no tls.certificateRefs (or does not terminate TLS)']);
    });
    it("rejects a route that serves plain HTTP, explicitly or by attaching to every listener", async () => {
      const vs = await check("tls-on-public-routes", [gateway(), redirectRoute(), httpRoute("app", "http"), httpRoute("admin", null)]);
      assert.deepStrictEqual(msgs(vs), [
        'mandatory: HTTPRoute/apps/app serves plain HTTP on listener "http" of Gateway/edge/edge; only an https RequestRedirect may attach to an HTTP listener',
        'mandatory: HTTPRoute/apps/admin serves plain HTTP on listener "http" of Gateway/edge/edge; only an https RequestRedirect may attach to an HTTP listener',
      ]);
      assert.strictEqual(vs[0].urn, urnOf("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "app-route"));
    });
    it("ignores routes the listener does not admit (other namespace with allowedRoutes Same)", async () => {
      const gw = mutate(gateway(), (p) => (p.spec.listeners[1].allowedRoutes = { namespaces: { from: "Same" } }));
      assert.deepStrictEqual(await check("tls-on-public-routes", [gw, httpRoute("app", "http")]), []);
    });
    it("requires Ingress TLS to cover every host", async () => {
      const ingress = (spec: Record<string, any>): TestResource => ({
        type: "kubernetes:networking.k8s.io/v1:Ingress",
        name: "web",
        props: { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "web", namespace: NS }, spec: { ingressClassName: "nginx", ...spec } },
      });
      const rules = [{ host: "app.voicehelper.example" }, { host: "api.voicehelper.example" }];
      assert.deepStrictEqual(await check("tls-on-public-routes", ingress({ rules, tls: [{ hosts: ["*.voicehelper.example"], secretName: "wildcard" }] })), []);
      assert.deepStrictEqual(msgs(await check("tls-on-public-routes", ingress({ rules: [...rules, {}], tls: [{ hosts: ["app.voicehelper.example"] }] }))), [
        "mandatory: Ingress/apps/web: spec.tls[0] has no secretName",
        "mandatory: Ingress/apps/web: host api.voicehelper.example is not covered by spec.tls",
        "mandatory: Ingress/apps/web: a rule without host cannot be covered by spec.tls",
      ]);
    });
  });

  describe("credentials-from-generated-secrets", () => {
    const pw = randomPassword("db-password");
    it("passes a Secret whose stringData depends on a RandomPassword, and values unknown at preview", async () => {
      const s = secret("db", { username: "app", password: "q8Vt2Lm0Zr7Xw4Nc9Hs6Jk1Pd5Fg3Ba0" });
      s.propertyDependencies = { stringData: [pw.name] };
      const preview = secret("cache", { password: UNKNOWN });
      (preview.props.stringData as any).token = undefined; // an Output that mocks left unresolved
      assert.deepStrictEqual(await check("credentials-from-generated-secrets", [pw, s, preview]), []);
    });
    it("falls back to the resource's dependencies when the engine gives none per property", async () => {
      const s = secret("db", { password: "q8Vt2Lm0Zr7Xw4Nc9Hs6Jk1Pd5Fg3Ba0" });
      s.dependencies = [pw.name];
      assert.deepStrictEqual(await check("credentials-from-generated-secrets", [pw, s]), []);
    });
    it("rejects a known literal credential that no generator produced", async () => {
      const s = secret("db", { username: "app", password: "q8Vt2Lm0Zr7Xw4Nc9Hs6Jk1Pd5Fg3Ba0", API_TOKEN: "q8Vt2Lm0Zr7Xw4Nc9Hs6Jk1Pd5Fg3Ba0" });
      s.propertyDependencies = { stringData: [] };
      const vs = await check("credentials-from-generated-secrets", [pw, s]);
      assert.deepStrictEqual(msgs(vs), ['mandatory: Secret/apps/db: "password", "API_TOKEN" hold known literal credentials that come from no RandomPassword and no Pulumi config secret']);
      assert.ok(!vs[0].message.includes("q8Vt2Lm0"));
    });
    it("reports (advisory) Secrets declared as filled from Pulumi config secrets", async () => {
      const s = secret("llm", { OPENAI_API_KEY: "sk-test-4eC39HqLyjWDarjtT1zdp7dc" }, { annotations: { "voicehelper.io/credential-source": "config" } });
      assert.deepStrictEqual(msgs(await check("credentials-from-generated-secrets", s)), [
        'advisory: Secret/apps/llm: "OPENAI_API_KEY" taken from Pulumi config (annotation voicehelper.io/credential-source); make sure they are config secrets',
      ]);
    });
  });
});
