/**
 * What the offline render puts where `@pulumi/random` would generate a credential: an obvious
 * placeholder (the default: the output can be shared and reviewed), or real randomness from Node's
 * CSPRNG (`--secrets generate`: the output holds live credentials in plain text).
 */
import { randomBytes, randomInt } from "crypto";
import { GeneratedValues } from "./offline-runtime";

/** Every placeholder credential contains this word. */
export const PLACEHOLDER_WORD = "placeholder";

/** Readable placeholders: passwords name their resource; ids are all zero bytes. */
export const PLACEHOLDER_VALUES: GeneratedValues = {
  password: (name) => `${PLACEHOLDER_WORD}-not-a-secret-${name}`,
  id: (_name, byteLength) => Buffer.alloc(byteLength),
};

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const NUMERIC = "0123456789";
/**
 * A password with RandomPassword's letter and digit classes and their minimum counts honoured. The kit
 * asks for `special: false` everywhere (the values go into URLs and config files); any other request is
 * refused rather than approximated.
 */
function randomPassword(name: string, inputs: Record<string, any>): string {
  if (inputs.special !== false) {
    throw new Error(`RandomPassword ${name}: the offline render generates passwords without special characters only (special: false)`);
  }
  const classes = [
    { chars: UPPER, on: inputs.upper ?? true, min: inputs.minUpper ?? 0 },
    { chars: LOWER, on: inputs.lower ?? true, min: inputs.minLower ?? 0 },
    { chars: NUMERIC, on: inputs.numeric ?? true, min: inputs.minNumeric ?? 0 },
  ].filter((c) => c.on);
  const length: number = inputs.length;
  const alphabet = classes.map((c) => c.chars).join("");
  if (!Number.isInteger(length) || length < 1 || alphabet === "" || classes.reduce((n, c) => n + c.min, 0) > length) {
    throw new Error(`RandomPassword ${name}: cannot generate length ${length} with these character classes: ${JSON.stringify(inputs)}`);
  }
  for (;;) {
    const candidate = Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join("");
    if (classes.every((c) => [...candidate].filter((ch) => c.chars.includes(ch)).length >= c.min)) return candidate;
  }
}

/** Fresh credentials on every run, as `pulumi up` would create them. */
export const RANDOM_VALUES: GeneratedValues = {
  password: (name, inputs) => randomPassword(name, inputs),
  id: (_name, byteLength) => randomBytes(byteLength),
};
