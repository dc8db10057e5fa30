/**
 * The service catalog as one checked list: names unique, every downstream service it names present.
 * Environments build every service's rules, dashboards, scrape and probe objects and routing from it.
 */
import { ValidationError } from "../model/validation-error";
import { exporterProblems, type ServiceStores } from "./dependency/provisioned";
import type { StoreDependency } from "./dependency/spec";
import { parseServiceSpec, storeDependencies, type ServiceSpec, type ServiceSpecInput } from "./service-spec";

/** Thrown by {@link buildCatalog}; one line per problem. */
export class ServiceCatalogError extends ValidationError {
  constructor(problems: readonly string[]) {
    super("invalid service catalog", problems);
    this.name = "ServiceCatalogError";
  }
}

/** Every service parsed; throws one error with every service's problems. */
function parseAll(definitions: readonly (ServiceSpecInput | ServiceSpec)[]): ServiceSpec[] {
  return ValidationError.collect(definitions, parseServiceSpec);
}

/** Each service's store dependencies with their index in `dependencies`, for the exporters the stack provisions. */
export function catalogStores(services: readonly ServiceSpec[]): ServiceStores[] {
  return services.map((s) => {
    const stores = new Set<unknown>(storeDependencies(s));
    return {
      name: s.name,
      stores: s.dependencies.flatMap((d, index) => (stores.has(d) ? [{ index, dependency: d as unknown as StoreDependency }] : [])),
    };
  });
}

/**
 * The validated specs sorted by name; throws naming every problem of every service, every
 * duplicate name, every unknown downstream service and every conflict between the declarations of
 * an exporter the stack provisions.
 */
export function buildCatalog(definitions: readonly (ServiceSpecInput | ServiceSpec)[]): readonly ServiceSpec[] {
  const services = parseAll(definitions);
  const names = services.map((s) => s.name);
  const known = [...new Set(names)].sort();
  const problems = [
    ...names.flatMap((name, i) => (names.indexOf(name) !== i ? [`name must be unique in the service catalog, got "${name}" twice`] : [])),
    ...services.flatMap((s) =>
      s.dependencies.flatMap((d, i) =>
        d.kind === "service" && !known.includes(d.name)
          ? [`dependencies[${i}].name must name a service of the catalog, got "${d.name}" (service "${s.name}"; services: ${known.join(", ")})`]
          : [],
      ),
    ),
    ...exporterProblems(catalogStores(services)),
  ];
  if (problems.length > 0) throw new ServiceCatalogError(problems);
  return Object.freeze([...services].sort((a, b) => a.name.localeCompare(b.name)));
}
