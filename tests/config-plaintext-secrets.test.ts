/**
 * Config secrets given in clear text (`pulumi config set` without `--secret`) are refused by name, and
 * the SDK fact the check relies on: the engine's list of secret settings is readable at run time.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { plaintextSecretProblems } from "../components/config/plaintext-secrets";
import { SECRET_KEYS } from "../components/config/schema";

const WEBHOOK = "https://hooks.example.com/T000/B000/test-token-0000";

describe("config: secrets stored in clear text are refused", () => {
  it("names each secret setting the engine did not receive encrypted, and says how to fix it", () => {
    const problems = plaintextSecretProblems({ alertWebhookUrl: WEBHOOK, openaiApiKey: "sk-test-not-a-real-openai-key-000000" }, (k) => k === "voicehelper:openaiApiKey");
    assert.deepStrictEqual(problems, [
      "voicehelper:alertWebhookUrl: is stored in the stack file in clear text; it is a credential: remove it (`pulumi config rm alertWebhookUrl`) and set it with `pulumi config set --secret alertWebhookUrl <value>`",
    ]);
  });
  it("never repeats the value", () => {
    const problems = plaintextSecretProblems({ alertWebhookUrl: WEBHOOK }, () => false);
    assert.strictEqual(problems.length, 1);
    assert.ok(!problems[0].includes("test-token-0000"), problems[0]);
  });
  it("accepts every secret setting when encrypted, ignores unset ones and settings that are not secrets", () => {
    const all = Object.fromEntries(SECRET_KEYS.map((k) => [k, `test-not-a-real-${k}`]));
    assert.deepStrictEqual(
      plaintextSecretProblems(all, () => true),
      [],
    );
    assert.deepStrictEqual(
      plaintextSecretProblems({ alertWebhookUrl: "", domain: "voicehelper.local" }, () => false),
      [],
    );
    assert.strictEqual(plaintextSecretProblems(all, () => false).length, SECRET_KEYS.length);
  });
});

describe("upstream: @pulumi/pulumi tells the program which settings the engine passed as secrets", () => {
  let saved: Record<string, string>;
  before(() => (saved = pulumi.runtime.allConfig()));
  after(() => pulumi.runtime.setAllConfig(saved, []));

  it("runtime/config isConfigSecret answers from the engine's secret keys (what index.ts reads)", () => {
    pulumi.runtime.setAllConfig({ "voicehelper:alertWebhookUrl": WEBHOOK, "voicehelper:domain": "voicehelper.local" }, ["voicehelper:alertWebhookUrl"]);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret: (k: string) => boolean };
    assert.strictEqual(typeof isConfigSecret, "function");
    assert.strictEqual(isConfigSecret("voicehelper:alertWebhookUrl"), true);
    assert.strictEqual(isConfigSecret("voicehelper:domain"), false);
  });
});
