import { defineService } from "../signals/service-spec";

/**
 * edge: the BFF in front of core-api (spec 002, stack S2). Its user journey SLOs are on the login
 * path: availability 99.9% and p95 under 250 ms (95% of logins in the 0.25 s bucket).
 */
export const edge = defineService({
  name: "edge",
  team: "web",
  namespace: "edge",
  tier: "tier-1",
  slos: [
    { name: "login-availability", kind: "availability", objective: 0.999, routes: ["/auth/login"] },
    { name: "login-latency", kind: "latency", objective: 0.95, latencyThresholdSeconds: 0.25, routes: ["/auth/login"] },
  ],
  sockets: { clientsMetric: "ws_active_connections" },
  probes: { readinessUrl: "http://edge.edge.svc:8080/health/ready" },
});
