/**
 * The two mocha suites (README "Tests"): `npm test` runs the unit suite, CI runs the stack suite as its own
 * step. Every test file must be in exactly one of them, or a new file would silently run in neither (or
 * twice in CI).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./harness";

const scripts: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts;

/** The patterns a `mocha ...` script names as specs and as `--ignore`s (quotes removed). */
function mochaPatterns(script: string): { specs: string[]; ignores: string[] } {
  const words = (script.match(/'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^'|'$/g, ""));
  assert.equal(words[0], "mocha", `not a mocha script: ${script}`);
  const specs: string[] = [];
  const ignores: string[] = [];
  for (let i = 1; i < words.length; i++) {
    if (words[i] === "--ignore") ignores.push(words[++i]);
    else if (words[i].startsWith("-")) assert.fail(`unexpected option ${words[i]} in ${script}`);
    else specs.push(words[i]);
  }
  return { specs, ignores };
}

/** A glob as mocha reads these (`**` any folders, `*` within one name) as a regular expression. */
function globRegExp(glob: string): RegExp {
  const body = glob
    .split(/(\*\*\/|\*)/)
    .map((part) => (part === "**/" ? "(?:[^/]+/)*" : part === "*" ? "[^/]*" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${body}$`);
}

function testFiles(dir = "tests"): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return rel === "tests/e2e" || rel === "tests/tools" ? [] : testFiles(rel);
    return e.name.endsWith(".test.ts") ? [rel] : [];
  });
}

function selected(script: string, files: string[]): string[] {
  const { specs, ignores } = mochaPatterns(script);
  const matches = (f: string, globs: string[]) => globs.some((g) => globRegExp(g).test(f));
  return files.filter((f) => matches(f, specs) && !matches(f, ignores));
}

describe("the unit and stack suites", () => {
  const files = testFiles();
  const unit = selected(scripts["test:unit"], files);
  const stacks = selected(scripts["test:stacks"], files);

  it("reads the globs as mocha does", () => {
    assert.ok(globRegExp("tests/layers/**/*.test.ts").test("tests/layers/edge.test.ts"));
    assert.ok(globRegExp("tests/layers/**/*.test.ts").test("tests/layers/a/b.test.ts"));
    assert.ok(!globRegExp("tests/layers/**/*.test.ts").test("tests/layers.test.ts"));
    assert.ok(globRegExp("tests/policy/pack*.test.ts").test("tests/policy/pack-entry.test.ts"));
    assert.ok(!globRegExp("tests/policy/pack*.test.ts").test("tests/policy/x/pack.test.ts"));
  });

  it("puts every test file in exactly one suite", () => {
    assert.ok(files.length > 50, `found only ${files.length} test files`);
    const both = unit.filter((f) => stacks.includes(f));
    const neither = files.filter((f) => !unit.includes(f) && !stacks.includes(f));
    assert.deepEqual(both, [], "in both suites");
    assert.deepEqual(neither, [], "in neither suite");
  });

  it("keeps the whole-platform suites out of npm test, and one whole-stack smoke in it", () => {
    for (const f of ["tests/policy/stacks.test.ts", "tests/render.test.ts", "tests/layers/edge.test.ts"]) assert.ok(stacks.includes(f), f);
    for (const f of ["tests/config.test.ts", "tests/kit.test.ts", "tests/stacks.test.ts", "tests/policy/no-default-credentials.test.ts"]) assert.ok(unit.includes(f), f);
    assert.match(scripts.test, /npm run test:unit$/);
  });

  it("CI runs both suites and the lint", () => {
    const ci = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
    for (const step of [/^npm test$/m, /^npm run lint$/m, /^npm run test:stacks$/m]) assert.match(ci, step);
  });
});
