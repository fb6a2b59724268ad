// Kubernetes' own variable expansion, done the way the kubelet does it, so a rule sees what the
// container gets: `$(VAR)` in an env value is replaced by an env var defined *before* it, in command
// and args by any of the container's env vars; `$$(VAR)` is the literal text `$(VAR)`; a reference to
// a variable that is not defined stays as the literal text.

/** An env var as the expansion sees it: a literal value, or one only known at run time (Secret, field, unknown). */
export interface EnvBinding {
    name: string;
    /** The literal value, or undefined when the value comes from elsewhere (valueFrom, unknown at preview). */
    value?: string;
}

/** Stands for text Kubernetes passes literally although it looks like a reference (escaped or undefined). */
const literalRef = (name: string) => `<literal $(${name}) text>`;

/**
 * Expands `$(VAR)` in `text` with `vars` (name -> literal value, or null for a run-time value, which
 * stays a reference). Unknown names and `$$(...)` become literal text.
 */
export function expandReferences(text: string, vars: ReadonlyMap<string, string | null>): string {
    return text.replace(/\$\$\(([A-Za-z_][A-Za-z0-9_]*)\)|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, escaped: string | undefined, name: string | undefined) => {
        if (escaped !== undefined) return literalRef(escaped);
        const v = vars.get(name!);
        if (v === undefined) return literalRef(name!);
        return v === null ? whole : v;
    });
}

/** Each env var's value as the container gets it (in order: a value sees only the vars before it). */
export function expandEnv(env: EnvBinding[]): Map<string, string | null> {
    const vars = new Map<string, string | null>();
    for (const e of env) {
        vars.set(e.name, e.value === undefined ? null : expandReferences(e.value, vars));
    }
    return vars;
}

/** True when `expanded` carries text Kubernetes passed literally in place of a reference. */
export function hasLiteralReference(expanded: string): boolean {
    return /<literal \$\([A-Za-z_][A-Za-z0-9_]*\) text>/.test(expanded);
}
