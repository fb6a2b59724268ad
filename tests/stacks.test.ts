/**
 * Every stack file rendered under mocks: schema-valid objects, resolvable secret references,
 * resources on every container, no literal credentials.
 */
import { strict as assert } from "assert";
import { NAMESPACES, PLATFORM_NAMESPACES } from "../components/config/catalog";
import { Rendered, STACKS, containersOf, podSpecOf, render } from "./harness";
import { validateAgainstSchema } from "./k8s-schema";

const CREDENTIAL_NAME = /(pass(word)?|secret|token|credential|api[-_]?key|private[-_]?key|jaas)|(^|_)auth$/i;

/** Every `secretKeyRef` in env vars of every container. */
function secretRefs(r: Rendered): { where: string; namespace: string; name: string; key: string }[] {
  const refs: { where: string; namespace: string; name: string; key: string }[] = [];
  for (const res of r.kubernetes()) {
    for (const c of containersOf(res)) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref) refs.push({ where: `${res.inputs.metadata.name}/${c.name}/${e.name}`, namespace: res.inputs.metadata.namespace, name: ref.name, key: ref.key });
      }
    }
  }
  return refs;
}

for (const stack of STACKS) {
  describe(`stack ${stack}`, () => {
    let r: Rendered;
    before(async () => {
      r = await render(stack);
    });

    it("renders Kubernetes objects that validate against the Kubernetes schema", () => {
      let validated = 0;
      for (const res of r.kubernetes()) if (validateAgainstSchema(res)) validated++;
      assert.ok(validated >= 25, `only ${validated} objects validated`);
      console.log(`      ${stack}: ${r.resources.length} resources, ${validated} Kubernetes objects schema-validated`);
    });

    it("every secretKeyRef names a Secret the program creates, in the same namespace, with that key", () => {
      const refs = secretRefs(r);
      assert.ok(refs.length > 0);
      for (const ref of refs) {
        const secret = r.ofType("kubernetes:core/v1:Secret").find((s) => s.inputs.metadata.name === ref.name && s.inputs.metadata.namespace === ref.namespace);
        assert.ok(secret, `${ref.where} refers to Secret ${ref.namespace}/${ref.name}, which the program does not create`);
        assert.ok(ref.key in (secret.inputs.stringData ?? secret.inputs.data ?? {}), `${ref.where} refers to key ${ref.key}, absent from ${ref.name}`);
      }
    });

    it("every container and init container has cpu and memory requests and limits", () => {
      for (const res of r.kubernetes()) {
        for (const c of containersOf(res)) {
          for (const kind of ["requests", "limits"]) {
            for (const resource of ["cpu", "memory"]) {
              assert.ok(c.resources?.[kind]?.[resource], `${res.inputs.metadata.name}/${c.name} has no ${resource} ${kind}`);
            }
          }
        }
      }
    });

    it("no credential is a literal: credential-named env vars come from Secrets, ConfigMaps hold none", () => {
      for (const res of r.kubernetes()) {
        for (const c of containersOf(res)) {
          for (const e of c.env ?? []) {
            if (CREDENTIAL_NAME.test(e.name) && !/_(NAME|FILE|PATH|ID|URL|HOST|PORT)$/.test(e.name))
              assert.ok(e.valueFrom?.secretKeyRef, `${res.inputs.metadata.name}/${c.name}: ${e.name} is a literal`);
          }
        }
      }
      const secretValues = r
        .ofType("kubernetes:core/v1:Secret")
        .flatMap((s) => Object.entries<string>(s.inputs.stringData ?? {}))
        .filter(([k]) => /pass|secret|token|key|jaas|cookie|salt/i.test(k))
        .map(([, v]) => v);
      for (const cm of r.ofType("kubernetes:core/v1:ConfigMap")) {
        for (const text of Object.values<string>(cm.inputs.data ?? {})) {
          for (const v of secretValues) assert.ok(v.length < 8 || !text.includes(v), `ConfigMap ${cm.inputs.metadata.name} contains a Secret's value`);
        }
      }
    });

    it("every Secret value is generated or comes from a config secret", () => {
      const generated = new Set(r.resources.filter((x) => x.type.startsWith("random:")).map((x) => x.urn));
      for (const s of r.ofType("kubernetes:core/v1:Secret")) {
        const deps = s.propertyDependencies.stringData ?? [];
        const keys = Object.keys(s.inputs.stringData ?? {});
        const credentialKeys = keys.filter((k) => CREDENTIAL_NAME.test(k));
        // Values from config secrets are declared as such on the Secret (the kit does it for `supplied`).
        const fromConfig = s.inputs.metadata.annotations?.["voicehelper.io/credential-source"] === "config";
        if (credentialKeys.length > 0 && !fromConfig) {
          assert.ok(
            deps.some((d) => generated.has(d)),
            `Secret ${s.inputs.metadata.name} holds ${credentialKeys.join(", ")} that no RandomPassword produced`,
          );
        }
      }
    });

    it("every pod runs with the secure defaults unless it names an exception", () => {
      for (const res of r.kubernetes()) {
        const spec = podSpecOf(res);
        if (!spec) continue;
        const exceptions = JSON.parse(res.inputs.spec?.template?.metadata?.annotations?.["voicehelper.io/policy-exceptions"] ?? "{}");
        if (!("no-service-account-token" in exceptions)) assert.equal(spec.automountServiceAccountToken, false, res.inputs.metadata.name);
        assert.equal(spec.securityContext.seccompProfile.type, "RuntimeDefault");
        for (const c of containersOf(res)) {
          const sc = c.securityContext;
          if (!("read-only-root-filesystem" in exceptions)) assert.equal(sc.readOnlyRootFilesystem, true, `${res.inputs.metadata.name}/${c.name}`);
          if (!("no-privilege-escalation" in exceptions)) assert.equal(sc.allowPrivilegeEscalation, false);
          if (!("run-as-non-root" in exceptions)) assert.equal(sc.runAsNonRoot, true);
          if (!("drop-capabilities" in exceptions)) assert.deepEqual(sc.capabilities.drop, ["ALL"]);
          assert.ok(!/:latest$/.test(c.image) && c.image.includes(":"), `${c.name} image ${c.image} is not pinned`);
        }
      }
    });

    it("every namespace has Pod Security labels, a default-deny policy, a quota and container defaults", () => {
      const namespaces = r.ofType("kubernetes:core/v1:Namespace").map((n) => n.inputs.metadata);
      assert.ok(namespaces.length >= 2);
      for (const ns of namespaces) {
        assert.ok(ns.labels["pod-security.kubernetes.io/enforce"]);
        const exceptions = JSON.parse(ns.annotations?.["voicehelper.io/policy-exceptions"] ?? "{}");
        if (ns.labels["pod-security.kubernetes.io/enforce"] !== "restricted") assert.ok(exceptions["namespace-pod-security"], `${ns.name} relaxes Pod Security without a reason`);
        if (exceptions["namespace-default-deny"]) {
          assert.ok(!PLATFORM_NAMESPACES.map((role) => NAMESPACES[role]).includes(ns.name), `platform namespace ${ns.name} may not skip default-deny`);
          continue;
        }
        const deny = r.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").find((p) => p.inputs.metadata.namespace === ns.name && p.inputs.metadata.name === "default-deny");
        assert.ok(deny, `${ns.name} has no default-deny`);
        assert.deepEqual(deny.inputs.spec.podSelector, {});
        assert.deepEqual(deny.inputs.spec.policyTypes, ["Ingress", "Egress"]);
        assert.equal(deny.inputs.spec.ingress, undefined);
        if (!PLATFORM_NAMESPACES.map((role) => NAMESPACES[role]).includes(ns.name)) continue;
        assert.ok(r.ofType("kubernetes:core/v1:ResourceQuota").some((q) => q.inputs.metadata.namespace === ns.name));
        assert.ok(r.ofType("kubernetes:core/v1:LimitRange").some((q) => q.inputs.metadata.namespace === ns.name));
      }
    });

    it("every Kubernetes object goes through the stack's explicit provider", () => {
      const providers = r.ofType("pulumi:providers:kubernetes");
      assert.equal(providers.length, 1);
      for (const res of r.kubernetes()) assert.ok(res.parent, `${res.name} has no parent component`);
    });
  });
}

describe("render stack", () => {
  it("sends every object to a provider that renders YAML into the configured directory", async () => {
    const r = await render("render");
    const [provider] = r.ofType("pulumi:providers:kubernetes");
    assert.equal(provider.inputs.renderYamlToDirectory, "rendered");
    assert.equal(provider.inputs.kubeconfig, undefined);
    assert.equal(r.outputs.renderedTo, "rendered");
  });
});
