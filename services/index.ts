/**
 * The service catalog: one file per service, each a single `defineService(...)` value, listed
 * below. Adding a service is its file plus one line in SERVICES (a test fails for a file of
 * services/ that is not listed); every environment gets its scrape and probe objects, rules and
 * tests, dashboard and routing.
 */
import type { ServiceSpec } from "../signals/service-spec";
import { buildCatalog } from "../signals/catalog";
import { aiCoach } from "./ai-coach";
import { coreApi } from "./core-api";
import { divanApi } from "./divan-api";
import { edge } from "./edge";
import { feed } from "./feed";
import { media } from "./media";
import { notifications } from "./notifications";
import { workers } from "./workers";

/** Every service of the catalog, as written. */
export const SERVICES: readonly ServiceSpec[] = [aiCoach, coreApi, divanApi, edge, feed, media, notifications, workers];

/** Every service's validated spec, sorted by name; names unique, downstream services present. */
export const SERVICE_CATALOG: readonly ServiceSpec[] = buildCatalog(SERVICES);
