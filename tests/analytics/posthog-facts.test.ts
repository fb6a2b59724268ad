/**
 * Every upstream fact the PostHog deployment relies on, and every line of the Model Router's contract,
 * checked on the rendered objects (tests/analytics/posthog-facts.ts); and docs/posthog-upstream.md
 * lists exactly these rows with the same sources, so the document cannot drift from what is tested.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { FAKE_SECRETS, ROOT, render } from "../harness";
import { FACTS, FactStacks, ROUTER_CONTRACT } from "./posthog-facts";

const SELF_HOSTED = { posthog: { mode: "self-hosted" } };
const WITHOUT_PROJECT_KEY = Object.fromEntries(Object.entries(FAKE_SECRETS).filter(([k]) => k !== "posthogApiKey"));

describe("PostHog upstream facts and the Model Router's contract (docs/posthog-upstream.md)", () => {
  const s = {} as FactStacks;
  before(async () => {
    s.selfHosted = await render("dev", SELF_HOSTED, WITHOUT_PROJECT_KEY);
    s.selfHostedWithKey = await render("dev", SELF_HOSTED);
    s.routerExposed = await render("dev", { ...SELF_HOSTED, edge: { mode: "gateway-api", expose: ["model-router"] } });
  });

  for (const f of [...FACTS, ...ROUTER_CONTRACT]) {
    it(`${f.id} (${f.component}): ${f.ours}`, () => f.check(s));
  }

  it("the document lists exactly these rows, each with its sources", () => {
    const doc = fs.readFileSync(path.join(ROOT, "docs", "posthog-upstream.md"), "utf8");
    // The fact tables are the sections "PostHog: the facts" and "The Model Router's contract".
    const rows = new Map<string, string>();
    let inFacts = false;
    for (const line of doc.split("\n")) {
      if (line.startsWith("## ")) inFacts = /^## (PostHog: the facts|The Model Router's contract)/.test(line);
      const m = /^\| `([a-z0-9-]+)` \|/.exec(line);
      if (inFacts && m) rows.set(m[1], line);
    }
    const all = [...FACTS, ...ROUTER_CONTRACT];
    assert.deepStrictEqual([...rows.keys()].sort(), all.map((f) => f.id).sort());
    for (const f of all) {
      for (const src of f.source) {
        assert.ok(rows.get(f.id)!.includes(src.path), `${f.id}: the document names ${src.path}`);
        if (src.commit !== "-") assert.ok(rows.get(f.id)!.includes(src.commit.slice(0, 10)), `${f.id}: the document names commit ${src.commit.slice(0, 10)} of ${src.path}`);
      }
    }
  });

  it("the document says which rows were read at the pinned release", () => {
    const doc = fs.readFileSync(path.join(ROOT, "docs", "posthog-upstream.md"), "utf8");
    const atPin = FACTS.filter((f) => f.source.some((x) => x.atPin)).map((f) => f.id);
    assert.ok(atPin.length > 0);
    for (const id of atPin) assert.match(doc, new RegExp(`^\\| \`${id}\` \\|.*\\*\\*at pin\\*\\*`, "m"), id);
  });
});
