/**
 * The source layout the README describes: services build workloads, layers compose services, and no
 * layer reaches into another (what two layers share is a service, the kit or the config).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
const ROOT = path.resolve(__dirname, "..");
const COMPONENTS = path.join(ROOT, "components");

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
}

/** The files a source file imports by relative path, resolved to absolute paths. */
function relativeImports(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:from|import|require)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]);
  return specs.map((s) => {
    const base = path.resolve(path.dirname(file), s);
    return [`${base}.ts`, path.join(base, "index.ts"), base].find((c) => fs.existsSync(c)) ?? base;
  });
}

/** `components/<top>/<area>/...` -> [top, area]. */
function area(file: string): [string, string | undefined] {
  const [top, second, third] = path.relative(COMPONENTS, file).split(path.sep);
  return [top, third === undefined ? undefined : second];
}

describe("layout", () => {
  const files = sources(COMPONENTS);

  it("no layer imports another layer", () => {
    const crossings: string[] = [];
    for (const file of files) {
      const [top, layer] = area(file);
      if (top !== "layers" || layer === undefined) continue;
      for (const target of relativeImports(file)) {
        const [targetTop, targetLayer] = area(target);
        if (targetTop === "layers" && targetLayer !== undefined && targetLayer !== layer) crossings.push(`${path.relative(ROOT, file)} -> ${path.relative(ROOT, target)}`);
      }
    }
    assert.deepEqual(crossings, []);
  });

  it("services import no layer: they are built below the layers that compose them", () => {
    const upward = files
      .filter((f) => area(f)[0] === "services")
      .flatMap((f) =>
        relativeImports(f)
          .filter((t) => area(t)[0] === "layers")
          .map((t) => `${path.relative(ROOT, f)} -> ${path.relative(ROOT, t)}`),
      );
    assert.deepEqual(upward, []);
  });

  it("the kit imports neither the config nor any service or layer: sizes and resources are its own types", () => {
    const outside = files
      .filter((f) => area(f)[0] === "kit")
      .flatMap((f) =>
        relativeImports(f)
          .filter((t) => t.startsWith(COMPONENTS) && area(t)[0] !== "kit")
          .map((t) => `${path.relative(ROOT, f)} -> ${path.relative(ROOT, t)}`),
      );
    assert.deepEqual(outside, []);
  });

  it("each layer folder holds only its composition (index.ts); builders live in components/services/<service>/", () => {
    const layers = fs.readdirSync(path.join(COMPONENTS, "layers"), { withFileTypes: true }).filter((e) => e.isDirectory());
    // The edge's routes, listeners and TLS are the layer's own composition, not a service's workload.
    const composition: Record<string, string[]> = { edge: ["acme-solver.ts", "gateway.ts", "index.ts", "ingress.ts", "routes.ts", "tls.ts"] };
    for (const l of layers) {
      assert.deepEqual(fs.readdirSync(path.join(COMPONENTS, "layers", l.name)).sort(), composition[l.name] ?? ["index.ts"], `components/layers/${l.name}`);
    }
  });
});
