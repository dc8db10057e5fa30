/**
 * The `canaries` part of a service spec: scheduled flows that call the service like a user would.
 * A flow is ordered steps (an HTTP request, a request polled until a condition holds, or a
 * WebSocket message awaited after a trigger), each with what it expects, what it extracts for the
 * next steps and a latency budget; the flow has a schedule, the environments it runs in and
 * whether it writes.
 *
 * Values move between steps as `{{name}}` placeholders in URLs, headers and bodies: `name` is a
 * value an earlier step extracts, or one of the flow's `credentials`, which are read from a
 * Kubernetes Secret at run time and never written anywhere.
 */
import { z } from "zod";
import { durationSeconds, positiveDurationSchema } from "../../model/duration";
import { httpUrl, kebabName, re2Regex, secretKey, secretName, urlCredential } from "../../model/schema-primitives";
import type { IssueReporter, ParsedServiceView } from "../kind";

/** A value name, as `{{name}}` refers to it. */
export const valueName = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/, "must be a value name ([a-zA-Z][a-zA-Z0-9_]*)");

/**
 * A JSON path into a response: `$` then `.key` or `[index]` steps (`$.items[0].id`). No filters
 * or wildcards: the runner reads one value.
 */
export const jsonPath = z.string().regex(/^\$(\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\])*$/, "must be a JSON path such as $.items[0].id (keys and indexes only)");

/** A JSON value, as a body or an expected value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

/**
 * One assertion on a JSON response: the value at `path` exists, equals a value (placeholders in a
 * string are filled first), is at least a number, or its canonical JSON (keys sorted, no spaces)
 * has this SHA-256. Exactly one of `exists`, `equals`, `atLeast`, `sha256`.
 */
export const jsonAssertionSchema = z
  .strictObject({
    path: jsonPath,
    /** The value is present (not undefined). */
    exists: z.literal(true).optional(),
    equals: jsonValue.optional(),
    /** The value is a number of at least this. */
    atLeast: z.number().optional(),
    /** Lowercase hex SHA-256 of the value's canonical JSON. */
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "must be a lowercase hex SHA-256 (64 characters)")
      .optional(),
  })
  .refine((a) => [a.exists, a.equals, a.atLeast, a.sha256].filter((v) => v !== undefined).length === 1, {
    message: "must have exactly one of exists, equals, atLeast, sha256",
  });
export type JsonAssertion = z.output<typeof jsonAssertionSchema>;

/** HTTP methods a step may use. */
export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Request headers by name; values may hold placeholders. */
const headersSchema = z.record(z.string().regex(/^[A-Za-z0-9-]+$/, "must be an HTTP header name"), z.string());

/**
 * One HTTP request. `url` is a path on the flow's `baseUrl` (`/api/v1/machines?limit=1`) or an
 * absolute URL; it, header values and string leaves of `body` may hold `{{name}}` placeholders.
 */
export const requestSchema = z.strictObject({
  /** @default "GET" */
  method: z.enum(HTTP_METHODS).default("GET"),
  url: z.string().min(1, "must not be empty"),
  /** @default {} */
  headers: headersSchema.default({}),
  /** A JSON body (sent with `Content-Type: application/json`) or text. @default - no body */
  body: jsonValue.optional(),
});
export type CanaryRequest = z.output<typeof requestSchema>;

/** What a response must be for its step to pass. */
export const expectationSchema = z.strictObject({
  /** Accepted status codes. @default [200] */
  status: z.array(z.number().int().min(100).max(599)).min(1).default([200]),
  /** RE2 patterns the body must match (the blackbox exporter's `fail_if_body_not_matches_regexp`). @default [] */
  bodyMatches: z.array(re2Regex).default([]),
  /** Assertions on the JSON body. @default [] */
  json: z.array(jsonAssertionSchema).default([]),
});
export type CanaryExpectation = z.output<typeof expectationSchema>;

/** Repeat the request until every `until` assertion holds, at most `within`. */
export const pollSchema = z.strictObject({
  /** Pause between attempts. @default "2s" */
  every: positiveDurationSchema.default("2s"),
  /** Give up after this long: the step fails. */
  within: positiveDurationSchema,
  until: z.array(jsonAssertionSchema).min(1, "must have at least one assertion"),
});

/** Open a WebSocket, send the trigger request, and wait for a message matching `message`. */
export const websocketSchema = z.strictObject({
  /** `ws(s)://` URL, or a path on the flow's `baseUrl` (its scheme becomes ws or wss). */
  url: z.string().min(1, "must not be empty"),
  /** @default {} */
  headers: headersSchema.default({}),
  /** Sent once the socket is open; its response must be 2xx. @default - none: only wait */
  trigger: requestSchema.optional(),
  message: z.strictObject({
    /** A message must arrive within this long after the trigger. */
    within: positiveDurationSchema,
    /** Assertions on the message as JSON; the first message for which all hold passes. @default [] */
    json: z.array(jsonAssertionSchema).default([]),
  }),
});

/** One step of a flow: exactly one of `request`, `poll` (with `request`), or `websocket`. */
export const stepSchema = z
  .strictObject({
    /** kebab-case, unique in the flow: the `step` label of its metrics. */
    name: kebabName,
    request: requestSchema.optional(),
    /** With `request`: repeat it until the assertions hold. */
    poll: pollSchema.optional(),
    websocket: websocketSchema.optional(),
    /** What the response must be (for `request` and `poll`). @default { status: [200] } */
    expect: expectationSchema.prefault({}),
    /** Values read from the JSON response, by name, for later steps: `{ token: "$.accessToken" }`. @default {} */
    extract: z.record(valueName, jsonPath).default({}),
    /** The step's latency budget (a poll: until its condition holds). @default - none */
    budget: positiveDurationSchema.optional(),
  })
  .refine((s) => (s.request !== undefined) !== (s.websocket !== undefined), { message: "must have exactly one of request, websocket" })
  .refine((s) => s.poll === undefined || s.request !== undefined, { message: "poll repeats a request: it needs request" });
export type CanaryStep = z.output<typeof stepSchema>;

/** A credential a flow reads from a Kubernetes Secret in the stack's namespace. */
export const secretRefSchema = z.strictObject({
  /** The Secret's name. */
  secret: secretName,
  /** The key in it. */
  key: secretKey,
});
export type SecretRef = z.output<typeof secretRefSchema>;

/** A canary flow. */
export const canarySchema = z.strictObject({
  /** kebab-case, unique in the service: the `canary` label of its metrics and alerts. */
  name: kebabName,
  /** What the flow proves, for the runbook and dashboard. */
  description: z.string().min(1),
  /** The service's URL the steps' paths are relative to. */
  baseUrl: httpUrl,
  /** How often the flow runs. */
  every: positiveDurationSchema,
  /**
   * Environments it runs in. @default - every environment; a flow that writes: every
   * environment whose profile allows writing canaries
   */
  environments: z.array(z.string().min(1)).min(1).optional(),
  /** True when the flow creates or changes data: it runs only where the profile allows it. @default false */
  writes: z.boolean().default(false),
  /** Credentials, by the name placeholders use: `{ password: { secret: "canary-login", key: "password" } }`. @default {} */
  // Any value is accepted here so that refineCanaries can say "not a value" without echoing it.
  credentials: z
    .record(valueName, z.unknown())
    .default({})
    .transform((refs) => refs as Record<string, SecretRef>),
  /** Budget of the whole flow. @default - none */
  budget: positiveDurationSchema.optional(),
  /** Consecutive failed runs before `CanaryFailing`. @default 2 */
  failAfterRuns: z.number().int().min(1).max(10).default(2),
  /** Consecutive runs over a budget before `CanarySlow`. @default 3 */
  slowAfterRuns: z.number().int().min(1).max(10).default(3),
  steps: z.array(stepSchema).min(1, "must have at least one step"),
});
export type CanaryInput = z.input<typeof canarySchema>;
/** A validated canary flow; `credentials` holds Secret references only (checked by refineCanaries). */
export type CanarySpec = z.output<typeof canarySchema>;

/** The part: a list of flows. */
export const canariesSchema = z.array(canarySchema).default([]);
export type CanariesSpec = readonly CanarySpec[];

/** `{{name}}` in a template. */
const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

/** The names `{{...}}` refers to in a text, in order. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** Headers whose value is a credential: they may hold only a scheme and placeholders. */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie|api-?key|x-api-key|x-auth-token|apikey)$/i;
/** Body keys whose value is a credential. */
const CREDENTIAL_KEY = /pass(word)?|secret|token|api_?key|credential/i;
/** What a credential header may hold besides placeholders: an auth scheme. */
const SCHEME_ONLY = /^\s*(Bearer|Basic|Token)?\s*$/i;

/** Every string in a JSON value with its path, for placeholders and credential checks. */
function stringLeaves(value: unknown, path: (string | number)[]): { path: (string | number)[]; key: string | undefined; text: string }[] {
  if (typeof value === "string") return [{ path, key: typeof path.at(-1) === "string" ? (path.at(-1) as string) : undefined, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, i]));
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}

/** A request's templated texts: URL, headers, body leaves, each with its path in the step. */
function requestTexts(request: { url: string; headers: Record<string, string>; body?: unknown }, at: (string | number)[]) {
  return [
    { path: [...at, "url"], key: undefined as string | undefined, header: undefined as string | undefined, text: request.url },
    ...Object.entries(request.headers).map(([name, text]) => ({ path: [...at, "headers", name], key: undefined, header: name, text })),
    ...stringLeaves(request.body, [...at, "body"]).map((l) => ({ ...l, header: undefined })),
  ];
}

/** Every templated text of a step, with its path relative to the step. */
export function stepTexts(step: CanaryStep) {
  const texts = [];
  if (step.request !== undefined) texts.push(...requestTexts(step.request, ["request"]));
  if (step.websocket !== undefined) {
    texts.push(...requestTexts({ url: step.websocket.url, headers: step.websocket.headers }, ["websocket"]));
    if (step.websocket.trigger !== undefined) texts.push(...requestTexts(step.websocket.trigger, ["websocket", "trigger"]));
  }
  for (const [i, a] of [...step.expect.json, ...(step.poll?.until ?? []), ...(step.websocket?.message.json ?? [])].entries()) {
    if (typeof a.equals === "string") texts.push({ path: ["assertions", i, "equals"], key: undefined, header: undefined, text: a.equals });
  }
  return texts;
}

/** The message of a text that holds a credential inline, or undefined. */
function inlineCredential(t: { key: string | undefined; header: string | undefined; text: string; path: (string | number)[] }): string | undefined {
  const literal = t.text.replace(PLACEHOLDER, "");
  if (t.header !== undefined && CREDENTIAL_HEADER.test(t.header) && !(placeholders(t.text).length > 0 && SCHEME_ONLY.test(literal))) {
    return "holds a credential inline (only an auth scheme such as Bearer may be written): write it as {{name}} and name it in the flow's credentials, read from a Secret";
  }
  if (t.key !== undefined && CREDENTIAL_KEY.test(t.key) && literal.trim() !== "") {
    return `holds a credential inline: write it as {{name}} and name it in the flow's credentials, read from a Secret`;
  }
  if (t.path.at(-1) === "url") {
    const absolute = /^[a-z]+:\/\//i.test(t.text) ? t.text : `http://host${t.text.startsWith("/") ? "" : "/"}${t.text}`;
    const where = urlCredential(absolute.replace(PLACEHOLDER, "x"));
    if (where !== undefined && !placeholders(t.text).length)
      return `must not carry a credential (${where}): use a placeholder for a credential read from a Secret`;
  }
  return undefined;
}

/**
 * Checks a flow's parts depend on each other by: names unique, every placeholder names a
 * credential or a value an earlier step extracts, credentials are Secret references (never
 * values), no credential inline in a header, body or URL, a `poll` budget no shorter than the
 * flow's schedule allows. Paths are relative to the part.
 */
export function refineCanaries(_service: ParsedServiceView, canaries: readonly z.output<typeof canarySchema>[], issue: IssueReporter): void {
  const names = canaries.map((c) => c.name);
  canaries.forEach((canary, c) => {
    if (names.indexOf(canary.name) !== c) issue([c, "name"], "must be unique among the service's canaries");
    const credentialNames = Object.keys(canary.credentials);
    for (const [name, ref] of Object.entries(canary.credentials)) {
      if (!secretRefSchema.safeParse(ref).success) {
        issue([c, "credentials", name], "must be a Secret reference { secret, key }, not a value: a credential inline would be written to generated/", {
          redacted: true,
        });
      }
    }
    const stepNames = canary.steps.map((s) => s.name);
    const known = new Set(credentialNames);
    canary.steps.forEach((step, s) => {
      if (stepNames.indexOf(step.name) !== s) issue([c, "steps", s, "name"], "must be unique among the flow's steps");
      for (const text of stepTexts(step)) {
        for (const name of placeholders(text.text)) {
          if (!known.has(name)) {
            const later = canary.steps.slice(s).some((l) => Object.keys(l.extract).includes(name));
            issue(
              [c, "steps", s, ...text.path],
              `uses {{${name}}}, which ${later ? "is extracted only by this step or a later one" : "no earlier step extracts and no credential names"} (known here: ${[...known].sort().join(", ") || "none"})`,
            );
          }
        }
        const credential = inlineCredential(text);
        if (credential !== undefined) issue([c, "steps", s, ...text.path], credential, { redacted: true });
      }
      for (const name of Object.keys(step.extract)) {
        if (credentialNames.includes(name)) issue([c, "steps", s, "extract", name], "must not reuse the name of a credential");
        known.add(name);
      }
      if (step.websocket !== undefined && (step.expect.json.length > 0 || step.expect.bodyMatches.length > 0)) {
        issue([c, "steps", s, "expect"], "applies to a request's response: a WebSocket step asserts on its message (websocket.message.json)");
      }
      if (step.poll !== undefined && durationSeconds(step.poll.within) >= durationSeconds(canary.every)) {
        issue([c, "steps", s, "poll", "within"], `must be shorter than the flow's schedule (every ${canary.every}): runs would overlap`);
      }
    });
  });
}
