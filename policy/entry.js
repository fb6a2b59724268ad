/* eslint-disable @typescript-eslint/no-require-imports */
// The policy pack's entry point (package.json `main`). The Pulumi CLI runs a pack through
// @pulumi/pulumi's run-policy-pack, which registers ts-node with type-checking on whatever the pack's
// tsconfig says, so requiring the TypeScript type-checks all of the pack on every
// `pulumi preview --policy-pack` (README "Performance"). When `npm run compile` has written a current
// bin/, the compiled JavaScript runs instead and ts-node compiles nothing; otherwise the TypeScript runs,
// type-checked as before, so a forgotten compile costs time and never runs stale rules.
"use strict";
const path = require("path");
const { staleSources, describeStale } = require("./lib/compiled-entry.js");

const stale = staleSources({
  root: __dirname,
  out: path.join(__dirname, "bin"),
  entries: ["index.ts", "policies.ts", "rules", "lib"],
  configs: ["tsconfig.json", "tsconfig.build.json"],
});
if (stale.length === 0) {
  module.exports = require("./bin/index.js");
} else {
  console.error(`policy/bin is not current (${describeStale(__dirname, stale)}): running the TypeScript, type-checked; \`npm run compile\` makes policy runs faster`);
  module.exports = require("./index.ts");
}
