/**
 * Validates rendered Kubernetes objects against the Kubernetes OpenAPI schema (kubernetes-models).
 */
import { RenderedResource } from "./harness";

/** "kubernetes:apps/v1:Deployment" -> { apiVersion: "apps/v1", kind: "Deployment", modulePath } */
export function parseType(type: string): { apiVersion: string; kind: string; modulePath: string } | undefined {
  const m = /^kubernetes:([^:]+):([A-Za-z]+)$/.exec(type);
  if (!m) return undefined;
  const [group, version] = m[1].split("/");
  const apiVersion = group === "core" ? version : `${group}/${version}`;
  return { apiVersion, kind: m[2], modulePath: `kubernetes-models/${apiVersion}/${m[2]}` };
}

/** Throws with the schema's complaint when the object is invalid; returns false if no schema exists. */
export function validateAgainstSchema(r: RenderedResource): boolean {
  const t = parseType(r.type);
  if (!t) return false;
  let model: any;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the model module is chosen at run time
    model = require(t.modulePath)[t.kind];
  } catch {
    return false;
  }
  const object = new model({ ...r.inputs, apiVersion: t.apiVersion, kind: t.kind });
  try {
    object.validate();
  } catch (e) {
    throw new Error(`${t.kind} ${r.inputs?.metadata?.namespace ?? ""}/${r.inputs?.metadata?.name}: ${(e as Error).message}`);
  }
  return true;
}
