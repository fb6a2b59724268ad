// Parsing of sizes: Kubernetes quantities, JVM -Xmx values, PostgreSQL and Redis memory settings.

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** Parses a Kubernetes quantity ("500m", "1.5", "512Mi", "1G", "1e9") to a number; undefined if invalid. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === "number") {
    return Number.isFinite(q) && q >= 0 ? q : undefined;
  }
  if (typeof q !== "string") {
    return undefined;
  }
  const m = /^\s*([+]?\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?\s*$/.exec(q);
  if (!m) {
    return undefined;
  }
  const base = Number(m[1] + (m[2] ?? ""));
  const suffix = m[3] ?? "";
  const mult = BINARY[suffix] ?? DECIMAL[suffix];
  return mult === undefined ? undefined : base * mult;
}

/** Parses a JVM size ("1g", "512m", "1048576k", "2147483648") to bytes. */
export function parseJvmSize(s: string): number | undefined {
  const m = /^(\d+)([kKmMgGtT]?)$/.exec(s.trim());
  if (!m) {
    return undefined;
  }
  const mult: Record<string, number> = { "": 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };
  return Number(m[1]) * mult[m[2].toLowerCase()];
}

/** Parses a Neo4j memory setting ("1g", "512m", "2G", "1024k"). */
export const parseNeo4jSize = parseJvmSize;

/** Parses a PostgreSQL memory setting ("256MB", "1GB", "8kB"; a bare number counts 8 kB pages). */
export function parsePgSize(s: string): number | undefined {
  const m = /^\s*(\d+)\s*(B|kB|MB|GB|TB)?\s*$/.exec(s);
  if (!m) {
    return undefined;
  }
  const mult: Record<string, number> = { B: 1, kB: 2 ** 10, MB: 2 ** 20, GB: 2 ** 30, TB: 2 ** 40 };
  return m[2] === undefined ? Number(m[1]) * 8192 : Number(m[1]) * mult[m[2]];
}

/** Parses a Redis memory setting ("1gb" = 1024^3, "1g" = 10^9, "100mb", "1048576"). */
export function parseRedisSize(s: string): number | undefined {
  const m = /^\s*(\d+)\s*(k|kb|m|mb|g|gb)?\s*$/i.exec(s);
  if (!m) {
    return undefined;
  }
  const mult: Record<string, number> = { "": 1, k: 1e3, kb: 2 ** 10, m: 1e6, mb: 2 ** 20, g: 1e9, gb: 2 ** 30 };
  return Number(m[1]) * mult[(m[2] ?? "").toLowerCase()];
}

/** Human form of a byte count for messages ("1.5Gi"). */
export function formatBytes(n: number): string {
  for (const [unit, size] of [
    ["Ti", 2 ** 40],
    ["Gi", 2 ** 30],
    ["Mi", 2 ** 20],
    ["Ki", 2 ** 10],
  ] as const) {
    if (n >= size) {
      return `${+(n / size).toFixed(2)}${unit}`;
    }
  }
  return `${n}B`;
}
