/**
 * The only reader of stack configuration: reads `voicehelper:*`, validates it as a whole, and builds
 * the platform. Invalid settings stop the run before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
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

function load() {
  try {
    return loadConfig(pulumi.getStack(), stackSettings());
  } catch (e) {
    // A RunError prints just the message: the list of problems, no stack trace.
    if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
    throw e;
  }
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
