/* eslint-disable @typescript-eslint/no-require-imports */
// Which compiled JavaScript is current: shared by the program's entry point (tools/entry/main.js) and the
// policy pack's (policy/entry.js), so both run what `npm run compile` wrote only when it is at least as new
// as every TypeScript source it comes from and as the compiler options, and never stale code. Plain
// JavaScript with no dependency: it runs before anything is compiled.
"use strict";
const fs = require("fs");
const path = require("path");

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Every TypeScript source (not declarations) among `entries`, files or folders relative to `root`. */
function typescriptSources(root, entries) {
  const found = [];
  const walk = (full) => {
    const stat = fs.statSync(full, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(full)) if (name !== "node_modules" && name !== "bin") walk(path.join(full, name));
    } else if (full.endsWith(".ts") && !full.endsWith(".d.ts")) {
      found.push(full);
    }
  };
  for (const entry of entries) walk(path.join(root, entry));
  return found;
}

/**
 * The sources under `entries` whose compiled file in `out` is missing or older than the source or than any
 * of `configs` (the tsconfigs the compile read): empty when `out` is current.
 */
function staleSources({ root, out, entries, configs }) {
  const configTime = Math.max(0, ...configs.map((c) => mtime(path.join(root, c)) ?? 0));
  return typescriptSources(root, entries).filter((src) => {
    const compiled = mtime(path.join(out, path.relative(root, src)).replace(/\.ts$/, ".js"));
    return compiled === undefined || compiled < Math.max(mtime(src), configTime);
  });
}

/** "a.ts" or "a.ts and 3 more", relative to `root`: what a notice about stale output names. */
function describeStale(root, stale) {
  return `${path.relative(root, stale[0])}${stale.length > 1 ? ` and ${stale.length - 1} more` : ""}`;
}

module.exports = { staleSources, describeStale };
