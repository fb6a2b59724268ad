/**
 * The only reader of stack configuration: reads `voicehelper:*`, validates it as a whole, and builds
 * the platform. Invalid settings stop the run before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { plaintextSecretProblems } from "./components/config/plaintext-secrets";
import { ConfigError, PROJECT, loadConfig } from "./components/config/schema";
import { build } from "./components/program";

function stackSettings(): Record<string, string> {
  const prefix = `${PROJECT}:`;
  return Object.fromEntries(
    Object.entries(pulumi.runtime.allConfig())
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]),
  );
}

/**
 * Whether the engine passed a setting as a secret. The Node SDK keeps that list (`isConfigSecret`, marked
 * internal, present in @pulumi/pulumi 3.248.0: tests/config-plaintext-secrets.test.ts) but does not
 * export it in its typings.
 */
function isConfigSecret(fullKey: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret?: (k: string) => boolean };
  if (typeof runtimeConfig.isConfigSecret !== "function") throw new Error("@pulumi/pulumi no longer tells which settings are secrets (runtime/config isConfigSecret)");
  return runtimeConfig.isConfigSecret(fullKey);
}

function load() {
  const settings = stackSettings();
  const plaintext = plaintextSecretProblems(settings, isConfigSecret);
  let problems = plaintext;
  try {
    const config = loadConfig(pulumi.getStack(), settings);
    if (problems.length === 0) return config;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems = [...plaintext, ...e.problems];
  }
  // A RunError prints just the message: the list of problems, no stack trace.
  throw new pulumi.RunError(new ConfigError(problems).message);
}

const outputs = build(load());
export const tier = outputs.tier;
export const deployMode = outputs.deployMode;
export const namespaces = outputs.namespaces;
export const deployed = outputs.deployed;
export const endpoints = outputs.endpoints;
export const urls = outputs.urls;
export const posthogHealthUrl = outputs.posthogHealthUrl;
export const renderedTo = outputs.renderedTo;
