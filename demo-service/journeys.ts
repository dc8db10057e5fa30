/**
 * The demo's journey endpoints: what a service's canary flows call (login, feed, posts, media
 * uploads, push devices, imports, indicators, health checks, the outbox test endpoint and its
 * WebSocket), emulated with state so the flows pass as they would against the real service. A
 * service serves only the endpoints its own flows' steps call: the set is derived from their
 * methods and paths (placeholders match one path segment), so the demo stays generic.
 *
 * The canary faults bend them: a step named in `canaryStepsFailing` makes its endpoint answer 500,
 * `canaryStepsSlowSeconds` delays every answer and WebSocket delivery.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Faults } from "../kit/simulation";
import { numberFault } from "../kit/simulation";
import type { CanarySpec } from "../signals/canary/spec";
import { readJson, sendJson } from "./http";
import { attachWebSockets, type UpgradeDecision, type WebSocketHub } from "./websocket";

/** How long the demo's import takes from start to 100%: well within the probe's 60 s, and short enough that a run fits in the preview's compressed schedule (2m / 60 = 2 s). */
export const DEMO_IMPORT_MS = 600;
/** How long an outbox row takes to reach the WebSocket. */
export const DEMO_OUTBOX_DELIVERY_MS = 50;

/** What the demo reads of a flow: its name and steps. */
export type JourneyFlow = Pick<CanarySpec, "name" | "steps">;

/** One endpoint a service's flows call: method and path template (`{}` for a placeholder segment), and the steps calling it. */
export interface JourneyRoute {
  /** `GET`, `POST`, ..., or `WS` for a WebSocket step's socket. */
  readonly method: string;
  /** The path with each `{{name}}` as `{}`, no query: `/api/v1/posts/{}`. */
  readonly path: string;
  /** The steps that call it, as `<canary>/<step>`. */
  readonly steps: readonly string[];
}

/** The path template of a step's URL, or undefined for an absolute URL (another host). */
function pathTemplate(url: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return undefined;
  return url.split("?")[0]!.replace(/\{\{[^}]*\}\}/g, "{}");
}

/** Every endpoint the flows call, in the order first called, with the steps calling each. */
export function journeyRoutes(canaries: readonly JourneyFlow[]): JourneyRoute[] {
  const routes = new Map<string, { method: string; path: string; steps: string[] }>();
  const add = (method: string, url: string, step: string) => {
    const path = pathTemplate(url);
    if (path === undefined) return;
    const route = routes.get(`${method} ${path}`) ?? { method, path, steps: [] };
    route.steps.push(step);
    routes.set(`${method} ${path}`, route);
  };
  for (const canary of canaries) {
    for (const step of canary.steps) {
      const name = `${canary.name}/${step.name}`;
      if (step.request !== undefined) add(step.request.method, step.request.url, name);
      if (step.websocket !== undefined) {
        add("WS", step.websocket.url, name);
        if (step.websocket.trigger !== undefined) add(step.websocket.trigger.method, step.websocket.trigger.url, name);
      }
    }
  }
  return [...routes.values()];
}

/** The path segments a template's `{}` matched, or undefined when the path does not match it. */
export function matchPath(template: string, path: string): string[] | undefined {
  const want = template.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return undefined;
  const params: string[] = [];
  for (const [i, part] of want.entries()) {
    if (part === "{}") {
      if (got[i] === "") return undefined;
      params.push(decodeURIComponent(got[i]!));
    } else if (part !== got[i]) return undefined;
  }
  return params;
}

/** A logged-in session of the canary user. */
interface Session {
  readonly sessionId: string;
  readonly email: string;
}

/** What the demo remembers between calls. */
interface JourneyState {
  readonly sessions: Map<string, Session>;
  readonly posts: Map<string, unknown>;
  readonly uploads: Map<string, { finalized: boolean }>;
  readonly devices: Map<string, unknown>;
  readonly imports: Map<string, { startedMs: number; trades: number }>;
  readonly hub: WebSocketHub;
  readonly delayMs: () => number;
}

/** One call of an endpoint. */
interface JourneyCall {
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  readonly body: Record<string, unknown>;
  /** The session of the bearer token; set for endpoints that require one. */
  readonly session: Session | undefined;
  readonly state: JourneyState;
}

/** An answer: status and JSON body (none for 204). */
interface JourneyAnswer {
  readonly status: number;
  readonly body?: unknown;
}

/** An endpoint the demo can emulate. */
interface JourneyEndpoint {
  /** `bearer`: a token from login; `apikey`: an `apikey` header (Supabase). */
  readonly auth: "none" | "bearer" | "apikey";
  handle(call: JourneyCall): JourneyAnswer;
}

const isText = (value: unknown): value is string => typeof value === "string" && value.trim() !== "";
const badRequest = (message: string): JourneyAnswer => ({ status: 400, body: { error: message } });
const notFound = (what: string): JourneyAnswer => ({ status: 404, body: { error: `no such ${what}` } });
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Indicators of a close series: 3-close SMA, close-to-close change (2 decimals), high and low. */
export function demoIndicators(closes: readonly number[]): { sma3: number[]; change: number[]; high: number; low: number } {
  return {
    sma3: closes.slice(2).map((_, i) => round2((closes[i]! + closes[i + 1]! + closes[i + 2]!) / 3)),
    change: closes.slice(1).map((c, i) => round2(c - closes[i]!)),
    high: Math.max(...closes),
    low: Math.min(...closes),
  };
}

/** Progress of an import started at `startedMs`, 0..100 over {@link DEMO_IMPORT_MS}. */
export function importProgress(startedMs: number, nowMs: number): number {
  return Math.min(100, Math.floor(((nowMs - startedMs) / DEMO_IMPORT_MS) * 100));
}

/** Removes `params[0]` from a store: 204, or 404 naming `what`. */
const remove = (store: Map<string, unknown>, call: JourneyCall, what: string): JourneyAnswer =>
  store.delete(call.params[0]!) ? { status: 204 } : notFound(what);

/** Every endpoint the demo knows, by `METHOD path-template`. */
const ENDPOINTS: Readonly<Record<string, JourneyEndpoint>> = {
  "POST /auth/login": {
    auth: "none",
    handle: ({ body, state }) => {
      if (!isText(body.email) || !isText(body.password)) return badRequest("email and password are required");
      const accessToken = `demo-${randomUUID()}`;
      const session = { sessionId: randomUUID(), email: body.email };
      state.sessions.set(accessToken, session);
      return { status: 200, body: { accessToken, tokenType: "Bearer", expiresInSeconds: 3600, sessionId: session.sessionId } };
    },
  },
  "GET /auth/session": { auth: "bearer", handle: ({ session }) => ({ status: 200, body: session }) },
  "GET /api/v1/feed": {
    auth: "bearer",
    handle: ({ query }) => {
      const limit = Math.max(1, Math.min(50, Number(query.get("limit") ?? 20) || 20));
      const items = Array.from({ length: Math.min(limit, 3) }, (_, i) => ({ id: `post-${i + 1}`, author: "demo", text: `demo post ${i + 1}` }));
      return { status: 200, body: { items, nextCursor: null } };
    },
  },
  "POST /api/v1/posts": {
    auth: "bearer",
    handle: ({ body, state }) => {
      if (!isText(body.text)) return badRequest("text is required");
      const post = { id: `post-${randomUUID()}`, text: body.text, visibility: isText(body.visibility) ? body.visibility : "public" };
      state.posts.set(post.id, post);
      return { status: 201, body: post };
    },
  },
  "DELETE /api/v1/posts/{}": { auth: "bearer", handle: (call) => remove(call.state.posts, call, "post") },
  "POST /api/v1/media/uploads": {
    auth: "bearer",
    handle: ({ body, state }) => {
      if (!isText(body.contentType)) return badRequest("contentType is required");
      const uploadId = `upload-${randomUUID()}`;
      state.uploads.set(uploadId, { finalized: false });
      return { status: 201, body: { uploadId, uploadUrl: `/uploads/${uploadId}`, expiresInSeconds: 900 } };
    },
  },
  "POST /api/v1/media/uploads/{}/finalize": {
    auth: "bearer",
    handle: ({ params, state }) => {
      const upload = state.uploads.get(params[0]!);
      if (upload === undefined) return notFound("upload");
      upload.finalized = true;
      return { status: 200, body: { uploadId: params[0], status: "finalized" } };
    },
  },
  "POST /api/v1/push/devices": {
    auth: "bearer",
    handle: ({ body, state }) => {
      if (!isText(body.platform)) return badRequest("platform is required");
      const deviceId = `device-${randomUUID()}`;
      state.devices.set(deviceId, body);
      return { status: 201, body: { deviceId } };
    },
  },
  "DELETE /api/v1/push/devices/{}": { auth: "bearer", handle: (call) => remove(call.state.devices, call, "device") },
  "POST /api/v1/imports": {
    auth: "none",
    handle: ({ body, state }) => {
      if (body.broker !== "mock" || !Array.isArray(body.trades)) return badRequest('broker must be "mock", with its trades');
      const importId = `import-${randomUUID()}`;
      state.imports.set(importId, { startedMs: Date.now(), trades: body.trades.length });
      return { status: 202, body: { importId, status: "running", progress: 0 } };
    },
  },
  "GET /api/v1/imports/{}": {
    auth: "none",
    handle: ({ params, state }) => {
      const job = state.imports.get(params[0]!);
      if (job === undefined) return notFound("import");
      const progress = importProgress(job.startedMs, Date.now());
      return { status: 200, body: { importId: params[0], status: progress === 100 ? "done" : "running", progress, trades: job.trades } };
    },
  },
  "POST /v1/indicators": {
    auth: "none",
    handle: ({ body }) => {
      const closes = body.closes;
      if (!Array.isArray(closes) || closes.length < 3 || !closes.every((c) => typeof c === "number")) return badRequest("closes must be at least 3 numbers");
      return { status: 200, body: { symbol: body.symbol ?? null, indicators: demoIndicators(closes as number[]) } };
    },
  },
  "GET /health": { auth: "none", handle: () => ({ status: 200, body: { status: "ok" } }) },
  "GET /api/v1/machines": {
    auth: "none",
    handle: ({ query }) => {
      const limit = Math.max(1, Math.min(100, Number(query.get("limit") ?? 20) || 20));
      const items = Array.from({ length: Math.min(limit, 5) }, (_, i) => ({ id: `machine-${i + 1}`, name: `Demo machine ${i + 1}` }));
      return { status: 200, body: { items, limit } };
    },
  },
  // Supabase's PostgREST: `select=count` answers one row with the count.
  "GET /rest/v1/favorites": { auth: "apikey", handle: () => ({ status: 200, body: [{ count: 3 }] }) },
  "POST /test/outbox": {
    auth: "bearer",
    handle: ({ body, session, state }) => {
      if (!isText(body.id)) return badRequest("id is required");
      const row = { ...body, id: body.id, createdAt: new Date().toISOString() };
      setTimeout(() => state.hub.deliver(session!.email, row), DEMO_OUTBOX_DELIVERY_MS + state.delayMs());
      return { status: 202, body: { id: body.id } };
    },
  },
};

/** The WebSocket paths the demo serves (each needs a login token). */
const WEBSOCKET_PATHS: readonly string[] = ["/ws"];

/** The session of a request's `Authorization: Bearer <token>`, if it is one the demo issued. */
function sessionOf(request: IncomingMessage, sessions: ReadonlyMap<string, Session>): Session | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
  return match === null ? undefined : sessions.get(match[1]!);
}

/** The journey endpoints of one demo service. */
export interface DemoJourneys {
  /** The endpoints its flows call, and which of them the demo emulates. */
  readonly routes: readonly (JourneyRoute & { readonly served: boolean })[];
  /** Answers `request` when it is one of the service's journey endpoints; false when it is not. */
  handle(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
  /** Closes the WebSockets. */
  close(): void;
}

/**
 * The journey endpoints of a service's flows on its demo's `server`, bent by `faults()`: the
 * WebSocket paths its flows open are attached to the server.
 */
export function startJourneys(canaries: readonly JourneyFlow[], server: Server, faults: () => Faults): DemoJourneys {
  const routes = journeyRoutes(canaries).map((r) => ({
    ...r,
    served: r.method === "WS" ? WEBSOCKET_PATHS.includes(r.path) : ENDPOINTS[`${r.method} ${r.path}`] !== undefined,
  }));
  const served = routes.filter((r) => r.served);
  const failing = (route: JourneyRoute) => {
    const names = faults().canaryStepsFailing;
    return Array.isArray(names) && route.steps.some((s) => names.includes(s));
  };
  const delayMs = () => numberFault(faults(), "canaryStepsSlowSeconds") * 1000;
  const sessions = new Map<string, Session>();
  const find = (method: string, path: string) =>
    served.flatMap((r) => {
      const params = r.method === method ? matchPath(r.path, path) : undefined;
      return params === undefined ? [] : [{ route: r, params }];
    })[0];
  const decide = (request: IncomingMessage): UpgradeDecision | undefined => {
    const found = find("WS", new URL(request.url ?? "/", "http://localhost").pathname);
    if (found === undefined) return undefined;
    if (failing(found.route)) return { status: 500, reason: "canaryStepsFailing fault" };
    const session = sessionOf(request, sessions);
    return session === undefined ? { status: 401, reason: "a Bearer token from POST /auth/login is required" } : { user: session.email };
  };
  const state: JourneyState = {
    sessions,
    posts: new Map(),
    uploads: new Map(),
    devices: new Map(),
    imports: new Map(),
    hub: attachWebSockets(server, decide),
    delayMs,
  };

  return {
    routes,
    handle: async (request, response) => {
      const url = new URL(request.url ?? "/", "http://localhost");
      const found = find(request.method ?? "GET", url.pathname);
      if (found === undefined) return false;
      const endpoint = ENDPOINTS[`${found.route.method} ${found.route.path}`]!;
      let body: unknown;
      try {
        body = await readJson(request);
      } catch (error) {
        sendJson(response, 400, { error: `body must be JSON: ${error instanceof Error ? error.message : String(error)}` });
        return true;
      }
      if (delayMs() > 0) await new Promise((r) => setTimeout(r, delayMs()));
      if (failing(found.route)) {
        sendJson(response, 500, { error: `canaryStepsFailing fault (${found.route.steps.join(", ")})` });
        return true;
      }
      const session = sessionOf(request, sessions);
      if (endpoint.auth === "bearer" && session === undefined) {
        sendJson(response, 401, { error: "a Bearer token from POST /auth/login is required" });
        return true;
      }
      if (endpoint.auth === "apikey" && !isText(request.headers.apikey)) {
        sendJson(response, 401, { error: "an apikey header is required" });
        return true;
      }
      const record = body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
      const answer = endpoint.handle({ params: found.params, query: url.searchParams, body: record, session, state });
      if (answer.status === 204) {
        response.writeHead(204).end();
      } else {
        sendJson(response, answer.status, answer.body ?? {});
      }
      return true;
    },
    close: () => state.hub.close(),
  };
}
