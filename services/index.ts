/**
 * The service catalog: one file per service, each a single `defineService(...)` value, listed
 * below. Adding a service is its file plus one line in SERVICES (a test fails for a file of
 * services/ that is not listed); every environment gets its scrape and probe objects, rules and
 * tests, dashboard and routing.
 */
import type { ServiceSpec, ServiceSpecInput } from "../signals/service-spec";
import { buildCatalog } from "../signals/catalog";
import { aiCoach } from "./ai-coach";
import { coreApi } from "./core-api";
import { divanApi } from "./divan-api";
import { edge } from "./edge";
import { feed } from "./feed";
import { machinemateApi } from "./machinemate-api";
import { media } from "./media";
import { mobileReleaseHealth } from "./mobile-release-health";
import { notifications } from "./notifications";
import { workers } from "./workers";

/** Every service of the catalog, as written. */
export const SERVICES: readonly ServiceSpecInput[] = [
  aiCoach,
  coreApi,
  divanApi,
  edge,
  feed,
  machinemateApi,
  media,
  mobileReleaseHealth,
  notifications,
  workers,
];

let validated: readonly ServiceSpec[] | undefined;

/**
 * Every service's validated spec, sorted by name; names unique, downstream services present.
 * Validated on first use (synth catches its error and reports every problem, without a stack).
 */
export function serviceCatalog(): readonly ServiceSpec[] {
  validated ??= buildCatalog(SERVICES);
  return validated;
}
