/**
 * Placeholders in the connections of the exporters the stack provisions (the catalog's
 * `core-redis.example.com:6379`): warned about at synth like the profiles' own, once per service
 * that declares one, to replace before a first deploy.
 */
import { placeholderReason } from "../environments/placeholders";
import { formatProblems, type Problem } from "../model/validation-error";
import { catalogStores } from "../signals/catalog";
import type { ServiceSpec } from "../signals/service-spec";

/** Every string of `value` that is a placeholder, with its path below `at`. */
function collect(value: unknown, at: readonly PropertyKey[], found: Problem[]): void {
  if (typeof value === "string") {
    const message = placeholderReason(value);
    if (message !== undefined) found.push({ path: at, message, received: value });
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) collect(item, [...at, key], found);
  }
}

/**
 * One warning line per placeholder in a provisioned exporter's `exporter.provision`, naming the
 * service, the path and the value: `dependencies[0].exporter.provision.address is a placeholder
 * (example.com is reserved for examples), set your own before deploying, got
 * "core-redis.example.com:6379" (service "core-api")`.
 */
export function exporterPlaceholderWarnings(services: readonly ServiceSpec[]): string[] {
  return catalogStores(services).flatMap((s) => {
    const found: Problem[] = [];
    for (const { index, dependency } of s.stores) {
      if (dependency.exporter !== undefined) collect(dependency.exporter, ["dependencies", index, "exporter"], found);
    }
    return formatProblems(found, { input: undefined, context: () => [`service ${JSON.stringify(s.name)}`] });
  });
}

/**
 * One warning line per canary flow whose `baseUrl` is a placeholder (machinemate's Supabase
 * project), naming the service, the path and the value.
 */
export function canaryPlaceholderWarnings(services: readonly ServiceSpec[]): string[] {
  return services.flatMap((s) => {
    const found: Problem[] = [];
    s.canaries.forEach((canary, index) => collect(canary.baseUrl, ["canaries", index, "baseUrl"], found));
    return formatProblems(found, { input: undefined, context: () => [`service ${JSON.stringify(s.name)}`] });
  });
}
