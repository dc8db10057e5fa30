import { defineService } from "../signals/service-spec";

/** media: upload plan + finalize (spec 000): upload success over 99%. */
export const media = defineService({
  name: "media",
  team: "media",
  namespace: "media",
  tier: "tier-2",
  slos: [{ name: "upload-success", kind: "events", objective: 0.99, metric: "media_uploads_total" }],
  probes: { readinessUrl: "http://media.media.svc:8080/health/ready" },
});
