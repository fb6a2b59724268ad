/**
 * npm run verify:images [-- --registry-mirror HOST] [--chart-mirror URL] [--insecure] [--write-digests FILE]
 * Resolves every pinned image and chart version to a digest and exits 1 if any is missing
 * (docs/images.md). Needs the registries (or the mirrors) reachable.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ResolveOptions, digestsSetting, resolveAll } from "./resolve";

const USAGE = "usage: npm run verify:images -- [--registry-mirror HOST[:PORT]] [--chart-mirror URL] [--insecure] [--write-digests FILE]";

function parseArgs(argv: string[]): { opts: Omit<ResolveOptions, "crane">; writeDigests?: string } {
  const opts: Omit<ResolveOptions, "crane"> = {};
  let writeDigests: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      const v = argv[++i];
      if (!v || v.startsWith("--")) throw new Error(`${argv[i - 1]} needs a value\n${USAGE}`);
      return v;
    };
    switch (argv[i]) {
      case "--registry-mirror": {
        const host = value();
        if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(host)) throw new Error(`--registry-mirror must be a registry host such as mirror.example.com or 127.0.0.1:5000, got ${host}`);
        opts.registryMirror = host;
        break;
      }
      case "--chart-mirror": {
        const url = value();
        if (!/^https?:\/\/[^/]+/.test(url)) throw new Error(`--chart-mirror must be an http(s) URL, got ${url}`);
        opts.chartMirror = url;
        break;
      }
      case "--insecure":
        opts.insecure = true;
        break;
      case "--write-digests":
        writeDigests = value();
        break;
      default:
        throw new Error(`unknown option ${argv[i]}\n${USAGE}`);
    }
  }
  return { opts, writeDigests };
}

async function main(): Promise<number> {
  const { opts, writeDigests } = parseArgs(process.argv.slice(2));
  const crane = execFileSync("bash", [path.join(__dirname, "build.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  const results = await resolveAll({ ...opts, crane });
  for (const r of results) console.log(r.digest ? `ok ${r.kind} ${r.key} ${r.reference}@${r.digest}` : `missing ${r.kind} ${r.key} ${r.reference}: ${r.problem}`);
  const missing = results.filter((r) => !r.digest);
  console.log(`${results.length - missing.length} resolved, ${missing.length} missing`);
  if (writeDigests) {
    fs.writeFileSync(writeDigests, digestsSetting(results));
    console.log(`wrote voicehelper:imageDigests to ${writeDigests}`);
  }
  return missing.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(e.message);
    process.exit(2);
  },
);
