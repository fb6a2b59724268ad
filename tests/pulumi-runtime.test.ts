/**
 * How the Pulumi CLI runs the program: TypeScript transpiled without a second type-check at every
 * preview and up (README "Performance"), while `npm test` keeps type-checking everything.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { parse } from "yaml";
import { ROOT } from "./harness";

// @pulumi/pulumi's own reader of the tsconfig it is given (cmd/run decides transpileOnly from it).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { loadTypeScriptCompilerOptions } = require("@pulumi/pulumi/tsutils");

const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
const options = project.runtime?.options ?? {};

/** A tsconfig resolved the way tsc and ts-node resolve it (`extends` followed). */
function resolved(file: string): ts.CompilerOptions {
  const read = ts.readConfigFile(file, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(file), undefined, file).options;
}

describe("how the Pulumi CLI runs the program", () => {
  it("compiles the TypeScript with the tsconfig Pulumi.yaml names, and that tsconfig turns type-checking off", () => {
    assert.equal(options.typescript, true);
    assert.equal(typeof options.tsconfig, "string");
    const file = path.join(ROOT, options.tsconfig);
    assert.equal(loadTypeScriptCompilerOptions(file).noCheck, true, `${options.tsconfig} must set compilerOptions.noCheck itself`);
  });

  it("compiles exactly as npm test does, only without the check", () => {
    const forPulumi = resolved(path.join(ROOT, options.tsconfig));
    const forTests = resolved(path.join(ROOT, "tsconfig.json"));
    assert.equal(forTests.noCheck, undefined, "tsconfig.json must keep type-checking on for npm test");
    assert.equal(forPulumi.noCheck, true);
    const withoutFileAndCheck = (o: ts.CompilerOptions) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== "configFilePath" && k !== "noCheck"));
    assert.deepEqual(withoutFileAndCheck(forPulumi), withoutFileAndCheck(forTests));
  });

  it("npm test type-checks the whole project with tsconfig.json", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    assert.equal(pkg.scripts.build, "tsc --noEmit -p .");
    assert.match(pkg.scripts.test, /^npm run build && /);
  });

  it("@pulumi/pulumi does not follow extends when it looks for noCheck (why the setting sits in the file itself)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "voicehelper-tsconfig-"));
    try {
      const child = path.join(dir, "tsconfig.child.json");
      fs.writeFileSync(child, JSON.stringify({ extends: path.join(ROOT, options.tsconfig) }));
      assert.equal(loadTypeScriptCompilerOptions(child).noCheck, undefined);
      assert.equal(resolved(child).noCheck, true, "tsc itself does inherit it");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
