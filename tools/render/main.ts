/**
 * `npm run render -- --stack <stack> [--out <dir>] [--secrets placeholder|generate] [--config k=v]...`: the offline render
 * from the command line. Exit status 2 for a bad command line or stack configuration, 1 for anything else.
 */
import * as path from "path";
import { ConfigError, UsageError, parseRenderArgs, renderStack } from "./render";

async function main(): Promise<number> {
  try {
    const options = parseRenderArgs(process.argv.slice(2));
    const r = await renderStack(options);
    const relative = path.relative(process.cwd(), r.directory);
    const where = relative.startsWith("..") ? r.directory : relative;
    console.log(`${options.stack}: ${r.manifests.length} objects (tier ${r.tier}, deploy mode ${r.deployMode}) written to ${where} in ${r.seconds.toFixed(1)} s`);
    console.log(options.secrets === "generate" ? "secrets: REAL generated credentials in plain text; do not commit this directory" : "secrets: placeholders only");
    for (const n of r.notRendered) {
      console.log(`not rendered offline: ${n.name} (${[n.chart, n.version, n.repository].filter((x) => x !== undefined).join(" ") || n.type})`);
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
