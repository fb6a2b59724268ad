/**
 * The size of a workload as the kit takes it: replicas, resources, volume, autoscaling. The config
 * resolves one per service from the sizing tables and the stack's overrides; the kit never reads the
 * config itself.
 */

export interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
  /** NVIDIA GPUs per pod (requested and limited alike, as Kubernetes requires for extended resources). */
  gpu?: number;
}

/** One concrete size for one service, tier and overrides already resolved. */
export interface ServiceSize {
  /** Pods; when `autoscaling` is set it is the HPA's minimum and the workload leaves replicas unset. */
  replicas: number;
  resources: Resources;
  /** Data volume per replica. */
  storage?: string;
  autoscaling?: { minReplicas: number; maxReplicas: number; cpuUtilization: number; memoryUtilization: number };
}
