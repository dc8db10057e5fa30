/**
 * The canary user: the account the user-journey flows log in as. Its email and password live in
 * the Secret `canary-<service>` of the stack's namespace (keys `email`, `password`), one per
 * service so a team rotates its own; the flows name them by reference and never hold them.
 */
import type { CanaryInput, SecretRef } from "../../signals/canary/spec";

/** The Secret holding a service's canary credentials: `canary-<service>`. */
export function canarySecret(service: string): string {
  return `canary-${service}`;
}

/** The canary user's credentials, as the flows' `{{email}}` and `{{password}}` name them. */
export function canaryUserCredentials(service: string): Record<"email" | "password", SecretRef> {
  return { email: { secret: canarySecret(service), key: "email" }, password: { secret: canarySecret(service), key: "password" } };
}

/** Spec 002's login budget: a login answers within 250 ms. */
export const LOGIN_BUDGET = "250ms";

/**
 * The first step of a user journey: `POST /auth/login` with the canary user, expecting 200 within
 * {@link LOGIN_BUDGET}; it extracts `token` (the access token) and `sessionId` for later steps.
 */
export const LOGIN_STEP = {
  name: "login",
  request: { method: "POST", url: "/auth/login", body: { email: "{{email}}", password: "{{password}}" } },
  expect: { status: [200], json: [{ path: "$.accessToken", exists: true }] },
  extract: { token: "$.accessToken", sessionId: "$.sessionId" },
  budget: LOGIN_BUDGET,
} satisfies CanaryInput["steps"][number];

/** The header a step sends to call as the logged-in canary user. */
export const AS_CANARY_USER = { Authorization: "Bearer {{token}}" } as const;
