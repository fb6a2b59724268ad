// Helm values (`helm.sh/v3:Release`, `helm.sh/v3:Chart`, `helm.sh/v4:Chart`): nested maps, env-style
// `{name, value}` lists, string values that are config files, and argument lists.

import { commandLineProblems } from "./commands";
import { allSettingsOf, isCredentialSetting, namesAThing, settingsOfObject, vendorAccountsAmong } from "./configfiles";
import { credentialValueProblem, isReference, referenceFallback } from "./credentials";
import { combinedAccount, describeAccount, describeDefault, envAuthSwitch, knownDefaultEqual, knownDefaultsIn, pathAuthSwitch } from "./defaults";
import { asObject } from "./values";

/**
 * Helm values (third-party charts) may legitimately carry generated credentials, empty values that
 * ask the chart to generate one, and names of existing Secrets; only defaults, placeholders and
 * auth-off switches are rejected there.
 */
export function helmValuesProblems(values: unknown): string[] {
  const problems: string[] = [];
  const settings = settingsOfObject(values);
  for (const a of vendorAccountsAmong(settings)) {
    problems.push(`Helm values hold ${describeAccount(a)}`);
  }
  for (const s of settings) {
    problems.push(...helmSettingProblems(`Helm value ${s.path}`, s.path, s.key, s.value));
    // A string that is itself a config file or an env list (`extraEnvVars: |`, `config: |`).
    if (s.value.includes("\n") || /^\s*[{[]/.test(s.value) || /^[A-Za-z][\w. -]*\s*[=:]\s*\S/.test(s.value)) {
      const inner = allSettingsOf(s.value);
      for (const a of vendorAccountsAmong(inner)) {
        problems.push(`Helm value ${s.path} holds ${describeAccount(a)}`);
      }
      for (const i of inner) {
        problems.push(...helmSettingProblems(`Helm value ${s.path} (${i.path})`, `${s.path}.${i.path}`, i.key, i.value));
      }
    }
  }
  // Lists of arguments (`args`, `extraArgs`, `command`) are command lines.
  for (const [path, tokens] of stringLists(values)) {
    problems.push(...commandLineProblems(`Helm value ${path}`, tokens));
  }
  return [...new Set(problems)];
}

function helmSettingProblems(where: string, path: string, key: string, value: string): string[] {
  const off = pathAuthSwitch(path, value) ?? envAuthSwitch(key, value);
  if (off) {
    return [`${where} ${off}`];
  }
  const account = namesAThing(key) ? undefined : combinedAccount(value);
  if (account) {
    return [`${where} is ${describeAccount(account)}`];
  }
  if (isCredentialSetting(key) && !/existing/i.test(path) && value !== "" && !isReference(value)) {
    const p = credentialValueProblem(value);
    return p ? [`${where} ${p}`] : [];
  }
  if (isCredentialSetting(key) && isReference(value)) {
    const fallback = referenceFallback(value);
    const known = fallback === undefined ? undefined : (knownDefaultEqual(fallback) ?? knownDefaultsIn(fallback)[0]);
    return known ? [`${where} falls back to ${describeDefault(known)} when its variable is unset`] : [];
  }
  return knownDefaultsIn(value).map((d) => `${where} contains ${describeDefault(d)}`);
}

/** Arrays of strings under keys that hold a command line, with their paths. */
function stringLists(values: unknown, path = ""): [string, string[]][] {
  const out: [string, string[]][] = [];
  const o = asObject(values);
  for (const [k, v] of Object.entries(o ?? {})) {
    const here = path ? `${path}.${k}` : k;
    if (Array.isArray(v) && /^(args|command|extraArgs|extraCommand|cmd|extraFlags)$/i.test(k) && v.every((x) => typeof x === "string")) {
      out.push([here, v as string[]]);
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => out.push(...stringLists(x, `${here}[${i}]`)));
    } else if (asObject(v)) {
      out.push(...stringLists(v, here));
    }
  }
  return out;
}
