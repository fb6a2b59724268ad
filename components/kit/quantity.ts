/**
 * Kubernetes resource quantities as numbers, for validation and arithmetic (requests ≤ limits,
 * capacity, Redis maxmemory from the memory limit). Accepts the forms Kubernetes accepts for CPU and
 * memory; anything else is reported as malformed by the caller.
 */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

const QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/;

/** The quantity's value in base units (cores for CPU, bytes for memory), or undefined if malformed. */
export function parseQuantity(q: string): number | undefined {
  const m = QUANTITY.exec(q.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const suffix = m[2] ?? "";
  const factor = BINARY[suffix] ?? DECIMAL[suffix];
  return factor === undefined ? undefined : n * factor;
}

export function isQuantity(q: string): boolean {
  return parseQuantity(q) !== undefined;
}

/** Cores, e.g. "500m" -> 0.5. Throws on a malformed value: callers validate first. */
export function cpuCores(q: string): number {
  const v = parseQuantity(q);
  if (v === undefined) throw new Error(`malformed CPU quantity "${q}"`);
  return v;
}

/** Bytes, e.g. "1Gi" -> 1073741824. Throws on a malformed value: callers validate first. */
export function memoryBytes(q: string): number {
  const v = parseQuantity(q);
  if (v === undefined) throw new Error(`malformed memory quantity "${q}"`);
  return v;
}

/** A share of a memory quantity, rounded down to whole MiB, as a Kubernetes/JVM-friendly string count of MiB. */
export function mebibytesOf(q: string, share: number): number {
  return Math.floor((memoryBytes(q) * share) / 2 ** 20);
}
