/**
 * The index names the platform's writers use, read from their own rendered configuration (not from the
 * program's constants), and index patterns matched the way Elasticsearch matches them.
 */
import * as assert from "assert";
import { parse } from "yaml";
import { Rendered } from "../harness";
import { CONFIGMAP } from "./helpers";

export const MONITORING = "voicehelper-monitoring";
const DAY = "2026-05-01";

/** An index pattern (`*` wildcards) as Elasticsearch matches it against an index name. */
export const matches = (pattern: string, index: string) =>
  new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  ).test(index);
export const covered = (patterns: string[], index: string) => patterns.some((p) => matches(p, index));

/** Today's log index as Fluentd names it: logstash format, `<logstash_prefix>-YYYY.MM.DD`. */
export function fluentdIndex(out: Rendered): string {
  const conf: string = out.object(CONFIGMAP, "fluentd-config", MONITORING).inputs.data["fluent.conf"];
  const prefix = /^\s*logstash_prefix\s+(\S+)\s*$/m.exec(conf)?.[1];
  assert.ok(prefix && /^\s*logstash_format\s+true\s*$/m.test(conf), "Fluentd writes logstash-format daily indices");
  return `${prefix}-${DAY.replace(/-/g, ".")}`;
}

/** Today's Jaeger indices as Jaeger names them: `<index_prefix>-jaeger-<kind>-YYYY-MM-DD`. */
export function jaegerIndices(out: Rendered): string[] {
  const config = parse(out.object(CONFIGMAP, "jaeger-config", MONITORING).inputs.data["config.yaml"]);
  const prefix: string = config.extensions.jaeger_storage.backends.elasticsearch.elasticsearch.indices.index_prefix;
  assert.ok(prefix);
  return ["span", "service", "dependencies", "sampling"].map((kind) => `${prefix}-jaeger-${kind}-${DAY}`);
}
