/**
 * A command line is readable by every process that can list the container's (or, with host PID access,
 * the node's) processes; a credential passed as an argument is one `ps` away. Scripts and exec probes
 * hand curl their credentials in a config file or on stdin (`-K`, `@file`), and give mc its aliases in
 * its config file (mcAliases), never through `mc alias set`.
 */
import { strict as assert } from "assert";
import { Rendered, STACKS, containersOf, render } from "./harness";

/** The curl and mc invocations inside a shell script, one command each. */
export function curlCommands(script: string): string[] {
  return script
    .split(/\n|\||;|&&|\$\(/)
    .map((s) => s.trim())
    .filter((s) => /(^|\s)(curl|mc)\s/.test(s));
}

/**
 * Commands allowed to take a credential as an argument, each with the reason. `mc admin user add`
 * reads a secret key only from its arguments or a terminal; it runs once, in the bootstrap Job's own pod.
 */
const KNOWN = [/^mc admin user add platform "\$access" "\$secret"$/];

/** Why a curl command exposes a credential, or undefined. */
export function exposedCredential(command: string): string | undefined {
  if (KNOWN.some((k) => k.test(command))) return undefined;
  if (/^mc\s+alias\s+set\s/.test(command)) return "mc alias set takes the keys as arguments";
  if (/^mc\s+admin\s+user\s+add\s/.test(command)) return "mc admin user add takes the secret key as an argument";
  if (/^curl\s/.test(command) && /\s(-u|--user)\s/.test(command)) return "a user:password argument";
  if (/(-H|--header)\s+["']?(Authorization|\$auth)/i.test(command)) return "an Authorization header argument";
  // A variable named for a credential (…_PASSWORD, …_TOKEN, …_SECRET_KEY), not one merely mentioning it (TARGET_SECRET_NAME).
  if (/\$\{?[A-Z_]*(PASSWORD|SECRET|TOKEN|_KEY)\b(?![A-Z_])/.test(command)) return "a secret variable expanded into its arguments";
  return undefined;
}

function scripts(r: Rendered): { where: string; text: string }[] {
  const found: { where: string; text: string }[] = [];
  for (const res of r.kubernetes()) {
    for (const c of containersOf(res)) {
      const where = `${res.inputs.metadata.name}/${c.name}`;
      found.push({ where, text: [...(c.command ?? []), ...(c.args ?? [])].join("\n") });
      for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
        const exec = c[probe]?.exec?.command;
        if (exec) found.push({ where: `${where} ${probe}`, text: exec.join("\n") });
      }
    }
  }
  return found;
}

describe("no credential on a command line", () => {
  it("the check recognises the ways a curl command exposes a credential", () => {
    assert.ok(exposedCredential(`curl -fsS -u "elastic:$ELASTIC_PASSWORD" http://127.0.0.1:9200`));
    assert.ok(exposedCredential(`curl -sS -H "$auth" https://kubernetes.default.svc`));
    assert.ok(exposedCredential(`curl -X POST "$URL" --data-urlencode "password=$ADMIN_PASSWORD"`));
    assert.ok(exposedCredential(`mc alias set store "$STORE_URL" "$STORE_ACCESS_KEY" "$STORE_SECRET_KEY" >/dev/null`));
    assert.ok(exposedCredential(`mc admin user add other "$a" "$b"`));
    assert.equal(exposedCredential(`mc cp --recursive /data/ "store/$TARGET/"`), undefined);
    assert.ok(exposedCredential(`curl -X PUT "$URL" --user-agent x -d "{\\"key\\":\\"$SECRET_KEY\\"}"`));
    assert.equal(exposedCredential(`curl -fsS -K - -o /dev/null "http://127.0.0.1:9200/_cluster/health"`), undefined);
    assert.equal(exposedCredential(`curl -sS -K /tmp/curl-api "$api/$TARGET_SECRET_NAME"`), undefined);
    assert.deepEqual(curlCommands(`printf 'user = "%s"' "$P" | curl -K - "$U"\ncode=$(curl -sS -K /tmp/c "$api")`), [`curl -K - "$U"`, `curl -sS -K /tmp/c "$api")`]);
  });

  for (const stack of STACKS) {
    it(`${stack}: every curl and mc in a script or exec probe takes its credentials from a file or stdin`, async () => {
      const r = await render(stack);
      const exposed = scripts(r).flatMap(({ where, text }) =>
        curlCommands(text)
          .map((cmd) => [cmd, exposedCredential(cmd)] as const)
          .filter(([, why]) => why !== undefined)
          .map(([cmd, why]) => `${where}: ${why}: ${cmd}`),
      );
      assert.deepEqual(exposed, []);
      assert.ok(
        scripts(r).some(({ text }) => curlCommands(text).length > 0),
        "the stack runs curl somewhere (the check is not vacuous)",
      );
    });
  }
});
