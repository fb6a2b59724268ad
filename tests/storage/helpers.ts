/**
 * Assertions shared by the storage layer's tests: they read the rendered objects the way the cluster
 * would (pod names from the StatefulSet, Secrets by name and key), never the program's own helpers.
 */
import * as assert from "assert";
import { Rendered, RenderedResource, render } from "../harness";

export const STS = "kubernetes:apps/v1:StatefulSet";
export const SECRET = "kubernetes:core/v1:Secret";
export const JOB = "kubernetes:batch/v1:Job";
export const CRONJOB = "kubernetes:batch/v1:CronJob";
export const CONFIGMAP = "kubernetes:core/v1:ConfigMap";
export const STORAGE_NS = "voicehelper-storage";
/** Neo4j Enterprise under the evaluation terms: a cluster from the recommended tier up. The policy pack's variant uses the same settings, so each stack renders once for both. */
export const NEO4J_ENTERPRISE_CLUSTER = { neo4j: { edition: "enterprise", acceptLicenseAgreement: "eval" } };

/** A stack rendered with these overrides, from the harness's render cache (the storage tests only read it). */
export function rendered(stack: string, overrides: Record<string, unknown> = {}): Promise<Rendered> {
  return render(stack, overrides);
}

/** Stacks rendered before the suite's tests run, by name: `const s = stacks("dev", "prod")`, then `s.dev`. */
export function stacks<S extends string>(...names: S[]): Record<S, Rendered> {
  const out = {} as Record<S, Rendered>;
  before(async () => {
    for (const n of names) out[n] = await rendered(n);
  });
  return out;
}

/** The DNS names Kubernetes gives the StatefulSet's pods, from the rendered object alone. */
export function podHostsOf(sts: RenderedResource): string[] {
  const { name, namespace } = sts.inputs.metadata;
  const replicas: number = sts.inputs.spec.replicas;
  return Array.from({ length: replicas }, (_, i) => `${name}-${i}.${sts.inputs.spec.serviceName}.${namespace}.svc.cluster.local`);
}

export function podNamesOf(sts: RenderedResource): string[] {
  return Array.from({ length: sts.inputs.spec.replicas as number }, (_, i) => `${sts.inputs.metadata.name}-${i}`);
}

export function mainContainer(r: RenderedResource, name?: string): any {
  const spec = r.type === CRONJOB ? r.inputs.spec.jobTemplate.spec.template.spec : r.inputs.spec.template.spec;
  const c = name === undefined ? spec.containers[0] : spec.containers.find((x: any) => x.name === name);
  assert.ok(c, `${r.inputs.metadata.name} has no container ${name ?? ""}`);
  return c;
}

export function envOf(container: any, name: string): any {
  const e = (container.env ?? []).find((x: any) => x.name === name);
  assert.ok(e, `container ${container.name} has no env ${name}`);
  return e;
}

/**
 * The env var comes from a key of a Secret this program creates in the same namespace, and that
 * key holds a value (so the reference resolves in the cluster).
 */
export function assertFromGeneratedSecret(out: Rendered, namespace: string, container: any, env: string): string {
  const e = envOf(container, env);
  assert.strictEqual(e.value, undefined, `${env} must not be a literal`);
  const ref = e.valueFrom?.secretKeyRef;
  assert.ok(ref, `${env} must come from a secretKeyRef`);
  const secret = out.object(SECRET, ref.name, namespace);
  const value = secretData(secret)[ref.key];
  assert.ok(typeof value === "string" && value.length >= 8, `Secret ${ref.name} must hold a generated value under ${ref.key}`);
  return value;
}

/** A rendered Secret's stringData (the harness has already removed Pulumi's secret markers). */
export function secretData(secret: RenderedResource): Record<string, string> {
  return secret.inputs.stringData ?? {};
}

/** The argument that follows `flag` (`--flag value`) or is joined to it (`--flag=value`). */
export function flagValue(args: string[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === flag) return args[i + 1];
    if (args[i].startsWith(`${flag}=`)) return args[i].slice(flag.length + 1);
  }
  return undefined;
}

/** Every container port's number by name. */
export function portsOf(container: any): Record<string, number> {
  return Object.fromEntries((container.ports ?? []).map((p: any) => [p.name, p.containerPort]));
}

export function claimSize(sts: RenderedResource): string {
  return sts.inputs.spec.volumeClaimTemplates[0].spec.resources.requests.storage;
}

/** In a protected stack the data survives `pulumi destroy`; in dev it does not linger. */
export function assertProtection(r: RenderedResource, expected: boolean): void {
  assert.strictEqual(r.protect, expected, `${r.name}: protect`);
  assert.strictEqual(r.retainOnDelete, expected, `${r.name}: retainOnDelete`);
}
