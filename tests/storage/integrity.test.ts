/**
 * Properties every storage object must have, checked across all of them at once: they are valid
 * Kubernetes objects, every Secret they reference is one the program creates with that key, and
 * stateful data survives `pulumi destroy` exactly in protected stacks.
 */
import * as assert from "assert";
import { RenderedResource } from "../harness";
import { CATALOG, SERVICE_NAMES } from "../../components/config/catalog";
import { SECRET, STORAGE_NS, STS, rendered, secretData, stacks } from "./helpers";

// kubernetes-models ships one class per kind with a JSON-schema `validate()`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const models = (group: string, kind: string): any => require(`kubernetes-models/${group}/${kind}`)[kind];

const KINDS: Record<string, [string, string]> = {
  "kubernetes:apps/v1:StatefulSet": ["apps/v1", "StatefulSet"],
  "kubernetes:apps/v1:Deployment": ["apps/v1", "Deployment"],
  "kubernetes:batch/v1:Job": ["batch/v1", "Job"],
  "kubernetes:batch/v1:CronJob": ["batch/v1", "CronJob"],
  "kubernetes:core/v1:Service": ["v1", "Service"],
  "kubernetes:core/v1:ConfigMap": ["v1", "ConfigMap"],
  "kubernetes:core/v1:ServiceAccount": ["v1", "ServiceAccount"],
  "kubernetes:policy/v1:PodDisruptionBudget": ["policy/v1", "PodDisruptionBudget"],
  "kubernetes:networking.k8s.io/v1:NetworkPolicy": ["networking.k8s.io/v1", "NetworkPolicy"],
  "kubernetes:rbac.authorization.k8s.io/v1:Role": ["rbac.authorization.k8s.io/v1", "Role"],
  "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": ["rbac.authorization.k8s.io/v1", "RoleBinding"],
};

const inStorage = (r: RenderedResource) => r.inputs?.metadata?.namespace === STORAGE_NS;

/** Every secretKeyRef anywhere in an object (env vars, CRD credential references). */
function secretRefs(value: any, out: { name: string; key: string }[] = []): { name: string; key: string }[] {
  if (Array.isArray(value)) value.forEach((v) => secretRefs(v, out));
  else if (value && typeof value === "object") {
    if (value.secretKeyRef) out.push(value.secretKeyRef);
    for (const v of Object.values(value)) secretRefs(v, out);
  }
  return out;
}

describe("storage: integrity of every object", () => {
  const s = stacks("dev", "staging", "prod");

  it("renders only objects that validate against the Kubernetes schema", () => {
    for (const out of [s.dev, s.staging, s.prod]) {
      for (const r of out.kubernetes().filter(inStorage)) {
        const kind = KINDS[r.type];
        if (!kind) continue;
        const Model = models(kind[0], kind[1]);
        try {
          new Model(r.inputs).validate();
        } catch (e) {
          assert.fail(`${out.config.stack}: ${r.type} ${r.inputs.metadata.name}: ${(e as Error).message}`);
        }
      }
    }
  });

  it("references only Secrets the program creates, and only keys they hold", () => {
    for (const out of [s.dev, s.prod]) {
      const secrets = new Map(
        out
          .ofType(SECRET)
          .filter(inStorage)
          .map((r) => [r.inputs.metadata.name, secretData(r)]),
      );
      const refs = out
        .kubernetes()
        .filter(inStorage)
        .flatMap((r) => secretRefs(r.inputs.spec).map((ref) => ({ ...ref, from: r.inputs.metadata.name })));
      assert.ok(refs.length > 20, "the storage layer's credentials are all references");
      for (const ref of refs) {
        const data = secrets.get(ref.name);
        assert.ok(data, `${ref.from} references Secret ${ref.name}, which the program does not create`);
        assert.ok(data[ref.key], `${ref.from} references key ${ref.key} of ${ref.name}, which it does not hold`);
      }
    }
  });

  it("protects every data volume and Cluster in protected stacks, and none in dev", () => {
    const data = (out: typeof s.dev) => [
      ...out.ofType(STS).filter((r) => inStorage(r) && (r.inputs.spec.volumeClaimTemplates ?? []).length > 0),
      ...out.ofType("kubernetes:postgresql.cnpg.io/v1:Cluster"),
    ];
    for (const out of [s.staging, s.prod]) {
      const stores = data(out);
      assert.ok(stores.length >= 9, `${out.config.stack}: the data stores are all there`);
      for (const r of stores) assert.ok(r.protect && r.retainOnDelete, `${out.config.stack}: ${r.inputs.metadata.name} must be protected and retained`);
    }
    for (const r of data(s.dev)) assert.ok(!r.protect && !r.retainOnDelete, `dev: ${r.inputs.metadata.name} must not be protected`);
  });
});

describe("storage: deploy modes", () => {
  it("builds every storage service in storage-only mode", async () => {
    const out = await rendered("dev", { deployMode: "storage-only" });
    const storage = SERVICE_NAMES.filter((n) => CATALOG[n].layer === "storage");
    assert.deepStrictEqual(
      storage.filter((n) => !out.outputs.deployed.includes(n)),
      [],
      "every storage service is deployed",
    );
    for (const name of storage) {
      const objects = out
        .kubernetes()
        .concat(out.ofType("kubernetes:helm.sh/v4:Chart"))
        .filter((r) => r.name === name || r.inputs?.metadata?.name === name);
      assert.ok(objects.length > 0, `${name} has objects`);
    }
  });

  it("deploys only the stores a mode needs (monitoring-only: Elasticsearch for logs and traces)", async () => {
    const out = await rendered("dev", { deployMode: "monitoring-only" });
    assert.deepStrictEqual(
      out
        .ofType(STS)
        .filter((r) => r.inputs.metadata.namespace === STORAGE_NS)
        .map((r) => r.inputs.metadata.name),
      ["elasticsearch"],
    );
  });
});
