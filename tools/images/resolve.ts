/**
 * Resolves every pinned image (IMAGES) and chart version (CHARTS) to a digest: images with `crane
 * digest`, charts from their repository's index.yaml. Used by `npm run verify:images` and its test.
 */
import { execFile } from "child_process";
import { parse } from "yaml";
import { CHARTS, IMAGES } from "../../components/config/images";

export interface Resolution {
  kind: "image" | "chart";
  key: string;
  reference: string;
  digest?: string;
  problem?: string;
}

export interface ResolveOptions {
  crane: string;
  /** Ask this registry host instead of each image's own (an air-gapped mirror, a loopback test registry). */
  registryMirror?: string;
  /** Fetch chart indexes from `<chartMirror>/<host>/<path>/index.yaml` instead of each chart's repository. */
  chartMirror?: string;
  /** Plain HTTP to the registry (a loopback registry has no TLS). */
  insecure?: boolean;
  timeoutMs?: number;
}

/** The reference as asked for: the image's own registry host replaced by the mirror's, when one is given. */
export function askedReference(reference: string, registryMirror?: string): string {
  return registryMirror ? reference.replace(/^[^/]+/, registryMirror) : reference;
}

export function chartIndexUrl(repo: string, chartMirror?: string): string {
  const base = chartMirror ? `${chartMirror.replace(/\/$/, "")}/${repo.replace(/^https?:\/\//, "")}` : repo;
  return `${base.replace(/\/$/, "")}/index.yaml`;
}

function craneDigest(opts: ResolveOptions, reference: string): Promise<{ digest?: string; problem?: string }> {
  const args = ["digest", reference, ...(opts.insecure ? ["--insecure"] : [])];
  return new Promise((resolve) => {
    execFile(opts.crane, args, { timeout: opts.timeoutMs ?? 60_000 }, (err, stdout, stderr) => {
      const digest = stdout.trim();
      if (!err && /^sha256:[0-9a-f]{64}$/.test(digest)) return resolve({ digest });
      const why = (stderr.trim().split("\n").pop() ?? "") || (err ? err.message : `unexpected output ${JSON.stringify(digest)}`);
      resolve({ problem: why });
    });
  });
}

async function chartDigest(opts: ResolveOptions, chart: string, version: string, repo: string): Promise<{ digest?: string; problem?: string }> {
  const url = chartIndexUrl(repo, opts.chartMirror);
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000) });
    if (!res.ok) return { problem: `${url}: HTTP ${res.status}` };
    const index = parse(await res.text()) as { entries?: Record<string, { version: string; digest?: string }[]> };
    const entry = index.entries?.[chart]?.find((e) => e.version === version);
    if (!entry) return { problem: `${url} lists no ${chart} ${version}` };
    return entry.digest ? { digest: `sha256:${entry.digest}` } : { problem: `${url}: ${chart} ${version} has no digest` };
  } catch (e) {
    return { problem: `${url}: ${(e as Error).message}` };
  }
}

/** Every image and chart, resolved two at a time (registries rate-limit anonymous clients). */
export async function resolveAll(opts: ResolveOptions): Promise<Resolution[]> {
  const jobs: (() => Promise<Resolution>)[] = [
    ...Object.entries(IMAGES).map(([key, ref]) => async (): Promise<Resolution> => {
      const reference = askedReference(ref, opts.registryMirror);
      return { kind: "image", key, reference, ...(await craneDigest(opts, reference)) };
    }),
    ...Object.entries(CHARTS).map(([key, c]) => async (): Promise<Resolution> => ({
      kind: "chart",
      key,
      reference: `${c.repo} ${c.chart} ${c.version}`,
      ...(await chartDigest(opts, c.chart, c.version, c.repo)),
    })),
  ];
  const results: Resolution[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

/** The `voicehelper:imageDigests` stack setting for what resolved, as stack-file YAML. */
export function digestsSetting(results: readonly Resolution[]): string {
  const lines = results.filter((r) => r.kind === "image" && r.digest).map((r) => `    ${r.key}: "${r.digest}"`);
  return `config:\n  voicehelper:imageDigests:\n${lines.join("\n")}\n`;
}
