/**
 * The service catalog: one file per service, each validated when it is defined. Adding a service
 * is one file here plus its line below; every environment gets its rules, tests and routing.
 */
import type { ServiceSpec } from "../alert-rules/service-spec";
import { aiCoach } from "./ai-coach";
import { coreApi } from "./core-api";
import { divanApi } from "./divan-api";
import { edge } from "./edge";
import { feed } from "./feed";
import { media } from "./media";
import { notifications } from "./notifications";
import { workers } from "./workers";

/** Every service, sorted by name. */
export const SERVICE_CATALOG: readonly ServiceSpec[] = Object.freeze(
  [aiCoach, coreApi, divanApi, edge, feed, media, notifications, workers].sort((a, b) => a.name.localeCompare(b.name)),
);
