// Checks specific to the file formats of the products the platform runs: Kafka JAAS lines, pg_hba
// rules, ClickHouse users.xml, RabbitMQ advanced.config, Redis config and ACL rules, Milvus config.

import type { FileContext, Setting } from "./configfiles";
import { credentialValueProblem, isReference } from "./credentials";
import { describeAccount, vendorAccount } from "./defaults";

/** What the products' own file formats give away (JAAS, pg_hba, users.xml, advanced.config, ACL, redis.conf, milvus.yaml). */
export function productFileProblems(text: string, settings: Setting[], ctx: FileContext): string[] {
  const problems: string[] = [];
  const name = ctx.fileName.toLowerCase();
  // Inline password="..." (Kafka JAAS configs and similar).
  for (const m of text.matchAll(/password\s*=\s*"([^"]*)"/gi)) {
    if (isReference(m[1])) {
      continue;
    }
    const problem = ctx.inSecret ? credentialValueProblem(m[1], ctx.limits) : "is a literal; keep it in a Secret";
    if (problem) {
      problems.push(`${ctx.where} carries an inline password (e.g. a JAAS config) that ${problem}`);
      break;
    }
  }
  // PostgreSQL host-based authentication with trust.
  if (hbaTrusts(text.split(/\r?\n/))) {
    problems.push(`${ctx.where} has a pg_hba host rule with the trust method (no password)`);
  }
  // ClickHouse users.xml: empty or absent passwords.
  if (/<(password|password_sha256_hex|password_double_sha1_hex)\s*\/>|<(password)>\s*<\/password>|<no_password\s*\/>/i.test(text)) {
    problems.push(`${ctx.where} gives a ClickHouse user an empty password`);
  }
  for (const m of text.matchAll(/<password>([^<]+)<\/password>/gi)) {
    const problem = isReference(m[1]) ? undefined : credentialValueProblem(m[1], ctx.inSecret ? ctx.limits : undefined);
    if (problem) {
      problems.push(`${ctx.where} has a ClickHouse <password> that ${problem}`);
    } else if (!ctx.inSecret && !isReference(m[1])) {
      problems.push(`${ctx.where} has a literal ClickHouse <password> in a ConfigMap; keep it in a Secret`);
    }
  }
  // RabbitMQ's Erlang-term files (advanced.config): remote guest, and default_user/default_pass binaries.
  if (/\{\s*loopback_users\s*,\s*\[\s*\]\s*\}/.test(text)) {
    problems.push(`${ctx.where} lets RabbitMQ's guest user log in remotely (loopback_users [])`);
  }
  const erlangUser = /\{\s*default_user\s*,\s*<<"([^"]*)">>\s*\}/.exec(text)?.[1];
  const erlangPass = /\{\s*default_pass\s*,\s*<<"([^"]*)">>\s*\}/.exec(text)?.[1];
  if (erlangPass !== undefined) {
    const account = erlangUser === undefined ? undefined : vendorAccount(erlangUser, erlangPass);
    const problem = account
      ? `is part of ${describeAccount(account)}`
      : (credentialValueProblem(erlangPass, ctx.inSecret ? ctx.limits : undefined) ?? (ctx.inSecret ? undefined : "is a literal in a ConfigMap; keep it in a Secret"));
    if (problem) problems.push(`${ctx.where} has a RabbitMQ default_pass that ${problem}`);
  }
  // Redis ACL rules, in any file: an enabled user without a password.
  if (/(^|\n)\s*user\s+\S+\s+(?=.*\bon\b)(?=.*\bnopass\b).*/.test(text) && !/redis.*\.conf$|valkey.*\.conf$/.test(name)) {
    problems.push(`${ctx.where} defines a Redis ACL user with nopass`);
  }
  // Redis: a server config must require a password.
  const isRedisConf = /redis.*\.conf$|valkey.*\.conf$/.test(name) || (/(^|\n)\s*(appendonly|maxmemory-policy|appendfsync)\s/.test(text) && /(^|\n)\s*port\s+\d+/.test(text));
  if (isRedisConf) {
    const hasAuth = settings.some((s) => s.key === "requirepass" && s.value !== "") || /(^|\n)\s*(include|aclfile)\s+\S/.test(text);
    const aclUsers = settings.filter((s) => s.key === "user");
    if (aclUsers.some((s) => /\bnopass\b/.test(s.value) && /\bon\b/.test(s.value))) {
      problems.push(`${ctx.where} defines a Redis ACL user with nopass`);
    }
    if (!hasAuth && aclUsers.length === 0) {
      problems.push(`${ctx.where} is a Redis config without requirepass (Redis without a password)`);
    }
  }
  // Milvus: the config must turn authorization on.
  const isMilvusConf = /milvus.*\.ya?ml$/.test(name) || (name === "user.yaml" && /(^|\n)(etcd|minio|common|proxy):/.test(text));
  if (isMilvusConf && !settings.some((s) => /(^|\.)common\.security\.authorizationenabled$/i.test(s.path) && s.value.toLowerCase() === "true")) {
    problems.push(`${ctx.where} is a Milvus config that does not set common.security.authorizationEnabled: true (Milvus without authentication)`);
  }
  return problems;
}

/**
 * True when a pg_hba rule for network connections uses `trust` (no password). Comments are not part
 * of the rule (`host all all 0.0.0.0/0 trust # temporary` still trusts everyone).
 */
export function hbaTrusts(lines: string[]): boolean {
  return lines.some((raw) => {
    const fields = raw.replace(/#.*$/, "").trim().split(/\s+/);
    return /^host(ssl|nossl|gssenc|nogssenc)?$/.test(fields[0] ?? "") && fields.length >= 5 && fields.slice(3).some((f, i) => f === "trust" && i + 3 >= 4);
  });
}
