// Kubernetes' own variable expansion, done the way the kubelet does it, so a rule sees what the
// container gets: `$(VAR)` in an env value is replaced by an env var defined *before* it, in command
// and args by any of the container's env vars; `$$(VAR)` is the literal text `$(VAR)`; a reference to
// a variable that is not defined stays as the literal text.

/** An env var as the expansion sees it: a literal value, or one only known at run time (Secret, field, unknown). */
export interface EnvBinding {
  name: string;
  /** The literal value, or undefined when the value comes from elsewhere (valueFrom, unknown at preview). */
  value?: string;
  /** Read from a ConfigMap: not a literal here, but not a secret either. */
  fromConfigMap?: boolean;
}

/** Stands for a value read from a ConfigMap (plain configuration, never a place for a credential). */
export const FROM_CONFIGMAP = "<from-ConfigMap>";

/** Stands for text Kubernetes passes literally although it looks like a reference (escaped or undefined). */
const literalRef = (name: string) => `<literal-${name}-text>`;

/**
 * Expands `$(VAR)` in `text` with `vars` (name -> literal value, or null for a run-time value, which
 * stays a reference). Unknown names and `$$(...)` become literal text.
 */
export function expandReferences(text: string, vars: ReadonlyMap<string, string | null>, elsewhere = false): string {
  return text.replace(/\$\$\(([A-Za-z_][A-Za-z0-9_]*)\)|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, escaped: string | undefined, name: string | undefined) => {
    if (escaped !== undefined) return literalRef(escaped);
    const v = vars.get(name!);
    if (v === undefined) return elsewhere || SERVICE_VAR.test(name!) ? whole : literalRef(name!);
    return v === null ? whole : v;
  });
}

/** The variables Kubernetes injects for Services (`REDIS_SERVICE_HOST`, `REDIS_PORT_6379_TCP`...). */
const SERVICE_VAR = /_SERVICE_(HOST|PORT)|_PORT(_\d+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)?$/;

/**
 * Each env var's value as the container gets it (in order: a value sees only the vars before it).
 * `elsewhere`: the container also takes variables from `envFrom`, so a name not in `env` may be
 * defined there (its value is not known here and is treated as a run-time value).
 */
export function expandEnv(env: EnvBinding[], elsewhere = false): Map<string, string | null> {
  const vars = new Map<string, string | null>();
  for (const e of env) {
    vars.set(e.name, e.fromConfigMap ? FROM_CONFIGMAP : e.value === undefined ? null : expandReferences(e.value, vars, elsewhere));
  }
  return vars;
}

/** The names whose `$(NAME)` Kubernetes passed literally in `expanded` (undefined before use, or escaped). */
export function literalReferences(expanded: string): string[] {
  return [...expanded.matchAll(/<literal-([A-Za-z_][A-Za-z0-9_]*)-text>/g)].map((m) => m[1]);
}
