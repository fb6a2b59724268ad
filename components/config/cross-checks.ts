/**
 * Checks that involve more than one setting (a mode and the fields it needs, settings that exclude
 * each other, what production requires). Each returns the problems it finds, worded for the user:
 * the setting's name, what was wrong, what is allowed.
 */
import { CATALOG, SERVICE_NAMES, ServiceName, isServiceName } from "./catalog";
import { ServiceSize } from "../kit/size";
import { disasterRecoveryProblems } from "./disaster-recovery";
import { SecretKey, Settings } from "./settings";
import { resolveProtectData } from "./resolve";
import { ALERT_WEBHOOK_SECRET, alertWebhookProblems } from "./alert-webhook";

/** Stack names that may (and must) render YAML instead of deploying. */
const RENDER_STACK = /^render(-[a-z0-9-]+)?$/;

/** The config secrets the stack sets (placeholders already refused). */
export type SecretValues = Partial<Record<SecretKey, string>>;
/** `voicehelper:<path>`: how a problem names a setting. */
type KeyOf = (path: string) => string;

/** Problems among the settings themselves, found before any size is resolved. */
export function settingProblems(stack: string, s: Settings, secrets: SecretValues, key: KeyOf): string[] {
  const problems: string[] = [];
  const isRenderStack = RENDER_STACK.test(stack);
  if (s.renderTo !== undefined && !isRenderStack) {
    problems.push(
      `${key("renderTo")}: only a dedicated render stack (named "render" or "render-<name>") may render YAML; turning it on for stack "${stack}" would replace the provider and with it every resource`,
    );
  }
  if (isRenderStack && s.renderTo === undefined) {
    problems.push(`${key("renderTo")}: stack "${stack}" is a render stack and must set renderTo (a directory); a render stack never deploys to a cluster`);
  }
  if (s.renderTo !== undefined && (s.kubeconfig !== undefined || s.kubeContext !== undefined)) {
    problems.push(`${key("renderTo")}: cannot be combined with ${key(s.kubeconfig !== undefined ? "kubeconfig" : "kubeContext")}; rendering never talks to a cluster`);
  }
  if (s.backup.mirror !== undefined) {
    for (const k of ["backupMirrorAccessKey", "backupMirrorSecretKey"] as const) {
      if (secrets[k] === undefined) problems.push(`${key(k)}: is required when backup.mirror is set; set it with \`pulumi config set --secret ${k} <value>\``);
    }
  }
  for (const name of s.services) {
    if (!isServiceName(name)) problems.push(`${key("services")}: "${name}" is not a service; services are ${SERVICE_NAMES.join(", ")}`);
  }
  if (new Set(s.services).size !== s.services.length) problems.push(`${key("services")}: lists a service more than once`);
  if (s.services.length > 0 && s.deployMode !== "full") {
    problems.push(`${key("services")}: cannot be combined with deployMode ${s.deployMode}; choose the services or a deploy mode`);
  }
  if (s.tls.issuer === "acme" && s.tls.email === undefined) {
    problems.push(`${key("tls.email")}: is required when tls.issuer is acme (got nothing)`);
  }
  for (const m of alertWebhookProblems(secrets.alertWebhookUrl)) problems.push(`${key(ALERT_WEBHOOK_SECRET)}: ${m}`);
  if (s.alerting.none === true && (s.alerting.email !== undefined || secrets.alertWebhookUrl !== undefined)) {
    problems.push(`${key("alerting.none")}: contradicts the receiver configured (alerting.email or the ${ALERT_WEBHOOK_SECRET} secret); remove one of them`);
  }
  if (secrets.smtpPassword !== undefined && s.alerting.email === undefined) {
    problems.push(`${key("smtpPassword")}: is set but alerting.email is not; configure alerting.email (to, from, smarthost) or remove the secret`);
  }
  if (s.edge.mode === "ingress" && s.edge.ingressClassName === undefined) {
    problems.push(`${key("edge.ingressClassName")}: is required when edge.mode is ingress; name the IngressClass of your controller`);
  }
  if (s.edge.mode === "gateway-api" && s.edge.ingressClassName !== undefined) {
    problems.push(`${key("edge.ingressClassName")}: only applies when edge.mode is ingress (edge.mode is gateway-api)`);
  }
  if (s.edge.mode === "ingress" && s.edge.controllerNamespace === undefined) {
    problems.push(`${key("edge.controllerNamespace")}: is required when edge.mode is ingress; name the namespace your Ingress controller runs in (only it may reach the routed services)`);
  }
  const exposable = SERVICE_NAMES.filter((n) => CATALOG[n].public !== undefined && !CATALOG[n].public!.byDefault);
  for (const e of s.edge.expose) {
    if (!(exposable as string[]).includes(e)) {
      problems.push(`${key("edge.expose")}: "${e}" cannot be exposed; choose from ${exposable.join(", ")} (the others are public already or never)`);
    }
  }

  // The image refuses to start without the answer; asking here makes accepting the licence a
  // decision written in the stack file rather than a default.
  if (s.neo4j.edition === "enterprise" && s.neo4j.acceptLicenseAgreement === undefined) {
    problems.push(
      `${key("neo4j.acceptLicenseAgreement")}: is required when neo4j.edition is enterprise (Neo4j Enterprise runs only under a licence, see https://neo4j.com/licensing/); set it to "yes" if you hold a commercial licence or "eval" to accept the evaluation terms, or choose neo4j.edition community (one node)`,
    );
  }
  if (s.neo4j.edition === "community" && s.neo4j.acceptLicenseAgreement !== undefined) {
    problems.push(`${key("neo4j.acceptLicenseAgreement")}: only applies when neo4j.edition is enterprise (neo4j.edition is community)`);
  }
  return problems;
}

/** Problems of the deployment the settings describe: the services selected and their resolved sizes. */
export function deploymentProblems(stack: string, s: Settings, secrets: SecretValues, services: ServiceName[], sizes: Record<ServiceName, ServiceSize>, now: Date, key: KeyOf): string[] {
  const problems: string[] = [];
  if (s.voiceMedia.mode === "turn" && s.voiceMedia.turnUrls.length === 0) {
    problems.push(`${key("voiceMedia.turnUrls")}: is required when voiceMedia.mode is turn; list your TURN servers, e.g. ["turns:turn.${s.domain}:5349"]`);
  }
  if (s.voiceMedia.mode !== "turn" && s.voiceMedia.turnUrls.length > 0) {
    problems.push(`${key("voiceMedia.turnUrls")}: only applies when voiceMedia.mode is turn (voiceMedia.mode is ${s.voiceMedia.mode})`);
  }
  const voice = sizes["voice-service"];
  if (s.voiceMedia.mode === "load-balancer" && services.includes("voice-service") && (voice.autoscaling !== undefined || voice.replicas > 1)) {
    problems.push(
      `${key("voiceMedia.mode")}: load-balancer supports one voice-service replica (a UDP load balancer cannot send a session's media to the replica that negotiated it), but the ${s.sizing} sizing runs ${voice.autoscaling ? `${voice.autoscaling.minReplicas}-${voice.autoscaling.maxReplicas} by autoscaling` : voice.replicas}; choose voiceMedia.mode turn with turnUrls, or set overrides.voice-service to replicas 1 and autoscale false`,
    );
  }

  problems.push(
    ...disasterRecoveryProblems({
      stack,
      tier: s.sizing,
      backup: s.backup,
      restore: s.restore,
      protectData: resolveProtectData(stack, s.protectData),
      services,
      redisNodes: sizes.redis.replicas,
      hasSecret: (k) => secrets[k] !== undefined,
      now,
      key,
    }),
  );

  if (s.sizing === "production") {
    const llmConsumers = services.filter((x) => x === "llm-proxy" || x === "model-router");
    if (llmConsumers.length > 0) {
      for (const k of ["openaiApiKey", "anthropicApiKey"] as const) {
        if (secrets[k] === undefined) {
          problems.push(`${key(k)}: is required in production because ${llmConsumers.join(" and ")} call the provider; set it with \`pulumi config set --secret ${k} <value>\``);
        }
      }
    }
    // A production alert must reach someone: without a receiver Alertmanager sends every alert to a
    // receiver with no integrations, and nothing at `pulumi up` would say so.
    const hasReceiver = s.alerting.email !== undefined || secrets.alertWebhookUrl !== undefined;
    if (services.includes("alertmanager") && !hasReceiver && s.alerting.none !== true) {
      problems.push(
        `${key("alerting")}: production needs an alert receiver: set alerting.email ({ to, from, smarthost }, with the smtpPassword secret if the relay needs a login) or the ${ALERT_WEBHOOK_SECRET} secret (\`pulumi config set --secret ${ALERT_WEBHOOK_SECRET} <url>\`); to run production with alerts visible only in Alertmanager's UI, say so with alerting.none: true`,
      );
    }
    if (s.posthog.mode === "cloud" && services.includes("model-router") && secrets.posthogApiKey === undefined) {
      problems.push(
        `${key("posthogApiKey")}: is required in production when posthog.mode is cloud (the Model Router's A/B tests report to it); set it with \`pulumi config set --secret posthogApiKey phc_...\`, or choose posthog.mode self-hosted or disabled`,
      );
    }
  }
  return problems;
}
