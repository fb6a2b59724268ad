/**
 * How the Pulumi CLI runs the policy pack (README "Performance"): run-policy-pack registers ts-node with
 * type-checking whatever the pack says, so the pack's entry point runs what `npm run compile` wrote to
 * policy/bin when it is current, and its TypeScript (type-checked as before) otherwise; never stale rules.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { inScratch, scratchEntry, ScratchEntry } from "../entry-scratch";
import { ROOT } from "../harness";

const PACK = path.join(ROOT, "policy");
const packJson = JSON.parse(fs.readFileSync(path.join(PACK, "package.json"), "utf8"));

/** A tsconfig resolved the way tsc resolves it (`extends` followed). */
function resolved(file: string): ts.ParsedCommandLine {
  const read = ts.readConfigFile(file, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(file), undefined, file);
}

/** A scratch pack laid out like policy/: entry point, package.json, tsconfigs, a rule under rules/ and lib/. */
function scratchPack(): ScratchEntry {
  const copied = ["package.json", "entry.js", "lib/compiled-entry.js", "tsconfig.json", "tsconfig.build.json"].map((f) => `policy/${f}`);
  const pack = scratchEntry({
    copied,
    files: {
      "policy/rules/origin.ts": 'export const origin: string = "typescript";\n',
      "policy/lib/helper.ts": "export const helper = 1;\n",
      "policy/index.ts": 'import { origin } from "./rules/origin";\nimport { helper } from "./lib/helper";\nexport const ranFrom = helper && origin;\n',
      "policy/bin/rules/origin.js": 'exports.origin = "compiled";\n',
      "policy/bin/lib/helper.js": "exports.helper = 1;\n",
      "policy/bin/index.js": 'exports.ranFrom = require("./rules/origin").origin;\n',
    },
    compiled: ["policy/bin/index.js", "policy/bin/rules/origin.js", "policy/bin/lib/helper.js"],
    // The host requires the pack's folder, so package.json's `main` decides what runs.
    entry: "policy",
    // What @pulumi/pulumi's run-policy-pack does before it requires the pack (transpile-only here: the
    // test is about which file runs, not about the checker).
    preamble: 'require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } })',
  });
  return pack;
}

describe("how the Pulumi CLI runs the policy pack", () => {
  it("the pack's main is its plain-JavaScript entry point, and the folder holds it and the freshness module", () => {
    assert.equal(packJson.main, "entry.js");
    assert.ok(fs.existsSync(path.join(PACK, "entry.js")));
    assert.ok(fs.existsSync(path.join(PACK, "lib", "compiled-entry.js")), "the pack must stay self-contained");
  });

  it("runs the compiled rules when policy/bin is current", function () {
    this.timeout(60_000);
    inScratch(scratchPack, (p) => {
      assert.equal(p.run(), "compiled");
    });
  });

  it("runs the TypeScript when a rule or lib file is newer than its compiled file, or the build options are, or bin/ is missing", function () {
    this.timeout(120_000);
    inScratch(scratchPack, (p) => {
      // A rule, a lib module and the build options: each stands for the files of its kind.
      for (const src of ["policy/rules/origin.ts", "policy/lib/helper.ts", "policy/tsconfig.build.json"]) {
        p.touch(src, "later");
        assert.equal(p.run(), "typescript", `${src} changed after the compile`);
        p.touch(src, "earlier");
      }
      fs.rmSync(path.join(p.dir, "policy/bin"), { recursive: true });
      assert.equal(p.run(), "typescript", "never compiled");
    });
  });

  it("compiles exactly the pack's sources with its tsconfig's options, without the check npm test does", () => {
    const build = resolved(path.join(PACK, "tsconfig.build.json"));
    const checked = resolved(path.join(PACK, "tsconfig.json"));
    assert.equal(checked.options.noCheck, undefined);
    assert.equal(build.options.noCheck, true);
    assert.equal(path.resolve(build.options.outDir!), path.join(PACK, "bin"));
    const compared = (o: ts.CompilerOptions) => Object.fromEntries(Object.entries(o).filter(([k]) => !["configFilePath", "noCheck", "rootDir", "outDir"].includes(k)));
    assert.deepEqual(compared(build.options), compared(checked.options));
    assert.deepEqual([...build.fileNames].sort(), [...checked.fileNames].sort(), "the compile covers what the pack's tsconfig covers");
    const root = resolved(path.join(ROOT, "tsconfig.json"));
    for (const f of build.fileNames) assert.ok(root.fileNames.includes(f), `${path.relative(ROOT, f)} is type-checked by npm test`);
  });

  it("the freshness check watches every folder the pack's compile includes", () => {
    const entry = fs.readFileSync(path.join(PACK, "entry.js"), "utf8");
    const watched = JSON.parse(/entries: (\[[^\]]*\])/.exec(entry)![1]);
    const included: string[] = JSON.parse(fs.readFileSync(path.join(PACK, "tsconfig.build.json"), "utf8").replace(/^\s*\/\/.*$/gm, "")).include;
    assert.deepEqual(included.map((g) => g.split("/")[0]).sort(), [...watched].sort());
  });
});
