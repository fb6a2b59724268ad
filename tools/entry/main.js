/* eslint-disable @typescript-eslint/no-require-imports */
// The program's entry point for the Pulumi CLI (Pulumi.yaml `main`). It runs the JavaScript that
// `npm run compile` wrote to bin/ when that output is current, which spares every preview and up
// loading the TypeScript compiler and transpiling the sources (README "Performance"). When any source
// is newer than its compiled file, or bin/ is missing, it runs the TypeScript itself through ts-node
// (transpile only, as before), so a forgotten compile costs time, never deploys stale code.
"use strict";
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..", "..");
const OUT = path.join(ROOT, "bin");
/** What the compiled output depends on besides the sources: a change to them makes bin/ stale too. */
const CONFIGS = ["tsconfig.json", "tsconfig.build.json"];

/** Every TypeScript source of the program: index.ts and components/, as tsconfig.build.json includes them. */
function sources() {
  const found = [path.join(ROOT, "index.ts")];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) found.push(full);
    }
  };
  walk(path.join(ROOT, "components"));
  return found;
}

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The sources whose compiled file is missing or older than them (or than a tsconfig): empty when bin/ is current. */
function staleSources() {
  const configTime = Math.max(...CONFIGS.map((c) => mtime(path.join(ROOT, c)) ?? 0));
  return sources().filter((src) => {
    const compiled = mtime(path.join(OUT, path.relative(ROOT, src)).replace(/\.ts$/, ".js"));
    return compiled === undefined || compiled < Math.max(mtime(src), configTime);
  });
}

const stale = staleSources();
if (stale.length === 0) {
  module.exports = require(path.join(OUT, "index.js"));
} else {
  const pulumi = require("@pulumi/pulumi");
  pulumi.log.info(
    `bin/ is not current (${path.relative(ROOT, stale[0])}${stale.length > 1 ? ` and ${stale.length - 1} more` : ""}): ` +
      "running the TypeScript through ts-node; `npm run compile` makes previews and ups faster",
  );
  require("ts-node").register({
    project: path.join(ROOT, "tsconfig.build.json"),
    transpileOnly: process.env.PULUMI_NODEJS_TRANSPILE_ONLY !== "false",
  });
  module.exports = require(path.join(ROOT, "index.ts"));
}
