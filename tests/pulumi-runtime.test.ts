/**
 * How the Pulumi CLI runs the program (README "Performance"): the JavaScript `npm run compile` wrote when
 * it is current, the TypeScript through ts-node when any source is newer, never stale code; and
 * `npm test` keeps type-checking everything.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { parse } from "yaml";
import { ROOT } from "./harness";

const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
const ENTRY = path.join(ROOT, project.main);

/** A tsconfig resolved the way tsc and ts-node resolve it (`extends` followed). */
function resolved(file: string): ts.CompilerOptions {
  const read = ts.readConfigFile(file, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(file), undefined, file).options;
}

/**
 * A scratch project laid out like this one (index.ts, components/, the tsconfigs, the entry point, the
 * repository's node_modules), whose TypeScript and compiled JavaScript say which of them ran.
 */
function scratchProject(): { dir: string; run: () => string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "voicehelper-entry-"));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  for (const f of ["tsconfig.json", "tsconfig.build.json"]) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  write(project.main, fs.readFileSync(ENTRY, "utf8"));
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  write("components/origin.ts", 'export const origin: string = "typescript";\n');
  write("index.ts", 'import { origin } from "./components/origin";\nexport const ranFrom = origin;\n');
  write("bin/components/origin.js", 'exports.origin = "compiled";\n');
  write("bin/index.js", 'exports.ranFrom = require("./components/origin").origin;\n');
  // The compiled files are newer than everything else, as right after `npm run compile`.
  const later = new Date(Date.now() + 60_000);
  for (const f of ["bin/index.js", "bin/components/origin.js"]) fs.utimesSync(path.join(dir, f), later, later);
  /** Runs the entry point as the language host would; which code ran, and what it told the user. */
  const run = () => {
    const result = path.join(dir, "result.json");
    const said = execFileSync(process.execPath, ["-e", `require("fs").writeFileSync(${JSON.stringify(result)}, JSON.stringify(require(${JSON.stringify(path.join(dir, project.main))})))`], {
      cwd: dir,
      stdio: ["ignore", "pipe", "ignore"],
    }).toString();
    const ranFrom: string = JSON.parse(fs.readFileSync(result, "utf8")).ranFrom;
    assert.equal(/npm run compile/.test(said), ranFrom === "typescript", `the notice is shown exactly when the sources run: ${said}`);
    return ranFrom;
  };
  return { dir, run, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

describe("how the Pulumi CLI runs the program", () => {
  it("Pulumi.yaml runs the entry point as plain JavaScript: no TypeScript compiler loaded by the CLI", () => {
    assert.equal(project.runtime.options.typescript, false);
    assert.equal(project.main, "tools/entry/main.js");
    assert.ok(fs.existsSync(ENTRY));
  });

  it("runs the compiled JavaScript when bin/ is current", function () {
    this.timeout(60_000);
    const p = scratchProject();
    try {
      assert.equal(p.run(), "compiled");
    } finally {
      p.cleanup();
    }
  });

  it("runs the TypeScript when a source is newer than its compiled file, or than the compiler options, or bin/ is missing", function () {
    this.timeout(120_000);
    const p = scratchProject();
    try {
      const later = new Date(Date.now() + 120_000);
      fs.utimesSync(path.join(p.dir, "components/origin.ts"), later, later);
      assert.equal(p.run(), "typescript", "a source edited after the compile");
      fs.utimesSync(path.join(p.dir, "components/origin.ts"), new Date(0), new Date(0));
      assert.equal(p.run(), "compiled");
      fs.utimesSync(path.join(p.dir, "tsconfig.json"), later, later);
      assert.equal(p.run(), "typescript", "compiler options changed after the compile");
      fs.utimesSync(path.join(p.dir, "tsconfig.json"), new Date(0), new Date(0));
      fs.rmSync(path.join(p.dir, "bin"), { recursive: true });
      assert.equal(p.run(), "typescript", "never compiled");
    } finally {
      p.cleanup();
    }
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

  it("npm test type-checks the whole project with tsconfig.json; npm run compile emits the program", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    assert.equal(pkg.scripts.build, "tsc --noEmit -p .");
    assert.match(pkg.scripts.test, /^npm run build && /);
    assert.equal(pkg.scripts.compile, "tsc -p tsconfig.build.json");
  });
});
