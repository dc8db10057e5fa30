/**
 * The service catalog: one file per service, each a single `ServiceObservability` call. Adding a
 * service is one file here plus its import below; every environment gets its scrape and probe
 * objects, rules and tests, dashboard and routing.
 */
import type { ServiceSpec } from "../signals/service-spec";
import "./ai-coach";
import { catalog } from "./catalog";
import "./core-api";
import "./divan-api";
import "./edge";
import "./feed";
import "./media";
import "./notifications";
import "./workers";

/** Every service's validated spec, sorted by name. */
export const SERVICE_CATALOG: readonly ServiceSpec[] = Object.freeze(catalog.specs());
