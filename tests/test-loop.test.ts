/**
 * What keeps the test loop fast (docs/test-loop.md): the upstream behaviour it works around, read from the
 * installed packages so an upgrade that changes it fails here, and the harness's side of it.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "../components/config/schema";
import { ProgramOutputs } from "../components/program";
import { ROOT, renderConfig, stackSettings } from "./harness";

const installed = (file: string) => fs.readFileSync(path.join(ROOT, "node_modules", file), "utf8");

describe("test loop: what a render costs under mocha", () => {
  it("mocha's command line lifts Error.stackTraceLimit to Infinity (mocha lib/cli/cli.js)", () => {
    assert.match(installed("mocha/lib/cli/cli.js"), /Error\.stackTraceLimit = Infinity;/);
  });

  it("Pulumi's runtime formats a stack trace for every promise it tracks (@pulumi/pulumi runtime/debuggable.js)", () => {
    const source = installed("@pulumi/pulumi/runtime/debuggable.js");
    assert.match(source, /function debuggablePromise\(p, ctx\) \{[\s\S]*?"_debugStackTrace", \{ writable: true, value: new Error\(\)\.stack \}/);
  });

  it("a render runs at Node's default stack depth and gives the caller's depth back, also when the program throws", async () => {
    const config = loadConfig("dev", stackSettings("dev"));
    const seen: number[] = [];
    const program = () => {
      seen.push(Error.stackTraceLimit);
      new pulumi.ComponentResource("voicehelper:test:Probe", "probe");
      return {} as ProgramOutputs;
    };
    Error.stackTraceLimit = Infinity;
    const failing = () => {
      seen.push(Error.stackTraceLimit);
      throw new Error("broken program");
    };
    await assert.rejects(renderConfig(config, failing), /broken program/);
    assert.equal(Error.stackTraceLimit, Infinity);
    // The next render runs normally after a failed one.
    await renderConfig(config, program);
    assert.equal(Error.stackTraceLimit, Infinity);
    assert.deepEqual(seen, [10, 10]);
  });
});
