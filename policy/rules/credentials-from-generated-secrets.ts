import { isCredentialName } from "../lib/credentials";
import { CREDENTIAL_SOURCE_ANNOTATION, CREDENTIALS_FROM_CONFIG } from "../lib/names";
import { Finding, stackRule } from "../lib/rule";
import { asArray, asObject, asString, isUnknown } from "../lib/values";

/** Per Secret type, the keys Kubernetes (token controller) or a registry login fills. */
const CONTROLLER_KEYS: Record<string, Set<string>> = {
  "kubernetes.io/service-account-token": new Set(["token", "ca.crt", "namespace"]),
  "kubernetes.io/dockerconfigjson": new Set([".dockerconfigjson"]),
  "kubernetes.io/dockercfg": new Set([".dockercfg"]),
};

const DEFAULT_GENERATORS = ["random:index/randomPassword:RandomPassword", "random:index/randomBytes:RandomBytes", "tls:index/privateKey:PrivateKey"];

/**
 * Every credential in a Kubernetes Secret is generated (depends on a RandomPassword or another
 * configured generator) or declared as coming from Pulumi config secrets; a plain literal fails.
 */
export const credentialsFromGeneratedSecrets = stackRule({
  name: "credentials-from-generated-secrets",
  description: `Every credential-named key of a Kubernetes Secret must be unknown at preview or depend on a RandomPassword (or another configured generator); values from Pulumi config secrets are declared with the annotation ${CREDENTIAL_SOURCE_ANNOTATION}: config and reported.`,
  remediationSteps: "Create the Secret with the kit's generated-secret builder (RandomPassword -> stringData); for external keys pass the config secret Output and annotate the Secret.",
  config: {
    generatorTypes: { type: "array", items: { type: "string" }, default: DEFAULT_GENERATORS, description: "Pulumi types whose outputs count as generated credentials." },
  },
  check: (objects, { config }) => {
    const generators = new Set(asArray(config.generatorTypes ?? DEFAULT_GENERATORS).map((t) => String(t)));
    const findings: Finding[] = [];
    for (const o of objects) {
      const k = o.k8s;
      if (!k || k.kind !== "Secret" || k.group !== "") continue;
      const secretType = asString(k.props.type) ?? "Opaque";
      // Keys a controller or the registry fills are not ours to generate; any other key is checked.
      const filledElsewhere = CONTROLLER_KEYS[secretType] ?? new Set<string>();
      // The engine gives input dependencies per property; after an update the provider may report
      // stringData folded into data, so the two properties' dependencies are taken together. When
      // the engine reports per-property dependencies at all, a dependency of another property
      // (metadata, say) does not make the values generated.
      const perProperty = o.resource.propertyDependencies ?? {};
      const byProperty = [...(perProperty.stringData ?? []), ...(perProperty.data ?? [])];
      const deps = Object.keys(perProperty).length > 0 ? byProperty : (o.resource.dependencies ?? []);
      const generated = deps.some((d) => generators.has(d.type));
      const literal: string[] = [];
      for (const prop of ["stringData", "data"]) {
        const values = asObject(k.props[prop]);
        if (!values) continue;
        for (const [key, value] of Object.entries(values)) {
          if (filledElsewhere.has(key)) continue;
          const credential = isCredentialName(key) || (secretType === "kubernetes.io/basic-auth" && key === "password");
          // Unknown at preview: generated in this update. Absent (undefined): nothing to check.
          if (credential && !isUnknown(value) && asString(value) !== undefined && !generated) {
            literal.push(key);
          }
        }
      }
      if (literal.length === 0) continue;
      const keys = literal.map((x) => `"${x}"`).join(", ");
      if (k.annotations[CREDENTIAL_SOURCE_ANNOTATION] === CREDENTIALS_FROM_CONFIG) {
        findings.push({ message: `${k.id}: ${keys} taken from Pulumi config (annotation ${CREDENTIAL_SOURCE_ANNOTATION}); make sure they are config secrets`, target: o, advisory: true });
      } else {
        findings.push({ message: `${k.id}: ${keys} hold known literal credentials that come from no RandomPassword and no Pulumi config secret`, target: o });
      }
    }
    return findings;
  },
});
