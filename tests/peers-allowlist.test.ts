/** The peer scanners' allowlist (tools/peers/allowlist.yaml) and how findings are matched against it. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { AllowEntry, Finding, compare, kubeScoreFindings, parseAllowlist, trivyFindings } from "../tools/peers/findings";
import { ROOT } from "./harness";

const entry = (over: Partial<AllowEntry> = {}): AllowEntry => ({
  tool: "kube-score",
  check: "deployment-replicas",
  objects: ["Deployment/voicehelper/gateway"],
  reason: "One replica by the minimal tier's sizing, on purpose.",
  ...over,
});
const finding = (over: Partial<Finding> = {}): Finding => ({ tool: "kube-score", check: "deployment-replicas", object: "Deployment/voicehelper/gateway", detail: "", stack: "dev", ...over });
const yaml = (entries: unknown[]) => JSON.stringify({ allow: entries });

describe("peer scanners: allowlist", () => {
  it("the committed allowlist names, in every entry, the tool, the check, the objects and a reason", () => {
    const entries = parseAllowlist(fs.readFileSync(path.join(ROOT, "tools/peers/allowlist.yaml"), "utf8"));
    assert.ok(entries.length > 0);
  });

  it("refuses an entry without a reason, with an unknown tool, or naming something that is not an object", () => {
    assert.throws(() => parseAllowlist(yaml([entry({ reason: "" })])), /reason must say why/);
    assert.throws(() => parseAllowlist(yaml([entry({ tool: "kubelinter" as never })])), /tool must be one of kube-score, trivy/);
    assert.throws(() => parseAllowlist(yaml([entry({ objects: ["gateway"] })])), /"gateway" is not Kind\/namespace\/name/);
    assert.throws(() => parseAllowlist(yaml([entry({ objects: [] })])), /objects must list at least one/);
    assert.throws(() => parseAllowlist("allow: nope"), /top-level `allow:` list/);
  });

  it("fails a finding on an object no entry names, even for an allowed check", () => {
    const { unexpected } = compare([finding(), finding({ object: "Deployment/voicehelper/frontend" })], [entry()]);
    assert.deepStrictEqual(
      unexpected.map((f) => f.object),
      ["Deployment/voicehelper/frontend"],
    );
  });

  it("fails a finding in a stack the entry does not cover, and reports entries that accept nothing", () => {
    const onlyDev = entry({ stacks: ["dev"], objects: ["Deployment/voicehelper/gateway", "Deployment/voicehelper/llm-proxy"] });
    const { unexpected, unused } = compare([finding(), finding({ stack: "prod" })], [onlyDev]);
    assert.deepStrictEqual(
      unexpected.map((f) => f.stack),
      ["prod"],
    );
    assert.deepStrictEqual(
      unused.map((u) => u.object),
      ["Deployment/voicehelper/llm-proxy"],
    );
  });

  it("reads kube-score's JSON: a check graded below 10 and not skipped is a finding", () => {
    const json = JSON.stringify([
      {
        type_meta: { kind: "Deployment" },
        object_meta: { name: "gateway", namespace: "voicehelper" },
        checks: [
          { check: { id: "deployment-replicas" }, grade: 5, skipped: false, comments: [{ summary: "Deployment few replicas" }] },
          { check: { id: "stable-version" }, grade: 10, skipped: false, comments: null },
          { check: { id: "pod-probes" }, grade: 1, skipped: true, comments: null },
        ],
      },
    ]);
    assert.deepStrictEqual(kubeScoreFindings(json, "dev"), [finding({ detail: "Deployment few replicas" })]);
  });

  it("reads trivy-iac's JSON lines: one finding per object and check, named by the file's object", () => {
    const line = (check: string) => JSON.stringify({ file: "voicehelper/deployment-gateway.yaml", check, severity: "LOW", title: "t", message: "m" });
    const found = trivyFindings([line("KSV-0001"), line("KSV-0001"), line("KSV-0020")].join("\n"), "prod", () => "Deployment/voicehelper/gateway");
    assert.deepStrictEqual(
      found.map((f) => [f.check, f.object, f.stack]),
      [
        ["KSV-0001", "Deployment/voicehelper/gateway", "prod"],
        ["KSV-0020", "Deployment/voicehelper/gateway", "prod"],
      ],
    );
  });
});
