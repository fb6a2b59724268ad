/**
 * The generated-secret builder: every credential is generated with @pulumi/random (or supplied from a
 * Pulumi config secret) into one Kubernetes Secret, and consumers get typed references to its keys.
 * Asking for a key the Secret does not hold is a programming error caught at build time, so every
 * `secretKeyRef` the platform renders resolves.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { CREDENTIAL_SOURCE_ANNOTATION, CREDENTIALS_FROM_CONFIG } from "../../policy/lib/names";
import { Labels } from "./labels";

export type Generated =
  /** Letters and digits: safe in URLs, config files and command lines. */
  | { kind: "password"; length: number }
  /** Random bytes as lower-case hex (keys, salts). */
  | { kind: "hex"; bytes: number }
  /** Random bytes as standard base64 (e.g. Nacos' token secret, Fernet-style keys). */
  | { kind: "base64"; bytes: number }
  /** Random bytes as unpadded base64url (e.g. Kafka's cluster id: 16 bytes). */
  | { kind: "base64url"; bytes: number };

export const password = (length = 32): Generated => ({ kind: "password", length });
export const hexKey = (bytes: number): Generated => ({ kind: "hex", bytes });

export interface GeneratedSecretArgs {
  namespace: string;
  labels: Labels;
  /** Keys whose values are generated. */
  generate?: Record<string, Generated>;
  /** Keys whose values come from config secrets (or other resources' secret outputs). */
  supplied?: Record<string, pulumi.Input<string>>;
  /** Keys that are not secret on their own but belong with the credentials (usernames). */
  plain?: Record<string, string>;
  /** The Secret's type, e.g. "kubernetes.io/basic-auth" (keys `username` and `password`) for operators that require it. @default "Opaque" */
  type?: string;
  /** Keys computed from the others, e.g. a connection URL or a config fragment that embeds a password. */
  derive?: (values: Readonly<Record<string, pulumi.Output<string>>>) => Record<string, pulumi.Input<string>>;
}

export interface SecretKeyRef {
  name: pulumi.Output<string>;
  key: string;
}

/**
 * A credential that clients in other namespaces can use: Kubernetes resolves a `secretKeyRef` only
 * within the pod's namespace, so `in(ns)` copies the Secret there (once per namespace) and refers to
 * the copy. The copy holds only the keys referenced in that namespace, never the whole Secret.
 */
export interface SharedCredential {
  in(namespace: string): SecretKeyRef;
}

export class GeneratedSecret extends pulumi.ComponentResource {
  readonly secretName: pulumi.Output<string>;
  readonly keys: readonly string[];
  private readonly values: Record<string, pulumi.Output<string>>;
  private readonly name: string;
  private readonly namespace: string;
  private readonly labels: Labels;
  private readonly annotations?: Record<string, string>;
  private readonly copies = new Map<string, SecretCopy>();

  constructor(name: string, args: GeneratedSecretArgs, opts?: pulumi.ComponentResourceOptions) {
    super("voicehelper:kit:GeneratedSecret", name, {}, opts);
    this.name = name;
    this.namespace = args.namespace;
    this.labels = args.labels;
    // Values from Pulumi config secrets have no generator to trace; the policy pack reads this.
    this.annotations = args.supplied ? { [CREDENTIAL_SOURCE_ANNOTATION]: CREDENTIALS_FROM_CONFIG } : undefined;
    const values: Record<string, pulumi.Output<string>> = {};
    for (const [key, spec] of Object.entries(args.generate ?? {})) {
      values[key] = generate(`${name}-${slug(key)}`, spec, this);
    }
    for (const [key, v] of Object.entries(args.supplied ?? {})) values[key] = pulumi.secret(v);
    for (const [key, v] of Object.entries(args.plain ?? {})) values[key] = pulumi.output(v);
    for (const [key, v] of Object.entries(args.derive?.(values) ?? {})) values[key] = pulumi.secret(v);
    this.values = values;
    this.keys = Object.keys(values);

    const secret = new k8s.core.v1.Secret(
      name,
      {
        metadata: { name, namespace: args.namespace, labels: args.labels, annotations: this.annotations },
        type: args.type ?? "Opaque",
        stringData: values,
      },
      { parent: this },
    );
    this.secretName = secret.metadata.name;
    this.registerOutputs({ secretName: this.secretName });
  }

  /** A reference to one key, for `secretKeyRef` env vars and projected volumes in the Secret's namespace. */
  ref(key: string): SecretKeyRef {
    this.assertKey(key);
    return { name: this.secretName, key };
  }

  /** One key, usable from any namespace (see SharedCredential). */
  credential(key: string): SharedCredential {
    this.assertKey(key);
    return { in: (namespace: string) => (namespace === this.namespace ? this.ref(key) : { name: this.copyIn(namespace, key), key }) };
  }

  /** The copy in `namespace`, created on first use, now also carrying `key`. */
  private copyIn(namespace: string, key: string): pulumi.Output<string> {
    let copy = this.copies.get(namespace);
    if (!copy) {
      const referenced = new Set<string>();
      const entry: SecretCopy = { referenced, written: false, name: pulumi.output("") };
      // The data is read once the program has built everything (the engine serializes inputs after
      // the synchronous build), so it holds exactly the keys referenced in this namespace.
      const stringData = pulumi.output(Promise.resolve(true)).apply(() => {
        entry.written = true;
        return pulumi.all(Object.fromEntries(this.keys.filter((k) => referenced.has(k)).map((k) => [k, this.values[k]])));
      });
      const secret = new k8s.core.v1.Secret(
        `${this.name}-in-${namespace}`,
        {
          metadata: { name: this.name, namespace, labels: { ...this.labels, "voicehelper.io/copied-from": this.namespace }, annotations: this.annotations },
          type: "Opaque",
          stringData,
        },
        { parent: this },
      );
      entry.name = secret.metadata.name;
      copy = entry;
      this.copies.set(namespace, copy);
    }
    if (!copy.referenced.has(key)) {
      if (copy.written) {
        throw new Error(
          `Secret ${this.name}: key "${key}" was referenced in ${namespace} after the copy there was written; reference credentials while building resources, not inside apply callbacks`,
        );
      }
      copy.referenced.add(key);
    }
    return copy.name;
  }

  /** The (secret) value of one key, for resources that take a credential directly. */
  value(key: string): pulumi.Output<string> {
    this.assertKey(key);
    return this.values[key];
  }

  private assertKey(key: string): void {
    if (!this.keys.includes(key)) {
      throw new Error(`Secret ${this.name} has no key "${key}"; it holds ${this.keys.join(", ")}`);
    }
  }
}

/** A Secret's copy in a client namespace and the keys referenced there. */
interface SecretCopy {
  referenced: Set<string>;
  /** The copy's data was computed: a key referenced later would be missing from it. */
  written: boolean;
  name: pulumi.Output<string>;
}

function generate(name: string, spec: Generated, parent: pulumi.Resource): pulumi.Output<string> {
  switch (spec.kind) {
    case "password":
      return new random.RandomPassword(name, { length: spec.length, special: false, minLower: 2, minUpper: 2, minNumeric: 2 }, { parent }).result;
    case "hex":
      return pulumi.secret(new random.RandomId(name, { byteLength: spec.bytes }, { parent }).hex);
    case "base64":
      return pulumi.secret(new random.RandomId(name, { byteLength: spec.bytes }, { parent }).b64Std);
    case "base64url":
      return pulumi.secret(new random.RandomId(name, { byteLength: spec.bytes }, { parent }).b64Url);
  }
}

function slug(key: string): string {
  return key
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}
