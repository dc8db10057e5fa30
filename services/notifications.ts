import { defineService } from "../signals/service-spec";

/** notifications: push delivery (spec 000): success over 98% of delivery attempts. */
export const notifications = defineService({
  name: "notifications",
  team: "growth",
  namespace: "notifications",
  tier: "tier-2",
  slos: [
    {
      name: "push-delivery",
      kind: "events",
      objective: 0.98,
      metric: "notifications_push_deliveries_total",
      goodOutcomes: ["delivered"],
    },
  ],
  probes: { readinessUrl: "http://notifications.notifications.svc:8080/health/ready" },
});
