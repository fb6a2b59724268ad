import { commandLineProblems, commandProblems } from "../lib/commands";
import { allSettingsOf, isCredentialSetting, namesAThing, scanConfigFile } from "../lib/configfiles";
import { bindingsOf, EnvVar, envOf, hasEnvFrom, hookCommands, stringTokens } from "../lib/containers";
import { credentialValueProblem, DEFAULT_LIMITS, isCredentialName, isReference, referenceFallback, StrengthLimits, urlPasswords } from "../lib/credentials";
import { combinedAccount, describeAccount, describeDefault, envAuthSwitch, isAuthSwitchName, knownDefaultEqual, knownDefaultsIn, pathAuthSwitch, vendorAccount } from "../lib/defaults";
import { expandEnv, expandReferences, FROM_CONFIGMAP, literalReferences } from "../lib/envrefs";
import { helmValuesProblems } from "../lib/helm-values";
import { CNPG_GROUP, containerLabel, ContainerRef, containersOf, K8sObject, podTemplateOf } from "../lib/k8s";
import { productDefaultProblems } from "../lib/product-defaults";
import { hbaTrusts } from "../lib/product-files";
import { Finding, resourceRule } from "../lib/rule";
import { asArray, asNumber, asObject, asString, isUnknown } from "../lib/values";

/** File-like keys: config files mounted from a ConfigMap or Secret. */
const FILE_KEY = /\.(ini|conf|cfg|cnf|properties|ya?ml|xml|json|toml|env|txt|hba|acl|jaas|config)$|(^|[./])pgpass$/i;

/** A file: named like one, or several lines (a trailing newline alone does not make a value a file). */
function isFile(key: string, value: string): boolean {
  return FILE_KEY.test(key) || value.trim().includes("\n");
}

function limitsFrom(config: Record<string, any>): StrengthLimits {
  return {
    minLength: asNumber(config.minLength) ?? DEFAULT_LIMITS.minLength,
    minEntropyBits: asNumber(config.minEntropyBits) ?? DEFAULT_LIMITS.minEntropyBits,
  };
}

function decodeBase64(v: string): string | undefined {
  if (!/^[A-Za-z0-9+/=\s_-]*$/.test(v)) {
    return undefined;
  }
  return Buffer.from(v, "base64").toString("utf8");
}

/** One line and no `key = value` or `key: value` in it: the whole file is one value. */
function isBareValue(value: string): boolean {
  const v = value.trim();
  return v !== "" && !v.includes("\n") && !/[=:{}<>\[\]]|\s/.test(v);
}

/** Key/value pairs of a Secret or ConfigMap: string entries plus base64-decoded ones. */
function entriesOf(plain: unknown, encoded: unknown): { key: string; value: string | undefined }[] {
  const out: { key: string; value: string | undefined }[] = [];
  for (const [key, v] of Object.entries(asObject(plain) ?? {})) {
    out.push({ key, value: isUnknown(v) ? undefined : asString(v) });
  }
  for (const [key, v] of Object.entries(asObject(encoded) ?? {})) {
    const s = asString(v);
    out.push({ key, value: s === undefined ? undefined : decodeBase64(s) });
  }
  return out;
}

/** Checks one single-line value stored under `key` (Secret/ConfigMap key or env var). */
function checkLiteral(where: string, key: string, value: string, inSecret: boolean, limits: StrengthLimits): string[] {
  const problems: string[] = [];
  const off = envAuthSwitch(key, value);
  if (off) {
    return [`${where} ${off}`];
  }
  // `root:root` is also how file ownership is written: a key that names an owner or user is not a login.
  const account = key.toUpperCase() === "NEO4J_AUTH" || namesAThing(key) ? undefined : combinedAccount(value);
  if (account) {
    return [`${where} is ${describeAccount(account)}`];
  }
  if (key.toUpperCase() === "NEO4J_AUTH" && value.includes("/")) {
    const password = value.slice(value.indexOf("/") + 1);
    const p = isReference(password) ? undefined : credentialValueProblem(password, inSecret ? limits : undefined);
    if (p) {
      problems.push(`${where} sets a Neo4j password that ${p}`);
    } else if (!inSecret && !isReference(password)) {
      problems.push(`${where} carries a literal Neo4j password; take it from a Secret`);
    }
    return problems;
  }
  if (isCredentialName(key) && !isAuthSwitchName(key)) {
    if (isReference(value)) {
      const fallback = referenceFallback(value);
      const known = fallback === undefined ? undefined : (knownDefaultEqual(fallback) ?? knownDefaultsIn(fallback)[0]);
      if (fallback !== undefined) {
        problems.push(`${where} falls back to ${known ? describeDefault(known) : "a literal credential"} when its variable is unset`);
      }
      return problems;
    }
    if (inSecret) {
      const p = credentialValueProblem(value, limits);
      if (p) {
        problems.push(`${where} ${p}`);
      }
    } else {
      const known = credentialValueProblem(value);
      problems.push(
        value.trim() === ""
          ? `${where} is an empty credential (most products then run without a password)`
          : `${where} is a literal credential${known && known !== "is empty" ? ` that ${known}` : ""}; take it from a Secret (valueFrom.secretKeyRef)`,
      );
    }
    return problems;
  }
  for (const d of knownDefaultsIn(value)) {
    problems.push(`${where} contains ${describeDefault(d)}`);
  }
  // In a Secret every value is kept as a secret: a vendor's default there is one, whatever the key
  // is called, unless the key names a thing (a user, a database, a host).
  const known = inSecret && !namesAThing(key) ? knownDefaultEqual(value) : undefined;
  if (known && known.scope === "credential") {
    problems.push(`${where} is ${describeDefault(known)}`);
  }
  // A JSON document in an env value (SPRING_APPLICATION_JSON, APP_CONFIG): defaults and switches
  // (a value there may also be a template the container fills, such as a printf format).
  if (!inSecret && /^\s*\{/.test(value)) {
    problems.push(...documentProblems(where, value));
  }
  const passwords = urlPasswords(value);
  if (passwords.length > 0) {
    if (!inSecret) {
      problems.push(`${where} embeds a literal password in a URL; build the URL from $(VAR) env vars taken from a Secret`);
    } else if (passwords.some((p) => credentialValueProblem(p, limits) !== undefined)) {
      problems.push(`${where} embeds an empty, weak or default password in a URL`);
    }
  }
  return problems;
}

/** Defaults, placeholders and auth-off switches in a document carried by one value. */
function documentProblems(where: string, text: string): string[] {
  const problems: string[] = [];
  for (const setting of allSettingsOf(text)) {
    const off = pathAuthSwitch(setting.path, setting.value);
    const problem = isCredentialSetting(setting.key) && setting.value !== "" && !isReference(setting.value) ? credentialValueProblem(setting.value) : undefined;
    if (off) problems.push(`${where} (${setting.path}) ${off}`);
    if (problem) problems.push(`${where} (${setting.path}) ${problem}`);
  }
  return problems;
}

/** Registry logins of a docker config Secret: only a vendor's default account is wrong there (the registry decides the rest). */
function registryLoginProblems(where: string, value: string): string[] {
  const logins = [...value.matchAll(/"auth"\s*:\s*"([A-Za-z0-9+/=]+)"/g)].map((m) => Buffer.from(m[1], "base64").toString("utf8"));
  return logins.flatMap((login) => {
    const i = login.indexOf(":");
    const account = i > 0 ? vendorAccount(login.slice(0, i), login.slice(i + 1)) : undefined;
    return account ? [`${where} logs in to a registry with ${describeAccount(account)}`] : [];
  });
}

function checkStore(obj: K8sObject, kindLabel: string, inSecret: boolean, limits: StrengthLimits): Finding[] {
  const props = obj.props;
  const type = asString(props.type) ?? "";
  const skipValues = type === "kubernetes.io/dockerconfigjson" || type === "kubernetes.io/dockercfg";
  const problems: string[] = [];
  for (const { key, value } of entriesOf(inSecret ? props.stringData : props.data, inSecret ? props.data : props.binaryData)) {
    if (value === undefined) {
      continue; // unknown during preview (generated in this update): checked again when known
    }
    if (skipValues) {
      problems.push(...registryLoginProblems(`${kindLabel} key "${key}"`, value));
      continue;
    }
    const where = `${kindLabel} key "${key}"`;
    if (isFile(key, value) && isBareValue(value)) {
      // A file holding just the value (`admin-password.txt`, `pw`): its name says what it is.
      problems.push(...checkLiteral(where, key.replace(/\.[A-Za-z0-9]+$/, ""), value.trim(), inSecret, limits));
    } else if (isFile(key, value)) {
      problems.push(...scanConfigFile(value, { where, fileName: key, inSecret, limits }));
    } else if (inSecret && type === "kubernetes.io/basic-auth" && key === "password") {
      const p = credentialValueProblem(value, limits);
      if (p) {
        problems.push(`${where} ${p}`);
      }
    } else {
      problems.push(...checkLiteral(where, key, value, inSecret, limits));
    }
  }
  return problems.map((p) => ({ message: `${obj.id}: ${p}` }));
}

function checkEnv(c: ContainerRef, env: EnvVar[]): string[] {
  const problems: string[] = [];
  const expanded = expandEnv(bindingsOf(env), hasEnvFrom(c));
  for (const e of env) {
    const where = `${containerLabel(c)} env ${e.name}`;
    if (e.value === undefined) {
      if (e.fromConfigMap && isCredentialName(e.name)) {
        problems.push(`${where} reads a credential from a ConfigMap; use valueFrom.secretKeyRef`);
      }
      continue;
    }
    const seen = expanded.get(e.name) ?? e.value;
    // Option strings (JAVA_OPTS, ES_JAVA_OPTS, *_ARGS) are command lines the product appends.
    if (/(^|\s)-/.test(seen)) {
      problems.push(...commandProblems(seen).map((p) => `${where} ${p}`));
    }
    if (seen === e.value) {
      problems.push(...checkLiteral(where, e.name, e.value, false, DEFAULT_LIMITS));
      continue;
    }
    // $(VAR) inside the value: check what the container gets, naming the indirection.
    if (seen.includes(FROM_CONFIGMAP) && isCredentialName(e.name) && !isAuthSwitchName(e.name)) {
      problems.push(`${where} takes a credential from a ConfigMap through $(VAR); use valueFrom.secretKeyRef`);
      continue;
    }
    const unresolved = literalReferences(seen);
    if (unresolved.length > 0 && ((isCredentialName(e.name) && !isAuthSwitchName(e.name)) || unresolved.some(isCredentialName))) {
      problems.push(`${where} refers to $(${unresolved.join("), $(")}), not defined before it (or escaped with $$), so the container gets the reference text itself as the credential`);
      continue;
    }
    problems.push(...checkLiteral(`${where} (after $(VAR) expansion)`, e.name, seen, false, DEFAULT_LIMITS));
  }
  return problems;
}

function checkWorkload(obj: K8sObject): Finding[] {
  const tmpl = podTemplateOf(obj, true);
  if (!tmpl) {
    return [];
  }
  const findings: Finding[] = [];
  for (const c of containersOf(tmpl.spec)) {
    const env = envOf(c);
    const problems = checkEnv(c, env);
    // Command, args, probes and hooks see every env var of the container, in any order.
    const vars = expandEnv(bindingsOf(env), hasEnvFrom(c));
    const expand = (tokens: string[]) => tokens.map((t) => expandReferences(t, vars, hasEnvFrom(c)));
    problems.push(...commandLineProblems(`${containerLabel(c)} command line`, expand(stringTokens(c))));
    for (const h of hookCommands(c)) {
      problems.push(...commandLineProblems(h.where, expand(h.tokens)));
    }
    problems.push(...productDefaultProblems(c, env));
    findings.push(...[...new Set(problems)].map((p) => ({ message: `${obj.id}: ${p}`, container: c.name })));
  }
  return findings;
}

function checkCnpgCluster(obj: K8sObject): Finding[] {
  const pgHba = asArray(asObject(asObject(obj.props.spec)?.postgresql)?.pg_hba).map((l) => asString(l) ?? "");
  return hbaTrusts(pgHba) ? [{ message: `${obj.id}: spec.postgresql.pg_hba has a host rule with the trust method (no password)` }] : [];
}

/** Rejects vendor default credentials, placeholders, weak or literal credentials, and auth-off switches. */
export const noDefaultCredentials = resourceRule({
  name: "no-default-credentials",
  description:
    "No default, placeholder, weak or literal credential and no switch that turns authentication off, in Secrets, ConfigMaps (including config files), env vars, container arguments, Helm values and CloudNativePG clusters.",
  remediationSteps:
    "Generate every credential with the kit's generated-secret builder (RandomPassword into a Secret) and reference it with valueFrom.secretKeyRef or $(VAR); take external keys from Pulumi config secrets; keep authentication switched on.",
  config: {
    minLength: { type: "integer", default: DEFAULT_LIMITS.minLength, description: "Shortest acceptable credential in a Secret." },
    minEntropyBits: { type: "integer", default: DEFAULT_LIMITS.minEntropyBits, description: "Least estimated entropy of a credential in a Secret." },
  },
  check: (obj, { config }) => {
    const limits = limitsFrom(config);
    if (obj.group === "" && obj.kind === "Secret") {
      return checkStore(obj, "Secret", true, limits);
    }
    if (obj.group === "" && obj.kind === "ConfigMap") {
      return checkStore(obj, "ConfigMap", false, limits);
    }
    if (obj.group === CNPG_GROUP && obj.kind === "Cluster") {
      return checkCnpgCluster(obj);
    }
    if (obj.group === "helm.sh") {
      return helmValuesProblems(obj.props.values).map((p) => ({ message: `${obj.id}: ${p}` }));
    }
    return checkWorkload(obj);
  },
});
