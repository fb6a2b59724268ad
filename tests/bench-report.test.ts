/**
 * The bench's report (tools/bench/report.ts): the ratios the performance targets are stated in.
 */
import { strict as assert } from "assert";
import { benchReport, parseResults } from "../tools/bench/report";

const RUN = [
  "dev\tobjects\t352",
  "dev\tresources\t467",
  "dev\tprogram run\t8.0\t6.0\t0.0",
  "dev\tkubectl apply\t5.0\t1.0\t2.0",
  "dev\tkubectl apply, no changes\t4.0\t1.0\t1.0",
  "dev\tpulumi up\t65.0\t40.0\t8.0",
  "dev\tpulumi up, PULUMI_SKIP_CHECKPOINTS=true\t23.4\t15.0\t7.0",
  "dev\tpulumi up, no changes\t22.0\t18.0\t2.0",
  "dev\tpulumi preview, no changes\tFAILED",
  "prod\tkubectl apply\t8.0\t2.0\t2.0",
  "prod\tpulumi up\t20.0\t10.0\t2.0",
  "prod\tpulumi preview --policy-pack, no changes\t21.0\t15.0\t2.0",
  "prod\tpulumi preview --policy-pack, no changes, pack from TypeScript\t35.0\t39.0\t3.0",
].join("\n");

describe("bench report", () => {
  const table = benchReport(parseResults(RUN));
  const row = (label: string) => table.split("\n").find((l) => l.startsWith(`| ${label} |`));

  it("shows one column per stack and each measured step's wall time, then the CPU of the tool and of the apiserver and etcd", () => {
    assert.equal(row("step: wall (CPU s: tool + apiserver/etcd)"), "| step: wall (CPU s: tool + apiserver/etcd) | dev | prod |");
    assert.equal(row("pulumi up"), "| pulumi up | 65.0 s (40.0 + 8.0) | 20.0 s (10.0 + 2.0) |");
    assert.equal(row("resources"), "| resources | 467 |  |");
  });

  it("states each ratio on wall time against its target and on CPU time beside it", () => {
    assert.equal(row("**first up / kubectl apply**"), "| **first up / kubectl apply** | 13.0 (target ≤ 3); CPU 16.0 | 2.5 (met); CPU 3.0 |");
    assert.equal(row("**first up (skip checkpoints) / kubectl apply**"), "| **first up (skip checkpoints) / kubectl apply** | 4.7 (target ≤ 3); CPU 7.3 |  |");
  });

  it("holds a no-change run to twice the no-change re-apply plus the program's own run", () => {
    // 22 s against 2 × 4 s + 8 s = 16 s; CPU: 20 against 2 × 2 + 6 = 10.
    assert.equal(row("**no-change up / (2 × kubectl no-change + program run)**"), "| **no-change up / (2 × kubectl no-change + program run)** | 1.4 (target ≤ 1); CPU 2.0 |  |");
  });

  it("shows a failed step as failed and leaves out the ratios it would have fed", () => {
    assert.equal(row("pulumi preview, no changes"), "| pulumi preview, no changes | failed |  |");
    assert.equal(row("**no-change preview / (2 × kubectl no-change + program run)**"), undefined);
  });

  it("gives the first up's time per resource with and without checkpoints, and the policy preview against its 15 s", () => {
    assert.equal(row("first up per resource (checkpoints / skipped)"), "| first up per resource (checkpoints / skipped) | 139 ms / 50 ms |  |");
    assert.equal(row("**preview with the policy pack ≤ 15 s**"), "| **preview with the policy pack ≤ 15 s** |  | 21.0 s > 15 s |", "held to the compiled pack, what users run");
    assert.equal(row("pulumi preview --policy-pack, no changes, pack from TypeScript"), "| pulumi preview --policy-pack, no changes, pack from TypeScript |  | 35.0 s (39.0 + 3.0) |");
  });
});
