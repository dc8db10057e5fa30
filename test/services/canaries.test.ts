/**
 * The catalog's canary flows: valid, credentials only by Secret reference, spec 004's health checks
 * as it asks, writing flows only where a profile allows writes, and the fixtures the probes carry
 * (the AI probe's hash recomputed here from the fixture, the import's 50 trades).
 */
import { createHash } from "node:crypto";
import { loadProfiles } from "../../environments";
import { TYPESCRIPT_SERVICES, serviceCatalog } from "../../services";
import { INDICATORS_INPUT, INDICATORS_OUTPUT } from "../../services/canary-fixtures/indicators";
import { MOCK_BROKER_IMPORT } from "../../services/canary-fixtures/mock-broker";
import { canaryEngine } from "../../signals/canary/engine";
import { canariesIn, canaryEnvironmentProblems } from "../../signals/canary/environments";
import type { CanarySpec } from "../../signals/canary/spec";
import { durationSeconds } from "../../model/duration";
import { parseServiceSpec } from "../../signals/service-spec";

const flowsOf = (service: string): CanarySpec[] => serviceCatalog().find((s) => s.name === service)!.canaries as unknown as CanarySpec[];
const flow = (service: string, name: string): CanarySpec => flowsOf(service).find((c) => c.name === name)!;
const everyFlow = serviceCatalog().flatMap((s) => (s.canaries as unknown as CanarySpec[]).map((c) => ({ service: s.name, canary: c })));

/** JSON with object keys sorted at every level and no spaces, as the flows' `sha256` hashes it. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

describe("the catalog's canaries", () => {
  it("declares the flows of specs 000, 002 and 004 on the services that own them", () => {
    const names = Object.fromEntries(serviceCatalog().flatMap((s) => (s.canaries.length > 0 ? [[s.name, s.canaries.map((c) => c.name)]] : [])));
    expect(names).toEqual({
      "ai-coach": ["indicators"],
      edge: ["login", "reflect"],
      feed: ["home-feed", "create-post"],
      "machinemate-api": ["health", "machines", "supabase-favorites-count"],
      media: ["upload-plan-finalize"],
      notifications: ["push-register-unregister"],
      workers: ["trade-import"],
    });
  });

  it("passes validation, service by service", () => {
    for (const input of TYPESCRIPT_SERVICES.filter((s) => (s.canaries ?? []).length > 0)) {
      expect(() => parseServiceSpec(input)).not.toThrow();
    }
  });

  it("reads every credential from the service's canary Secret, by reference only", () => {
    for (const { service, canary } of everyFlow) {
      for (const ref of Object.values(canary.credentials)) {
        expect(Object.keys(ref).sort()).toEqual(["key", "secret"]);
        expect(ref.secret).toBe(`canary-${service}`);
      }
    }
    expect(flow("edge", "login").credentials).toEqual({
      email: { secret: "canary-edge", key: "email" },
      password: { secret: "canary-edge", key: "password" },
    });
    expect(flow("machinemate-api", "supabase-favorites-count").credentials).toEqual({ anonKey: { secret: "canary-machinemate-api", key: "anon-key" } });
  });

  it("describes every flow and runs user journeys every 1 to 5 minutes", () => {
    for (const { service, canary } of everyFlow) {
      expect(canary.description.length).toBeGreaterThan(20);
      if (service === "machinemate-api") continue;
      expect(durationSeconds(canary.every)).toBeGreaterThanOrEqual(60);
      expect(durationSeconds(canary.every)).toBeLessThanOrEqual(300);
    }
  });

  it("logs in within spec 002's 250 ms and carries the token as a Bearer header", () => {
    const login = flow("edge", "login");
    expect(login.steps[0]).toMatchObject({
      name: "login",
      request: { method: "POST", url: "/auth/login" },
      expect: { status: [200] },
      extract: { token: "$.accessToken" },
      budget: "250ms",
    });
    for (const { canary } of everyFlow.filter((f) => f.canary.steps[0]!.name === "login")) {
      for (const step of canary.steps.slice(1)) {
        const headers = step.request?.headers ?? step.websocket?.headers;
        expect(headers).toEqual({ Authorization: "Bearer {{token}}" });
      }
    }
  });

  it("checks machinemate-api as spec 004 asks: every 10 minutes, failing after 2 runs, /health and machines as blackbox probes", () => {
    const checks = flowsOf("machinemate-api");
    expect(checks.map((c) => [c.name, c.every, c.failAfterRuns, canaryEngine(c), c.steps[0]!.request!.url])).toEqual([
      ["health", "10m", 2, "blackbox", "/health"],
      ["machines", "10m", 2, "blackbox", "/api/v1/machines?limit=1"],
      ["supabase-favorites-count", "10m", 2, "runner", "/rest/v1/favorites?select=count&limit=1"],
    ]);
    expect(checks[2]!.steps[0]!.request!.headers).toEqual({ apikey: "{{anonKey}}", Authorization: "Bearer {{anonKey}}" });
  });

  it("names no environment whose profile forbids writing for a flow that writes", () => {
    const environments = loadProfiles().map((p) => ({ name: p.name, allowsWrites: p.canaryRunner.allowWrites }));
    for (const service of serviceCatalog()) {
      expect(canaryEnvironmentProblems(service.canaries as unknown as CanarySpec[], environments)).toEqual([]);
    }
    const writing = everyFlow.filter((f) => f.canary.writes).map((f) => `${f.service}/${f.canary.name}`);
    expect(writing).toEqual(["feed/create-post", "media/upload-plan-finalize", "notifications/push-register-unregister"]);
    const runsIn = (service: string, name: string) => environments.filter((e) => canariesIn([flow(service, name)], e).length > 0).map((e) => e.name);
    expect(environments.filter((e) => !e.allowsWrites).map((e) => e.name)).toEqual(expect.arrayContaining(["prod"]));
    for (const name of writing) expect(runsIn(...(name.split("/") as [string, string]))).not.toContain("prod");
    expect(runsIn("media", "upload-plan-finalize")).toEqual(["dev", "staging"]);
  });

  it("asserts the AI probe's output by the SHA-256 of the fixture's canonical JSON", () => {
    const step = flow("ai-coach", "indicators").steps[0]!;
    expect(step.request!.body).toEqual(INDICATORS_INPUT);
    const hash = createHash("sha256").update(canonicalJson(INDICATORS_OUTPUT)).digest("hex");
    expect(step.expect.json).toEqual([{ path: "$.indicators", sha256: hash }]);
  });

  it("imports the mock broker's 50 trades and polls progress to 100 within 60 s", () => {
    expect(MOCK_BROKER_IMPORT.trades).toHaveLength(50);
    expect(new Set(MOCK_BROKER_IMPORT.trades.map((t) => t.id)).size).toBe(50);
    const [start, progress] = flow("workers", "trade-import").steps;
    expect(start!.request!.body).toEqual(MOCK_BROKER_IMPORT);
    expect(progress).toMatchObject({
      request: { url: "/api/v1/imports/{{importId}}" },
      poll: { within: "60s", until: [{ path: "$.progress", equals: 100 }] },
      expect: { json: [{ path: "$.trades", equals: 50 }] },
    });
  });
});
