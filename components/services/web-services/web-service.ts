/** What the apps layer hands each of its service builders. */
import { ServiceSize } from "../../config/schema";
import { EnvVar } from "../../kit/container";
import { Dependency } from "../../kit/network-policy";

export interface AppServiceArgs {
  image: string;
  size: ServiceSize;
  dependencies: Dependency[];
  /** Env derived from the dependencies (`dependencyEnv`). */
  env: EnvVar[];
}

/** The in-house web services with nothing special beyond the shared shape, and their roles. */
export const WEB_SERVICES = {
  "algo-service": "algorithms",
  frontend: "web-frontend",
  "admin-portal": "admin-portal",
} as const;
export type WebService = keyof typeof WEB_SERVICES;
