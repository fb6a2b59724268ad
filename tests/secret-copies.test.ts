/**
 * Least privilege for credentials shared across namespaces: the copy of a Secret in a client's
 * namespace carries only the keys referenced there, and every reference still resolves.
 */
import { strict as assert } from "assert";
import { GeneratedSecret } from "../components/kit/secret";
import { Rendered, RenderedResource, render } from "./harness";
import { underMocks } from "./under-mocks";

const COPIED_FROM = "voicehelper.io/copied-from";

/**
 * Every reference to one key of a Secret in an object, wherever it sits: `secretKeyRef`s of containers
 * (CronJob templates too) and operator fields of the same shape (CloudNativePG's `s3Credentials`).
 */
function secretKeyRefs(value: unknown, out: { name: string; key: string }[] = []): { name: string; key: string }[] {
  if (Array.isArray(value)) for (const v of value) secretKeyRefs(v, out);
  else if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (typeof o.name === "string" && typeof o.key === "string") out.push({ name: o.name, key: o.key });
    for (const v of Object.values(o)) secretKeyRefs(v, out);
  }
  return out;
}

/** Secrets mounted whole (volumes, envFrom) by name. */
function wholeSecretUses(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) wholeSecretUses(v, out);
  else if (value !== null && typeof value === "object") {
    const o = value as Record<string, any>;
    if (typeof o.secret?.secretName === "string") out.push(o.secret.secretName);
    if (typeof o.secretRef?.name === "string") out.push(o.secretRef.name);
    for (const v of Object.values(o)) wholeSecretUses(v, out);
  }
  return out;
}

const keysOf = (s: RenderedResource) => Object.keys(s.inputs.stringData ?? {}).sort();

describe("secret copies carry only the keys their namespace references", function () {
  it("a client referencing only the password gets a copy without the other keys", async () => {
    let secret: GeneratedSecret | undefined;
    const r = await underMocks(() => {
      secret = new GeneratedSecret("demo-auth", {
        namespace: "data",
        labels: {},
        generate: { password: { kind: "password", length: 24 }, token: { kind: "hex", bytes: 16 } },
        plain: { username: "demo" },
      });
      secret.credential("password").in("apps");
      secret.credential("password").in("apps");
      secret.credential("username").in("jobs");
      secret.credential("password").in("jobs");
    });
    const secrets = r.ofType("kubernetes:core/v1:Secret");
    const inNamespace = (ns: string) => secrets.find((s) => s.inputs.metadata.namespace === ns)!;
    assert.deepEqual(keysOf(inNamespace("data")), ["password", "token", "username"], "the original keeps every key");
    assert.deepEqual(keysOf(inNamespace("apps")), ["password"]);
    assert.deepEqual(keysOf(inNamespace("jobs")), ["password", "username"]);
    assert.equal(inNamespace("apps").inputs.stringData.password, inNamespace("data").inputs.stringData.password, "the copy holds the same value");
    assert.equal(secrets.length, 3, "one copy per namespace");

    // Once a copy is written, a key asked for later could not be in it: refused, not silently missing.
    assert.throws(() => secret!.credential("token").in("apps"), /Secret demo-auth: key "token" was referenced in apps after the copy there was written/);
    assert.deepEqual(secret!.credential("password").in("apps").key, "password", "a key the copy holds is still handed out");
  });

  describe("in every stack", () => {
    for (const stack of ["dev", "staging", "prod"] as const) {
      let r: Rendered;
      before(async () => {
        r = await render(stack);
      });

      it(`${stack}: each copy holds exactly the keys its namespace references, and every reference to it resolves`, () => {
        const copies = r.ofType("kubernetes:core/v1:Secret").filter((s) => s.inputs.metadata.labels?.[COPIED_FROM]);
        assert.ok(copies.length > 0);
        for (const copy of copies) {
          const { name, namespace } = copy.inputs.metadata;
          const users = r.kubernetes().filter((o) => o.inputs?.metadata?.namespace === namespace && o.type !== "kubernetes:core/v1:Secret");
          const referenced = [
            ...new Set(
              users
                .flatMap((o) => secretKeyRefs(o.inputs))
                .filter((ref) => ref.name === name)
                .map((ref) => ref.key),
            ),
          ].sort();
          assert.deepEqual(keysOf(copy), referenced, `${namespace}/${name}`);
          assert.ok(!users.some((o) => wholeSecretUses(o.inputs).includes(name)), `${namespace}/${name} is never mounted whole`);
        }
      });
    }
  });

  it("dev: the apps namespace's copies of Redis, Kafka and NATS credentials hold the password only", async () => {
    const dev = await render("dev");
    const copy = (name: string) => dev.object("kubernetes:core/v1:Secret", name, "voicehelper");
    for (const name of ["redis-auth", "kafka-auth", "nats-auth"]) assert.deepEqual(keysOf(copy(name)), ["password"], name);
    const original = dev.object("kubernetes:core/v1:Secret", "redis-auth", "voicehelper-storage");
    assert.ok(keysOf(original).includes("auth.conf"), "the store's own Secret keeps its config");
  });
});
