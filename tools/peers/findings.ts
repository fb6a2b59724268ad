/**
 * What the peer scanners report about the rendered objects, and the allowlist that accepts some of it.
 * A finding is one check failing on one object; the allowlist (tools/peers/allowlist.yaml) names, for
 * each accepted finding, the tool, the check, the objects and the reason.
 */
import { parse } from "yaml";

export const TOOLS = ["kube-score", "trivy"] as const;
export type Tool = (typeof TOOLS)[number];

export interface Finding {
  tool: Tool;
  check: string;
  /** `Kind/namespace/name`, or `Kind/name` for a cluster-scoped object. */
  object: string;
  detail: string;
  /** The stack whose render it was found in. */
  stack: string;
}

export interface AllowEntry {
  tool: Tool;
  check: string;
  objects: string[];
  reason: string;
  /** Only in these stacks (default: every stack). */
  stacks?: string[];
}

export interface ManifestIdentity {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
}

export function objectName(m: ManifestIdentity): string {
  const { kind = "?", metadata = {} } = m;
  return metadata.namespace ? `${kind}/${metadata.namespace}/${metadata.name}` : `${kind}/${metadata.name}`;
}

const OBJECT = /^[A-Za-z]+\/([a-z0-9.-]+\/)?[a-z0-9.-]+$/;

/** Reads and checks the allowlist: every entry names a known tool, a check, objects and a reason. */
export function parseAllowlist(text: string): AllowEntry[] {
  const doc = parse(text) as { allow?: unknown };
  if (!doc || !Array.isArray(doc.allow)) throw new Error("allowlist: expected a top-level `allow:` list");
  const problems: string[] = [];
  const entries = doc.allow.map((raw, i) => {
    const e = (raw ?? {}) as Partial<AllowEntry>;
    const where = `allowlist entry ${i + 1}${e.check ? ` (${e.check})` : ""}`;
    if (!TOOLS.includes(e.tool as Tool)) problems.push(`${where}: tool must be one of ${TOOLS.join(", ")}`);
    if (typeof e.check !== "string" || e.check.trim() === "") problems.push(`${where}: check must name the scanner's check id`);
    if (!Array.isArray(e.objects) || e.objects.length === 0) problems.push(`${where}: objects must list at least one Kind/namespace/name`);
    else for (const o of e.objects) if (typeof o !== "string" || !OBJECT.test(o)) problems.push(`${where}: ${JSON.stringify(o)} is not Kind/namespace/name or Kind/name`);
    if (typeof e.reason !== "string" || e.reason.trim().split(/\s+/).length < 5) problems.push(`${where}: reason must say why, in a sentence`);
    if (e.stacks !== undefined && (!Array.isArray(e.stacks) || e.stacks.length === 0 || e.stacks.some((x) => typeof x !== "string")))
      problems.push(`${where}: stacks, when given, must list stack names`);
    return e as AllowEntry;
  });
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return entries;
}

const accepts = (e: AllowEntry, f: Finding) => e.tool === f.tool && e.check === f.check && e.objects.includes(f.object) && (e.stacks === undefined || e.stacks.includes(f.stack));

/** Findings no entry accepts, and entries (object by object) that accepted nothing. */
export function compare(findings: readonly Finding[], allow: readonly AllowEntry[]): { unexpected: Finding[]; unused: { tool: Tool; check: string; object: string }[] } {
  return {
    unexpected: findings.filter((f) => !allow.some((e) => accepts(e, f))),
    unused: allow.flatMap((e) => e.objects.filter((object) => !findings.some((f) => f.object === object && accepts(e, f))).map((object) => ({ tool: e.tool, check: e.check, object }))),
  };
}

interface KubeScoreObject {
  type_meta: { kind: string };
  object_meta: { name: string; namespace?: string };
  checks: { check: { id: string }; grade: number; skipped: boolean; comments: { path?: string; summary?: string }[] | null }[];
}

/** kube-score's JSON: a check graded below "all OK" (10) and not skipped is a finding. */
export function kubeScoreFindings(json: string, stack: string): Finding[] {
  const objects = JSON.parse(json) as KubeScoreObject[];
  return objects.flatMap((o) =>
    o.checks
      .filter((c) => !c.skipped && c.grade < 10)
      .map((c) => ({
        tool: "kube-score" as const,
        stack,
        check: c.check.id,
        object: objectName({ kind: o.type_meta.kind, metadata: o.object_meta }),
        detail: (c.comments ?? []).map((x) => [x.path, x.summary].filter(Boolean).join(": ")).join("; "),
      })),
  );
}

/** trivy-iac's JSON lines; `objectOfFile` maps the scanned file to the object it holds. One finding per object and check. */
export function trivyFindings(lines: string, stack: string, objectOfFile: (file: string) => string): Finding[] {
  const seen = new Map<string, Finding>();
  for (const line of lines.split("\n").filter((l) => l.trim() !== "")) {
    const r = JSON.parse(line) as { file: string; check: string; title: string; message: string };
    const f: Finding = { tool: "trivy", stack, check: r.check, object: objectOfFile(r.file), detail: `${r.title}: ${r.message}` };
    const k = `${f.check}\u0000${f.object}`;
    if (!seen.has(k)) seen.set(k, f);
  }
  return [...seen.values()];
}
