/**
 * The bench's table: one column per stack, the measured steps, and the ratios the targets are stated in
 * (README "Performance"). Input: the TSV bench.sh writes (stack, step, seconds | count | FAILED).
 */
import * as fs from "fs";

export interface BenchRow {
  stack: string;
  step: string;
  /** Seconds, a count (objects, resources), or "FAILED". */
  value: string;
}

/** Steps in the order they are shown, with how their value reads. */
const STEPS: { step: string; unit: "s" | "count" }[] = [
  { step: "objects", unit: "count" },
  { step: "resources", unit: "count" },
  { step: "program run", unit: "s" },
  { step: "kubectl apply", unit: "s" },
  { step: "kubectl apply, no changes", unit: "s" },
  { step: "pulumi preview", unit: "s" },
  { step: "pulumi up", unit: "s" },
  { step: "pulumi up, PULUMI_SKIP_CHECKPOINTS=true", unit: "s" },
  { step: "pulumi up, no changes", unit: "s" },
  { step: "pulumi preview, no changes", unit: "s" },
  { step: "pulumi preview, no changes, type-checked", unit: "s" },
  { step: "pulumi preview --policy-pack, no changes", unit: "s" },
];

/** The targets of the issue, as ratios of measured steps (numerator / sum of denominators). */
export const RATIOS: { label: string; of: string; to: string[]; target: number }[] = [
  { label: "first up / kubectl apply", of: "pulumi up", to: ["kubectl apply"], target: 3 },
  { label: "first up (skip checkpoints) / kubectl apply", of: "pulumi up, PULUMI_SKIP_CHECKPOINTS=true", to: ["kubectl apply"], target: 3 },
  { label: "no-change up / (kubectl no-change + program run)", of: "pulumi up, no changes", to: ["kubectl apply, no changes", "program run"], target: 2 },
  { label: "no-change preview / (kubectl no-change + program run)", of: "pulumi preview, no changes", to: ["kubectl apply, no changes", "program run"], target: 2 },
];

/** Absolute target: prod's no-change preview with the policy pack, in seconds. */
export const POLICY_PREVIEW_TARGET_SECONDS = 15;

function numberOf(rows: BenchRow[], stack: string, step: string): number | undefined {
  const row = rows.find((r) => r.stack === stack && r.step === step);
  const n = row === undefined ? NaN : Number(row.value);
  return Number.isFinite(n) ? n : undefined;
}

function cell(rows: BenchRow[], stack: string, step: string, unit: "s" | "count"): string {
  const row = rows.find((r) => r.stack === stack && r.step === step);
  if (row === undefined) return "";
  if (row.value === "FAILED") return "failed";
  return unit === "s" ? `${Number(row.value).toFixed(1)} s` : row.value;
}

/** The Markdown table of a bench run. */
export function benchReport(rows: BenchRow[]): string {
  const stacks = [...new Set(rows.map((r) => r.stack))];
  const lines = [`| step | ${stacks.join(" | ")} |`, `|---|${stacks.map(() => "---:").join("|")}|`];
  for (const { step, unit } of STEPS) {
    if (rows.some((r) => r.step === step)) lines.push(`| ${step} | ${stacks.map((s) => cell(rows, s, step, unit)).join(" | ")} |`);
  }
  for (const ratio of RATIOS) {
    const values = stacks.map((s) => {
      const of = numberOf(rows, s, ratio.of);
      const to = ratio.to.map((t) => numberOf(rows, s, t));
      if (of === undefined || to.some((t) => t === undefined)) return "";
      const r = of / to.reduce((a: number, b) => a + b!, 0);
      return `${r.toFixed(1)}× ${r <= ratio.target ? "(met)" : `(target ${ratio.target}×)`}`;
    });
    if (values.some((v) => v !== "")) lines.push(`| **${ratio.label}** | ${values.join(" | ")} |`);
  }
  const perResource = stacks.map((s) => {
    const up = numberOf(rows, s, "pulumi up");
    const n = numberOf(rows, s, "resources");
    return up === undefined || !n ? "" : `${((up / n) * 1000).toFixed(0)} ms`;
  });
  if (perResource.some((v) => v !== "")) lines.push(`| first up per resource | ${perResource.join(" | ")} |`);
  const policy = stacks.map((s) => {
    const t = numberOf(rows, s, "pulumi preview --policy-pack, no changes");
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
      const [stack, step, value] = l.split("\t");
      return { stack, step, value };
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
