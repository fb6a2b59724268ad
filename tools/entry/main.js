/* eslint-disable @typescript-eslint/no-require-imports */
// The program's entry point for the Pulumi CLI (Pulumi.yaml `main`). It runs the JavaScript that
// `npm run compile` wrote to bin/ when that output is current, which spares every preview and up
// loading the TypeScript compiler and transpiling the sources (README "Performance"). When any source
// is newer than its compiled file, or bin/ is missing, it runs the TypeScript itself through ts-node
// (transpile only, as before), so a forgotten compile costs time, never deploys stale code.
"use strict";
const path = require("path");

const ROOT = path.resolve(__dirname, "..", "..");
// The freshness rule is the policy pack's too (policy/entry.js); the program already shares the pack's
// contract module, so it lives with the pack, which must stay self-contained.
const { staleSources, describeStale } = require(path.join(ROOT, "policy", "lib", "compiled-entry.js"));

const stale = staleSources({
  root: ROOT,
  out: path.join(ROOT, "bin"),
  // What tsconfig.build.json includes, and the pack's contract module the program imports.
  entries: ["index.ts", "components", "policy/lib/names.ts"],
  configs: ["tsconfig.json", "tsconfig.build.json"],
});
if (stale.length === 0) {
  module.exports = require(path.join(ROOT, "bin", "index.js"));
} else {
  const pulumi = require("@pulumi/pulumi");
  pulumi.log.info(`bin/ is not current (${describeStale(ROOT, stale)}): running the TypeScript through ts-node; ` + "`npm run compile` makes previews and ups faster");
  require("ts-node").register({
    project: path.join(ROOT, "tsconfig.build.json"),
    transpileOnly: process.env.PULUMI_NODEJS_TRANSPILE_ONLY !== "false",
  });
  module.exports = require(path.join(ROOT, "index.ts"));
}
