/**
 * The bench's report (tools/bench/report.ts): the ratios the performance targets are stated in.
 */
import { strict as assert } from "assert";
import { benchReport, parseResults } from "../tools/bench/report";

const RUN = [
  "dev\tobjects\t352",
  "dev\tresources\t467",
  "dev\tprogram run\t8.0",
  "dev\tkubectl apply\t5.0",
  "dev\tkubectl apply, no changes\t4.0",
  "dev\tpulumi up\t65.0",
  "dev\tpulumi up, no changes\t22.0",
  "dev\tpulumi preview, no changes\tFAILED",
  "prod\tkubectl apply\t8.0",
  "prod\tpulumi up\t20.0",
  "prod\tpulumi preview --policy-pack, no changes\t21.0",
].join("\n");

describe("bench report", () => {
  const table = benchReport(parseResults(RUN));
  const row = (label: string) => table.split("\n").find((l) => l.startsWith(`| ${label} |`));

  it("shows one column per stack and each measured step in seconds", () => {
    assert.equal(row("step"), "| step | dev | prod |");
    assert.equal(row("pulumi up"), "| pulumi up | 65.0 s | 20.0 s |");
    assert.equal(row("resources"), "| resources | 467 |  |");
  });

  it("states each ratio against its target, and leaves it out where a step is missing or failed", () => {
    assert.equal(row("**first up / kubectl apply**"), "| **first up / kubectl apply** | 13.0× (target 3×) | 2.5× (met) |");
    assert.equal(row("**no-change up / (kubectl no-change + program run)**"), "| **no-change up / (kubectl no-change + program run)** | 1.8× (met) |  |");
    assert.equal(row("pulumi preview, no changes"), "| pulumi preview, no changes | failed |  |");
    assert.equal(row("**no-change preview / (kubectl no-change + program run)**"), undefined);
  });

  it("gives the first up's time per resource and the policy preview against its 15 s", () => {
    assert.equal(row("first up per resource"), "| first up per resource | 139 ms |  |");
    assert.equal(row("**preview with the policy pack ≤ 15 s**"), "| **preview with the policy pack ≤ 15 s** |  | 21.0 s > 15 s |");
  });
});
