// @ts-check
/**
 * The canary runner: runs the flows of its config (built by signals/canary/runner-config.ts) on
 * their schedules and serves their results on GET /metrics (the series of
 * signals/canary/metrics.ts RUNNER_METRICS) and GET /healthz.
 *
 * One file, Node builtins only: it is mounted from a ConfigMap into a stock Node 20 image and run
 * as is, and the preview and the tests run this same file.
 *
 *   node --experimental-websocket runner.mjs --config <file> --listen <host:port>
 *     [--secrets-dir <dir>]      credential { secret, key } is the file <dir>/<secret>/<key>, read at
 *                                each run, trailing newline trimmed (default /etc/canary-runner/secrets)
 *     [--schedule-factor <n>]    divides flows' everySeconds and polls' everySeconds (budgets and
 *                                withins are not divided; default 1)
 *
 * Behaviour worth knowing:
 * - Each flow runs once at start, then every everySeconds/scheduleFactor after its previous run
 *   ends: runs of a flow never overlap.
 * - A failed step stops its flow: the later steps do not run, and their canary_step_success and
 *   canary_step_duration_seconds series are dropped until a run reaches them again.
 * - A run is slow when the flow or any step that ran is over its budget, whether the run passed
 *   or failed; canary_flow_consecutive_slow_runs is 0 after a run within every budget.
 * - Every HTTP request aborts after 10 s (reason timeout), except a poll's, which the poll's
 *   withinSeconds bounds. A request that cannot be made (refused, reset, DNS) fails with reason
 *   connection (a poll tries again until withinSeconds); so does a step whose credential file
 *   cannot be read. Redirects are followed, as the blackbox exporter follows them.
 * - bodyMatches patterns are validated as RE2 by the spec but run here as JavaScript RegExp. They
 *   agree on the common syntax; a leading RE2 flag group (`(?i)`, `(?s)`, `(?m)`, combined) becomes
 *   the RegExp's flags. Other RE2-only syntax (`(?P<name>...)`, `\z`, `\C`, `\pN`, flags inside
 *   the pattern) is not translated: a pattern JavaScript rejects fails the config at start, one it
 *   reads differently (`\pN` is "pN" without the u flag) matches differently.
 * - A websocket step's headers go in the handshake through the `headers` option of Node's
 *   WebSocket (undici's extension of the WHATWG constructor, in Node 20.10 and later).
 * - Logs one line per run (service, canary, result, duration, failing step and reason); never
 *   credential values, URLs, request bodies or headers.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { parseArgs } from "node:util";

/**
 * @typedef {null | boolean | number | string | JsonArray | JsonObject} JsonValue
 * @typedef {Array<JsonValue>} JsonArray
 * @typedef {{ [key: string]: JsonValue }} JsonObject
 * @typedef {{ path: string, exists?: true, equals?: JsonValue, atLeast?: number, sha256?: string }} JsonAssertion
 * @typedef {{ method: string, url: string, headers: Record<string, string>, body?: JsonValue }} RunnerRequest
 * @typedef {{ status: number[], bodyMatches: string[], json: JsonAssertion[] }} Expectation
 * @typedef {{ everySeconds: number, withinSeconds: number, until: JsonAssertion[] }} Poll
 * @typedef {{ url: string, headers: Record<string, string>, trigger?: RunnerRequest, message: { withinSeconds: number, json: JsonAssertion[] } }} WebSocketStep
 * @typedef {{ name: string, budgetSeconds?: number, request?: RunnerRequest, poll?: Poll, websocket?: WebSocketStep, expect: Expectation, extract: Record<string, string> }} RunnerStep
 * @typedef {{ secret: string, key: string }} SecretRef
 * @typedef {{ service: string, team: string, canary: string, everySeconds: number, budgetSeconds?: number, baseUrl: string, failAfterRuns: number, slowAfterRuns: number, credentials: Record<string, SecretRef>, steps: RunnerStep[] }} RunnerFlow
 * @typedef {{ flows: RunnerFlow[] }} RunnerConfig
 * @typedef {"status" | "body" | "json" | "timeout" | "connection" | "message"} FailureReason
 * @typedef {{ name: string, ok: boolean, seconds: number, reason?: FailureReason, detail?: string }} StepResult
 * @typedef {{ ok: boolean, seconds: number, slow: boolean, steps: StepResult[], endedAt: number }} RunResult
 */

/** The series names: signals/canary/metrics.ts RUNNER_METRICS. */
const METRICS = {
  runs: "canary_flow_runs_total",
  success: "canary_flow_success",
  duration: "canary_flow_duration_seconds",
  lastSuccess: "canary_flow_last_success_timestamp_seconds",
  consecutiveFailures: "canary_flow_consecutive_failures",
  consecutiveSlowRuns: "canary_flow_consecutive_slow_runs",
  stepSuccess: "canary_step_success",
  stepDuration: "canary_step_duration_seconds",
  stepFailures: "canary_step_failures_total",
};

/** @type {readonly FailureReason[]} */
const REASONS = ["status", "body", "json", "timeout", "connection", "message"];

const REQUEST_TIMEOUT_MS = 10_000;
const DEFAULT_SECRETS_DIR = "/etc/canary-runner/secrets";
const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;
const JSON_PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\])*$/;
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

/** A step failure: why, and what (never a value). */
class StepFailure extends Error {
  /**
   * @param {FailureReason} reason
   * @param {string} detail
   * @param {boolean} [retryable] a poll tries again (the service could not be reached)
   */
  constructor(reason, detail, retryable = false) {
    super(detail);
    this.reason = reason;
    this.retryable = retryable;
  }
}

// ---------------------------------------------------------------- command line and config

/**
 * The command line's options.
 * @param {string[]} argv
 */
function parseCli(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: "string" },
      listen: { type: "string" },
      "secrets-dir": { type: "string", default: DEFAULT_SECRETS_DIR },
      "schedule-factor": { type: "string", default: "1" },
    },
    strict: true,
  });
  if (values.config === undefined) throw new Error("--config <file> is required");
  const listen = /^(.*):(\d+)$/.exec(values.listen ?? "");
  if (listen === null) throw new Error(`--listen must be <host:port>, got ${JSON.stringify(values.listen)}`);
  const scheduleFactor = Number(values["schedule-factor"]);
  if (!(scheduleFactor > 0)) throw new Error(`--schedule-factor must be a number above 0, got ${JSON.stringify(values["schedule-factor"])}`);
  return {
    configPath: values.config,
    host: listen[1] ?? "",
    port: Number(listen[2]),
    secretsDir: values["secrets-dir"] ?? DEFAULT_SECRETS_DIR,
    scheduleFactor,
  };
}

/**
 * @param {unknown} v
 * @returns {v is Record<string, unknown>}
 */
const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Throws a config error naming where.
 * @param {string} where
 * @param {string} message
 * @returns {never}
 */
function configError(where, message) {
  throw new Error(`config: ${where}: ${message}`);
}

/**
 * @param {unknown} v
 * @param {string} where
 */
function checkAssertions(v, where) {
  if (!Array.isArray(v)) configError(where, "must be a list of JSON assertions");
  v.forEach((/** @type {unknown} */ a, i) => {
    if (!isObject(a) || typeof a.path !== "string" || !JSON_PATH.test(a.path)) configError(`${where}[${i}].path`, "must be a JSON path such as $.items[0].id");
    const kinds = ["exists", "equals", "atLeast", "sha256"].filter((k) => a[k] !== undefined);
    if (kinds.length !== 1) configError(`${where}[${i}]`, "must have exactly one of exists, equals, atLeast, sha256");
    if (a.atLeast !== undefined && typeof a.atLeast !== "number") configError(`${where}[${i}].atLeast`, "must be a number");
    if (a.sha256 !== undefined && !(typeof a.sha256 === "string" && /^[0-9a-f]{64}$/.test(a.sha256)))
      configError(`${where}[${i}].sha256`, "must be lowercase hex");
  });
}

/**
 * @param {unknown} v
 * @param {string} where
 */
function checkRequest(v, where) {
  if (!isObject(v)) configError(where, "must be a request { method, url, headers }");
  if (typeof v.method !== "string" || !METHODS.includes(v.method)) configError(`${where}.method`, `must be one of ${METHODS.join(", ")}`);
  if (typeof v.url !== "string" || v.url === "") configError(`${where}.url`, "must be a URL or a path");
  if (!isObject(v.headers) || Object.values(v.headers).some((h) => typeof h !== "string")) configError(`${where}.headers`, "must map names to strings");
}

/**
 * @param {unknown} v
 * @param {string} where
 */
const checkSeconds = (v, where) => {
  if (typeof v !== "number" || !(v > 0)) configError(where, `must be a number of seconds above 0, got ${JSON.stringify(v)}`);
};

/**
 * @param {unknown} v
 * @param {string} where
 */
const checkOptionalSeconds = (v, where) => v === undefined || checkSeconds(v, where);

/**
 * The placeholders of a request's url, header values and string body leaves.
 * @param {RunnerRequest} request
 * @returns {string[]}
 */
function requestPlaceholders(request) {
  return [request.url, ...Object.values(request.headers), ...stringLeaves(request.body)].flatMap((t) => [...t.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ""));
}

/**
 * @param {JsonValue | undefined} value
 * @returns {string[]}
 */
function stringLeaves(value) {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (isObject(value)) return Object.values(value).flatMap((v) => stringLeaves(/** @type {JsonValue} */ (v)));
  return [];
}

/**
 * Checks one step; `known` holds the names placeholders may use so far.
 * @param {unknown} step
 * @param {string} where
 * @param {Set<string>} known
 */
function checkStep(step, where, known) {
  if (!isObject(step)) configError(where, "must be a step");
  if (typeof step.name !== "string" || step.name === "") configError(`${where}.name`, "must be a name");
  if ((step.request === undefined) === (step.websocket === undefined)) configError(where, "must have exactly one of request, websocket");
  if (step.poll !== undefined && step.request === undefined) configError(`${where}.poll`, "repeats a request: the step needs request");
  checkOptionalSeconds(step.budgetSeconds, `${where}.budgetSeconds`);
  /** @type {RunnerRequest[]} */
  const requests = [];
  if (step.request !== undefined) {
    checkRequest(step.request, `${where}.request`);
    requests.push(/** @type {RunnerRequest} */ (step.request));
  }
  if (step.poll !== undefined) {
    const poll = step.poll;
    if (!isObject(poll)) configError(`${where}.poll`, "must be { everySeconds, withinSeconds, until }");
    checkSeconds(poll.everySeconds, `${where}.poll.everySeconds`);
    checkSeconds(poll.withinSeconds, `${where}.poll.withinSeconds`);
    checkAssertions(poll.until, `${where}.poll.until`);
  }
  if (step.websocket !== undefined) {
    const ws = step.websocket;
    if (!isObject(ws)) configError(`${where}.websocket`, "must be { url, headers, message }");
    if (typeof ws.url !== "string" || ws.url === "") configError(`${where}.websocket.url`, "must be a ws(s):// URL or a path");
    if (ws.headers !== undefined && (!isObject(ws.headers) || Object.values(ws.headers).some((h) => typeof h !== "string"))) {
      configError(`${where}.websocket.headers`, "must map names to strings");
    }
    if (ws.trigger !== undefined) {
      checkRequest(ws.trigger, `${where}.websocket.trigger`);
      requests.push(/** @type {RunnerRequest} */ (ws.trigger));
    }
    if (!isObject(ws.message)) configError(`${where}.websocket.message`, "must be { withinSeconds, json }");
    checkSeconds(ws.message.withinSeconds, `${where}.websocket.message.withinSeconds`);
    checkAssertions(ws.message.json, `${where}.websocket.message.json`);
    requests.push({ method: "GET", url: ws.url, headers: /** @type {Record<string, string>} */ (ws.headers ?? {}) });
  }
  const expect = step.expect;
  if (!isObject(expect)) configError(`${where}.expect`, "must be { status, bodyMatches, json }");
  if (!Array.isArray(expect.status) || expect.status.length === 0 || expect.status.some((s) => !Number.isInteger(s))) {
    configError(`${where}.expect.status`, "must be a list of status codes");
  }
  if (!Array.isArray(expect.bodyMatches) || expect.bodyMatches.some((p) => typeof p !== "string"))
    configError(`${where}.expect.bodyMatches`, "must be a list of patterns");
  expect.bodyMatches.forEach((/** @type {string} */ p, i) => {
    try {
      bodyRegExp(p);
    } catch {
      configError(`${where}.expect.bodyMatches[${i}]`, "is not a pattern JavaScript can run");
    }
  });
  checkAssertions(expect.json, `${where}.expect.json`);
  for (const name of requests.flatMap(requestPlaceholders)) {
    if (!known.has(name)) configError(where, `uses {{${name}}}, which no credential names and no earlier step extracts`);
  }
  if (!isObject(step.extract)) configError(`${where}.extract`, "must map names to JSON paths");
  for (const [name, path] of Object.entries(step.extract)) {
    if (typeof path !== "string" || !JSON_PATH.test(path)) configError(`${where}.extract.${name}`, "must be a JSON path such as $.accessToken");
    known.add(name);
  }
}

/**
 * The config, checked lightly (the spec validated it): fails naming the flow and field.
 * @param {unknown} raw
 * @returns {RunnerConfig}
 */
function checkConfig(raw) {
  if (!isObject(raw) || !Array.isArray(raw.flows)) configError("flows", "must be a list of flows");
  const seen = new Set();
  raw.flows.forEach((/** @type {unknown} */ flow, f) => {
    if (!isObject(flow)) configError(`flows[${f}]`, "must be a flow");
    for (const field of ["service", "team", "canary"]) {
      if (typeof flow[field] !== "string" || flow[field] === "") configError(`flows[${f}].${field}`, "must be a non-empty string");
    }
    const where = `flow "${String(flow.service)}/${String(flow.canary)}"`;
    if (seen.has(where)) configError(where, "appears twice");
    seen.add(where);
    checkSeconds(flow.everySeconds, `${where} everySeconds`);
    checkOptionalSeconds(flow.budgetSeconds, `${where} budgetSeconds`);
    if (typeof flow.baseUrl !== "string" || !/^https?:\/\//.test(flow.baseUrl)) configError(`${where} baseUrl`, "must be an http(s) URL");
    for (const field of ["failAfterRuns", "slowAfterRuns"]) {
      if (!Number.isInteger(flow[field]) || /** @type {number} */ (flow[field]) < 1)
        configError(`${where} ${field}`, "must be a whole number of runs, at least 1");
    }
    if (!isObject(flow.credentials)) configError(`${where} credentials`, "must map names to { secret, key }");
    for (const [name, ref] of Object.entries(flow.credentials)) {
      if (!isObject(ref) || typeof ref.secret !== "string" || typeof ref.key !== "string" || Object.keys(ref).length !== 2) {
        configError(`${where} credentials.${name}`, "must be a Secret reference { secret, key }");
      }
    }
    if (!Array.isArray(flow.steps) || flow.steps.length === 0) configError(`${where} steps`, "must be a non-empty list of steps");
    const known = new Set(Object.keys(flow.credentials));
    const names = new Set();
    flow.steps.forEach((/** @type {unknown} */ step, s) => {
      checkStep(step, `${where} steps[${s}]`, known);
      const name = /** @type {RunnerStep} */ (step).name;
      if (names.has(name)) configError(`${where} steps[${s}].name`, `repeats step name ${JSON.stringify(name)}`);
      names.add(name);
    });
  });
  return /** @type {RunnerConfig} */ (raw);
}

/**
 * @param {string} path
 * @returns {RunnerConfig}
 */
function loadConfig(path) {
  /** @type {unknown} */
  let raw;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`config: cannot read ${path} as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return checkConfig(raw);
}

// ---------------------------------------------------------------- values, templates, JSON

/**
 * The values of a run: credentials read lazily from files, and values earlier steps extracted.
 * @param {RunnerFlow} flow
 * @param {string} secretsDir
 */
function runValues(flow, secretsDir) {
  /** @type {Map<string, string>} */
  const values = new Map();
  return {
    /** @param {string} name */
    get(name) {
      const known = values.get(name);
      if (known !== undefined) return known;
      const ref = flow.credentials[name];
      if (ref === undefined) throw new StepFailure("json", `{{${name}}} has no value`);
      let text;
      try {
        text = readFileSync(join(secretsDir, ref.secret, ref.key), "utf8").replace(/\r?\n$/, "");
      } catch {
        throw new StepFailure("connection", `credential ${name} (Secret ${ref.secret}, key ${ref.key}) cannot be read`);
      }
      values.set(name, text);
      return text;
    },
    /**
     * @param {string} name
     * @param {string} value
     */
    set(name, value) {
      values.set(name, value);
    },
  };
}

/** @typedef {ReturnType<typeof runValues>} RunValues */

/**
 * A text with its placeholders filled.
 * @param {string} text
 * @param {RunValues} values
 */
const fill = (text, values) => text.replace(PLACEHOLDER, (_, name) => values.get(String(name)));

/**
 * @param {JsonValue} value
 * @param {RunValues} values
 * @returns {JsonValue}
 */
function fillJson(value, values) {
  if (typeof value === "string") return fill(value, values);
  if (Array.isArray(value)) return value.map((v) => fillJson(v, values));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillJson(/** @type {JsonValue} */ (v), values)]));
  return value;
}

/**
 * The value at a JSON path (`$.a[0].b`), or undefined.
 * @param {unknown} document
 * @param {string} path
 * @returns {unknown}
 */
function atPath(document, path) {
  let value = document;
  for (const [, key, index] of path.slice(1).matchAll(/\.([^.[]+)|\[(\d+)\]/g)) {
    if (key !== undefined) value = isObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
    else value = Array.isArray(value) ? value[Number(index)] : undefined;
    if (value === undefined) return undefined;
  }
  return value;
}

/**
 * Canonical JSON: keys sorted recursively, no spaces.
 * @param {unknown} value
 * @returns {string}
 */
function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * @param {unknown} a
 * @param {unknown} b
 */
const jsonEqual = (a, b) => canonicalJson(a) === canonicalJson(b);

/**
 * Whether an assertion holds on a document.
 * @param {JsonAssertion} assertion
 * @param {unknown} document
 * @param {RunValues} values
 */
function holds(assertion, document, values) {
  const value = atPath(document, assertion.path);
  if (value === undefined) return false;
  if (assertion.exists !== undefined) return true;
  if (assertion.atLeast !== undefined) return typeof value === "number" && value >= assertion.atLeast;
  if (assertion.sha256 !== undefined) return createHash("sha256").update(canonicalJson(value)).digest("hex") === assertion.sha256;
  return jsonEqual(value, fillJson(/** @type {JsonValue} */ (assertion.equals), values));
}

/**
 * The first assertion that does not hold, or undefined.
 * @param {readonly JsonAssertion[]} assertions
 * @param {unknown} document
 * @param {RunValues} values
 */
const failing = (assertions, document, values) => assertions.find((a) => !holds(a, document, values));

/**
 * Stores the extracted values; a missing one fails with reason json.
 * @param {Record<string, string>} extract
 * @param {unknown} document
 * @param {RunValues} values
 */
function extractValues(extract, document, values) {
  for (const [name, path] of Object.entries(extract)) {
    const value = atPath(document, path);
    if (value === undefined || value === null) throw new StepFailure("json", `extract ${name}: nothing at ${path}`);
    values.set(name, typeof value === "string" ? value : JSON.stringify(value));
  }
}

// ---------------------------------------------------------------- steps

/**
 * @typedef {{ status: number, text: string, json: unknown }} Reply
 */

/**
 * A URL: an absolute one as it is, a path appended to the flow's base URL (its path kept).
 * @param {string} url
 * @param {string} baseUrl
 */
const absoluteUrl = (url, baseUrl) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `${baseUrl.replace(/\/+$/, "")}${url.startsWith("/") ? "" : "/"}${url}`);

/**
 * An RE2 pattern as a JavaScript RegExp: a leading flag group (`(?i)`, `(?is)`) becomes flags.
 * @param {string} pattern
 */
function bodyRegExp(pattern) {
  const flags = /^\(\?([ims]+)\)/.exec(pattern);
  return flags === null ? new RegExp(pattern) : new RegExp(pattern.slice(flags[0].length), [...new Set(flags[1])].join(""));
}

/**
 * Sends a request; a failure to connect or a timeout is a StepFailure.
 * @param {RunnerRequest} request
 * @param {RunnerFlow} flow
 * @param {RunValues} values
 * @param {number} timeoutMs
 * @returns {Promise<Reply>}
 */
async function send(request, flow, values, timeoutMs) {
  const url = absoluteUrl(fill(request.url, values), flow.baseUrl);
  /** @type {Record<string, string>} */
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, fill(v, values)]));
  /** @type {string | undefined} */
  let body;
  if (request.body !== undefined) {
    const filled = fillJson(request.body, values);
    if (typeof filled === "string") body = filled;
    else {
      body = JSON.stringify(filled);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) headers["content-type"] = "application/json";
    }
  }
  try {
    const response = await fetch(url, { method: request.method, headers, body, signal: AbortSignal.timeout(Math.max(1, timeoutMs)) });
    const text = await response.text();
    /** @type {unknown} */
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, text, json };
  } catch (error) {
    if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
      throw new StepFailure("timeout", `no response within ${timeoutMs / 1000}s`);
    const code = error instanceof Error && isObject(error.cause) && typeof error.cause.code === "string" ? error.cause.code : "request failed";
    throw new StepFailure("connection", code, true);
  }
}

/**
 * Checks a reply against the step's expectations, then extracts.
 * @param {Reply} reply
 * @param {RunnerStep} step
 * @param {RunValues} values
 */
function checkReply(reply, step, values) {
  if (!step.expect.status.includes(reply.status)) throw new StepFailure("status", `status ${reply.status}, expected ${step.expect.status.join(" or ")}`);
  const pattern = step.expect.bodyMatches.find((p) => !bodyRegExp(p).test(reply.text));
  if (pattern !== undefined) throw new StepFailure("body", `body does not match ${JSON.stringify(pattern)}`);
  if (step.expect.json.length > 0 || Object.keys(step.extract).length > 0) {
    if (reply.json === undefined) throw new StepFailure("json", "body is not JSON");
    const bad = failing(step.expect.json, reply.json, values);
    if (bad !== undefined) throw new StepFailure("json", `assertion on ${bad.path} does not hold`);
  }
  extractValues(step.extract, reply.json, values);
}

/**
 * @param {number} ms
 * @param {AbortSignal} [stop]
 */
const sleep = (ms, stop) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, ms));
    stop?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });

/**
 * A request step, polled when the step polls.
 * @param {RunnerStep & { request: RunnerRequest }} step
 * @param {RunnerFlow} flow
 * @param {RunValues} values
 * @param {number} scheduleFactor
 */
async function requestStep(step, flow, values, scheduleFactor) {
  const poll = step.poll;
  if (poll === undefined) return checkReply(await send(step.request, flow, values, REQUEST_TIMEOUT_MS), step, values);
  const deadline = Date.now() + poll.withinSeconds * 1000;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    /** @type {Reply | undefined} */
    let reply;
    try {
      reply = await send(step.request, flow, values, remaining);
    } catch (error) {
      if (error instanceof StepFailure && error.reason === "timeout") break;
      if (!(error instanceof StepFailure && error.retryable)) throw error;
    }
    if (reply !== undefined && step.expect.status.includes(reply.status) && reply.json !== undefined && failing(poll.until, reply.json, values) === undefined) {
      return checkReply(reply, step, values);
    }
    await sleep(Math.min((poll.everySeconds * 1000) / scheduleFactor, deadline - Date.now()));
  }
  throw new StepFailure("timeout", `condition not met within ${poll.withinSeconds}s`);
}

/**
 * The global WebSocket of Node 20 (`--experimental-websocket`); @types/node 20 does not declare it.
 * Its second argument may be `{ headers }`, sent with the handshake (undici's extension).
 * @typedef {{ readyState: number, close(): void, addEventListener(type: string, listener: (event: { data?: unknown }) => void): void }} Socket
 * @returns {new (url: string, init: { headers: Record<string, string> }) => Socket}
 */
function webSocketClass() {
  const ws = /** @type {{ WebSocket?: new (url: string, init: { headers: Record<string, string> }) => Socket }} */ (/** @type {unknown} */ (globalThis))
    .WebSocket;
  if (ws === undefined) throw new Error("WebSocket is not available: run node with --experimental-websocket");
  return ws;
}

/**
 * A websocket step: open, trigger, await the first matching JSON message, close.
 * @param {RunnerStep & { websocket: WebSocketStep }} step
 * @param {RunnerFlow} flow
 * @param {RunValues} values
 */
async function websocketStep(step, flow, values) {
  const spec = step.websocket;
  const url = absoluteUrl(fill(spec.url, values), flow.baseUrl).replace(/^http(s?):/, "ws$1:");
  const headers = Object.fromEntries(Object.entries(spec.headers ?? {}).map(([k, v]) => [k, fill(v, values)]));
  const socket = new (webSocketClass())(url, { headers });
  /** @type {(failure: StepFailure | undefined) => void} */
  let settle = () => {};
  /** @type {Promise<StepFailure | undefined>} */
  const matched = new Promise((resolve) => (settle = resolve));
  let opened = false;
  /** @type {(ok: boolean) => void} */
  let onOpen = () => {};
  const open = new Promise((resolve) => (onOpen = resolve));
  socket.addEventListener("open", () => {
    opened = true;
    onOpen(true);
  });
  socket.addEventListener("error", () => {
    onOpen(false);
    settle(new StepFailure("connection", opened ? "socket error" : "socket did not open"));
  });
  socket.addEventListener("close", () => {
    onOpen(false);
    settle(new StepFailure("connection", "socket closed before a matching message"));
  });
  socket.addEventListener("message", (event) => {
    if (typeof event.data !== "string") return;
    /** @type {unknown} */
    let json;
    try {
      json = JSON.parse(event.data);
    } catch {
      return;
    }
    if (failing(spec.message.json, json, values) !== undefined) return;
    try {
      extractValues(step.extract, json, values);
      settle(undefined);
    } catch (error) {
      settle(error instanceof StepFailure ? error : new StepFailure("message", "message not usable"));
    }
  });
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  try {
    const openTimeout = new Promise((resolve) => (timer = setTimeout(() => resolve("timeout"), REQUEST_TIMEOUT_MS)));
    const state = await Promise.race([open, openTimeout]);
    clearTimeout(timer);
    if (state === "timeout") throw new StepFailure("timeout", `socket not open within ${REQUEST_TIMEOUT_MS / 1000}s`);
    if (state !== true) throw (await matched) ?? new StepFailure("connection", "socket did not open");
    const waitMs = spec.message.withinSeconds * 1000;
    const within = new Promise(
      (resolve) => (timer = setTimeout(() => resolve(new StepFailure("message", `no matching message within ${spec.message.withinSeconds}s`)), waitMs)),
    );
    if (spec.trigger !== undefined) {
      const reply = await send(spec.trigger, flow, values, REQUEST_TIMEOUT_MS);
      if (reply.status < 200 || reply.status > 299) throw new StepFailure("status", `trigger status ${reply.status}, expected 2xx`);
    }
    const failure = await Promise.race([matched, within]);
    if (failure !== undefined) throw failure;
  } finally {
    clearTimeout(timer);
    socket.close();
  }
}

/**
 * Runs one step.
 * @param {RunnerStep} step
 * @param {RunnerFlow} flow
 * @param {RunValues} values
 * @param {number} scheduleFactor
 * @returns {Promise<StepResult>}
 */
async function runStep(step, flow, values, scheduleFactor) {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    if (step.request !== undefined) await requestStep({ ...step, request: step.request }, flow, values, scheduleFactor);
    else if (step.websocket !== undefined) await websocketStep({ ...step, websocket: step.websocket }, flow, values);
    return { name: step.name, ok: true, seconds: seconds() };
  } catch (error) {
    const failure = error instanceof StepFailure ? error : new StepFailure("connection", "unexpected error");
    return { name: step.name, ok: false, seconds: seconds(), reason: failure.reason, detail: failure.message };
  }
}

/**
 * Runs a flow once: steps in order until one fails.
 * @param {RunnerFlow} flow
 * @param {{ secretsDir: string, scheduleFactor: number }} options
 * @returns {Promise<RunResult>}
 */
async function runFlow(flow, options) {
  const started = performance.now();
  const values = runValues(flow, options.secretsDir);
  /** @type {StepResult[]} */
  const steps = [];
  for (const step of flow.steps) {
    const result = await runStep(step, flow, values, options.scheduleFactor);
    steps.push(result);
    if (!result.ok) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const stepSlow = steps.some((r, i) => {
    const budget = flow.steps[i]?.budgetSeconds;
    return budget !== undefined && r.seconds > budget;
  });
  const slow = stepSlow || (flow.budgetSeconds !== undefined && seconds > flow.budgetSeconds);
  return { ok: steps.every((s) => s.ok), seconds, slow, steps, endedAt: Date.now() };
}

// ---------------------------------------------------------------- metrics

/**
 * What /metrics shows of a flow.
 * @typedef {{ flow: RunnerFlow, runs: { success: number, failure: number }, failures: Map<string, number>, consecutiveFailures: number, consecutiveSlowRuns: number, last?: RunResult, lastSuccess?: number }} FlowState
 */

/**
 * @param {RunnerFlow} flow
 * @returns {FlowState}
 */
function initialState(flow) {
  /** @type {Map<string, number>} */
  const failures = new Map(flow.steps.flatMap((s) => REASONS.map((r) => /** @type {[string, number]} */ ([`${s.name}\u0000${r}`, 0]))));
  return { flow, runs: { success: 0, failure: 0 }, failures, consecutiveFailures: 0, consecutiveSlowRuns: 0 };
}

/**
 * The state after a run.
 * @param {FlowState} state
 * @param {RunResult} run
 */
function record(state, run) {
  state.runs[run.ok ? "success" : "failure"] += 1;
  state.consecutiveFailures = run.ok ? 0 : state.consecutiveFailures + 1;
  state.consecutiveSlowRuns = run.slow ? state.consecutiveSlowRuns + 1 : 0;
  for (const step of run.steps) {
    if (step.reason === undefined) continue;
    const key = `${step.name}\u0000${step.reason}`;
    state.failures.set(key, (state.failures.get(key) ?? 0) + 1);
  }
  if (run.ok) state.lastSuccess = run.endedAt / 1000;
  state.last = run;
}

/**
 * A label value escaped for the text format.
 * @param {string} value
 */
const escapeLabel = (value) => value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

/**
 * @param {Record<string, string>} labels
 */
const labelText = (labels) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(",")}}`;

/**
 * The Prometheus text exposition (0.0.4) of every flow.
 * @param {readonly FlowState[]} states
 */
function exposition(states) {
  /** @type {[string, "counter" | "gauge", string, (s: FlowState) => [Record<string, string>, number][]][]} */
  const families = [
    [
      METRICS.runs,
      "counter",
      "Finished runs of the flow, by result.",
      (s) => [
        [{ result: "success" }, s.runs.success],
        [{ result: "failure" }, s.runs.failure],
      ],
    ],
    [METRICS.success, "gauge", "1 when the last run passed every step, else 0.", (s) => (s.last ? [[{}, s.last.ok ? 1 : 0]] : [])],
    [METRICS.duration, "gauge", "Duration of the last run, seconds.", (s) => (s.last ? [[{}, s.last.seconds]] : [])],
    [METRICS.lastSuccess, "gauge", "Unix time of the last run that passed.", (s) => (s.lastSuccess === undefined ? [] : [[{}, s.lastSuccess]])],
    [METRICS.consecutiveFailures, "gauge", "Failed runs in a row, 0 after a run that passed.", (s) => [[{}, s.consecutiveFailures]]],
    [METRICS.consecutiveSlowRuns, "gauge", "Runs in a row over the flow's budget or a step's, 0 after one within them.", (s) => [[{}, s.consecutiveSlowRuns]]],
    [
      METRICS.stepSuccess,
      "gauge",
      "1 when the step passed in the last run, 0 when it failed; absent when it did not run.",
      (s) => (s.last?.steps ?? []).map((r) => [{ step: r.name }, r.ok ? 1 : 0]),
    ],
    [METRICS.stepDuration, "gauge", "Duration of the step in the last run, seconds.", (s) => (s.last?.steps ?? []).map((r) => [{ step: r.name }, r.seconds])],
    [
      METRICS.stepFailures,
      "counter",
      "Step failures, by reason.",
      (s) =>
        [...s.failures.entries()].map(([key, n]) => {
          const [step = "", reason = ""] = key.split("\u0000");
          return [{ step, reason }, n];
        }),
    ],
  ];
  const lines = [];
  for (const [name, type, help, samples] of families) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const state of states) {
      for (const [labels, value] of samples(state))
        lines.push(`${name}${labelText({ service: state.flow.service, team: state.flow.team, canary: state.flow.canary, ...labels })} ${value}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

// ---------------------------------------------------------------- schedule and server

/**
 * The log line of a run: no values, URLs, bodies or headers.
 * @param {RunnerFlow} flow
 * @param {RunResult} run
 */
function logLine(flow, run) {
  const failed = run.steps.find((s) => !s.ok);
  const parts = [`service=${flow.service}`, `canary=${flow.canary}`, `result=${run.ok ? "success" : "failure"}`, `duration=${run.seconds.toFixed(3)}s`];
  if (run.slow) parts.push("slow=true");
  if (failed !== undefined) parts.push(`step=${failed.name}`, `reason=${failed.reason}`, `detail=${JSON.stringify(failed.detail)}`);
  return `canary-runner run ${parts.join(" ")}`;
}

function main() {
  /** @type {ReturnType<typeof parseCli>} */
  let cli;
  /** @type {RunnerConfig} */
  let config;
  try {
    cli = parseCli(process.argv.slice(2));
    config = loadConfig(cli.configPath);
  } catch (error) {
    process.stderr.write(`canary-runner: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  const options = { secretsDir: cli.secretsDir, scheduleFactor: cli.scheduleFactor };
  const states = config.flows.map(initialState);
  const stop = new AbortController();

  /** @param {FlowState} state */
  const schedule = async (state) => {
    while (!stop.signal.aborted) {
      const run = await runFlow(state.flow, options);
      if (stop.signal.aborted) return;
      record(state, run);
      process.stdout.write(`${logLine(state.flow, run)}\n`);
      await sleep((state.flow.everySeconds * 1000) / options.scheduleFactor, stop.signal);
    }
  };

  const server = createServer((request, response) => {
    const path = (request.url ?? "").split("?")[0];
    if (request.method === "GET" && path === "/metrics") {
      response.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }).end(exposition(states));
    } else if (request.method === "GET" && path === "/healthz") {
      response.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
    } else {
      response.writeHead(404).end();
    }
  });
  server.on("error", (error) => {
    process.stderr.write(`canary-runner: cannot listen on ${cli.host}:${cli.port}: ${error.message}\n`);
    process.exit(1);
  });
  server.listen(cli.port, cli.host, () => {
    process.stdout.write(`canary-runner listening on ${cli.host}:${cli.port} with ${states.length} flow(s)\n`);
    for (const state of states) void schedule(state);
  });

  const shutdown = () => {
    stop.abort();
    server.closeAllConnections();
    server.close(() => process.exit(0));
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

main();
