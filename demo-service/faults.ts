/**
 * The faults a demo service can be told to simulate, and the validation of `POST /faults` bodies:
 * `dependencyDown` (names of the service's store dependencies reported down) plus every fault the
 * kinds of signal declare (errorRatio, latencySeconds, socketDrop, ...). A patch names only what
 * changes; `POST /faults/reset` returns to {@link NO_FAULTS}.
 */
import { z } from "zod";
import type { FaultField, Faults } from "../kit/simulation";
import { SIGNAL_KINDS } from "../signals";
import { storeDependencies, type ServiceSpec } from "../signals/service-spec";

export type { Faults } from "../kit/simulation";

/** Names of the store dependencies (Redis, Postgres, ...) a service declares. */
export function dependencyNames(spec: Pick<ServiceSpec, "dependencies">): string[] {
  return storeDependencies(spec).map((d) => d.name);
}

/**
 * Names of the service's dependencies reported down (their up gauge = 0). While any is down the
 * service answers 503 and its jobs fail, as a service that lost its store does.
 */
const DEPENDENCY_DOWN: FaultField = {
  schema: (service) => {
    const known = dependencyNames(service as ServiceSpec);
    const name = z.string().refine((n) => known.includes(n), {
      message: known.length > 0 ? `must be a dependency of ${service.name} (${known.join(", ")})` : `${service.name} declares no dependencies`,
    });
    return z.array(name);
  },
  healthy: Object.freeze([]),
};

/**
 * The service's readiness endpoint (`GET /health/ready`, probed by the blackbox exporter) answers
 * 503 while true, as a service whose own readiness check fails (a migration, a warm-up).
 */
const READINESS_FAILING: FaultField = { schema: () => z.boolean(), healthy: false };

/** Every fault, by name: the built-in `dependencyDown` and `readinessFailing`, then each kind's. */
export const FAULT_FIELDS: Readonly<Record<string, FaultField>> = Object.freeze(
  Object.assign({ dependencyDown: DEPENDENCY_DOWN, readinessFailing: READINESS_FAILING }, ...SIGNAL_KINDS.map((k) => k.faults)) as Record<string, FaultField>,
);

/** The healthy state. */
export const NO_FAULTS: Faults = Object.freeze(Object.fromEntries(Object.entries(FAULT_FIELDS).map(([name, f]) => [name, f.healthy])));

/** A `POST /faults` body: any subset of the faults. */
export type FaultPatch = Readonly<Record<string, unknown>>;

/** The names of the store dependencies a patch reports down. */
export function downDependencies(faults: Faults): readonly string[] {
  const value = faults.dependencyDown;
  return Array.isArray(value) ? (value as string[]) : [];
}

/** The schema of a patch for one service: unknown keys and unknown dependency names are rejected. */
export function faultPatchSchema(spec: ServiceSpec) {
  return z.strictObject(Object.fromEntries(Object.entries(FAULT_FIELDS).map(([name, f]) => [name, f.schema(spec).optional()])));
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
  const merged: Faults = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
  return { ...merged, dependencyDown: [...new Set(downDependencies(merged))].sort() };
}
