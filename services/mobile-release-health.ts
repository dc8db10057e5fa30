import { defineService } from "../signals/service-spec";

/**
 * mobile-release-health: crash-free sessions of the mobile app (spec 004), from Sentry release
 * health. Metric contract: the release-health exporter of each environment (its `APP_ENV`) polls
 * Sentry and exports `app_sessions_total{release, status}`, a counter of ended sessions by the
 * status Sentry gives them (`healthy`, `errored`, `crashed`, `abnormal`, mutually exclusive). A
 * session is crash-free unless it crashed, as Sentry's crash-free rate counts it. It serves no HTTP
 * of its own, so no RED rules.
 */
export const mobileReleaseHealth = defineService({
  name: "mobile-release-health",
  team: "core",
  namespace: "machinemate",
  tier: "tier-2",
  red: { enabled: false },
  slos: [
    {
      name: "crash-free-sessions",
      kind: "events",
      objective: 0.995,
      metric: "app_sessions_total",
      outcomeLabel: "status",
      goodOutcomes: ["healthy", "errored", "abnormal"],
    },
  ],
});
