import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebSocketServer } from "ws";
import { RUNNER_METRICS, STEP_FAILURE_REASONS } from "../../signals/canary/metrics";
import { canaryRunnerArgs, runnerConfig, type RunnerConfig, type RunnerFlow, type RunnerStep } from "../../signals/canary/runner-config";
import { canarySchema, type CanarySpec } from "../../signals/canary/spec";

// The real canary-runner/runner.mjs, spawned with Node as the Deployment and the preview run it,
// against a local HTTP + WebSocket server; every assertion reads its /metrics, its output or what
// the server received.

/** A request the fake service received. */
interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

/** The fake service: an HTTP server with a WebSocket endpoint at /ws. */
interface FakeService {
  readonly baseUrl: string;
  readonly received: Received[];
  /** Sends a text message to every open socket. */
  broadcast(message: string): void;
  /** Sockets opened and closed so far. */
  readonly sockets: { opened: number; closed: number };
  /** The handshake headers of each socket opened. */
  readonly handshakes: IncomingMessage["headers"][];
  /** Sends these texts to each socket as it opens. */
  greeting: string[];
}

type Handler = (request: Received, response: ServerResponse, service: FakeService) => void;

/** One series of the exposition. */
interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

interface Runner {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly metricsText: () => Promise<string>;
  readonly samples: () => Promise<Sample[]>;
}

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "canary-runner-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function fakeService(handler: Handler): Promise<FakeService> {
  const server = createServer();
  const wss = new WebSocketServer({ server, path: "/ws" });
  const service: FakeService = {
    baseUrl: "",
    received: [],
    sockets: { opened: 0, closed: 0 },
    handshakes: [],
    greeting: [],
    broadcast: (message) => wss.clients.forEach((socket) => socket.send(message)),
  };
  wss.on("connection", (socket, request) => {
    service.sockets.opened += 1;
    service.handshakes.push(request.headers);
    socket.on("close", () => (service.sockets.closed += 1));
    for (const text of service.greeting) socket.send(text);
  });
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      const received = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body };
      service.received.push(received);
      handler(received, res, service);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        wss.clients.forEach((socket) => socket.terminate());
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return Object.assign(service, { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Parses the text format: `name{a="b",...} value` lines, escapes undone. */
function parseExposition(text: string): Sample[] {
  return text
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (match === null) throw new Error(`not an exposition line: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, key, raw] of (match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
        labels[key!] = raw!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
      }
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

/** The value of the one series of `name` whose labels include `labels`; undefined when absent. */
function valueOf(samples: readonly Sample[], name: string, labels: Record<string, string>): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} series of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

async function eventually(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function writeConfig(config: unknown): string {
  const path = join(tempDir(), "config.json");
  writeFileSync(path, JSON.stringify(config));
  return path;
}

async function startRunner(config: RunnerConfig, options: { scheduleFactor?: number; secretsDir?: string } = {}): Promise<Runner> {
  const port = await freePort();
  const args = canaryRunnerArgs({
    configPath: writeConfig(config),
    listen: `127.0.0.1:${port}`,
    secretsDir: options.secretsDir ?? tempDir(),
    scheduleFactor: options.scheduleFactor ?? 10,
  });
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  cleanups.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  });
  const base = `http://127.0.0.1:${port}`;
  await eventually("the runner's /healthz", async () => {
    if (child.exitCode !== null) throw new Error(`the runner exited ${child.exitCode}: ${output}`);
    return fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
  });
  const metricsText = async () => (await fetch(`${base}/metrics`)).text();
  return { child, output: () => output, metricsText, samples: async () => parseExposition(await metricsText()) };
}

function flow(canary: string, service: FakeService, steps: RunnerStep[], extra: Partial<RunnerFlow> = {}): RunnerFlow {
  return {
    service: "edge",
    team: "core",
    canary,
    everySeconds: 1,
    baseUrl: service.baseUrl,
    failAfterRuns: 2,
    slowAfterRuns: 3,
    credentials: {},
    steps,
    ...extra,
  };
}

function step(name: string, extra: Partial<RunnerStep> = {}): RunnerStep {
  return { name, request: { method: "GET", url: `/${name}`, headers: {} }, expect: { status: [200], bodyMatches: [], json: [] }, extract: {}, ...extra };
}

const M = RUNNER_METRICS;

describe("canary-runner/runner.mjs", () => {
  it("passes a two-step flow that carries an extracted token into a Bearer header, and serves its metrics", async () => {
    const service = await fakeService((req, res) => {
      if (req.method === "POST" && req.path === "/auth/login") json(res, 200, { accessToken: "tok-42", user: { id: 7 } });
      else if (req.path === "/me") json(res, req.headers.authorization === "Bearer tok-42" ? 200 : 401, { name: "canary", id: 7 });
      else json(res, 404, {});
    });
    const login = step("login", {
      request: { method: "POST", url: "/auth/login", headers: {}, body: { user: "canary" } },
      expect: { status: [200], bodyMatches: ['"accessToken"'], json: [{ path: "$.user.id", atLeast: 1 }] },
      extract: { token: "$.accessToken", userId: "$.user.id" },
    });
    const me = step("me", {
      request: { method: "GET", url: "/me", headers: { Authorization: "Bearer {{token}}" } },
      expect: {
        status: [200],
        bodyMatches: [],
        json: [
          { path: "$.name", equals: "canary" },
          { path: "$.id", equals: 7 },
        ],
      },
    });
    const runner = await startRunner({ flows: [flow("login", service, [login, me])] });
    const labels = { service: "edge", canary: "login" };
    await eventually("a successful run", async () => (valueOf(await runner.samples(), M.runs, { ...labels, result: "success" }) ?? 0) >= 1);

    const samples = await runner.samples();
    expect(valueOf(samples, M.success, labels)).toBe(1);
    expect(valueOf(samples, M.consecutiveFailures, labels)).toBe(0);
    expect(valueOf(samples, M.runs, { ...labels, result: "failure" })).toBe(0);
    expect(valueOf(samples, M.stepSuccess, { ...labels, step: "login" })).toBe(1);
    expect(valueOf(samples, M.stepSuccess, { ...labels, step: "me" })).toBe(1);
    expect(valueOf(samples, M.stepDuration, { ...labels, step: "login" })).toBeGreaterThan(0);
    expect(valueOf(samples, M.stepDuration, { ...labels, step: "me" })).toBeGreaterThan(0);
    expect(valueOf(samples, M.duration, labels)).toBeGreaterThan(0);
    expect(Math.abs(valueOf(samples, M.lastSuccess, labels)! - Date.now() / 1000)).toBeLessThan(10);
    const posted = service.received.find((r) => r.path === "/auth/login")!;
    expect(posted.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(posted.body)).toEqual({ user: "canary" });
    expect(service.received.filter((r) => r.path === "/me").every((r) => r.headers.authorization === "Bearer tok-42")).toBe(true);
  });

  it("runs the config runnerConfig builds from a spec, durations and defaults as the spec gives them", async () => {
    const service = await fakeService((req, res) => {
      if (req.path === "/auth/login") return json(res, 200, { accessToken: "tok-7" });
      if (req.path === "/reflect") {
        res.writeHead(202).end();
        return setTimeout(() => service.broadcast(JSON.stringify({ type: "reflected" })), 20);
      }
      return json(res, req.headers.authorization === "Bearer tok-7" ? 200 : 401, { progress: 100 });
    });
    const spec = canarySchema.parse({
      name: "login",
      description: "logs in, waits for an export, sees a reflection",
      baseUrl: service.baseUrl,
      every: "30s",
      steps: [
        { name: "login", request: { method: "POST", url: "/auth/login", body: { user: "canary" } }, extract: { token: "$.accessToken" } },
        {
          name: "export",
          request: { url: "/export", headers: { Authorization: "Bearer {{token}}" } },
          poll: { within: "2s", until: [{ path: "$.progress", atLeast: 100 }] },
        },
        {
          name: "reflect",
          websocket: { url: "/ws", trigger: { method: "POST", url: "/reflect" }, message: { within: "2s", json: [{ path: "$.type", equals: "reflected" }] } },
        },
      ],
    }) as CanarySpec;
    const runner = await startRunner(runnerConfig([{ name: "edge", team: "core", canaries: [spec] }]));
    await eventually("a run", async () => valueOf(await runner.samples(), M.success, { canary: "login" }) !== undefined);
    const samples = await runner.samples();
    expect(valueOf(samples, M.success, { service: "edge", canary: "login" })).toBe(1);
    expect(["login", "export", "reflect"].map((name) => valueOf(samples, M.stepSuccess, { canary: "login", step: name }))).toEqual([1, 1, 1]);
  });

  it("exposes every series of the metrics contract with # HELP and # TYPE, counters as counters", async () => {
    const service = await fakeService((_req, res) => json(res, 200, {}));
    const runner = await startRunner({ flows: [flow("ping", service, [step("ping")])] });
    await eventually("a run", async () => valueOf(await runner.samples(), M.success, { canary: "ping" }) !== undefined);
    const text = await runner.metricsText();
    for (const name of Object.values(M)) {
      expect(text).toContain(`# HELP ${name} `);
      expect(text).toContain(`# TYPE ${name} ${name.endsWith("_total") ? "counter" : "gauge"}\n`);
    }
    const samples = await runner.samples();
    const names = new Set(samples.map((s) => s.name));
    expect([...names].sort()).toEqual(Object.values(M).sort());
    // Step failures are counted by the contract's reasons, each from 0.
    const reasons = samples.filter((s) => s.name === M.stepFailures && s.labels.step === "ping").map((s) => [s.labels.reason, s.value]);
    expect(reasons.sort()).toEqual(STEP_FAILURE_REASONS.map((r) => [r, 0]).sort());
  });

  it("escapes label values (backslash, quote, newline) in the exposition", async () => {
    const service = await fakeService((_req, res) => json(res, 200, {}));
    const odd = 'a "quoted" \\ name\nnext';
    const runner = await startRunner({ flows: [flow("ping", service, [step("ping")], { service: odd })] });
    await eventually("a run", async () => valueOf(await runner.samples(), M.success, { canary: "ping" }) !== undefined);
    expect(await runner.metricsText()).toContain('canary_flow_success{service="a \\"quoted\\" \\\\ name\\nnext",team="core",canary="ping"} 1\n');
    expect(valueOf(await runner.samples(), M.success, { service: odd, canary: "ping" })).toBe(1);
  });

  it("fails a flow whose step answers 500 with reason status, counts failures in a row, skips later steps, and resets after a pass", async () => {
    let broken = true;
    const service = await fakeService((req, res) => json(res, req.path === "/orders" && broken ? 500 : 200, {}));
    const runner = await startRunner({ flows: [flow("orders", service, [step("orders"), step("after")])] });
    const labels = { service: "edge", canary: "orders" };
    await eventually("two failed runs in a row", async () => (valueOf(await runner.samples(), M.consecutiveFailures, labels) ?? 0) >= 2);

    const failing = await runner.samples();
    expect(valueOf(failing, M.success, labels)).toBe(0);
    expect(valueOf(failing, M.runs, { ...labels, result: "failure" })).toBeGreaterThanOrEqual(2);
    expect(valueOf(failing, M.stepFailures, { ...labels, step: "orders", reason: "status" })).toBeGreaterThanOrEqual(2);
    expect(valueOf(failing, M.stepFailures, { ...labels, step: "orders", reason: "timeout" })).toBe(0);
    expect(valueOf(failing, M.stepSuccess, { ...labels, step: "orders" })).toBe(0);
    expect(valueOf(failing, M.stepSuccess, { ...labels, step: "after" })).toBeUndefined();
    expect(valueOf(failing, M.stepDuration, { ...labels, step: "after" })).toBeUndefined();
    expect(valueOf(failing, M.lastSuccess, labels)).toBeUndefined();
    expect(service.received.filter((r) => r.path === "/after")).toHaveLength(0);
    expect(runner.output()).toMatch(/service=edge canary=orders result=failure duration=\S+s step=orders reason=status/);

    broken = false;
    await eventually("a passing run", async () => valueOf(await runner.samples(), M.success, labels) === 1);
    const passed = await runner.samples();
    expect(valueOf(passed, M.consecutiveFailures, labels)).toBe(0);
    expect(valueOf(passed, M.stepSuccess, { ...labels, step: "after" })).toBe(1);
  });

  it("sends a credential read from --secrets-dir at each run, and never shows it in its output or metrics", async () => {
    const secretsDir = tempDir();
    mkdirSync(join(secretsDir, "canary-login"));
    const secretFile = join(secretsDir, "canary-login", "password");
    writeFileSync(secretFile, "s3cr3t-first\n");
    const service = await fakeService((req, res) => json(res, 200, { ok: JSON.parse(req.body || "{}").password !== undefined }));
    const login = step("login", { request: { method: "POST", url: "/auth/login", headers: {}, body: { user: "canary", password: "{{password}}" } } });
    const credentials = { password: { secret: "canary-login", key: "password" } };
    const runner = await startRunner({ flows: [flow("login", service, [login], { credentials })] }, { secretsDir });
    const passwords = () => service.received.map((r) => (JSON.parse(r.body) as { password: string }).password);
    await eventually("the first password", () => passwords().includes("s3cr3t-first"));
    writeFileSync(secretFile, "s3cr3t-second\n");
    await eventually("the changed password", () => passwords().includes("s3cr3t-second"));

    expect(new Set(passwords())).toEqual(new Set(["s3cr3t-first", "s3cr3t-second"]));
    expect(valueOf(await runner.samples(), M.success, { canary: "login" })).toBe(1);
    expect(runner.output()).toContain("canary=login result=success");
    expect(runner.output()).not.toContain("s3cr3t");
    expect(await runner.metricsText()).not.toContain("s3cr3t");
  });

  it("fails the step that needs a credential whose file is missing, with reason connection, naming the credential but sending nothing", async () => {
    const service = await fakeService((_req, res) => json(res, 200, {}));
    const login = step("login", { request: { method: "GET", url: "/me", headers: { "X-Api-Key": "{{apiKey}}" } } });
    const runner = await startRunner({ flows: [flow("keyed", service, [login], { credentials: { apiKey: { secret: "absent", key: "key" } } })] });
    const labels = { canary: "keyed", step: "login", reason: "connection" };
    await eventually("a failed run", async () => (valueOf(await runner.samples(), M.stepFailures, labels) ?? 0) >= 1);
    expect(service.received).toHaveLength(0);
    expect(runner.output()).toMatch(/step=login reason=connection detail=".*credential apiKey/);
  });

  it("polls until progress reaches 100, retrying unexpected statuses, and fails with reason timeout when it never does", async () => {
    let attempts = 0;
    const service = await fakeService((req, res) => {
      if (req.method === "POST" && req.path === "/jobs") return json(res, 201, { id: "j1" });
      if (req.path === "/jobs/j1") {
        attempts += 1;
        return attempts === 1 ? json(res, 503, { progress: 100 }) : json(res, 200, { progress: Math.min(100, (attempts - 1) * 25), state: "done" });
      }
      return json(res, 200, { progress: 50 });
    });
    const create = step("create", {
      request: { method: "POST", url: "/jobs", headers: {}, body: {} },
      expect: { status: [201], bodyMatches: [], json: [] },
      extract: { id: "$.id" },
    });
    const wait = step("wait", {
      request: { method: "GET", url: "/jobs/{{id}}", headers: {} },
      poll: { everySeconds: 1, withinSeconds: 5, until: [{ path: "$.progress", atLeast: 100 }] },
      expect: { status: [200], bodyMatches: [], json: [{ path: "$.state", equals: "done" }] },
    });
    const stuck = step("stuck", { poll: { everySeconds: 1, withinSeconds: 0.5, until: [{ path: "$.progress", atLeast: 100 }] } });
    const runner = await startRunner({
      flows: [flow("job", service, [create, wait], { everySeconds: 30 }), flow("stuck", service, [stuck], { everySeconds: 30 })],
    });
    await eventually("both flows ran", async () => {
      const samples = await runner.samples();
      return valueOf(samples, M.success, { canary: "job" }) !== undefined && valueOf(samples, M.success, { canary: "stuck" }) !== undefined;
    });

    const samples = await runner.samples();
    expect(valueOf(samples, M.success, { canary: "job" })).toBe(1);
    expect(attempts).toBe(5); // 503, then progress 25, 50, 75, 100
    expect(valueOf(samples, M.success, { canary: "stuck" })).toBe(0);
    expect(valueOf(samples, M.stepFailures, { canary: "stuck", step: "stuck", reason: "timeout" })).toBe(1);
    // Every 1s divided by the schedule factor (10), for 0.5 s: a handful of attempts, not one.
    expect(service.received.filter((r) => r.path === "/stuck").length).toBeGreaterThanOrEqual(3);
    expect(valueOf(samples, M.stepDuration, { canary: "stuck", step: "stuck" })).toBeGreaterThan(0.45); // within 0.5 s, timer granularity aside
  });

  it("passes a websocket step when the trigger makes the service push the matching message, and fails with reason message when none comes", async () => {
    const service = await fakeService((req, res, self) => {
      res.writeHead(202).end();
      if (req.path === "/reflect") setTimeout(() => self.broadcast(JSON.stringify({ type: "reflected", id: (JSON.parse(req.body) as { id: string }).id })), 50);
    });
    service.greeting = ["not json", JSON.stringify({ type: "hello", id: "r1" })];
    const reflect = step("reflect", {
      request: undefined,
      websocket: {
        url: "/ws",
        headers: { "X-Canary": "reflect" },
        trigger: { method: "POST", url: "/reflect", headers: {}, body: { id: "r1" } },
        message: {
          withinSeconds: 2,
          json: [
            { path: "$.type", equals: "reflected" },
            { path: "$.id", equals: "r1" },
          ],
        },
      },
    });
    const silent = step("silent", {
      request: undefined,
      websocket: { url: "/ws", headers: {}, trigger: { method: "POST", url: "/quiet", headers: {} }, message: { withinSeconds: 0.3, json: [] } },
    });
    // No greeting is JSON for the silent flow to take: its own server sends none.
    const quietService = await fakeService((_req, res) => res.writeHead(202).end());
    const unreachable = flow("unreachable", service, [{ ...silent, name: "socket" }], { everySeconds: 30, baseUrl: `http://127.0.0.1:${await freePort()}` });
    const runner = await startRunner({
      flows: [flow("reflect", service, [reflect], { everySeconds: 30 }), flow("silent", quietService, [silent], { everySeconds: 30 }), unreachable],
    });
    await eventually("both flows ran", async () => {
      const samples = await runner.samples();
      return valueOf(samples, M.success, { canary: "reflect" }) !== undefined && valueOf(samples, M.success, { canary: "silent" }) !== undefined;
    });

    const samples = await runner.samples();
    expect(valueOf(samples, M.success, { canary: "reflect" })).toBe(1);
    // The step's headers went with the handshake.
    expect(service.handshakes.map((h) => h["x-canary"])).toContain("reflect");
    expect(valueOf(samples, M.success, { canary: "silent" })).toBe(0);
    expect(valueOf(samples, M.stepFailures, { canary: "silent", step: "silent", reason: "message" })).toBe(1);
    expect(valueOf(samples, M.stepDuration, { canary: "silent", step: "silent" })).toBeGreaterThan(0.28); // within 0.3 s, timer granularity aside
    expect(quietService.received.map((r) => r.path)).toEqual(["/quiet"]);
    await eventually(
      "the unreachable flow ran",
      async () => valueOf(await runner.samples(), M.stepFailures, { canary: "unreachable", step: "socket", reason: "connection" }) === 1,
    );
    await eventually("the sockets closed", () => service.sockets.closed === 1 && quietService.sockets.closed === 1);
  });

  it("counts runs over a step's or the flow's budget as slow while they still pass, and resets after one within budget", async () => {
    let delayMs = 150;
    const service = await fakeService((_req, res) => setTimeout(() => json(res, 200, {}), delayMs));
    const runner = await startRunner({
      flows: [flow("step-budget", service, [step("slow", { budgetSeconds: 0.05 })]), flow("flow-budget", service, [step("slow")], { budgetSeconds: 0.05 })],
    });
    await eventually("two slow runs of each", async () => {
      const samples = await runner.samples();
      return ["step-budget", "flow-budget"].every((canary) => (valueOf(samples, M.consecutiveSlowRuns, { canary }) ?? 0) >= 2);
    });
    const slow = await runner.samples();
    for (const canary of ["step-budget", "flow-budget"]) {
      expect(valueOf(slow, M.success, { canary })).toBe(1);
      expect(valueOf(slow, M.consecutiveFailures, { canary })).toBe(0);
    }
    expect(runner.output()).toMatch(/canary=step-budget result=success duration=\S+s slow=true/);

    delayMs = 0;
    await eventually("a run within budget", async () => valueOf(await runner.samples(), M.consecutiveSlowRuns, { canary: "step-budget" }) === 0);
    await eventually("a flow within budget", async () => valueOf(await runner.samples(), M.consecutiveSlowRuns, { canary: "flow-budget" }) === 0);
  });

  it("matches bodyMatches patterns, a leading RE2 flag group as RegExp flags, and fails with reason body", async () => {
    const service = await fakeService((_req, res) => res.writeHead(200).end("Status: READY\nversion 1.2"));
    const matching = step("page", { expect: { status: [200], bodyMatches: ["(?i)status: ready", "version \\d+\\.\\d+"], json: [] } });
    const missing = step("page", { expect: { status: [200], bodyMatches: ["status: ready"], json: [] } });
    const runner = await startRunner({ flows: [flow("flags", service, [matching]), flow("case", service, [missing])] });
    await eventually("both flows ran", async () => {
      const samples = await runner.samples();
      return ["flags", "case"].every((canary) => valueOf(samples, M.success, { canary }) !== undefined);
    });
    const samples = await runner.samples();
    expect(valueOf(samples, M.success, { canary: "flags" })).toBe(1);
    expect(valueOf(samples, M.success, { canary: "case" })).toBe(0);
    expect(valueOf(samples, M.stepFailures, { canary: "case", step: "page", reason: "body" })).toBeGreaterThanOrEqual(1);
  });

  it("checks sha256 assertions on the canonical JSON of a value (keys sorted, no spaces)", async () => {
    const raw = '{ "b": [1, { "d": true, "c": "x" }], "a": null }';
    const service = await fakeService((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(raw));
    const sha = (text: string) => createHash("sha256").update(text).digest("hex");
    const canonical = step("doc", {
      expect: {
        status: [200],
        bodyMatches: [],
        json: [
          { path: "$", sha256: sha('{"a":null,"b":[1,{"c":"x","d":true}]}') },
          { path: "$.b[1]", sha256: sha('{"c":"x","d":true}') },
        ],
      },
    });
    const asSent = step("doc", { expect: { status: [200], bodyMatches: [], json: [{ path: "$", sha256: sha(raw) }] } });
    const runner = await startRunner({ flows: [flow("canonical", service, [canonical]), flow("as-sent", service, [asSent])] });
    await eventually("both flows ran", async () => {
      const samples = await runner.samples();
      return ["canonical", "as-sent"].every((canary) => valueOf(samples, M.success, { canary }) !== undefined);
    });
    const samples = await runner.samples();
    expect(valueOf(samples, M.success, { canary: "canonical" })).toBe(1);
    expect(valueOf(samples, M.success, { canary: "as-sent" })).toBe(0);
    expect(valueOf(samples, M.stepFailures, { canary: "as-sent", step: "doc", reason: "json" })).toBeGreaterThanOrEqual(1);
  });

  it("runs flows every everySeconds divided by --schedule-factor, never faster without it", async () => {
    const service = await fakeService((_req, res) => json(res, 200, {}));
    const config = { flows: [flow("ping", service, [step("ping")], { everySeconds: 2 })] };
    const [fast, normal] = await Promise.all([startRunner(config, { scheduleFactor: 20 }), startRunner(config, { scheduleFactor: 1 })]);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const runs = async (runner: Runner) => valueOf(await runner.samples(), M.runs, { canary: "ping", result: "success" });
    expect(await runs(fast)).toBeGreaterThanOrEqual(5);
    expect(await runs(normal)).toBe(1);
  });

  it("stops on SIGTERM with status 0", async () => {
    const service = await fakeService((_req, res) => json(res, 200, {}));
    const runner = await startRunner({ flows: [flow("ping", service, [step("ping")])] });
    const exited = new Promise<number | null>((resolve) => runner.child.once("exit", (code) => resolve(code)));
    runner.child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  describe("fails at start, naming the flow and field, when the config is malformed", () => {
    function start(config: unknown) {
      const args = canaryRunnerArgs({ configPath: writeConfig(config), listen: "127.0.0.1:0", secretsDir: tempDir() });
      return spawnSync(process.execPath, args, { encoding: "utf8", timeout: 10_000 });
    }
    const good = (): RunnerFlow => ({
      service: "edge",
      team: "core",
      canary: "login",
      everySeconds: 60,
      baseUrl: "http://127.0.0.1:1",
      failAfterRuns: 2,
      slowAfterRuns: 3,
      credentials: {},
      steps: [step("login")],
    });

    it.each([
      ["a flow without steps", { ...good(), steps: [] }, /flow "edge\/login" steps: must be a non-empty list/],
      [
        "a step with neither request nor websocket",
        { ...good(), steps: [{ ...step("login"), request: undefined }] },
        /flow "edge\/login" steps\[0\]: must have exactly one of request, websocket/,
      ],
      [
        "a placeholder nothing fills",
        { ...good(), steps: [step("me", { request: { method: "GET", url: "/me", headers: { Authorization: "Bearer {{token}}" } } })] },
        /flow "edge\/login" steps\[0\]: uses \{\{token\}\}/,
      ],
      ["a schedule of 0 s", { ...good(), everySeconds: 0 }, /flow "edge\/login" everySeconds: must be a number of seconds above 0/],
      [
        "a credential given as a value",
        { ...good(), credentials: { password: "hunter2" } },
        /flow "edge\/login" credentials\.password: must be a Secret reference/,
      ],
    ])("%s", (_what, badFlow, message) => {
      const run = start({ flows: [badFlow] });
      expect(run.status).not.toBe(0);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toContain("hunter2");
    });

    it("a config that is not JSON", () => {
      const path = join(tempDir(), "config.json");
      writeFileSync(path, "{ flows: ");
      const run = spawnSync(process.execPath, canaryRunnerArgs({ configPath: path, listen: "127.0.0.1:0" }), { encoding: "utf8", timeout: 10_000 });
      expect(run.status).not.toBe(0);
      expect(run.stderr).toMatch(/config: cannot read .*config\.json as JSON/);
    });
  });
});
