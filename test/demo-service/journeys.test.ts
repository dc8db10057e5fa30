/**
 * The demo services answer their catalog flows as the flows expect: each flow is run against its
 * service's demo by a small executor written here (fetch and the `ws` client, not the product's
 * runner), WebSocket message and poll to 100% included. The canary faults fail the step they name
 * with a 500 and slow every journey endpoint.
 */
import { createHash } from "node:crypto";
import WebSocket from "ws";
import { startDemoService, type DemoService } from "../../demo-service";
import { FaultPatchError } from "../../demo-service/faults";
import { journeyRoutes, matchPath } from "../../demo-service/journeys";
import { serviceCatalog } from "../../services";
import { durationSeconds } from "../../model/duration";
import type { CanaryRequest, CanarySpec, CanaryStep, JsonAssertion, JsonValue } from "../../signals/canary/spec";
import type { ServiceSpec } from "../../signals/service-spec";

/** Polls and schedules run this much faster here (budgets and withins are not divided). */
const POLL_FACTOR = 4;

const serviceNamed = (name: string): ServiceSpec => serviceCatalog().find((s) => s.name === name)!;
const flowsOf = (service: ServiceSpec): CanarySpec[] => service.canaries as unknown as CanarySpec[];
const flowNamed = (service: string, name: string) => flowsOf(serviceNamed(service)).find((c) => c.name === name)!;

/** The result of one run: the step that failed and why, and each step's seconds. */
interface FlowRun {
  readonly failed?: { readonly step: string; readonly reason: string };
  readonly stepSeconds: Readonly<Record<string, number>>;
}

class StepFailure extends Error {}

/** The value at a `$.a[0].b` path, or undefined. */
function at(value: unknown, path: string): unknown {
  let current = value;
  for (const [, key, index] of path.slice(1).matchAll(/\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]/g)) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key ?? Number(index)];
  }
  return current;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Runs a flow's steps against `baseUrl`, with `credentials` as the values its Secrets would give. */
async function runFlow(canary: CanarySpec, baseUrl: string, credentials: Record<string, string>): Promise<FlowRun> {
  const values = new Map(Object.entries(credentials));
  const fill = (text: string) =>
    text.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_, name: string) => {
      if (!values.has(name)) throw new StepFailure(`no value for {{${name}}}`);
      return values.get(name)!;
    });
  const fillJson = (value: JsonValue): JsonValue =>
    typeof value === "string"
      ? fill(value)
      : Array.isArray(value)
        ? value.map(fillJson)
        : value !== null && typeof value === "object"
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillJson(v)]))
          : value;
  const holds = (json: unknown, a: JsonAssertion) => {
    const v = at(json, a.path);
    if (a.exists) return v !== undefined;
    if (a.atLeast !== undefined) return typeof v === "number" && v >= a.atLeast;
    if (a.sha256 !== undefined) return createHash("sha256").update(canonical(v)).digest("hex") === a.sha256;
    return JSON.stringify(v) === JSON.stringify(typeof a.equals === "string" ? fill(a.equals) : a.equals);
  };
  const send = async (request: CanaryRequest) => {
    const url = /^https?:\/\//.test(request.url) ? fill(request.url) : `${baseUrl}${fill(request.url)}`;
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, fill(v)]));
    const init: RequestInit = { method: request.method, headers };
    if (request.body !== undefined) init.body = JSON.stringify(fillJson(request.body));
    if (request.body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(url, init);
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, text, json };
  };
  const check = (step: CanaryStep, answer: { status: number; text: string; json: unknown }) => {
    if (!step.expect.status.includes(answer.status)) throw new StepFailure(`status ${answer.status}: ${answer.text.trim()}`);
    for (const pattern of step.expect.bodyMatches) if (!new RegExp(pattern).test(answer.text)) throw new StepFailure(`body does not match ${pattern}`);
    for (const a of step.expect.json) if (!holds(answer.json, a)) throw new StepFailure(`json ${JSON.stringify(a)} fails on ${answer.text.trim()}`);
    for (const [name, path] of Object.entries(step.extract)) {
      const v = at(answer.json, path);
      if (v === undefined) throw new StepFailure(`nothing at ${path} to extract`);
      values.set(name, typeof v === "string" ? v : JSON.stringify(v));
    }
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const poll = async (step: CanaryStep) => {
    const { every, within, until } = step.poll!;
    const deadline = Date.now() + durationSeconds(within) * 1000;
    for (;;) {
      const answer = await send(step.request!);
      if (until.every((a) => holds(answer.json, a))) return check(step, answer);
      if (Date.now() > deadline) throw new StepFailure(`timeout: ${answer.text.trim()}`);
      await sleep((durationSeconds(every) * 1000) / POLL_FACTOR);
    }
  };

  const websocket = async (step: CanaryStep) => {
    const ws = step.websocket!;
    const url = /^wss?:\/\//.test(ws.url) ? fill(ws.url) : `${baseUrl.replace(/^http/, "ws")}${fill(ws.url)}`;
    const socket = new WebSocket(url, { headers: Object.fromEntries(Object.entries(ws.headers).map(([k, v]) => [k, fill(v)])) });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("open", () => resolve());
        socket.once("unexpected-response", (_req, res) => reject(new StepFailure(`upgrade refused: ${res.statusCode}`)));
        socket.once("error", (e) => reject(new StepFailure(`connection: ${e.message}`)));
      });
      const arrived = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new StepFailure("message: none within the deadline")), durationSeconds(ws.message.within) * 1000);
        socket.on("message", (data: Buffer) => {
          const message: unknown = JSON.parse(data.toString("utf8"));
          if (ws.message.json.every((a) => holds(message, a))) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      arrived.catch(() => undefined);
      if (ws.trigger !== undefined) {
        const answer = await send(ws.trigger);
        if (answer.status < 200 || answer.status > 299) throw new StepFailure(`trigger status ${answer.status}`);
      }
      await arrived;
    } finally {
      socket.terminate();
    }
  };

  const stepSeconds: Record<string, number> = {};
  for (const step of canary.steps) {
    const started = performance.now();
    try {
      if (step.websocket !== undefined) await websocket(step);
      else if (step.poll !== undefined) await poll(step);
      else check(step, await send(step.request!));
    } catch (error) {
      if (!(error instanceof StepFailure)) throw error;
      return { failed: { step: step.name, reason: error.message }, stepSeconds };
    } finally {
      stepSeconds[step.name] = (performance.now() - started) / 1000;
    }
  }
  return { stepSeconds };
}

/** What the Secrets would hold: any value will do for the demo. */
const credentialsOf = (canary: CanarySpec) => Object.fromEntries(Object.keys(canary.credentials).map((name) => [name, `demo-${name}`]));

const demos = new Map<string, DemoService>();
const demoOf = async (service: string) => {
  if (!demos.has(service)) demos.set(service, await startDemoService(serviceNamed(service), { stepMs: 1000 }));
  return demos.get(service)!;
};
afterEach(() => {
  for (const demo of demos.values()) demo.resetFaults();
});
afterAll(async () => {
  await Promise.all([...demos.values()].map((d) => d.stop()));
});

const everyFlow = serviceCatalog().flatMap((s) => flowsOf(s).map((c) => [s.name, c.name, c] as const));

describe("demo journeys", () => {
  it("derives a service's endpoints from its flows' steps, placeholders as one path segment", () => {
    expect(journeyRoutes(flowsOf(serviceNamed("feed")))).toEqual([
      { method: "POST", path: "/auth/login", steps: ["home-feed/login", "create-post/login"] },
      { method: "GET", path: "/api/v1/feed", steps: ["home-feed/fetch-feed"] },
      { method: "POST", path: "/api/v1/posts", steps: ["create-post/create-post"] },
      { method: "DELETE", path: "/api/v1/posts/{}", steps: ["create-post/delete-post"] },
    ]);
    expect(matchPath("/api/v1/media/uploads/{}/finalize", "/api/v1/media/uploads/u-1/finalize")).toEqual(["u-1"]);
    expect(matchPath("/api/v1/posts/{}", "/api/v1/posts/")).toBeUndefined();
  });

  it.each(everyFlow)("answers %s's %s flow as it expects, each step within its budget", async (service, _name, canary) => {
    const demo = await demoOf(service);
    const run = await runFlow(canary, demo.url, credentialsOf(canary));
    expect(run.failed).toBeUndefined();
    for (const step of canary.steps.filter((s) => s.budget !== undefined)) {
      expect(run.stepSeconds[step.name]).toBeLessThanOrEqual(durationSeconds(step.budget!));
    }
  });

  it("serves only the endpoints of the service's own flows", async () => {
    const workers = await demoOf("workers");
    expect((await fetch(`${workers.url}/auth/login`, { method: "POST", body: "{}" })).status).toBe(404);
    const feed = await demoOf("feed");
    expect((await fetch(`${feed.url}/api/v1/imports`, { method: "POST", body: "{}" })).status).toBe(404);
    expect((await fetch(`${feed.url}/v1/indicators`, { method: "POST", body: "{}" })).status).toBe(404);
  });

  it("requires the login's token on protected endpoints, and email and password to log in", async () => {
    const feed = await demoOf("feed");
    expect((await fetch(`${feed.url}/api/v1/feed`)).status).toBe(401);
    expect((await fetch(`${feed.url}/api/v1/feed`, { headers: { Authorization: "Bearer forged" } })).status).toBe(401);
    expect((await fetch(`${feed.url}/auth/login`, { method: "POST", body: JSON.stringify({ email: "a@b.c" }) })).status).toBe(400);
    const edge = await demoOf("edge");
    const refused = await runFlow({ ...flowNamed("edge", "reflect"), steps: [flowNamed("edge", "reflect").steps[1]!] }, edge.url, {
      token: "forged",
      sessionId: "x",
    });
    expect(refused.failed).toEqual({ step: "reflect-delivery", reason: "upgrade refused: 401" });
  });

  it("requires the apikey header on Supabase's REST count", async () => {
    const api = await demoOf("machinemate-api");
    expect((await fetch(`${api.url}/rest/v1/favorites?select=count&limit=1`)).status).toBe(401);
  });

  it("grows an import's progress to 100 over a few seconds, with every trade of the mock broker", async () => {
    const workers = await demoOf("workers");
    const canary = flowNamed("workers", "trade-import");
    const started = (await (await fetch(`${workers.url}/api/v1/imports`, { method: "POST", body: JSON.stringify(canary.steps[0]!.request!.body) })).json()) as {
      importId: string;
    };
    const progressNow = async () => (await (await fetch(`${workers.url}/api/v1/imports/${started.importId}`)).json()) as { progress: number; trades: number };
    const first = await progressNow();
    expect(first.progress).toBeLessThan(100);
    await new Promise((r) => setTimeout(r, 3100));
    expect(await progressNow()).toMatchObject({ progress: 100, trades: 50 });
  });

  it("fails the step canaryStepsFailing names with a 500", async () => {
    const feed = await demoOf("feed");
    feed.injectFaults({ canaryStepsFailing: ["home-feed/fetch-feed"] });
    const run = await runFlow(flowNamed("feed", "home-feed"), feed.url, credentialsOf(flowNamed("feed", "home-feed")));
    expect(run.failed?.step).toBe("fetch-feed");
    expect(run.failed?.reason).toMatch(/^status 500/);
  });

  it("refuses the socket of a WebSocket step canaryStepsFailing names with a 500", async () => {
    const edge = await demoOf("edge");
    edge.injectFaults({ canaryStepsFailing: ["reflect/reflect-delivery"] });
    const run = await runFlow(flowNamed("edge", "reflect"), edge.url, credentialsOf(flowNamed("edge", "reflect")));
    expect(run.failed).toEqual({ step: "reflect-delivery", reason: "upgrade refused: 500" });
  });

  it("slows every journey endpoint by canaryStepsSlowSeconds: the login runs over its 250 ms budget", async () => {
    const edge = await demoOf("edge");
    edge.injectFaults({ canaryStepsSlowSeconds: 0.3 });
    const run = await runFlow(flowNamed("edge", "login"), edge.url, credentialsOf(flowNamed("edge", "login")));
    expect(run.failed).toBeUndefined();
    expect(run.stepSeconds.login).toBeGreaterThanOrEqual(0.3);
    expect(run.stepSeconds.session).toBeGreaterThanOrEqual(0.3);
  });

  it("fails when a fault names a step the service's flows do not have, listing them", async () => {
    const feed = await demoOf("feed");
    expect(() => feed.injectFaults({ canaryStepsFailing: ["login/login"] })).toThrow(FaultPatchError);
    expect(() => feed.injectFaults({ canaryStepsFailing: ["login/login"] })).toThrow(
      "canaryStepsFailing.0: must be a step of feed's canaries as <canary>/<step> (home-feed/login, home-feed/fetch-feed, create-post/login, create-post/create-post, create-post/delete-post)",
    );
    expect(() => feed.injectFaults({ canaryStepsSlowSeconds: -1 })).toThrow("canaryStepsSlowSeconds: must be >= 0");
    const coreApi = await startDemoService(serviceNamed("core-api"), { stepMs: 1000 });
    try {
      expect(() => coreApi.injectFaults({ canaryStepsFailing: ["x/y"] })).toThrow("canaryStepsFailing.0: core-api declares no canaries");
    } finally {
      await coreApi.stop();
    }
  });
});
