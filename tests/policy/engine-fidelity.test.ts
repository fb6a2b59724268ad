// Runs the pack through @pulumi/policy's own analyzer functions (what the policy server does for the
// engine, minus gRPC transport) to prove what the harness and the rules assume about the SDK:
// per-violation ADVISORY level (the private object overload of reportViolation), plaintext secrets,
// unknown values and property dependencies.

import * as assert from "assert";
import * as policyProxy from "@pulumi/policy/proxy";
import * as policyServer from "@pulumi/policy/server";
import * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { allPolicies } from "../../policy/policies";
import { container, deployment, podSpec, randomPassword, secret } from "./fixtures";
import { runPolicies, TestResource, UNKNOWN, urnOf } from "./util";

const server = policyServer as any;
const SECRET_SIG = { key: "4dabf18193072939515e22adb298388d", value: "1b47061264138c4ac30d75fd1eb44270" };
const LEVELS: Record<number, string> = { [analyzerproto.EnforcementLevel.ADVISORY]: "advisory", [analyzerproto.EnforcementLevel.MANDATORY]: "mandatory" };

interface Diagnostic {
  policyName: string;
  enforcementLevel: string;
  message: string;
  urn: string;
}

function options(): analyzerproto.AnalyzerResourceOptions {
  return new analyzerproto.AnalyzerResourceOptions().setProtect(false);
}

function call(fn: any, request: unknown): Promise<Diagnostic[]> {
  return new Promise((resolve, reject) =>
    fn({ request }, (err: unknown, response: analyzerproto.AnalyzeResponse) => {
      if (err) {
        reject(err);
        return;
      }
      resolve(
        response.getDiagnosticsList().map((d) => ({
          policyName: d.getPolicyname(),
          enforcementLevel: LEVELS[d.getEnforcementlevel()] ?? String(d.getEnforcementlevel()),
          message: d.getMessage(),
          urn: d.getUrn(),
        })),
      );
    }),
  );
}

/** Analyzes one resource exactly as the policy server does for `pulumi preview`. */
function analyze(r: TestResource, props: Record<string, unknown> = r.props): Promise<Diagnostic[]> {
  const req = new analyzerproto.AnalyzeRequest()
    .setType(r.type)
    .setName(r.name)
    .setUrn(urnOf(r.type, r.name))
    .setProperties(Struct.fromJavaScript(props as any))
    .setOptions(options());
  return call(server.makeAnalyzeRpcFun("voicehelper", "0.1.0", "mandatory", allPolicies), req);
}

/** Analyzes a stack as the policy server does at the end of a preview or update. */
function analyzeStack(resources: TestResource[]): Promise<Diagnostic[]> {
  const list = resources.map((r) => {
    const res = new analyzerproto.AnalyzerResource()
      .setType(r.type)
      .setName(r.name)
      .setUrn(urnOf(r.type, r.name))
      .setProperties(Struct.fromJavaScript(r.props))
      .setOptions(options())
      .setDependenciesList((r.dependencies ?? []).map((n) => urnOf(resources.find((x) => x.name === n)!.type, n)));
    for (const [prop, names] of Object.entries(r.propertyDependencies ?? {})) {
      const urns = names.map((n) => urnOf(resources.find((x) => x.name === n)!.type, n));
      res.getPropertydependenciesMap().set(prop, new analyzerproto.AnalyzerPropertyDependencies().setUrnsList(urns));
    }
    return res;
  });
  const req = new analyzerproto.AnalyzeStackRequest().setResourcesList(list);
  return call(server.makeAnalyzeStackRpcFun("voicehelper", "0.1.0", "mandatory", allPolicies), req);
}

const levelsByPolicy = (ds: { policyName: string; enforcementLevel: string }[]) => ds.map((d) => `${d.policyName}=${d.enforcementLevel}`).sort();

describe("policy: fidelity with the @pulumi/policy 1.21 analyzer", () => {
  it("uses the SDK's sentinel for unknown strings", () => {
    assert.strictEqual(UNKNOWN, (policyProxy as any).unknownStringValue);
  });

  it("reports a named exception at ADVISORY level and other findings at MANDATORY level, as the harness does", async () => {
    const es = container("es");
    es.securityContext.privileged = true;
    const d = deployment("es", {
      annotations: { "voicehelper.io/policy-exceptions": '{"host-path": "reads node logs"}' },
      spec: podSpec([es], { volumes: [{ name: "logs", hostPath: { path: "/var/log" } }] }),
    });
    const engine = await analyze(d);
    const harness = await runPolicies(
      [d],
      {},
      allPolicies.filter((p) => !("validateStack" in p)),
    );
    assert.deepStrictEqual(levelsByPolicy(engine), ["host-path=advisory", "no-privileged=mandatory"]);
    assert.deepStrictEqual(levelsByPolicy(engine), levelsByPolicy(harness));
    for (const h of harness) {
      assert.ok(
        engine.some((e) => e.policyName === h.policyName && e.message.endsWith(h.message)),
        `engine lacks: ${h.message}`,
      );
    }
  });

  it("sees Pulumi secrets in plaintext and reports them without echoing the value", async () => {
    const s = secret("grafana", {});
    const props = { ...s.props, stringData: { GF_SECURITY_ADMIN_PASSWORD: { [SECRET_SIG.key]: SECRET_SIG.value, value: "VoiceHelper2025!" } } };
    const ds = await analyze(s, props);
    assert.deepStrictEqual(levelsByPolicy(ds), ["no-default-credentials=mandatory"]);
    assert.ok(!ds[0].message.includes("VoiceHelper2025!"), ds[0].message);
  });

  it("handles unknown values itself: the other findings still count, nothing is downgraded", async () => {
    const s = secret("nacos", { NACOS_AUTH_TOKEN: UNKNOWN, NACOS_AUTH_ENABLE: "false" });
    const ds = await analyze(s);
    assert.deepStrictEqual(levelsByPolicy(ds), ["no-default-credentials=mandatory"]);
    assert.match(ds[0].message, /"NACOS_AUTH_ENABLE" turns Nacos authentication off/);
  });

  it("gives stack policies the property dependencies that prove a credential is generated", async () => {
    const pw = randomPassword("db-password");
    const generated = { ...secret("db", { password: "q8Vt2Lm0Zr7Xw4Nc9Hs6Jk1Pd5Fg3Ba0" }), propertyDependencies: { stringData: [pw.name] } };
    assert.deepStrictEqual(levelsByPolicy((await analyzeStack([pw, generated])).filter((d) => d.policyName === "credentials-from-generated-secrets")), []);
    const literal = secret("db", { password: "q8Vt2Lm0Zr7Xw4Nc9Hs6Jk1Pd5Fg3Ba0" });
    const ds = (await analyzeStack([pw, literal])).filter((d) => d.policyName === "credentials-from-generated-secrets");
    assert.deepStrictEqual(levelsByPolicy(ds), ["credentials-from-generated-secrets=mandatory"]);
    assert.strictEqual(ds[0].urn, urnOf(literal.type, literal.name));
  });
});
