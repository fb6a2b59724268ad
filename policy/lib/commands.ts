// What a command line or a shell script gives away: passwords handed to client tools on their own
// terms (mysql -pX, mc alias set ... USER PASS, curl -u user:pass, Basic headers), shell fallbacks
// (`${PASSWORD:-admin}`), config keys set on the command line (-Dkey=value, -Ekey=value,
// --dotted.key=value, helm --set), and config files a script writes (heredocs, echo > file).
// Messages name the tool or setting, never the value.

import { allSettingsOf, isCredentialSetting, vendorAccountsAmong } from "./configfiles";
import { credentialValueProblem, fallbacksIn, isCredentialName, isReference, urlPasswords } from "./credentials";
import { describeAccount, describeDefault, knownDefaultEqual, knownDefaultsIn, pathAuthSwitch, vendorAccount } from "./defaults";

const unquote = (s: string) => s.replace(/^["']|["']$/g, "");
const ARG = `("[^"]*"|'[^']*'|[^\\s;|&)]+)`;

/** Client tools and where their password goes. Each pattern captures the user (when given) and the password. */
const LOGINS: readonly { tool: string; re: RegExp; user?: number; password: number }[] = [
  { tool: "mysql", re: new RegExp(`\\b(?:mysql|mariadb|mysqladmin|mysqldump|mariadb-admin)\\b[^\\n;|&]*?\\s-p(?!\\s)([^\\s;|&)]+)`, "g"), password: 1 },
  { tool: "cypher-shell", re: new RegExp(`\\bcypher-shell\\b[^\\n;|&]*?\\s-p\\s+${ARG}`, "g"), password: 1 },
  { tool: "mongosh", re: new RegExp(`\\bmongo(?:sh)?\\b[^\\n;|&]*?\\s-p\\s+${ARG}`, "g"), password: 1 },
  { tool: "mc alias set", re: new RegExp(`\\bmc\\s+(?:alias\\s+set|config\\s+host\\s+add)\\s+\\S+\\s+\\S+\\s+${ARG}\\s+${ARG}`, "g"), user: 1, password: 2 },
  { tool: "rabbitmqctl", re: new RegExp(`\\brabbitmqctl\\b[^\\n;|&]*?\\b(?:add_user|change_password)\\s+${ARG}\\s+${ARG}`, "g"), user: 1, password: 2 },
  { tool: "neo4j-admin", re: new RegExp(`\\bneo4j-admin\\b[^\\n;|&]*?\\bset-initial-password\\s+${ARG}`, "g"), password: 1 },
  { tool: "grafana cli", re: new RegExp(`\\bgrafana(?:-cli|\\s+cli)\\b[^\\n;|&]*?\\breset-admin-password\\s+${ARG}`, "g"), password: 1 },
  { tool: "htpasswd", re: new RegExp(`\\bhtpasswd\\s+-[a-zA-Z]*b[a-zA-Z]*\\s+\\S+\\s+${ARG}\\s+${ARG}`, "g"), user: 1, password: 2 },
  { tool: "a -u/--user user:password login", re: /(?:^|\s)(?:-u|--user|--basic-auth|--http-user)[\s=]+["']?([^\s:"']+):([^\s"'@]+)["']?/g, user: 1, password: 2 },
];

/** `Authorization: Basic <base64 user:password>` headers. */
function basicAuthHeaders(text: string): { user: string; password: string }[] {
  const out: { user: string; password: string }[] = [];
  for (const m of text.matchAll(/Authorization:\s*Basic\s+([A-Za-z0-9+/=]+)/gi)) {
    const decoded = Buffer.from(m[1], "base64").toString("utf8");
    const i = decoded.indexOf(":");
    if (i > 0) out.push({ user: decoded.slice(0, i), password: decoded.slice(i + 1) });
  }
  return out;
}

/** Why a password handed to a tool is wrong: a default (named), or a literal at all. */
function loginProblem(tool: string, user: string | undefined, password: string): string | undefined {
  const p = unquote(password);
  if (isReference(p) || p.includes("$")) {
    return undefined; // taken from the environment or a file at run time
  }
  const account = user === undefined ? undefined : vendorAccount(unquote(user), p);
  if (account) {
    return `logs ${tool} in with ${describeAccount(account)}`;
  }
  const known = knownDefaultEqual(p);
  return known ? `passes ${describeDefault(known)} to ${tool}` : `passes a literal password to ${tool}; take it from $(VAR) or a mounted file`;
}

/** Config keys set on a command line: JVM `-Dkey=value`, Elasticsearch `-Ekey=value`, `--dotted.key=value`, `--set key=value`. */
function commandLineSettings(text: string): { path: string; value: string }[] {
  const out: { path: string; value: string }[] = [];
  const patterns = [
    /(?:^|\s)-D([A-Za-z][\w.-]*)=("[^"]*"|'[^']*'|\S*)/g,
    /(?:^|\s)-E\s*([A-Za-z][\w.-]*)=("[^"]*"|'[^']*'|\S*)/g,
    /(?:^|\s)--([A-Za-z][\w-]*(?:\.[\w-]+)+)=("[^"]*"|'[^']*'|\S*)/g,
    /(?:^|\s)--set(?:-string)?[\s=]+([A-Za-z][\w.-]*)=("[^"]*"|'[^']*'|[^\s,]*)/g,
  ];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) out.push({ path: m[1], value: unquote(m[2]) });
  }
  return out;
}

/** What `printf 'format' args...` prints: each %s replaced by the next argument, \n as a line break. */
function printfOutputs(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\bprintf\s+('[^']*'|"[^"]*")((?:\s+(?:"[^"]*"|'[^']*'|[^\s>|;&'"]+))*)/g)) {
    const args = [...m[2].matchAll(/"[^"]*"|'[^']*'|[^\s]+/g)].map((a) => unquote(a[0]));
    let i = 0;
    out.push(
      unquote(m[1])
        .replace(/\\n/g, "\n")
        .replace(/%s/g, () => args[i++] ?? ""),
    );
  }
  return out;
}

/** Problems in a command line or script (`text`: the tokens joined, scripts included). */
export function commandProblems(text: string): string[] {
  const problems = new Set<string>();
  for (const login of LOGINS) {
    for (const m of text.matchAll(login.re)) {
      const p = loginProblem(login.tool, login.user === undefined ? undefined : m[login.user], m[login.password]);
      if (p) problems.add(p);
    }
  }
  // redis-cli ... AUTH [user] password
  for (const m of text.matchAll(new RegExp(`\\b(?:redis|valkey)-cli\\b[^\\n;|&]*?\\bAUTH\\s+${ARG}(?:\\s+${ARG})?`, "gi"))) {
    const p = loginProblem("redis-cli AUTH", m[2] === undefined ? undefined : m[1], m[2] ?? m[1]);
    if (p) problems.add(p);
  }
  // kubectl create secret ... --from-literal=password=x: the literal ends up in the cluster and in shell history.
  for (const m of text.matchAll(/--from-literal[=\s]+["']?([\w.-]+)=([^\s"']*)/g)) {
    if (isCredentialName(m[1])) {
      const p = loginProblem("kubectl --from-literal", undefined, m[2]);
      if (p) problems.add(p);
    }
  }
  for (const h of basicAuthHeaders(text)) {
    const p = loginProblem("an Authorization: Basic header", h.user, h.password);
    if (p) problems.add(p);
  }
  for (const f of fallbacksIn(text)) {
    if (isCredentialName(f.variable) || knownDefaultEqual(f.fallback)) {
      const known = knownDefaultEqual(f.fallback);
      problems.add(`falls back to ${known ? describeDefault(known) : "a literal credential"} when \${${f.variable}} is unset; fail instead (\${${f.variable}:?})`);
    }
  }
  for (const s of commandLineSettings(text)) {
    const off = pathAuthSwitch(s.path, s.value);
    if (off) problems.add(`sets ${s.path} on the command line: it ${off}`);
    const key = s.path.split(".").pop() ?? s.path;
    if (isCredentialSetting(key) && s.value !== "" && !isReference(s.value) && !s.value.includes("$")) {
      const known = knownDefaultEqual(s.value);
      problems.add(`sets ${s.path} on the command line to ${known ? describeDefault(known) : "a literal"}; pass a file or $(VAR) from a Secret`);
    }
  }
  // A literal written into a file named for a credential (echo admin > /shared/admin-password).
  for (const m of text.matchAll(/\b(?:echo|printf)\s+(?:-[ne]+\s+)?("[^"]*"|'[^']*'|[^\s>|;&]+)\s*>>?\s*("[^"]*"|'[^']*'|[^\s;|&]+)/g)) {
    const value = unquote(m[1]);
    const file = unquote(m[2]).split("/").pop() ?? "";
    if (isCredentialName(file.replace(/\.[A-Za-z0-9]+$/, "")) && !value.includes("$") && !/[=:\s]/.test(value) && value !== "") {
      const known = knownDefaultEqual(value);
      problems.add(`writes ${known ? describeDefault(known) : "a literal credential"} into ${file}; mount it from a Secret`);
    }
  }
  // Config files a script writes (heredocs, echo "key value" > file): settings with literal credentials.
  // ... including what a quoted string holds (echo 'key: value' >> file) and what printf formats.
  const quoted = [...text.matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => m[1] ?? m[2]).filter((q) => /[:=\s]/.test(q));
  const written = [...allSettingsOf(text), ...[...quoted, ...printfOutputs(text)].flatMap((q) => allSettingsOf(q))].filter(
    (s) => !s.key.startsWith("-") && !s.value.includes("$") && !isReference(s.value),
  );
  for (const s of written) {
    const off = pathAuthSwitch(s.path, s.value) ?? pathAuthSwitch(s.key, s.value);
    if (off) problems.add(`writes ${s.key}: it ${off}`);
    if (isCredentialSetting(s.key) && s.value !== "" && !/^(true|false)$/i.test(s.value)) {
      const problem = credentialValueProblem(s.value);
      if (problem) problems.add(`writes a ${s.key} that ${problem}`);
    }
  }
  // Keyword arguments in inline code (python -c "...Redis(password='admin')").
  for (const m of text.matchAll(/\b([A-Za-z_]*(?:password|passwd|pwd|secret|token))\s*=\s*(['"])([^'"$]+)\2/gi)) {
    const problem = credentialValueProblem(m[3]);
    if (problem) problems.add(`passes ${m[1]} that ${problem}`);
  }
  for (const a of vendorAccountsAmong(written)) {
    problems.add(`writes ${describeAccount(a)}`);
  }
  return [...problems];
}

const SCRIPT_FLAG = /--([\w-]*(?:requirepass|masterauth|password|passwd|pass|token|api-key|apikey|secret))[= ]+("[^"]*"|'[^']*'|\S+)/g;
const SCRIPT_CLI_AUTH = /\b(redis-cli|valkey-cli)\b[^\n;|&]*?\s-a\s+("[^"]*"|'[^']*'|\S+)/g;
const SCRIPT_ASSIGN = /(?:^|[\s;])(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s;]+)/g;

/** Problems of a command line (its tokens: command and args, or a probe's command), each prefixed with `where`. */
export function commandLineProblems(where: string, tokens: string[]): string[] {
  const problems: string[] = [];
  const text = tokens.join(" ");
  problems.push(...commandProblems(text).map((p) => `${where} ${p}`));
  for (const d of knownDefaultsIn(text)) {
    problems.push(`${where} contains ${describeDefault(d)}`);
  }
  if (urlPasswords(text).length > 0) {
    problems.push(`${where} embeds a literal password in a URL`);
  }
  const literalFlags = new Set<string>();
  tokens.forEach((t, i) => {
    const flag = /^--?([A-Za-z][A-Za-z0-9_.-]*)(?:=(.*))?$/.exec(t);
    if (!flag || !isCredentialName(flag[1])) {
      return;
    }
    const value = flag[2] ?? (i + 1 < tokens.length && !tokens[i + 1].startsWith("-") ? tokens[i + 1] : undefined);
    if (value !== undefined && !isReference(value)) {
      literalFlags.add(`--${flag[1]}`);
    }
  });
  for (const script of tokens.filter((t) => /\s/.test(t))) {
    for (const m of [...script.matchAll(SCRIPT_FLAG), ...script.matchAll(SCRIPT_CLI_AUTH)]) {
      if (!isReference(unquote(m[2]))) {
        literalFlags.add(m[1] === "redis-cli" || m[1] === "valkey-cli" ? `${m[1]} -a` : `--${m[1]}`);
      }
    }
    for (const m of script.matchAll(SCRIPT_ASSIGN)) {
      // Any shell expansion ($VAR, \$VAR inside eval, ${...}) takes the value from elsewhere.
      // Shell assignments only: `password=os.environ[...]` in inline code is an expression, not a literal.
      if (isCredentialName(m[1]) && !isReference(unquote(m[2])) && !/[$([]/.test(unquote(m[2])) && unquote(m[2]) !== "") {
        literalFlags.add(m[1]);
      }
    }
  }
  for (const f of literalFlags) {
    problems.push(`${where} passes ${f} as a literal; use $(VAR) with VAR taken from a Secret`);
  }
  if (tokens.some((t) => /\bnopass\b/.test(t)) && tokens.some((t) => /--user\b|\buser\b/.test(t))) {
    problems.push(`${where} defines a Redis ACL user with nopass`);
  }
  return problems;
}
