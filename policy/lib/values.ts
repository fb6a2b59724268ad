// Plain-data snapshots of resource properties, with unknown values made explicit.
//
// During `pulumi preview` a property that depends on another resource's output (for example the
// result of a RandomPassword created in the same update) is unknown. The engine hands policies a
// proxy that throws `UnknownValueError` when such a property is read, and then downgrades the whole
// policy to one advisory "can't run during preview" message for that resource. That would hide every
// other finding on the resource, so the rules never read the engine's proxy directly: they read a
// snapshot in which each unknown value is replaced by the `UNKNOWN` marker and is handled on purpose.

/** The type of the marker that stands for a value the engine does not know yet. */
export class Unknown {
  readonly description = "unknown during preview";
  toString(): string {
    return `<${this.description}>`;
  }
}

/** The single marker instance used in snapshots for values unknown during preview. */
export const UNKNOWN = new Unknown();

/** True when `v` is the marker of a value unknown during preview. */
export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

// The engine's sentinels for unknown values (@pulumi/policy proxy.js). They only reach a rule
// unproxied when a caller passes raw properties; they are recognised so such a value is never
// mistaken for a literal string.
const UNKNOWN_SENTINELS = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/**
 * True for the error `@pulumi/policy` throws when an unknown value is read. Recognised by shape, not
 * by `instanceof`, because the pack and its tests may load two copies of `@pulumi/policy`.
 */
export function isUnknownValueError(e: unknown): boolean {
  if (!(e instanceof Error)) {
    return false;
  }
  const anyErr = e as any;
  return e.constructor?.name === "UnknownValueError" || ("unknownTypeSentinel" in anyErr && Array.isArray(anyErr.props));
}

const MAX_DEPTH = 64;

function read(get: () => unknown, depth: number): unknown {
  let v: unknown;
  try {
    v = get();
  } catch (e) {
    if (isUnknownValueError(e)) {
      return UNKNOWN;
    }
    throw e;
  }
  return snapshot(v, depth + 1);
}

/**
 * Copies `value` (possibly the engine's unknown-checking proxy) into plain data. Unknown values
 * become `UNKNOWN`; nothing in the result throws when read.
 */
export function snapshot(value: unknown, depth = 0): any {
  if (typeof value === "string") {
    return UNKNOWN_SENTINELS.has(value) ? UNKNOWN : value;
  }
  if (value === null || typeof value !== "object" || depth > MAX_DEPTH || isUnknown(value)) {
    return value;
  }
  if (Array.isArray(value)) {
    const n = value.length;
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) {
      out.push(read(() => value[i], depth));
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    out[key] = read(() => (value as Record<string, unknown>)[key], depth);
  }
  return out;
}

/** A plain object (not an array, not unknown), or undefined. */
export function asObject(v: unknown): Record<string, any> | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !isUnknown(v) ? (v as Record<string, any>) : undefined;
}

/** An array, or an empty array for anything else (including unknown). */
export function asArray(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

/** A string, or undefined (including for unknown). */
export function asString(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** A number (numeric strings are accepted), or undefined. */
export function asNumber(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) {
    return v;
  }
  if (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v.trim())) {
    return Number(v);
  }
  return undefined;
}

/** A string map (labels, annotations, data); non-string values are dropped. */
export function asStringMap(v: unknown): Record<string, string> {
  const o = asObject(v);
  const out: Record<string, string> = {};
  if (!o) {
    return out;
  }
  for (const [k, val] of Object.entries(o)) {
    if (typeof val === "string") {
      out[k] = val;
    }
  }
  return out;
}
