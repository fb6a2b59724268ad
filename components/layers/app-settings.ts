/**
 * The in-house services' shared settings (the seed's `voicehelper-config`): one ConfigMap in their
 * namespace, read as env, from the stack's `app` setting. Operators change a setting in stack config;
 * the digest on every in-house pod template rolls them on the next `pulumi up`.
 */
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACES } from "../config/catalog";
import { PlatformConfig } from "../config/schema";
import { SharedSettings, sharedSettings } from "../kit/config-map";
import { labels } from "../kit/labels";

export const APP_SETTINGS_NAME = "voicehelper-config";

/** The env every in-house service gets from the shared ConfigMap. */
export function appSettingsEnv(stack: string, app: PlatformConfig["app"]): Record<string, string> {
  return { LOG_LEVEL: app.logLevel, ENVIRONMENT: stack };
}

export class AppSettings extends pulumi.ComponentResource {
  readonly settings: SharedSettings;

  constructor(name: string, args: { stack: string; app: PlatformConfig["app"] }, opts?: pulumi.ComponentResourceOptions) {
    super("voicehelper:platform:AppSettings", name, {}, opts);
    const id = { name: APP_SETTINGS_NAME, component: "app-settings", version: "config" };
    this.settings = sharedSettings(APP_SETTINGS_NAME, NAMESPACES.apps, labels(id), appSettingsEnv(args.stack, args.app), this);
    this.registerOutputs({ name: this.settings.name, hash: this.settings.hash });
  }
}
