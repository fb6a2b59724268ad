// Label selectors (matchLabels / matchExpressions) as Kubernetes evaluates them.

import { asArray, asObject, asString, asStringMap } from "./values";

/** True when `selector` selects an object with `labels`. An empty selector selects everything. */
export function selects(selector: unknown, labels: Record<string, string>): boolean {
  const sel = asObject(selector);
  if (!sel) {
    return false;
  }
  for (const [k, v] of Object.entries(asStringMap(sel.matchLabels))) {
    if (labels[k] !== v) {
      return false;
    }
  }
  for (const raw of asArray(sel.matchExpressions)) {
    const e = asObject(raw);
    const key = asString(e?.key);
    if (!e || key === undefined) {
      return false;
    }
    const values = asArray(e.values).map((x) => String(x));
    const has = key in labels;
    switch (asString(e.operator)) {
      case "In":
        if (!has || !values.includes(labels[key])) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[key])) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** True when a selector has no terms (selects every pod of its namespace). */
export function isEmptySelector(selector: unknown): boolean {
  const sel = asObject(selector);
  if (!sel) {
    return selector === undefined || selector === null;
  }
  return Object.keys(asStringMap(sel.matchLabels)).length === 0 && asArray(sel.matchExpressions).length === 0;
}
