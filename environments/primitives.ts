import { z } from "zod";
import { kubernetesName } from "../model/schema-primitives";

/**
 * Small zod schemas of the profile schema: Kubernetes quantities, Secret keys, workloads. Names,
 * URLs and durations are model/'s (model/schema-primitives.ts, model/duration.ts), shared with the
 * service specs. Each rejects with a message that says what form is allowed.
 */

/** A key inside a Kubernetes Secret. */
export const secretKey = z.string().regex(/^[-._a-zA-Z0-9]+$/, "must be a Secret key ([-._a-zA-Z0-9]+)");

/** A CPU quantity: `250m`, `1`, `1.5`. */
export const cpuQuantity = z.string().regex(/^(\d+m|\d+(\.\d+)?)$/, "must be a CPU quantity such as 250m or 2");

/** A memory or storage quantity in binary units: `512Mi`, `10Gi`. */
export const byteQuantity = z.string().regex(/^\d+(Ki|Mi|Gi|Ti)$/, "must be a quantity such as 512Mi or 10Gi");

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
