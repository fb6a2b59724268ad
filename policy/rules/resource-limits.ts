import { matchesResource } from "../lib/exceptions";
import { CNPG_GROUP, containerLabel, containersOf, ContainerRef, imageBaseName, K8sObject, podTemplateOf } from "../lib/k8s";
import { formatBytes, parseJvmSize, parseNeo4jSize, parsePgSize, parseQuantity, parseRedisSize } from "../lib/quantity";
import { Finding, resourceRule } from "../lib/rule";
import { asArray, asObject, asString, isUnknown } from "../lib/values";

const DEFAULT_MAX_CPU = "16";
const DEFAULT_MAX_MEMORY = "64Gi";

/** Env vars whose value is a JVM option string that may carry -Xmx. */
const JVM_OPTION_VARS = ["ES_JAVA_OPTS", "KAFKA_HEAP_OPTS", "JAVA_OPTS", "JAVA_OPT", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "JVM_OPTS", "CATALINA_OPTS"];
/** Apache Kafka's start script uses -Xmx1G when KAFKA_HEAP_OPTS is unset. */
const KAFKA_DEFAULT_HEAP = 2 ** 30;

interface Ceilings {
  cpu?: number;
  memory?: number;
}

function ceilingsFor(obj: K8sObject, container: string | undefined, config: Record<string, any>): Ceilings {
  let cpu = parseQuantity(config.maxCpuLimit ?? DEFAULT_MAX_CPU);
  let memory = parseQuantity(config.maxMemoryLimit ?? DEFAULT_MAX_MEMORY);
  for (const raw of asArray(config.ceilingOverrides)) {
    const o = asObject(raw);
    const resource = asString(o?.resource);
    if (!o || !resource || !matchesResource(resource, obj.id)) {
      continue;
    }
    if (o.container !== undefined && o.container !== container) {
      continue;
    }
    cpu = parseQuantity(o.maxCpuLimit) ?? cpu;
    memory = parseQuantity(o.maxMemoryLimit) ?? memory;
  }
  return { cpu, memory };
}

/** Checks one `resources` block; returns problems and the parsed memory limit. */
function checkResources(resources: unknown, ceilings: Ceilings): { problems: string[]; memoryLimit?: number } {
  const problems: string[] = [];
  if (isUnknown(resources)) {
    return { problems };
  }
  const res = asObject(resources) ?? {};
  const values: Record<string, Record<string, number | undefined>> = { requests: {}, limits: {} };
  const missing: string[] = [];
  for (const kind of ["requests", "limits"] as const) {
    const block = res[kind];
    if (isUnknown(block)) {
      continue;
    }
    for (const r of ["cpu", "memory"] as const) {
      const raw = asObject(block)?.[r];
      if (isUnknown(raw)) {
        continue;
      }
      if (raw === undefined || raw === null || raw === "") {
        missing.push(`${r} ${kind === "requests" ? "request" : "limit"}`);
        continue;
      }
      const parsed = parseQuantity(raw);
      if (parsed === undefined) {
        problems.push(`has an invalid ${r} ${kind === "requests" ? "request" : "limit"}`);
      }
      values[kind][r] = parsed;
    }
  }
  if (missing.length > 0) {
    problems.push(`has no ${missing.join(", ")}`);
  }
  for (const r of ["cpu", "memory"] as const) {
    const req = values.requests[r];
    const lim = values.limits[r];
    if (req !== undefined && lim !== undefined && req > lim) {
      problems.push(`requests more ${r} than its limit`);
    }
  }
  const cpuLimit = values.limits.cpu;
  const memoryLimit = values.limits.memory;
  if (cpuLimit !== undefined && ceilings.cpu !== undefined && cpuLimit > ceilings.cpu) {
    problems.push(`has a cpu limit of ${+cpuLimit.toFixed(3)} cores, above the ceiling of ${ceilings.cpu}`);
  }
  if (memoryLimit !== undefined && ceilings.memory !== undefined && memoryLimit > ceilings.memory) {
    problems.push(`has a memory limit of ${formatBytes(memoryLimit)}, above the ceiling of ${formatBytes(ceilings.memory)}`);
  }
  return { problems, memoryLimit };
}

/** Literal env values of a container (unknown or referenced values are left out). */
function literalEnv(c: ContainerRef): Map<string, string> {
  const env = new Map<string, string>();
  for (const e of asArray(c.container.env)) {
    const name = asString(asObject(e)?.name);
    const value = asString(asObject(e)?.value);
    if (name !== undefined && value !== undefined) {
      env.set(name, value);
    }
  }
  return env;
}

function argTokens(c: ContainerRef): string[] {
  return [...asArray(c.container.command), ...asArray(c.container.args)].map((t) => asString(t)).filter((t): t is string => t !== undefined);
}

function xmxOf(text: string): number | undefined {
  let found: number | undefined;
  for (const m of text.matchAll(/-Xmx(\d+[kKmMgGtT]?)\b/g)) {
    found = parseJvmSize(m[1]) ?? found;
  }
  return found;
}

/** Memory the process reserves up front (JVM heap, Neo4j page cache), with a description. */
function reservedMemory(c: ContainerRef): { bytes: number; what: string } | undefined {
  const env = literalEnv(c);
  let heap: number | undefined;
  let what = "";
  for (const name of JVM_OPTION_VARS) {
    const v = env.get(name);
    const x = v === undefined ? undefined : xmxOf(v);
    if (x !== undefined) {
      heap = x;
      what = `-Xmx in ${name}`;
    }
  }
  const fromArgs = xmxOf(argTokens(c).join(" "));
  if (fromArgs !== undefined) {
    heap = fromArgs;
    what = "-Xmx in the command line";
  }
  const nacosXmx = env.get("JVM_XMX");
  if (nacosXmx !== undefined && parseJvmSize(nacosXmx) !== undefined) {
    heap = parseJvmSize(nacosXmx);
    what = "JVM_XMX";
  }
  for (const name of ["NEO4J_server_memory_heap_max__size", "NEO4J_dbms_memory_heap_max__size"]) {
    const v = env.get(name);
    if (v !== undefined && parseNeo4jSize(v) !== undefined) {
      heap = parseNeo4jSize(v);
      what = name;
    }
  }
  const base = imageBaseName(asString(c.container.image));
  const setsKafkaHeap = asArray(c.container.env).some((e) => asObject(e)?.name === "KAFKA_HEAP_OPTS") || asArray(c.container.envFrom).length > 0;
  if (heap === undefined && (base === "kafka" || base === "cp-kafka") && !setsKafkaHeap && !c.init) {
    heap = KAFKA_DEFAULT_HEAP;
    what = "Kafka's default heap (-Xmx1G, KAFKA_HEAP_OPTS unset)";
  }
  let pageCache: number | undefined;
  for (const name of ["NEO4J_server_memory_pagecache_size", "NEO4J_dbms_memory_pagecache_size"]) {
    const v = env.get(name);
    if (v !== undefined && parseNeo4jSize(v) !== undefined) {
      pageCache = parseNeo4jSize(v);
    }
  }
  if (heap === undefined && pageCache === undefined) {
    return undefined;
  }
  const parts = [heap !== undefined ? `heap ${formatBytes(heap)} (${what})` : "", pageCache !== undefined ? `page cache ${formatBytes(pageCache)}` : ""].filter((p) => p);
  return { bytes: (heap ?? 0) + (pageCache ?? 0), what: parts.join(" + ") };
}

function redisMaxmemory(c: ContainerRef): number | undefined {
  const tokens = argTokens(c);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === "--maxmemory" && i + 1 < tokens.length) {
      return parseRedisSize(tokens[i + 1]);
    }
    const inline = /(?:^|\s)--maxmemory[ =](\S+)/.exec(t);
    if (inline) {
      return parseRedisSize(inline[1]);
    }
  }
  return undefined;
}

function checkContainer(obj: K8sObject, c: ContainerRef, config: Record<string, any>): Finding[] {
  const { problems, memoryLimit } = checkResources(c.container.resources, ceilingsFor(obj, c.name, config));
  if (memoryLimit !== undefined) {
    const reserved = reservedMemory(c);
    if (reserved && reserved.bytes >= memoryLimit) {
      problems.push(`reserves ${reserved.what}, not below its memory limit of ${formatBytes(memoryLimit)}`);
    }
    const maxmemory = redisMaxmemory(c);
    if (maxmemory !== undefined && maxmemory >= memoryLimit) {
      problems.push(`sets Redis maxmemory ${formatBytes(maxmemory)}, not below its memory limit of ${formatBytes(memoryLimit)}`);
    }
  }
  return problems.map((p) => ({ message: `${obj.id}: ${containerLabel(c)} ${p}`, container: c.name }));
}

function checkCnpgCluster(obj: K8sObject, config: Record<string, any>): Finding[] {
  const spec = asObject(obj.props.spec) ?? {};
  const { problems, memoryLimit } = checkResources(spec.resources, ceilingsFor(obj, undefined, config));
  const sharedBuffers = asString(asObject(asObject(spec.postgresql)?.parameters)?.shared_buffers);
  const sb = sharedBuffers === undefined ? undefined : parsePgSize(sharedBuffers);
  if (sb !== undefined && memoryLimit !== undefined && sb >= memoryLimit) {
    problems.push(`sets shared_buffers ${formatBytes(sb)}, not below the memory limit of ${formatBytes(memoryLimit)}`);
  }
  return problems.map((p) => ({ message: `${obj.id}: spec.resources (each PostgreSQL instance) ${p}` }));
}

/** Every container and init container has cpu/memory requests and limits within ceilings. */
export const resourceLimits = resourceRule({
  name: "resource-limits",
  description:
    "Every container and init container (also in CronJobs, Jobs and the pod templates of custom resources such as CloudNativePG Cluster and Pooler) must set cpu and memory requests and limits, with requests <= limits, limits under the configured ceilings, and JVM heap / Redis maxmemory / shared_buffers below the memory limit.",
  remediationSteps: "Set resources from the service's tier size (components/config sizing tables); keep heap settings below the memory limit.",
  config: {
    maxCpuLimit: { type: "string", default: DEFAULT_MAX_CPU, description: "Largest cpu limit one container may have (Kubernetes quantity)." },
    maxMemoryLimit: { type: "string", default: DEFAULT_MAX_MEMORY, description: "Largest memory limit one container may have (Kubernetes quantity)." },
    ceilingOverrides: {
      type: "array",
      description: "Per-resource (and optionally per-container) ceilings that replace the defaults.",
      items: {
        type: "object",
        properties: {
          resource: { type: "string" },
          container: { type: "string" },
          maxCpuLimit: { type: "string" },
          maxMemoryLimit: { type: "string" },
        },
        required: ["resource"],
      },
    },
  },
  check: (obj, { config }) => {
    if (obj.group === CNPG_GROUP && obj.kind === "Cluster") {
      return checkCnpgCluster(obj, config);
    }
    const tmpl = podTemplateOf(obj, true);
    if (obj.group === CNPG_GROUP && obj.kind === "Pooler" && !tmpl) {
      return [{ message: `${obj.id}: the Pooler has no spec.template with resources for its pgbouncer container` }];
    }
    if (!tmpl) {
      return [];
    }
    const containers = containersOf(tmpl.spec);
    if (obj.group === CNPG_GROUP && obj.kind === "Pooler" && !containers.some((c) => c.name === "pgbouncer" && !c.init)) {
      return [{ message: `${obj.id}: the Pooler template does not set resources for its "pgbouncer" container` }];
    }
    return containers.flatMap((c) => checkContainer(obj, c, config));
  },
});
