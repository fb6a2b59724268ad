/**
 * A config secret set without `--secret` sits in the stack file in clear text (and in version control
 * with it). Each one is refused by name before anything is deployed, so the mistake is fixed where it
 * was made rather than carried into the cluster.
 */
import { PROJECT, SECRET_KEYS } from "./schema";

/**
 * @param settings `voicehelper:*` settings without the prefix, as the program received them
 * @param isEncrypted whether the engine marked a full key (`voicehelper:<key>`) as a secret
 */
export function plaintextSecretProblems(settings: Record<string, string>, isEncrypted: (fullKey: string) => boolean): string[] {
  return SECRET_KEYS.filter((k) => (settings[k] ?? "").trim() !== "" && !isEncrypted(`${PROJECT}:${k}`)).map(
    (k) => `${PROJECT}:${k}: is stored in the stack file in clear text; it is a credential: remove it (\`pulumi config rm ${k}\`) and set it with \`pulumi config set --secret ${k} <value>\``,
  );
}
