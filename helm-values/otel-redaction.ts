/**
 * PII redaction in the OpenTelemetry Collector: the OTTL statements of the `transform` processor
 * every collector tier runs before anything leaves it. The collector evaluates these regexes with
 * Go's RE2.
 */

/** A pattern masked wherever it occurs in attribute values and log bodies. */
export interface PiiPattern {
  readonly name: string;
  /** RE2 syntax (Go's regexp), as OTTL evaluates it. */
  readonly regex: string;
  /** Literal text; no `$` (the collector would expand it as a variable or a capture group). */
  readonly replacement: string;
}

/**
 * What the redaction masks, applied in this order. The patterns stay within the syntax RE2 and
 * JavaScript share (apart from a leading `(?i)`), so the tests run them as they are.
 */
export const PII_PATTERNS: readonly PiiPattern[] = [
  {
    name: "bearer token",
    regex: String.raw`(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+`,
    replacement: "Bearer [REDACTED]",
  },
  {
    name: "email address",
    regex: String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`,
    replacement: "[REDACTED_EMAIL]",
  },
  {
    name: "phone number, E.164 (+14155550132)",
    regex: String.raw`\+[1-9][0-9]{7,14}\b`,
    replacement: "[REDACTED_PHONE]",
  },
  {
    // Grouped digits with an optional country code: +1 415-555-0132, (415) 555-0132,
    // +44 20 7946 0958. Dates, IPv4 addresses and plain ids have no 3-4 digit groups after the first.
    name: "phone number, grouped",
    regex: String.raw`(?:\+[0-9]{1,3}[ .-]?)?(?:\([0-9]{1,4}\)[ .-]?|\b[0-9]{2,4}[ .-])[0-9]{3,4}[ .-]?[0-9]{3,4}\b`,
    replacement: "[REDACTED_PHONE]",
  },
];

/** Attributes carrying credentials: deleted outright (semconv header attributes are string arrays). */
export const SENSITIVE_ATTRIBUTE_KEYS: readonly string[] = [
  "authorization",
  "proxy-authorization",
  "cookie",
  "http.request.header.authorization",
  "http.request.header.proxy-authorization",
  "http.request.header.cookie",
  "http.request.header.x-api-key",
  "http.response.header.set-cookie",
];

/** An OTTL string literal: Go escapes, which JSON's coincide with for these strings. */
const ottlString = (value: string) => JSON.stringify(value);

/**
 * Case-insensitive, anchored RE2 matching exactly the sensitive keys. It ends in `\z` (end of
 * text), not `$`, which the collector's config expansion would treat as its own.
 */
function sensitiveKeyRegex(): string {
  const alternatives = SENSITIVE_ATTRIBUTE_KEYS.map((key) => key.replace(/[.]/g, String.raw`\.`));
  return String.raw`(?i)^(?:` + alternatives.join("|") + String.raw`)\z`;
}

/** Statements that delete credential keys from a map and mask PII in its string values. */
function redactMap(map: string): string[] {
  return [
    `delete_matching_keys(${map}, ${ottlString(sensitiveKeyRegex())})`,
    ...PII_PATTERNS.map((p) => `replace_all_patterns(${map}, "value", ${ottlString(p.regex)}, ${ottlString(p.replacement)})`),
  ];
}

/** Statements masking PII in log bodies: string bodies, and the values of structured (map) bodies. */
function redactLogBody(): string[] {
  return PII_PATTERNS.flatMap((p) => [
    `replace_pattern(log.body, ${ottlString(p.regex)}, ${ottlString(p.replacement)}) where IsString(log.body)`,
    `replace_all_patterns(log.body, "value", ${ottlString(p.regex)}, ${ottlString(p.replacement)}) where IsMap(log.body)`,
  ]);
}

/**
 * The `transform` processor that redacts before anything is exported. One statement group per
 * OTTL context: a group mixing `resource` and `span` paths would be inferred as the span context
 * and run per span, and one mixing `span` and `spanevent` would skip spans without events.
 */
export function redactionProcessor() {
  return {
    error_mode: "ignore",
    trace_statements: [
      { statements: redactMap("resource.attributes") },
      { statements: redactMap("span.attributes") },
      { statements: redactMap("spanevent.attributes") },
    ],
    metric_statements: [{ statements: redactMap("resource.attributes") }, { statements: redactMap("datapoint.attributes") }],
    log_statements: [{ statements: redactMap("resource.attributes") }, { statements: [...redactMap("log.attributes"), ...redactLogBody()] }],
  };
}
