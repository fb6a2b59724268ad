/**
 * `npm run verify -- --stack <name> [--context <kube context>] [--kubeconfig <file>] [--skip http,route]
 * [--insecure-tls] [--connect-to <address>]`: checks every service the stack deployed as its clients
 * see it, prints a table, exits 0 when every check that ran passed, 1 when one failed, 2 when the
 * stack or the cluster could not be read or the arguments are wrong.
 */
import { CHECK_KINDS, CheckKind, CheckResult, exitCode, judge, plan, skipped, table } from "./checks";
import { prober, snapshot, stackOutputs } from "./cluster";
import { locators } from "./locators";

const SKIPPABLE: readonly CheckKind[] = ["http", "posthog", "route"];

export interface VerifyArgs {
  stack: string;
  context?: string;
  kubeconfig?: string;
  skip: CheckKind[];
  insecureTls: boolean;
  connectTo?: string;
}

/** Flags that take a value, and the argument each sets. */
const VALUED: Record<string, "stack" | "context" | "kubeconfig" | "connectTo"> = { "--stack": "stack", "--context": "context", "--kubeconfig": "kubeconfig", "--connect-to": "connectTo" };

/** Parses the command line; every problem is named with what is allowed. */
export function parseArgs(argv: string[]): VerifyArgs {
  const args: Partial<VerifyArgs> & { skip: CheckKind[]; insecureTls: boolean } = { skip: [], insecureTls: false };
  const valued = (i: number, flag: string) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new Error(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (Object.hasOwn(VALUED, flag)) {
      args[VALUED[flag]] = valued(i++, flag);
    } else if (flag === "--insecure-tls") {
      args.insecureTls = true;
    } else if (flag === "--skip") {
      for (const k of valued(i++, flag).split(",")) {
        if (!(SKIPPABLE as readonly string[]).includes(k)) throw new Error(`--skip: "${k}" cannot be skipped; allowed: ${SKIPPABLE.join(", ")} (checks: ${CHECK_KINDS.join(", ")})`);
        args.skip.push(k as CheckKind);
      }
    } else {
      throw new Error(
        `unknown argument "${flag}"; usage: npm run verify -- --stack <name> [--context <ctx>] [--kubeconfig <file>] [--skip ${SKIPPABLE.join(",")}] [--insecure-tls] [--connect-to <address>]`,
      );
    }
  }
  if (!args.stack) throw new Error("--stack is required: the Pulumi stack whose deployment to verify");
  return args as VerifyArgs;
}

export async function verify(args: VerifyArgs): Promise<CheckResult[]> {
  const target = { context: args.context, kubeconfig: args.kubeconfig };
  const outputs = await stackOutputs(args.stack);
  const snap = await snapshot(target, [...new Set(Object.values(outputs.namespaces))]);
  const { results, probes } = plan(outputs, snap, locators());
  const probe = prober(target, { insecure: args.insecureTls, connectTo: args.connectTo });
  for (const p of probes) {
    results.push(args.skip.includes(p.check) ? skipped(p, `skipped (--skip ${p.check})`) : judge(p, await probe(p.probe)));
  }
  return results;
}

if (require.main === module) {
  (async () => {
    let args: VerifyArgs;
    let results: CheckResult[];
    try {
      args = parseArgs(process.argv.slice(2));
      results = await verify(args);
    } catch (e) {
      console.error(`verify: ${(e as Error).message}`);
      process.exit(2);
    }
    process.stdout.write(table(results));
    process.exit(exitCode(results));
  })();
}
