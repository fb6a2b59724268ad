/**
 * README's "Layout" block is the map a newcomer reads first: it names every tool, every config module
 * and every top-level file of components/, and every path it names exists.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../tools/render/stack-files";

function layoutBlock(): string {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Layout\n"));
  const match = /```\n([\s\S]*?)\n```/.exec(section);
  assert.ok(match, "README has a Layout section with a code block");
  return match[1];
}

const dirs = (rel: string) =>
  fs
    .readdirSync(path.join(ROOT, rel), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
const tsFiles = (rel: string) => fs.readdirSync(path.join(ROOT, rel)).filter((f) => f.endsWith(".ts"));

describe("README layout", () => {
  const block = layoutBlock();

  it("lists every folder of tools/", () => {
    for (const d of dirs("tools")) assert.match(block, new RegExp(`^  ${d}/ `, "m"), `tools/${d}`);
  });

  it("names every config module and every file at the top of components/ and components/layers/", () => {
    for (const f of [...tsFiles("components/config"), ...tsFiles("components"), ...tsFiles("components/layers")]) assert.ok(block.includes(f), f);
  });

  it("names the build config, the services folder and docs/, which exist", () => {
    for (const p of ["tsconfig.build.json", "components/services", "docs"]) assert.ok(fs.existsSync(path.join(ROOT, p)), p);
    assert.match(block, /^tsconfig\.build\.json /m);
    assert.match(block, /^ {2}services\/ /m);
    assert.match(block, /^docs\/ /m);
  });
});
