import type { CanarySpec } from "../signals/canary/spec";
import type { ServiceSpec } from "../signals/service-spec";

/**
 * A service's canary flows as resolved: `credentials` hold Secret references, which the spec's
 * refinement checked when it was parsed (the parsed type still says `unknown`).
 */
export function serviceCanaries(service: Pick<ServiceSpec, "canaries">): readonly CanarySpec[] {
  return service.canaries as unknown as readonly CanarySpec[];
}
