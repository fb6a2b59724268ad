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

/**
 * Node-local disk (ephemeral storage), the same in every tier: what a container may write outside its
 * volumes (logs, the writable layer; the root filesystem is read-only), and the cap of each emptyDir.
 * A container's limit is `container.limit` plus the caps of the emptyDirs it mounts, since the kubelet
 * counts a disk-backed emptyDir against its pod's limit. Model caches hold the weights an AI service
 * downloads on start; backup staging holds one dump of a store before upload.
 */
export const EPHEMERAL_STORAGE = {
  container: { request: "64Mi", limit: "512Mi" },
  scratch: "1Gi",
  modelCache: "20Gi",
  backupStaging: "20Gi",
} as const;
