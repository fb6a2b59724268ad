/**
 * The I/O of `npm run verify`: the stack's outputs from the Pulumi CLI, the cluster's objects from
 * kubectl, and the probes: through a Service with `kubectl port-forward` (it reaches the pods through
 * the API server and the kubelet, so the platform's NetworkPolicies, which admit only declared
 * clients, do not stand in the way), and public URLs over HTTPS from this machine.
 */
import { ChildProcess, execFile, spawn } from "child_process";
import * as http from "http";
import * as https from "https";
import { ClusterSnapshot, K8sObject, Probe, ProbeAnswer, StackOutputs } from "./checks";

const TIMEOUT_MS = 15000;

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(" ")}: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

export async function stackOutputs(stack: string): Promise<StackOutputs> {
  const out = JSON.parse(await run("pulumi", ["stack", "output", "--json", "--stack", stack]));
  return { deployed: out.deployed ?? [], namespaces: out.namespaces ?? {}, urls: out.urls ?? {}, posthogHealthUrl: out.posthogHealthUrl ?? "" };
}

/** kubectl's global flags for the chosen cluster. */
export interface KubectlTarget {
  context?: string;
  kubeconfig?: string;
}
const targetFlags = (t: KubectlTarget) => [...(t.kubeconfig ? ["--kubeconfig", t.kubeconfig] : []), ...(t.context ? ["--context", t.context] : [])];

async function list(t: KubectlTarget, namespace: string, kinds: string): Promise<K8sObject[]> {
  const out = JSON.parse(await run("kubectl", [...targetFlags(t), "get", kinds, "-n", namespace, "-o", "json"]));
  return out.items ?? [];
}

/** Every object verify reads, in the stack's namespaces (a namespace that does not exist yet yields nothing). */
export async function snapshot(t: KubectlTarget, namespaces: string[]): Promise<ClusterSnapshot> {
  const snap: ClusterSnapshot = { workloads: [], pods: [], services: [], endpointSlices: [] };
  for (const ns of namespaces) {
    const [workloads, pods, services, slices] = await Promise.all([
      list(t, ns, "deployments,statefulsets,daemonsets,jobs,cronjobs"),
      list(t, ns, "pods"),
      list(t, ns, "services"),
      list(t, ns, "endpointslices"),
    ]);
    snap.workloads.push(...workloads);
    snap.pods.push(...pods);
    snap.services.push(...services);
    snap.endpointSlices.push(...slices);
  }
  return snap;
}

/** How public URLs are requested. */
export interface UrlOptions {
  /** Accept any TLS certificate (the `self-signed` issuer): explicit, never the default. */
  insecure: boolean;
  /** Connect to this address instead of resolving the URL's host (Host and SNI stay the URL's). */
  connectTo?: string;
}

function get(url: string, options: UrlOptions): Promise<ProbeAnswer> {
  return new Promise((resolve) => {
    const u = new URL(url);
    const client = u.protocol === "https:" ? https : http;
    const req = client.request(
      {
        host: options.connectTo ?? u.hostname,
        port: u.port || (u.protocol === "https:" ? 443 : 80),
        path: `${u.pathname}${u.search}`,
        method: "GET",
        headers: { host: u.host },
        servername: u.hostname,
        rejectUnauthorized: !options.insecure,
        timeout: TIMEOUT_MS,
      },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0 });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer in ${TIMEOUT_MS / 1000}s`)));
    req.on("error", (e) => resolve({ error: e.message }));
    req.end();
  });
}

/** Starts `kubectl port-forward` to a Service port on a free local port and returns that port. */
function forward(t: KubectlTarget, namespace: string, service: string, port: number): Promise<{ child: ChildProcess; localPort: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn("kubectl", [...targetFlags(t), "port-forward", "-n", namespace, `service/${service}`, `:${port}`, "--address", "127.0.0.1"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`port-forward did not start in ${TIMEOUT_MS / 1000}s`));
    }, TIMEOUT_MS);
    child.stdout.on("data", (chunk: Buffer) => {
      const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(chunk.toString());
      if (m) {
        clearTimeout(timer);
        resolve({ child, localPort: Number(m[1]) });
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`port-forward exited (${code}): ${stderr.trim()}`));
    });
  });
}

export function prober(t: KubectlTarget, urlOptions: UrlOptions): (p: Probe) => Promise<ProbeAnswer> {
  return async (p) => {
    if (p.via === "url") return get(p.url, urlOptions);
    let pf: { child: ChildProcess; localPort: number };
    try {
      pf = await forward(t, p.namespace, p.service, p.port);
    } catch (e) {
      return { error: (e as Error).message };
    }
    try {
      return await get(`http://127.0.0.1:${pf.localPort}${p.path}`, { insecure: false });
    } finally {
      pf.child.kill();
    }
  };
}
