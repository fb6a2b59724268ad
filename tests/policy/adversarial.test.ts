/**
 * The adversarial suite: each case is a trick to get a default (or a literal credential, or an
 * auth-off switch) past a rule, written as a pull request would bring it, beside its honest near miss.
 * The trick must be reported by the rule; the near miss must pass it. No message may repeat a value.
 */
import { strict as assert } from "assert";
import { CONFIG_FILE_CASES, PRODUCT_FILE_CASES } from "./adversarial/config-files.cases";
import { GENERATED_CASES, HELM_CASES } from "./adversarial/helm-and-secrets.cases";
import { HARDENING_CASES } from "./adversarial/hardening.cases";
import { STACK_CASES } from "./adversarial/stack.cases";
import { AdversarialCase } from "./adversarial/helpers";
import { AUTH_SWITCH_CASES, COMMAND_CASES, ENV_CASES } from "./adversarial/workloads.cases";
import { check, Violation } from "./util";

const TABLES: [string, AdversarialCase[]][] = [
  ["config files", CONFIG_FILE_CASES],
  ["the platform's own config files", PRODUCT_FILE_CASES],
  ["env", ENV_CASES],
  ["command lines and scripts", COMMAND_CASES],
  ["auth-off switches", AUTH_SWITCH_CASES],
  ["Helm values", HELM_CASES],
  ["generated secrets", GENERATED_CASES],
  ["hardening rules", HARDENING_CASES],
  ["stack rules", STACK_CASES],
];

/** Values the cases use as defaults: none may appear in a message (user names may). */
const NEVER_ECHOED = ["minioadmin123", "T0pS3cr3t", "Harbor12345", "admin-secret", "SecretKey0123", "Qm7vX2pL9wR4tZ8kN3bH6jD1fS5gC0yA", "e3b0c44298fc1c14"];

const mandatoryOf = (vs: Violation[]) => vs.filter((v) => v.enforcementLevel === "mandatory");
const list = (vs: Violation[]) => vs.map((v) => `    ${v.message}`).join("\n");

describe("policy: adversarial suite", () => {
  it("has at least 150 cases, each with a distinct name", () => {
    const all = TABLES.flatMap(([, cases]) => cases);
    assert.ok(all.length >= 150, `only ${all.length} cases`);
    const names = all.map((c) => `${c.rule}: ${c.trick}`);
    assert.equal(new Set(names).size, names.length, "duplicate case names");
  });

  for (const [table, cases] of TABLES) {
    describe(table, () => {
      for (const k of cases) {
        it(`${k.rule}: ${k.trick}`, async () => {
          const caught = mandatoryOf(await check(k.rule, k.violating));
          assert.ok(caught.length > 0, "the trick got past the rule");
          const passed = mandatoryOf(await check(k.rule, k.nearMiss));
          assert.deepEqual(passed, [], `false positive on the near miss:\n${list(passed)}`);
          for (const v of caught) {
            for (const secret of NEVER_ECHOED) assert.ok(!v.message.includes(secret), `message repeats a value: ${v.message}`);
          }
        });
      }
    });
  }
});
