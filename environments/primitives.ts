import { z } from "zod";

/**
 * Small zod schemas shared by the profile schema: Kubernetes names and quantities, Prometheus
 * durations, URLs. Each rejects with a message that says what form is allowed.
 */

/** A Kubernetes object name (RFC 1123 label): the name of a namespace, Secret, ConfigMap. */
export const kubernetesName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a Kubernetes name (lowercase letters, digits and '-', at most 63)");

/** A key inside a Kubernetes Secret. */
export const secretKey = z.string().regex(/^[-._a-zA-Z0-9]+$/, "must be a Secret key ([-._a-zA-Z0-9]+)");

/** A CPU quantity: `250m`, `1`, `1.5`. */
export const cpuQuantity = z.string().regex(/^(\d+m|\d+(\.\d+)?)$/, "must be a CPU quantity such as 250m or 2");

/** A memory or storage quantity in binary units: `512Mi`, `10Gi`. */
export const byteQuantity = z.string().regex(/^\d+(Ki|Mi|Gi|Ti)$/, "must be a quantity such as 512Mi or 10Gi");

/** A Prometheus duration: `30s`, `5m`, `2d`, `15d`. */
export const promDuration = z.string().regex(/^\d+(ms|s|m|h|d|w|y)$/, "must be a duration such as 30s, 5m, 2d");

/** An absolute http(s) URL. */
export const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

/** A positive replica count. */
export const replicas = z.number().int("must be an integer").min(1, "must be at least 1");

/** CPU and memory for requests or limits. */
export const cpuMemory = z.strictObject({ cpu: cpuQuantity, memory: byteQuantity });

/** Requests and limits of one container; both are required so nothing runs unbounded. */
export const resources = z.strictObject({ requests: cpuMemory, limits: cpuMemory });

/** Persistent storage of one workload. */
export const persistentVolume = z.strictObject({
  size: byteQuantity,
  /** Storage class; omitted means the cluster's default class. */
  storageClassName: kubernetesName.optional(),
});

/** A workload: how many pods and what each may use. */
export const workload = z.strictObject({ replicas, resources });

export type Resources = z.infer<typeof resources>;
export type Workload = z.infer<typeof workload>;
export type PersistentVolume = z.infer<typeof persistentVolume>;
