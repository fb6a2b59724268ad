/**
 * The alert webhook receiver's URL is a credential: Slack incoming webhooks, and most chat and paging
 * webhooks, carry their token in the path or query. So it is a config secret (`alertWebhookUrl`),
 * mounted into Alertmanager from a Secret and read through `url_file`; it never appears in a ConfigMap,
 * a stack file in clear text, or an error message. docs/alerting.md says how to set it.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { NO_USERINFO, noUserinfo } from "./url";

/** The config secret that holds the webhook receiver's URL. */
export const ALERT_WEBHOOK_SECRET = "alertWebhookUrl";

/** The webhook receiver as the platform takes it: the URL stays a secret, its port is not one. */
export interface AlertWebhook {
  url: pulumi.Output<string>;
  /** The URL's port (its scheme's default when it names none): Alertmanager's egress is opened to it. */
  port: number;
}

const SET_IT = `set it with \`pulumi config set --secret ${ALERT_WEBHOOK_SECRET} <url>\``;

/** Why `alerting.webhookUrl`, the setting that held the URL in clear text, is refused. */
export const PLAIN_WEBHOOK_REFUSED = `is not taken in clear text: a webhook URL is a credential (Slack and most chat webhooks carry their token in it); remove it and ${SET_IT}`;

const webhookUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL that accepts Alertmanager's webhook payload" }).refine(noUserinfo, NO_USERINFO);

/** What is wrong with the secret's value (each message follows the setting's name), never repeating it. */
export function alertWebhookProblems(url: string | undefined): string[] {
  if (url === undefined) return [];
  const parsed = webhookUrl.safeParse(url.trim());
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.message}; ${SET_IT}`);
}

/** The receiver from a validated secret value. */
export function alertWebhook(url: string | undefined): AlertWebhook | undefined {
  if (url === undefined) return undefined;
  const u = new URL(url.trim());
  return { url: pulumi.secret(url.trim()), port: u.port ? Number(u.port) : u.protocol === "https:" ? 443 : 80 };
}
