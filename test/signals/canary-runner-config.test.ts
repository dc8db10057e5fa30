import { existsSync } from "node:fs";
import { isAbsolute } from "node:path";
import { canarySchema, type CanaryInput, type CanarySpec } from "../../signals/canary/spec";
import {
  CANARY_RUNNER_SCRIPT_PATH,
  CANARY_RUNNER_SECRETS_DIR,
  canaryRunnerArgs,
  runnerConfig,
  secretRefsOf,
  type RunnerConfig,
} from "../../signals/canary/runner-config";

/** A flow as a spec holds it, defaults applied by the spec's own schema. */
function canary(input: CanaryInput): CanarySpec {
  return canarySchema.parse(input) as CanarySpec;
}

/** One GET with a status check: the blackbox exporter's. */
const health = canary({
  name: "health",
  description: "answers",
  baseUrl: "http://edge.app.svc:8080",
  every: "1m",
  steps: [{ name: "health", request: { url: "/healthz" } }],
});

const login = canary({
  name: "login",
  description: "a user logs in and reads their profile",
  baseUrl: "http://edge.app.svc:8080",
  every: "5m",
  budget: "2s",
  failAfterRuns: 3,
  credentials: { password: { secret: "canary-login", key: "password" } },
  steps: [
    {
      name: "login",
      budget: "250ms",
      request: { method: "POST", url: "/auth/login", body: { user: "canary", password: "{{password}}" } },
      expect: { status: [200, 201], json: [{ path: "$.accessToken", exists: true }] },
      extract: { token: "$.accessToken" },
    },
    {
      name: "export",
      request: { url: "/exports/latest", headers: { Authorization: "Bearer {{token}}" } },
      poll: { within: "1m", until: [{ path: "$.progress", atLeast: 100 }] },
    },
    {
      name: "reflect",
      websocket: {
        url: "/ws",
        trigger: { method: "POST", url: "/reflect", headers: { Authorization: "Bearer {{token}}" } },
        message: { within: "3s", json: [{ path: "$.type", equals: "reflected" }] },
      },
    },
  ],
});

const orders = canary({
  name: "orders",
  description: "an order reads back",
  baseUrl: "http://orders.app.svc:8080",
  every: "10m",
  credentials: { apiKey: { secret: "canary-orders", key: "api-key" }, password: { secret: "canary-login", key: "password" } },
  steps: [
    { name: "list", request: { url: "/orders", headers: { "X-Api-Key": "{{apiKey}}" } }, extract: { id: "$.items[0].id" } },
    { name: "read", request: { url: "/orders/{{id}}", headers: { "X-Api-Key": "{{apiKey}}" } } },
  ],
});

describe("runnerConfig", () => {
  it("keeps only the flows the runner runs, by service then flow", () => {
    const config = runnerConfig([
      { name: "edge", team: "core", canaries: [health, login] },
      { name: "orders", team: "shop", canaries: [orders] },
      { name: "quiet", team: "core", canaries: [health] },
    ]);
    expect(config.flows.map((f) => `${f.service}/${f.team}/${f.canary}`)).toEqual(["edge/core/login", "orders/shop/orders"]);
  });

  it("gives a flow its schedule, budgets, polls and message waits in seconds, with the spec's defaults", () => {
    const [flow] = runnerConfig([{ name: "edge", team: "core", canaries: [login] }]).flows;
    expect(flow).toEqual({
      service: "edge",
      team: "core",
      canary: "login",
      everySeconds: 300,
      budgetSeconds: 2,
      baseUrl: "http://edge.app.svc:8080",
      failAfterRuns: 3,
      slowAfterRuns: 3,
      credentials: { password: { secret: "canary-login", key: "password" } },
      steps: [
        {
          name: "login",
          budgetSeconds: 0.25,
          request: { method: "POST", url: "/auth/login", headers: {}, body: { user: "canary", password: "{{password}}" } },
          expect: { status: [200, 201], bodyMatches: [], json: [{ path: "$.accessToken", exists: true }] },
          extract: { token: "$.accessToken" },
        },
        {
          name: "export",
          request: { method: "GET", url: "/exports/latest", headers: { Authorization: "Bearer {{token}}" } },
          poll: { everySeconds: 2, withinSeconds: 60, until: [{ path: "$.progress", atLeast: 100 }] },
          expect: { status: [200], bodyMatches: [], json: [] },
          extract: {},
        },
        {
          name: "reflect",
          websocket: {
            url: "/ws",
            headers: {},
            trigger: { method: "POST", url: "/reflect", headers: { Authorization: "Bearer {{token}}" } },
            message: { withinSeconds: 3, json: [{ path: "$.type", equals: "reflected" }] },
          },
          expect: { status: [200], bodyMatches: [], json: [] },
          extract: {},
        },
      ],
    });
  });

  it("leaves budgets out when the spec has none", () => {
    const [flow] = runnerConfig([{ name: "orders", team: "shop", canaries: [orders] }]).flows;
    expect(flow).not.toHaveProperty("budgetSeconds");
    expect(flow!.steps.map((s) => "budgetSeconds" in s)).toEqual([false, false]);
  });

  it("carries credentials as Secret references and placeholders, never as values", () => {
    const config = runnerConfig([{ name: "orders", team: "shop", canaries: [orders] }]);
    expect(config.flows[0]!.credentials).toEqual({
      apiKey: { secret: "canary-orders", key: "api-key" },
      password: { secret: "canary-login", key: "password" },
    });
    expect(config.flows[0]!.steps[0]!.request!.headers).toEqual({ "X-Api-Key": "{{apiKey}}" });
  });

  it("keeps a WebSocket step's headers, which the runner sends with the handshake", () => {
    const withHeaders = canary({
      ...login,
      steps: [{ name: "socket", websocket: { url: "/ws", headers: { Authorization: "Bearer {{password}}" }, message: { within: "3s" } } }],
    } as CanaryInput);
    expect(runnerConfig([{ name: "edge", team: "core", canaries: [withHeaders] }]).flows[0]!.steps[0]!.websocket!.headers).toEqual({
      Authorization: "Bearer {{password}}",
    });
  });
});

describe("secretRefsOf", () => {
  it("lists each Secret key the flows read once, sorted", () => {
    const config = runnerConfig([
      { name: "edge", team: "core", canaries: [login] },
      { name: "orders", team: "shop", canaries: [orders] },
    ]);
    expect(secretRefsOf(config)).toEqual([
      { secret: "canary-login", key: "password" },
      { secret: "canary-orders", key: "api-key" },
    ]);
  });

  it("is empty for a config without credentials", () => {
    const config: RunnerConfig = { flows: [] };
    expect(secretRefsOf(config)).toEqual([]);
  });
});

describe("canaryRunnerArgs", () => {
  it("runs the runner script with WebSocket enabled and the default Secrets directory", () => {
    expect(canaryRunnerArgs({ configPath: "/etc/canary-runner/config.json", listen: "0.0.0.0:9464" })).toEqual([
      "--experimental-websocket",
      CANARY_RUNNER_SCRIPT_PATH,
      "--config",
      "/etc/canary-runner/config.json",
      "--listen",
      "0.0.0.0:9464",
      "--secrets-dir",
      "/etc/canary-runner/secrets",
    ]);
    expect(CANARY_RUNNER_SECRETS_DIR).toBe("/etc/canary-runner/secrets");
  });

  it("passes a schedule factor other than 1, a Secrets directory and a script path", () => {
    expect(canaryRunnerArgs({ configPath: "c.json", listen: "127.0.0.1:1", secretsDir: "/tmp/s", scheduleFactor: 30, scriptPath: "/opt/runner.mjs" })).toEqual([
      "--experimental-websocket",
      "/opt/runner.mjs",
      "--config",
      "c.json",
      "--listen",
      "127.0.0.1:1",
      "--secrets-dir",
      "/tmp/s",
      "--schedule-factor",
      "30",
    ]);
    expect(canaryRunnerArgs({ configPath: "c.json", listen: "127.0.0.1:1", scheduleFactor: 1 })).not.toContain("--schedule-factor");
  });

  it("fails when the schedule factor is not above 0", () => {
    expect(() => canaryRunnerArgs({ configPath: "c.json", listen: "127.0.0.1:1", scheduleFactor: 0 })).toThrow(
      /scheduleFactor must be a number above 0, got 0/,
    );
  });

  it("points at the runner file of this repository", () => {
    expect(isAbsolute(CANARY_RUNNER_SCRIPT_PATH)).toBe(true);
    expect(CANARY_RUNNER_SCRIPT_PATH).toMatch(/\/canary-runner\/runner\.mjs$/);
    expect(existsSync(CANARY_RUNNER_SCRIPT_PATH)).toBe(true);
  });
});
