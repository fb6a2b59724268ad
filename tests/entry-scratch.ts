/**
 * A scratch copy of a project's entry point, its TypeScript and its compiled JavaScript, each of which says
 * which of them ran: how tests prove that the program's and the policy pack's entry points run compiled
 * code exactly when it is current (README "Performance").
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "./harness";

export interface ScratchEntry {
  dir: string;
  /** Writes a file relative to the scratch directory. */
  write(rel: string, text: string): void;
  /** Sets a file's modification time: `later` (after the compile) or `earlier` (before it). */
  touch(rel: string, when: "later" | "earlier"): void;
  /** Runs the entry as the CLI's host would; "compiled" or "typescript", and checks the notice matches. */
  run(): string;
  cleanup(): void;
}

/**
 * `files` maps paths to contents; `copied` are repository files copied as they are; `compiled` lists the
 * bin/ files, written newer than everything else as right after `npm run compile`. `entry` is what the
 * host requires; `preamble` runs before it (e.g. registering ts-node as run-policy-pack does).
 */
export function scratchEntry(opts: { files: Record<string, string>; copied: string[]; compiled: string[]; entry: string; preamble?: string }): ScratchEntry {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "voicehelper-entry-"));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  const touch = (rel: string, when: "later" | "earlier") => {
    const t = when === "later" ? new Date(Date.now() + 120_000) : new Date(0);
    fs.utimesSync(path.join(dir, rel), t, t);
  };
  for (const rel of opts.copied) write(rel, fs.readFileSync(path.join(ROOT, rel), "utf8"));
  for (const [rel, text] of Object.entries(opts.files)) write(rel, text);
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  const soon = new Date(Date.now() + 60_000);
  for (const rel of opts.compiled) fs.utimesSync(path.join(dir, rel), soon, soon);
  const run = () => {
    const result = path.join(dir, "result.json");
    const script = `${opts.preamble ?? ""}; require("fs").writeFileSync(${JSON.stringify(result)}, JSON.stringify(require(${JSON.stringify(path.join(dir, opts.entry))})))`;
    const host = spawnSync(process.execPath, ["-e", script], { cwd: dir, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
    const said = `${host.stdout}${host.stderr}`;
    assert.equal(host.status, 0, `the entry point failed: ${said}`);
    const ranFrom: string = JSON.parse(fs.readFileSync(result, "utf8")).ranFrom;
    assert.equal(/npm run compile/.test(said), ranFrom === "typescript", `the notice is shown exactly when the sources run: ${said}`);
    return ranFrom;
  };
  return { dir, write, touch, run, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `use` on a fresh scratch entry and removes the scratch directory afterwards, also when it fails. */
export function inScratch(make: () => ScratchEntry, use: (p: ScratchEntry) => void): void {
  const p = make();
  try {
    use(p);
  } finally {
    p.cleanup();
  }
}
