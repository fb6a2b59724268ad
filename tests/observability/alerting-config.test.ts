import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, loadConfig } from "../../components/config/schema";
import { NULL_RECEIVER, RECEIVER, alertmanagerConfig } from "../../components/services/alertmanager/alertmanager";
import { FAKE_SECRETS, stackSettings } from "../harness";

const EMAIL = { to: "oncall@example.com, sre@example.com", from: "alerts@example.com", smarthost: "smtp.example.com:587" };
const SMTP_PASSWORD = "smtp-test-password-0000";

/** The ConfigError message loadConfig throws for these settings on the dev stack. */
function rejection(overrides: Record<string, unknown>, secrets: Record<string, string> = FAKE_SECRETS): string {
  try {
    loadConfig("dev", stackSettings("dev", overrides, secrets));
  } catch (e) {
    assert.ok(e instanceof ConfigError, `a ConfigError, got ${e}`);
    return e.message;
  }
  assert.fail("the configuration was accepted");
}

describe("config contract: alerting", () => {
  it("rejects an SMTP relay without a port, naming the setting", () => {
    assert.match(rejection({ alerting: { email: { ...EMAIL, smarthost: "smtp.example.com" } } }), /voicehelper:alerting\.email\.smarthost: must be host:port/);
  });
  it("rejects a recipient that is not an e-mail address", () => {
    assert.match(rejection({ alerting: { email: { ...EMAIL, to: "oncall" } } }), /voicehelper:alerting\.email\.to: must be one or more e-mail addresses/);
  });
  it("rejects a webhook that is not an http(s) URL", () => {
    assert.match(rejection({}, { ...FAKE_SECRETS, alertWebhookUrl: "ftp://hooks.example.com" }), /voicehelper:alertWebhookUrl: must be an http\(s\) URL/);
  });
  it("refuses the webhook URL as a plain setting and says which config secret takes it, without repeating it", () => {
    const message = rejection({ alerting: { webhookUrl: "https://hooks.example.com/T000/B000/test-token-0000" } });
    assert.match(message, /voicehelper:alerting\.webhookUrl: is not taken in clear text: a webhook URL is a credential .*pulumi config set --secret alertWebhookUrl <url>/);
    assert.ok(!message.includes("test-token-0000"), message);
  });
  it("rejects an unknown receiver setting", () => {
    assert.match(rejection({ alerting: { slack: "x" } }), /voicehelper:alerting\.slack: unknown setting/);
  });
  it("rejects an SMTP password without an e-mail receiver", () => {
    assert.match(rejection({}, { ...FAKE_SECRETS, smtpPassword: SMTP_PASSWORD }), /voicehelper:smtpPassword: is set but alerting\.email is not/);
  });
  it("never shows the SMTP password in an error", () => {
    assert.ok(!rejection({}, { ...FAKE_SECRETS, smtpPassword: SMTP_PASSWORD }).includes(SMTP_PASSWORD));
  });
  it("accepts e-mail and webhook receivers and carries the SMTP password and the webhook URL as secrets", async () => {
    const cfg = loadConfig("dev", stackSettings("dev", { alerting: { email: EMAIL } }, { ...FAKE_SECRETS, smtpPassword: SMTP_PASSWORD, alertWebhookUrl: "https://hooks.example.com:8443/x" }));
    assert.deepStrictEqual(cfg.alerting.email, EMAIL);
    assert.ok(cfg.alerting.webhook, "the webhook receiver carried");
    assert.strictEqual(cfg.alerting.webhook.port, 8443);
    assert.strictEqual(await pulumi.isSecret(cfg.alerting.webhook.url), true);
    assert.ok(cfg.alerting.smtpPassword, "smtpPassword carried");
    assert.strictEqual(await pulumi.isSecret(cfg.alerting.smtpPassword!), true);
  });
  it("a webhook URL without a port is reached on its scheme's port", () => {
    const port = (url: string) => loadConfig("dev", stackSettings("dev", {}, { ...FAKE_SECRETS, alertWebhookUrl: url })).alerting.webhook?.port;
    assert.strictEqual(port("https://hooks.example.com/x"), 443);
    assert.strictEqual(port("http://hooks.example.com/x"), 80);
  });
});

describe("production alerts reach someone", () => {
  const prodRejection = (overrides: Record<string, unknown>, secrets: Record<string, string> = FAKE_SECRETS): string => {
    try {
      loadConfig("prod", stackSettings("prod", overrides, secrets));
    } catch (e) {
      assert.ok(e instanceof ConfigError, `a ConfigError, got ${e}`);
      return e.message;
    }
    assert.fail("the configuration was accepted");
  };

  it("refuses a production stack without a receiver, saying how to add one or opt out", () => {
    const message = prodRejection({ alerting: undefined });
    assert.match(
      message,
      /voicehelper:alerting: production needs an alert receiver: set alerting\.email .* or the alertWebhookUrl secret \(`pulumi config set --secret alertWebhookUrl <url>`\); .* alerting\.none: true/,
    );
  });

  it("accepts production without a receiver only when the stack says so, and then routes to the null receiver", () => {
    const cfg = loadConfig("prod", stackSettings("prod", { alerting: { none: true } }));
    assert.strictEqual(cfg.alerting.none, true);
    assert.strictEqual((alertmanagerConfig(cfg.alerting) as any).route.receiver, NULL_RECEIVER);
  });

  it("refuses alerting.none next to a receiver", () => {
    assert.match(prodRejection({ alerting: { none: true } }, { ...FAKE_SECRETS, alertWebhookUrl: "https://hooks.example.com/x" }), /voicehelper:alerting\.none: contradicts the receiver/);
    assert.match(prodRejection({ alerting: { none: "yes" } }), /voicehelper:alerting\.none: must be true/);
  });

  it("the production stack file routes every alert to its e-mail receiver", () => {
    const cfg = loadConfig("prod", stackSettings("prod"));
    const am = alertmanagerConfig(cfg.alerting) as any;
    assert.strictEqual(am.route.receiver, RECEIVER);
    const [receiver] = am.receivers;
    assert.strictEqual(receiver.name, RECEIVER);
    assert.ok(receiver.email_configs?.[0]?.to, "an e-mail integration, not an empty receiver");
  });

  it("a stack without Alertmanager needs no receiver", () => {
    assert.doesNotThrow(() => loadConfig("prod", stackSettings("prod", { alerting: undefined, deployMode: "storage-only" })));
  });

  it("other tiers keep alerts in Alertmanager without a receiver", () => {
    assert.doesNotThrow(() => loadConfig("staging", stackSettings("staging")));
  });
});
