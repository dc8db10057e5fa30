import { Construct } from "constructs";
import type { ServiceSpec } from "../signals/service-spec";

/** Implemented by {@link ServiceObservability}; the catalog only needs the validated spec. */
export interface CatalogEntry {
  readonly spec: ServiceSpec;
}

/**
 * The service catalog: the scope every `ServiceObservability` is created in. It keeps the services
 * in the order they were added, rejects a second service of the same name when it is added, and
 * checks, when the specs are read, that every downstream dependency names a service of the catalog.
 * Environments read {@link ServiceCatalog.specs}; each gets the services' rules, dashboards,
 * scrape and probe objects and routing from them.
 */
export class ServiceCatalog extends Construct {
  private readonly entries: CatalogEntry[] = [];

  constructor(scope?: Construct, id = "services") {
    // A catalog without a scope is a root of its own: services are data every stack reads.
    super(scope as Construct, scope ? id : "");
  }

  /** Adds a service; throws when the name is taken. Called by ServiceObservability. */
  register(entry: CatalogEntry): void {
    const name = entry.spec.name;
    if (this.entries.some((e) => e.spec.name === name)) {
      throw new Error(`name must be unique in the service catalog, got "${name}" twice`);
    }
    this.entries.push(entry);
  }

  /** The validated specs, sorted by name; throws when a downstream dependency names no service. */
  specs(): ServiceSpec[] {
    const names = new Set(this.entries.map((e) => e.spec.name));
    const problems = this.entries.flatMap((e) =>
      e.spec.dependencies.services.flatMap((dep, i) =>
        names.has(dep)
          ? []
          : [`dependencies.services[${i}] must name a service of the catalog, got "${dep}" (service "${e.spec.name}"; services: ${[...names].sort().join(", ")})`],
      ),
    );
    if (problems.length > 0) throw new Error(`invalid service catalog:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    return this.entries.map((e) => e.spec).sort((a, b) => a.name.localeCompare(b.name));
  }
}
