/**
 * A test service with one flow per engine and kind of environment rule: a blackbox flow with a
 * bearer token, a writing runner flow with a password, and a read-only runner flow that names its
 * environments. Its values are written here by hand, so the tests compare against them.
 */
import type { ServiceSpecInput } from "../../signals/service-spec";

export const SHOP_BASE_URL = "http://shop.shop.svc:8080";

/** One request the blackbox exporter can make: POST with a JSON body, a bearer token from a Secret. */
export const searchFlow = {
  name: "search",
  description: "A search answers with results.",
  baseUrl: SHOP_BASE_URL,
  every: "1m",
  credentials: { token: { secret: "shop-canary-token", key: "token" } },
  steps: [
    {
      name: "search",
      request: { method: "POST", url: "/api/search?limit=1", headers: { Authorization: "Bearer {{token}}", "X-Client": "canary" }, body: { query: "shoes" } },
      expect: { status: [200, 201], bodyMatches: ['"results"'] },
    },
  ],
} as const;

/** Two steps carrying a token, writing an order: the runner, only where writes are allowed. */
export const checkoutFlow = {
  name: "checkout",
  description: "A user logs in and places an order.",
  baseUrl: SHOP_BASE_URL,
  every: "5m",
  budget: "3s",
  writes: true,
  credentials: { password: { secret: "shop-canary-login", key: "password" }, user: { secret: "shop-canary-login", key: "user" } },
  steps: [
    {
      name: "login",
      request: { method: "POST", url: "/auth/login", body: { user: "{{user}}", password: "{{password}}" } },
      extract: { token: "$.accessToken" },
      budget: "500ms",
    },
    {
      name: "order",
      request: { method: "POST", url: "/orders", headers: { Authorization: "Bearer {{token}}" }, body: { sku: "canary-sku" } },
      expect: { status: [201], json: [{ path: "$.id", exists: true }] },
    },
  ],
} as const;

/** One request with a JSON assertion (the runner), in dev and prod only. */
export const catalogFlow = {
  name: "catalog",
  description: "The catalog lists at least one item.",
  baseUrl: SHOP_BASE_URL,
  every: "2m",
  environments: ["dev", "prod"],
  steps: [{ name: "list", request: { url: "/api/items" }, expect: { json: [{ path: "$.items[0].id", exists: true }] } }],
} as const;

/** The test service, with the flows given (all three by default). */
export function shopService(canaries: readonly object[] = [searchFlow, checkoutFlow, catalogFlow]): ServiceSpecInput {
  return { name: "shop", team: "web", namespace: "shop", canaries } as unknown as ServiceSpecInput;
}
