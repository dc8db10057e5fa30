import { defineService } from "../signals/service-spec";
import { AS_CANARY_USER, canaryUserCredentials, LOGIN_STEP } from "./canary-fixtures/canary-user";

/** media: upload plan + finalize (spec 000): upload success over 99%. */
export const media = defineService({
  name: "media",
  team: "media",
  namespace: "media",
  tier: "tier-2",
  slos: [{ name: "upload-success", kind: "events", objective: 0.99, metric: "media_uploads_total" }],
  probes: { readinessUrl: "http://media.media.svc:8080/health/ready" },
  canaries: [
    // Spec 000: media upload plan + finalize, in dev and staging only.
    {
      name: "upload-plan-finalize",
      description: "The canary user plans an image upload and finalizes it (dev and staging only, spec 000).",
      baseUrl: "http://media.media.svc:8080",
      every: "5m",
      environments: ["dev", "staging"],
      writes: true,
      credentials: canaryUserCredentials("media"),
      steps: [
        LOGIN_STEP,
        {
          name: "plan-upload",
          request: { method: "POST", url: "/api/v1/media/uploads", headers: AS_CANARY_USER, body: { contentType: "image/png", sizeBytes: 68 } },
          expect: { status: [201], json: [{ path: "$.uploadId", exists: true }] },
          extract: { uploadId: "$.uploadId" },
        },
        {
          name: "finalize-upload",
          request: { method: "POST", url: "/api/v1/media/uploads/{{uploadId}}/finalize", headers: AS_CANARY_USER },
          expect: { json: [{ path: "$.status", equals: "finalized" }] },
        },
      ],
    },
  ],
});
