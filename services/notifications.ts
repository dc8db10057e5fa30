import { defineService } from "../signals/service-spec";
import { AS_CANARY_USER, canaryUserCredentials, LOGIN_STEP } from "./canary-fixtures/canary-user";

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
  canaries: [
    // Spec 000: push register/unregister, a synthetic device registered then removed.
    {
      name: "push-register-unregister",
      description: "The canary user registers a synthetic push device, gets its id, and unregisters it.",
      baseUrl: "http://notifications.notifications.svc:8080",
      every: "5m",
      writes: true,
      credentials: canaryUserCredentials("notifications"),
      steps: [
        LOGIN_STEP,
        {
          name: "register-device",
          request: {
            method: "POST",
            url: "/api/v1/push/devices",
            headers: AS_CANARY_USER,
            body: { platform: "android", appVersion: "canary", deviceName: "canary-synthetic-device" },
          },
          expect: { status: [201], json: [{ path: "$.deviceId", exists: true }] },
          extract: { deviceId: "$.deviceId" },
        },
        {
          name: "unregister-device",
          request: { method: "DELETE", url: "/api/v1/push/devices/{{deviceId}}", headers: AS_CANARY_USER },
          expect: { status: [204] },
        },
      ],
    },
  ],
});
