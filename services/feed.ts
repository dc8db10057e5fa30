import { defineService } from "../signals/service-spec";
import { AS_CANARY_USER, canaryUserCredentials, LOGIN_STEP } from "./canary-fixtures/canary-user";

/** feed: the home feed (spec 000): p95 latency under 500 ms, as 95% of requests in the 0.5 s bucket. */
export const feed = defineService({
  name: "feed",
  team: "social",
  namespace: "feed",
  tier: "tier-1",
  red: { latencyP95: { warning: { maxSeconds: 0.5, for: "15m" } } },
  slos: [{ name: "latency", kind: "latency", objective: 0.95, latencyThresholdSeconds: 0.5 }],
  probes: { readinessUrl: "http://feed.feed.svc:8080/health/ready" },
  canaries: [
    // Spec 000's journeys: fetch the home feed, create a post (no media). The post is deleted at once.
    {
      name: "home-feed",
      description: "The canary user logs in and fetches its home feed, which holds items, within the feed's 500 ms.",
      baseUrl: "http://feed.feed.svc:8080",
      every: "2m",
      credentials: canaryUserCredentials("feed"),
      steps: [
        LOGIN_STEP,
        {
          name: "fetch-feed",
          request: { url: "/api/v1/feed?limit=20", headers: AS_CANARY_USER },
          expect: { json: [{ path: "$.items[0].id", exists: true }] },
          budget: "500ms",
        },
      ],
    },
    {
      name: "create-post",
      description: "The canary user creates a text post (no media), gets its id, and deletes it.",
      baseUrl: "http://feed.feed.svc:8080",
      every: "5m",
      writes: true,
      credentials: canaryUserCredentials("feed"),
      steps: [
        LOGIN_STEP,
        {
          name: "create-post",
          request: { method: "POST", url: "/api/v1/posts", headers: AS_CANARY_USER, body: { text: "canary post", visibility: "private" } },
          expect: { status: [201], json: [{ path: "$.id", exists: true }] },
          extract: { postId: "$.id" },
        },
        { name: "delete-post", request: { method: "DELETE", url: "/api/v1/posts/{{postId}}", headers: AS_CANARY_USER }, expect: { status: [204] } },
      ],
    },
  ],
});
