/**
 * The bench's table: one column per stack, the measured steps, and the ratios the targets are stated in
 * (README "Performance"). Input: the TSV bench.sh writes: stack, step, value (seconds, a count or
 * FAILED), then for timed steps the CPU seconds of the tool with its children and of apiserver + etcd.
 */
import * as fs from "fs";

export interface BenchRow {
  stack: string;
  step: string;
  /** Wall seconds, a count (objects, resources), or "FAILED". */
  value: string;
  /** CPU seconds of the measured command and its children (timed steps only). */
  toolCpu?: number;
  /** CPU seconds the apiserver and etcd spent during the step (timed steps only). */
  serverCpu?: number;
}

/** Steps in the order they are shown, with how their value reads. */
const STEPS: { step: string; unit: "s" | "count" }[] = [
  { step: "objects", unit: "count" },
  { step: "resources", unit: "count" },
  { step: "compile", unit: "s" },
  { step: "program run", unit: "s" },
  { step: "kubectl apply", unit: "s" },
  { step: "kubectl apply, no changes", unit: "s" },
  { step: "pulumi up", unit: "s" },
  { step: "pulumi up, PULUMI_SKIP_CHECKPOINTS=true", unit: "s" },
  { step: "pulumi up, no changes", unit: "s" },
  { step: "pulumi preview, no changes", unit: "s" },
  { step: "pulumi preview, no changes, from TypeScript", unit: "s" },
  { step: "pulumi preview --policy-pack, no changes", unit: "s" },
  { step: "pulumi preview --policy-pack, no changes, pack from TypeScript", unit: "s" },
];

/**
 * The targets of the issue: a measured step against a weighted sum of others; met when the quotient is at
 * most `target`. "No-change up ≤ 2 × a no-change re-apply + the program's own run" is the quotient of the
 * up by (2 × re-apply + program run), at most 1.
 */
/** What a no-change run is held to: twice the no-change re-apply plus the program's own run. */
const NO_CHANGE_BOUND = [
  { step: "kubectl apply, no changes", times: 2 },
  { step: "program run", times: 1 },
];

export const RATIOS: { label: string; of: string; to: { step: string; times: number }[]; target: number }[] = [
  { label: "first up / kubectl apply", of: "pulumi up", to: [{ step: "kubectl apply", times: 1 }], target: 3 },
  {
    label: "first up (skip checkpoints) / kubectl apply",
    of: "pulumi up, PULUMI_SKIP_CHECKPOINTS=true",
    to: [{ step: "kubectl apply", times: 1 }],
    target: 3,
  },
  { label: "no-change up / (2 × kubectl no-change + program run)", of: "pulumi up, no changes", to: NO_CHANGE_BOUND, target: 1 },
  { label: "no-change preview / (2 × kubectl no-change + program run)", of: "pulumi preview, no changes", to: NO_CHANGE_BOUND, target: 1 },
];

/** Absolute target: prod's no-change preview with the policy pack, in seconds. */
export const POLICY_PREVIEW_TARGET_SECONDS = 15;

function rowOf(rows: BenchRow[], stack: string, step: string): BenchRow | undefined {
  return rows.find((r) => r.stack === stack && r.step === step);
}

/** Wall seconds of a step, or its total CPU seconds (tool + server); undefined when missing or failed. */
function secondsOf(rows: BenchRow[], stack: string, step: string, clock: "wall" | "cpu"): number | undefined {
  const row = rowOf(rows, stack, step);
  if (row === undefined) return undefined;
  const n = clock === "wall" ? Number(row.value) : (row.toolCpu ?? NaN) + (row.serverCpu ?? NaN);
  return Number.isFinite(n) && row.value !== "FAILED" ? n : undefined;
}

function cell(rows: BenchRow[], stack: string, step: string, unit: "s" | "count"): string {
  const row = rowOf(rows, stack, step);
  if (row === undefined) return "";
  if (row.value === "FAILED") return "failed";
  if (unit === "count") return row.value;
  const wall = `${Number(row.value).toFixed(1)} s`;
  return row.toolCpu === undefined || row.serverCpu === undefined ? wall : `${wall} (${row.toolCpu.toFixed(1)} + ${row.serverCpu.toFixed(1)})`;
}

function quotient(rows: BenchRow[], stack: string, ratio: (typeof RATIOS)[number], clock: "wall" | "cpu"): number | undefined {
  const of = secondsOf(rows, stack, ratio.of, clock);
  const parts = ratio.to.map((t) => secondsOf(rows, stack, t.step, clock));
  if (of === undefined || parts.some((p) => p === undefined)) return undefined;
  return of / ratio.to.reduce((sum, t, i) => sum + t.times * parts[i]!, 0);
}

/** The Markdown table of a bench run. */
export function benchReport(rows: BenchRow[]): string {
  const stacks = [...new Set(rows.map((r) => r.stack))];
  const lines = [`| step: wall (CPU s: tool + apiserver/etcd) | ${stacks.join(" | ")} |`, `|---|${stacks.map(() => "---:").join("|")}|`];
  for (const { step, unit } of STEPS) {
    if (rows.some((r) => r.step === step)) lines.push(`| ${step} | ${stacks.map((s) => cell(rows, s, step, unit)).join(" | ")} |`);
  }
  for (const ratio of RATIOS) {
    const values = stacks.map((s) => {
      const wall = quotient(rows, s, ratio, "wall");
      if (wall === undefined) return "";
      const cpu = quotient(rows, s, ratio, "cpu");
      const verdict = wall <= ratio.target ? "met" : `target ≤ ${ratio.target}`;
      return `${wall.toFixed(1)} (${verdict})${cpu === undefined ? "" : `; CPU ${cpu.toFixed(1)}`}`;
    });
    if (values.some((v) => v !== "")) lines.push(`| **${ratio.label}** | ${values.join(" | ")} |`);
  }
  const perResource = stacks.map((s) => {
    const ups = ["pulumi up", "pulumi up, PULUMI_SKIP_CHECKPOINTS=true"].map((step) => secondsOf(rows, s, step, "wall"));
    const n = Number(rowOf(rows, s, "resources")?.value);
    if (!(n > 0) || ups.every((u) => u === undefined)) return "";
    return ups.map((u) => (u === undefined ? "–" : `${((u / n) * 1000).toFixed(0)} ms`)).join(" / ");
  });
  if (perResource.some((v) => v !== "")) lines.push(`| first up per resource (checkpoints / skipped) | ${perResource.join(" | ")} |`);
  const policy = stacks.map((s) => {
    const t = secondsOf(rows, s, "pulumi preview --policy-pack, no changes", "wall");
    return t === undefined ? "" : t <= POLICY_PREVIEW_TARGET_SECONDS ? "met" : `${t.toFixed(1)} s > ${POLICY_PREVIEW_TARGET_SECONDS} s`;
  });
  if (policy.some((v) => v !== "")) lines.push(`| **preview with the policy pack ≤ ${POLICY_PREVIEW_TARGET_SECONDS} s** | ${policy.join(" | ")} |`);
  return `${lines.join("\n")}\n`;
}

export function parseResults(tsv: string): BenchRow[] {
  return tsv
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      const [stack, step, value, toolCpu, serverCpu] = l.split("\t");
      const row: BenchRow = { stack, step, value };
      if (toolCpu !== undefined && serverCpu !== undefined) {
        row.toolCpu = Number(toolCpu);
        row.serverCpu = Number(serverCpu);
      }
      return row;
    });
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: report <results.tsv>");
    process.exit(2);
  }
  process.stdout.write(benchReport(parseResults(fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "")));
}
