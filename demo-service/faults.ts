/**
 * The faults a demo service can be told to simulate, and the validation of `POST /faults` bodies.
 * A patch names only what changes; `POST /faults/reset` returns to {@link NO_FAULTS}.
 */
import { z } from "zod";
import type { ServiceSpec } from "../signals/service-spec";

/** What a demo service currently simulates. */
export interface Faults {
  /** Share of requests answered 500 (and of SLO events counted bad), in [0, 1]. @default 0 */
  readonly errorRatio: number;
  /** Seconds added to every request's duration. @default 0 */
  readonly latencySeconds: number;
  /**
   * Names of the service's Redis/Postgres dependencies reported down (`<upMetric>` = 0). While any
   * is down the service answers 503 and its jobs fail, as a service that lost its store does.
   * @default []
   */
  readonly dependencyDown: readonly string[];
  /** Share of Socket.IO clients disconnected, in [0, 1]. @default 0 */
  readonly socketDrop: number;
  /**
   * Messages added per (real) second to every queue while its consumers stall; the oldest message
   * ages from the moment growth starts. @default 0
   */
  readonly backlogGrowthPerSecond: number;
  /** Share of background job runs ending in failure, in [0, 1]. @default 0 */
  readonly jobFailureRatio: number;
}

/** The healthy state. */
export const NO_FAULTS: Faults = Object.freeze({
  errorRatio: 0,
  latencySeconds: 0,
  dependencyDown: Object.freeze([]) as readonly string[],
  socketDrop: 0,
  backlogGrowthPerSecond: 0,
  jobFailureRatio: 0,
});

/** A `POST /faults` body: any subset of {@link Faults}. */
export type FaultPatch = Partial<Faults>;

/** Names of the Redis and Postgres dependencies a service declares. */
export function dependencyNames(spec: ServiceSpec): string[] {
  return [...spec.dependencies.redis, ...spec.dependencies.postgres].map((d) => d.name);
}

/** The schema of a patch for one service: unknown keys and unknown dependency names are rejected. */
export function faultPatchSchema(spec: ServiceSpec) {
  const ratio = z.number().min(0, "must be in [0, 1]").max(1, "must be in [0, 1]");
  const known = dependencyNames(spec);
  const dependency = z.string().refine((name) => known.includes(name), {
    message: known.length > 0 ? `must be a dependency of ${spec.name} (${known.join(", ")})` : `${spec.name} declares no dependencies`,
  });
  return z.strictObject({
    errorRatio: ratio.optional(),
    latencySeconds: z.number().min(0, "must be >= 0").max(60, "must be <= 60").optional(),
    dependencyDown: z.array(dependency).optional(),
    socketDrop: ratio.optional(),
    backlogGrowthPerSecond: z.number().min(0, "must be >= 0").optional(),
    jobFailureRatio: ratio.optional(),
  });
}

/** Thrown by {@link parseFaultPatch}; `problems` has one line per invalid field. */
export class FaultPatchError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid faults: ${problems.join("; ")}`);
    this.name = "FaultPatchError";
  }
}

/** Validates a `POST /faults` body for `spec`; throws {@link FaultPatchError} naming each problem. */
export function parseFaultPatch(spec: ServiceSpec, body: unknown): FaultPatch {
  const result = faultPatchSchema(spec).safeParse(body);
  if (result.success) return result.data;
  throw new FaultPatchError(
    result.error.issues.map((issue) => {
      const path = issue.path.map(String).join(".") || "(body)";
      return issue.code === "unrecognized_keys" ? `${issue.keys.join(", ")}: not a fault (${Object.keys(NO_FAULTS).join(", ")})` : `${path}: ${issue.message}`;
    }),
  );
}

/** `current` with the fields of `patch` replaced; dependency names deduplicated and sorted. */
export function applyFaultPatch(current: Faults, patch: FaultPatch): Faults {
  const merged = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as Faults;
  return { ...merged, dependencyDown: [...new Set(merged.dependencyDown)].sort() };
}
