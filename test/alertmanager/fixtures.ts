import type { RoutedService } from "../../alertmanager";
import { alertingProfileSchema, type AlertingProfile, type AlertingProfileInput } from "../../environments/alerting-schema";
import { dev } from "../../environments/dev";
import { local } from "../../environments/local";
import { prod } from "../../environments/prod";
import { staging } from "../../environments/staging";

/** The catalog's routing view (names, teams, Redis/Postgres dependencies), as a fixture. */
export const SERVICES: readonly RoutedService[] = [
  { name: "divan-api", team: "social", dependencies: ["divan-redis", "divan-postgres"] },
  { name: "edge", team: "web", dependencies: [] },
  { name: "core-api", team: "core", dependencies: ["postgres-main", "redis-main"] },
  { name: "workers", team: "data", dependencies: ["postgres-main", "redis-main"] },
  { name: "ai-coach", team: "ai", dependencies: ["redis-main"] },
  { name: "feed", team: "growth", dependencies: ["postgres-main"] },
  { name: "notifications", team: "growth", dependencies: ["redis-main"] },
  { name: "media", team: "media", dependencies: [] },
];

/** The alerting part of each shipped profile, as written. */
export const ALERTING_INPUTS = {
  local: local.alerting,
  dev: dev.alerting,
  staging: staging.alerting,
  prod: prod.alerting,
} as const satisfies Record<string, AlertingProfileInput>;

export type ProfileName = keyof typeof ALERTING_INPUTS;
export const PROFILE_NAMES = Object.keys(ALERTING_INPUTS) as ProfileName[];

/** One shipped profile's alerting, validated. */
export function alertingOf(name: ProfileName): AlertingProfile {
  return alertingProfileSchema.parse(ALERTING_INPUTS[name]);
}

/** A deep, freely editable copy of one shipped profile's alerting input. */
export function alertingCopy(name: ProfileName): any {
  return structuredClone(ALERTING_INPUTS[name]);
}
