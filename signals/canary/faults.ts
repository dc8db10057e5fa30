/**
 * The demo's canary faults (`POST /faults` fields): steps whose endpoint answers 500, and an extra
 * delay on every journey endpoint. Step names are the service's own flows', as `<canary>/<step>`.
 */
import { z } from "zod";
import type { FaultField } from "../../kit/simulation";
import type { ServiceCore } from "../../model/service-core";
import type { CanarySpec } from "./spec";

/** The flows of a service, read from the spec the fault is validated for. */
function canariesOf(service: ServiceCore): readonly CanarySpec[] {
  return (service as ServiceCore & { readonly canaries?: readonly CanarySpec[] }).canaries ?? [];
}

/** Every step of a service's flows, as `<canary>/<step>`, in the flows' order. */
export function canaryStepNames(canaries: readonly Pick<CanarySpec, "name" | "steps">[]): string[] {
  return canaries.flatMap((c) => c.steps.map((s) => `${c.name}/${s.name}`));
}

/** The faults of the kind. */
export const CANARY_FAULTS: Readonly<Record<string, FaultField>> = {
  /**
   * Steps, as `<canary>/<step>`, whose endpoint answers 500 (every step calling the same endpoint
   * fails with it).
   */
  canaryStepsFailing: {
    schema: (service) => {
      const known = canaryStepNames(canariesOf(service));
      return z.array(
        z.string().refine((name) => known.includes(name), {
          message:
            known.length > 0 ? `must be a step of ${service.name}'s canaries as <canary>/<step> (${known.join(", ")})` : `${service.name} declares no canaries`,
        }),
      );
    },
    healthy: Object.freeze([]),
  },
  /** Seconds added to every answer of the journey endpoints (and to WebSocket deliveries). */
  canaryStepsSlowSeconds: { schema: () => z.number().min(0, "must be >= 0").max(60, "must be at most 60"), healthy: 0 },
};
