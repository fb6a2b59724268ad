/**
 * npm run test:peers: renders every stack (as `npm run render -- --stack <stack>` does), runs kube-score
 * and Trivy's Kubernetes checks on the manifests, and fails on any finding tools/peers/allowlist.yaml
 * does not accept. Allowlist entries that matched nothing are listed so the list can shrink.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { renderStack } from "../render/render";
import { Finding, compare, kubeScoreFindings, objectName, parseAllowlist, trivyFindings } from "./findings";

const STACKS = ["dev", "staging", "prod"];

function manifestFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".yaml"))
    .sort();
}

async function scanStack(stack: string, bin: string, out: string): Promise<Finding[]> {
  const { directory } = await renderStack({ stack, out, secrets: "placeholder", config: {} });
  const files = manifestFiles(directory);
  const objects = new Map(files.map((f) => [f, objectName(parse(fs.readFileSync(path.join(directory, f), "utf8")))]));
  // kube-score exits 1 when it grades anything critical; its JSON is what counts.
  let scored: string;
  try {
    scored = execFileSync(path.join(bin, "kube-score"), ["score", "--output-format", "json", ...files], { cwd: directory, encoding: "utf8", maxBuffer: 256 << 20 });
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string };
    if (err.status !== 1 || !err.stdout) throw new Error(`kube-score failed: ${err.stderr ?? e}`);
    scored = err.stdout;
  }
  const trivy = execFileSync(path.join(bin, "trivy-iac"), [directory], { encoding: "utf8", maxBuffer: 256 << 20, stdio: ["ignore", "pipe", "ignore"] });
  const objectOf = (file: string) => objects.get(file) ?? objects.get(path.relative(directory, file)) ?? `?/${file}`;
  const findings = [...kubeScoreFindings(scored, stack), ...trivyFindings(trivy, stack, objectOf)];
  console.log(`${stack}: ${files.length} manifests; kube-score ${findings.filter((f) => f.tool === "kube-score").length} findings, trivy ${findings.filter((f) => f.tool === "trivy").length}`);
  return findings;
}

async function main(): Promise<number> {
  const bin = execFileSync("bash", [path.join(__dirname, "build.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  const allow = parseAllowlist(fs.readFileSync(path.join(__dirname, "allowlist.yaml"), "utf8"));
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "peers-"));
  const findings: Finding[] = [];
  try {
    for (const stack of STACKS) findings.push(...(await scanStack(stack, bin, out)));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
  const { unexpected, unused } = compare(findings, allow);
  const listed = allow.reduce((n, e) => n + e.objects.length, 0);
  console.log(`allowlist: ${allow.length} entries naming ${listed} object-check pairs; ${findings.length - unexpected.length} of ${findings.length} findings (summed over the stacks) accepted`);
  for (const u of unused) console.log(`allowlist entry no longer needed: ${u.tool} ${u.check} ${u.object}`);
  for (const f of unexpected) console.log(`NEW FINDING [${f.stack}] ${f.tool} ${f.check} ${f.object}: ${f.detail}`);
  console.log(`${findings.length - unexpected.length} passed, ${unexpected.length} failed`);
  return unexpected.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(e.message);
    process.exit(2);
  },
);
