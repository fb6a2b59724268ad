/**
 * How the Pulumi CLI runs the program (README "Performance"): the JavaScript `npm run compile` wrote when
 * it is current, the TypeScript through ts-node when any source is newer, never stale code; and
 * `npm test` keeps type-checking everything.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { parse } from "yaml";
import { inScratch, scratchEntry, ScratchEntry } from "./entry-scratch";
import { ROOT } from "./harness";

const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
const ENTRY = path.join(ROOT, project.main);

/** A tsconfig resolved the way tsc and ts-node resolve it (`extends` followed). */
function resolved(file: string): ts.CompilerOptions {
  const read = ts.readConfigFile(file, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(file), undefined, file).options;
}

/**
 * A scratch project laid out like this one (index.ts, components/, the pack's contract module the program
 * imports, the tsconfigs, the entry point and the freshness module it shares with the pack).
 */
function scratchProject(): ScratchEntry {
  return scratchEntry({
    copied: ["tsconfig.json", "tsconfig.build.json", project.main, "policy/lib/compiled-entry.js"],
    files: {
      "components/origin.ts": 'export const origin: string = "typescript";\n',
      "policy/lib/names.ts": 'export const NAME = "x";\n',
      "index.ts": 'import { origin } from "./components/origin";\nexport const ranFrom = origin;\n',
      "bin/components/origin.js": 'exports.origin = "compiled";\n',
      "bin/policy/lib/names.js": 'exports.NAME = "x";\n',
      "bin/index.js": 'exports.ranFrom = require("./components/origin").origin;\n',
    },
    compiled: ["bin/index.js", "bin/components/origin.js", "bin/policy/lib/names.js"],
    entry: project.main,
  });
}

describe("how the Pulumi CLI runs the program", () => {
  it("Pulumi.yaml runs the entry point as plain JavaScript: no TypeScript compiler loaded by the CLI", () => {
    assert.equal(project.runtime.options.typescript, false);
    assert.equal(project.main, "tools/entry/main.js");
    assert.ok(fs.existsSync(ENTRY));
  });

  it("runs the compiled JavaScript when bin/ is current", function () {
    this.timeout(60_000);
    inScratch(scratchProject, (p) => {
      assert.equal(p.run(), "compiled");
    });
  });

  it("runs the TypeScript when a source is newer than its compiled file, or than the compiler options, or bin/ is missing", function () {
    this.timeout(120_000);
    inScratch(scratchProject, (p) => {
      p.touch("components/origin.ts", "later");
      assert.equal(p.run(), "typescript", "a source edited after the compile");
      p.touch("components/origin.ts", "earlier");
      assert.equal(p.run(), "compiled");
      p.touch("policy/lib/names.ts", "later");
      assert.equal(p.run(), "typescript", "the pack's contract module, which the program imports, edited after the compile");
      p.touch("policy/lib/names.ts", "earlier");
      p.touch("tsconfig.json", "later");
      assert.equal(p.run(), "typescript", "compiler options changed after the compile");
      p.touch("tsconfig.json", "earlier");
      fs.rmSync(path.join(p.dir, "bin"), { recursive: true });
      assert.equal(p.run(), "typescript", "never compiled");
    });
  });

  it("compiles exactly the program with tsconfig.json's options, without the check npm test does", () => {
    const build = resolved(path.join(ROOT, "tsconfig.build.json"));
    const forTests = resolved(path.join(ROOT, "tsconfig.json"));
    assert.equal(forTests.noCheck, undefined, "tsconfig.json must keep type-checking on for npm test");
    assert.equal(build.noCheck, true);
    assert.equal(path.resolve(build.outDir!), path.join(ROOT, "bin"));
    const compared = (o: ts.CompilerOptions) => Object.fromEntries(Object.entries(o).filter(([k]) => !["configFilePath", "noCheck", "rootDir", "outDir"].includes(k)));
    assert.deepEqual(compared(build), compared(forTests));
    const files = ts.parseJsonConfigFileContent(ts.readConfigFile(path.join(ROOT, "tsconfig.build.json"), ts.sys.readFile).config, ts.sys, ROOT).fileNames;
    assert.ok(files.includes(path.join(ROOT, "index.ts")));
    assert.ok(
      files.every((f) => f === path.join(ROOT, "index.ts") || f.startsWith(path.join(ROOT, "components") + path.sep)),
      "only the program is compiled",
    );
  });

  it("npm test type-checks the whole project with tsconfig.json; npm run compile emits the program and the policy pack", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    assert.equal(pkg.scripts.build, "tsc --noEmit -p .");
    assert.match(pkg.scripts.test, /^npm run build && /);
    assert.equal(pkg.scripts.compile, "tsc -p tsconfig.build.json && tsc -p policy/tsconfig.build.json");
  });
});
