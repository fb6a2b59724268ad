/**
 * voice-service (in-house image): WebRTC sessions. Signalling goes through the gateway over HTTP; the
 * media (UDP) path is the stack's named choice, `voiceMedia.mode`:
 *   load-balancer  the service multiplexes every session's media on one UDP port, published by its own
 *                  LoadBalancer Service (a deliberate public entry, labelled as part of the edge) with
 *                  `externalTrafficPolicy: Local` so clients' addresses reach the pod for ICE. One
 *                  replica only (config validation refuses more). Point `media.<domain>` at the
 *                  balancer's address; the service advertises that name in its ICE candidates.
 *   turn           media is relayed by the TURN servers in `voiceMedia.turnUrls`: no inbound UDP at
 *                  all, egress to the TURN ports only, any number of replicas.
 */
import * as k8s from "@pulumi/kubernetes";
import { skipAwaitAnnotations } from "../../kit/pod";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../../config/schema";
import { EnvVar, secretEnv } from "../../kit/container";
import { ServiceEndpoint } from "../../kit/endpoint";
import { inHouseService } from "../../kit/in-house";
import { PART_OF } from "../../kit/labels";
import { Admission, EgressRule } from "../../kit/network-policy";
import { GeneratedSecret } from "../../kit/secret";
import { WorkloadContext } from "../../kit/workload";
import { EDGE_LABEL } from "../../../policy/lib/names";
import { AppServiceArgs } from "../web-services/web-service";

const NAME = "voice-service";
/** The single UDP port every session's media is multiplexed on (load-balancer mode). */
export const MEDIA_PORT = 7882;
export interface VoiceArgs extends AppServiceArgs {
  media: PlatformConfig["voiceMedia"];
  domain: string;
}

/** The TURN servers' ports from their URLs (turn: 3478, turns: 5349 unless stated), UDP and TCP. */
export function turnPorts(urls: string[]): number[] {
  return [...new Set(urls.map((u) => Number(/:(\d+)(\?|$)/.exec(u.replace(/^turns?:/, ""))?.[1] ?? (u.startsWith("turns:") ? 5349 : 3478))))];
}

export function voiceService(args: VoiceArgs, ctx: WorkloadContext, parent: pulumi.Resource): ServiceEndpoint {
  const ns = ctx.namespace;
  const { media } = args;
  const env: EnvVar[] = [...args.env, { name: "MEDIA_MODE", value: media.mode }];
  const admissions: Admission[] = [];
  const egress: EgressRule[] = [];
  if (media.mode === "load-balancer") {
    env.push({ name: "MEDIA_UDP_PORT", value: String(MEDIA_PORT) }, { name: "MEDIA_ADVERTISE_HOST", value: `media.${args.domain}` });
    admissions.push({ role: "media", from: "anywhere", ports: [{ port: MEDIA_PORT, protocol: "UDP" }] });
  } else {
    env.push({ name: "TURN_URLS", value: media.turnUrls.join(",") });
    if (media.turnSharedSecret) {
      const secret = new GeneratedSecret(
        "voice-service-turn",
        { namespace: ns, labels: { "app.kubernetes.io/part-of": PART_OF, "app.kubernetes.io/component": "voice" }, supplied: { "shared-secret": media.turnSharedSecret } },
        { parent },
      );
      env.push(secretEnv("TURN_SHARED_SECRET", secret.ref("shared-secret")));
    }
    const ports = turnPorts(media.turnUrls);
    egress.push({
      role: "turn",
      to: [{ ipBlock: { cidr: "0.0.0.0/0" } }],
      ports: ports.flatMap((port) => [
        { protocol: "UDP", port },
        { protocol: "TCP", port },
      ]),
    });
  }

  const workload = inHouseService(
    {
      name: NAME,
      component: "voice",
      ...args,
      env,
      extraPorts: media.mode === "load-balancer" ? [{ name: "media", containerPort: MEDIA_PORT, protocol: "UDP" }] : [],
      admissions,
      egress,
    },
    ctx,
    parent,
  );

  if (media.mode === "load-balancer") {
    new k8s.core.v1.Service(
      `${NAME}-media`,
      {
        // Pulumi waits for the balancer's address, except in harnesses without a load-balancer controller.
        metadata: { name: `${NAME}-media`, namespace: ns, labels: { ...workload.endpoint.selector, [EDGE_LABEL]: "true" }, annotations: skipAwaitAnnotations(ctx) },
        spec: {
          type: "LoadBalancer",
          externalTrafficPolicy: "Local",
          selector: workload.endpoint.selector,
          ports: [{ name: "media", port: MEDIA_PORT, targetPort: "media", protocol: "UDP" }],
        },
      },
      { parent },
    );
  }
  return workload.endpoint;
}
