/**
 * PII redaction in the OpenTelemetry Collector: the OTTL statements of the `transform` processor
 * every collector tier runs before anything leaves it.
 *
 * What is redacted lives in three tables, documented per entry: {@link SENSITIVE_KEYS} (keys
 * deleted wherever they occur), {@link PII_PATTERNS} (values masked in every string) and
 * {@link SQL_LITERAL_RULES} (literals of database statements). Where: resource, span, span event,
 * data point and log attributes, string log bodies, and map log bodies at any depth.
 *
 * The functions used, as OTTL defines them in collector-contrib's `pkg/ottl/ottlfuncs` (read
 * near collector 0.158):
 * - `delete_matching_keys(map, regex)`: removes the keys of one map that match; no recursion.
 * - `replace_all_patterns(map, "value", regex, replacement)`: rewrites the string values of one
 *   map (`regexp.ReplaceAllString`); values of other types, nested maps and slices are skipped.
 * - `replace_pattern(target, regex, replacement)`: the same on one string field; others skipped.
 * - `flatten(map)`: moves the items of nested maps and slices to the root under dotted keys
 *   (`user.email`, `contacts.0.email`), with no depth limit unless one is given.
 *
 * None of the map functions recurse, so a map body is flattened first: every value is then at
 * the root, where the key and value rules reach it, however deep it was. The body keeps its
 * content under dotted keys; Loki's `| json` stage names the fields alike either way
 * (`user.email` and `{"user": {"email": ...}}` both become `user_email`).
 *
 * Regexes run on Go's RE2 (no lookaround, no backreferences). A replacement is a Go template:
 * `${1}` re-inserts group 1. The statements never contain a `$`, which the collector's config
 * expansion would take for a variable: {@link ottlString} writes each `$` as `\x24`, a Go string
 * escape that the OTTL parser (participle's Unquote, i.e. `strconv.UnquoteChar`) turns back into
 * `$` before RE2 or the template sees it.
 */

/** A key whose value must never leave the collector. */
export interface SensitiveKey {
  /** What the key carries, for the reader. */
  readonly name: string;
  /** RE2 fragment for the key name, matched case-insensitively (`access[_-]?token`). */
  readonly pattern: string;
  /**
   * `segment`: the last dot-separated segment of a key matches, so `password`, `user.password`,
   * `http.request.header.authorization` and a flattened `request.headers.cookie.0` all do.
   * `whole-key`: only the entire key matches: `location`, since `http.response.header.location`
   * is a redirect URL, not a position.
   */
  readonly scope: "segment" | "whole-key";
}

/**
 * Keys deleted from every map (attributes, flattened map bodies) and masked in JSON and
 * `key=value` text, whatever their case. Deleted rather than masked: OTTL's stable functions at
 * collector 0.158 overwrite a value only through an exact, case-sensitive key
 * (`set(attributes["k"], ...)`) — `replace_all_patterns` in value mode never sees keys, and in
 * key mode it renames them — so a mask would miss `Authorization` while catching
 * `authorization`; deletion also works for any value type (semconv header attributes are string
 * arrays, positions are doubles). The specs ask for removal ("remove `Authorization`, cookies,
 * any `*Enc` fields").
 */
export const SENSITIVE_KEYS: readonly SensitiveKey[] = [
  { name: "HTTP authorization header, any scheme", pattern: "authorization", scope: "segment" },
  { name: "HTTP proxy authorization header", pattern: "proxy-authorization", scope: "segment" },
  { name: "HTTP request cookies", pattern: "cookie", scope: "segment" },
  { name: "HTTP response cookies", pattern: "set-cookie", scope: "segment" },
  { name: "API key header", pattern: "x-api-key", scope: "segment" },
  { name: "API key (api_key, apikey, api-key, apiKey)", pattern: "api[_-]?key", scope: "segment" },
  { name: "bearer or session token", pattern: "token", scope: "segment" },
  { name: "OAuth access token (access_token, accessToken)", pattern: "access[_-]?token", scope: "segment" },
  { name: "OAuth refresh token", pattern: "refresh[_-]?token", scope: "segment" },
  { name: "OpenID Connect ID token", pattern: "id[_-]?token", scope: "segment" },
  { name: "password", pattern: "password", scope: "segment" },
  { name: "password (Unix spelling)", pattern: "passwd", scope: "segment" },
  { name: "secret", pattern: "secret", scope: "segment" },
  { name: "OAuth client secret (client_secret, clientSecret)", pattern: "client[_-]?secret", scope: "segment" },
  {
    // Case-insensitive like every key: `emailEnc` and `EMAIL_ENC` are the same convention. A
    // non-encrypted key that happens to end in "enc" loses its value, never PII.
    name: "encrypted field (emailEnc, phoneEnc, email_enc, ssn-enc)",
    pattern: "[a-z0-9_-]*[a-z0-9][_-]?enc",
    scope: "segment",
  },
  // Exact positions are masked, not rounded: a double attribute can be rounded only through its
  // exact key name, and country, region and city (`geo.country.iso_code`, `geo.locality.name`)
  // carry the coarse location and pass.
  { name: "latitude (lat, latitude, geo.location.lat)", pattern: "lat|latitude", scope: "segment" },
  { name: "longitude (lon, lng, longitude, geo.location.lon)", pattern: "lon|lng|longitude", scope: "segment" },
  { name: "position as one value", pattern: "location", scope: "whole-key" },
];

/** A regex masked wherever it occurs in a string: attribute values and log bodies. */
export interface PiiPattern {
  /** What it masks, for the reader. */
  readonly name: string;
  /** RE2 syntax (Go's regexp). */
  readonly regex: string;
  /** Go template: `${1}` re-inserts group 1, anything else is literal. */
  readonly replacement: string;
}

const alternatives = (scope: SensitiveKey["scope"]) =>
  SENSITIVE_KEYS.filter((key) => key.scope === scope)
    .map((key) => key.pattern)
    .join("|");

/** A key name as it is written in JSON or `key=value` text: a sensitive last segment after any dotted prefix, or a whole key. */
const keyInText = (segmentPrefix: string) => `(?:${segmentPrefix}(?:${alternatives("segment")})|(?:${alternatives("whole-key")}))`;

/**
 * Anchored, case-insensitive RE2 matching the keys of {@link SENSITIVE_KEYS}, with the `.0`, `.1`
 * suffixes `flatten` gives slice items. It ends in `\z` (end of text) rather than `$`.
 */
function sensitiveKeyRegex(): string {
  return String.raw`(?i)(?:(?:^|\.)(?:${alternatives("segment")})|^(?:${alternatives("whole-key")}))(?:\.[0-9]+)*\z`;
}

/**
 * What the redaction masks in strings, applied in this order to every string it reaches. Tokens
 * go first, so that a key rule masking `Bearer` cannot leave the token after it; emails before
 * phone numbers, whose digits an address may contain.
 */
export const PII_PATTERNS: readonly PiiPattern[] = [
  {
    // The scheme is kept: `Authorization: Bearer [REDACTED]`.
    name: "bearer token",
    regex: String.raw`(?i)\b(bearer)\s+[a-z0-9._~+/=-]+`,
    replacement: "${1} [REDACTED]",
  },
  {
    // Three base64url segments (JWS), or five (JWE), the first a JSON header ({"... is eyJ).
    name: "JSON web token",
    regex: String.raw`\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)?`,
    replacement: "[REDACTED_JWT]",
  },
  {
    // scheme://user:password@host (database URLs, proxies): up to the last @ before the path.
    name: "credentials in a URL",
    regex: String.raw`://[^/\s:@"']+:[^/\s"']*@`,
    replacement: "://[REDACTED]@",
  },
  {
    // "password": "...", "user.token": 42: the key and the JSON around it stay valid.
    name: "sensitive key in JSON text",
    regex: String.raw`(?i)("${keyInText(String.raw`(?:[^"\\]*\.)?`)}"\s*:\s*)(?:"(?:[^"\\]|\\.)*"|[^\s,}\]"{\[]+)`,
    replacement: '${1}"[REDACTED]"',
  },
  {
    // Query strings, form bodies, logfmt: `?access_token=...`, ` password=...`. No spaces around
    // `=`, and a value never starts with `?`, so a sanitized `WHERE token = ?` stays as it is.
    name: "sensitive key assigned in text",
    regex: String.raw`(?i)((?:^|[\s?&;,{(\["'#])${keyInText(String.raw`(?:[a-z0-9_-]*\.)*`)}=)(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^\s&,;"'<>?][^\s&,;"'<>]*)`,
    replacement: "${1}[REDACTED]",
  },
  {
    // An HTTP header line: `Authorization: Basic dXNlcjpw...` keeps its scheme.
    name: "authorization header line",
    regex: String.raw`(?i)(\b(?:proxy-)?authorization\s*:\s*(?:[a-z][a-z0-9-]*\s+)?)[^\s",;]+`,
    replacement: "${1}[REDACTED]",
  },
  {
    // The rest of the line (or of the JSON string it sits in).
    name: "cookie or API key header line",
    regex: String.raw`(?i)(\b(?:set-cookie|cookie|x-api-key)\s*:\s*)[^\r\n"]+`,
    replacement: "${1}[REDACTED]",
  },
  {
    // Also URL-encoded (jane%40example.com in a query string).
    name: "email address",
    regex: String.raw`[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9.-]+\.[A-Za-z]{2,}`,
    replacement: "[REDACTED_EMAIL]",
  },
  {
    // A latitude,longitude pair with 4 or more decimals (11 m or finer).
    name: "exact coordinates",
    regex: String.raw`-?\b(?:[1-8]?[0-9]|90)\.[0-9]{4,}\s?,\s?-?(?:1[0-7][0-9]|[1-9]?[0-9]|180)\.[0-9]{4,}\b`,
    replacement: "[REDACTED_GEO]",
  },
  {
    // Group 1, kept, is the character before the number: none, or one that is not a letter,
    // digit or `_` (what `\b` checks, but also before `+` and `(`), so semver build metadata
    // (1.0.0+20130313144700) is not taken for a number. Then one of:
    // - international: + and 8 to 15 digits, with one or two separators (space . - / or
    //   parentheses) between them: +14155550132, +1 415-555-0132, +49 (0)30 1234567;
    // - North American: (415) 555-0132, 415-555-0132, 415.555.0132, 1-800-555-0199; with spaces
    //   alone only after a parenthesized area code, so number lists (250 500 1000) pass;
    // - national with a trunk 0: 020 7946 0958, 030 12345678, 0171 1234567.
    name: "phone number",
    regex: String.raw`(^|[^0-9A-Za-z_])(?:\+[1-9](?:[ .()/-]{0,2}[0-9]){7,14}|(?:1[ .-]?)?(?:\([2-9][0-9]{2}\)[ .-]?|[2-9][0-9]{2}[.-])[2-9][0-9]{2}[ .-][0-9]{4}|0[1-9][0-9]{1,3}[ -][0-9]{3,4}[ -]?[0-9]{3,4})\b`,
    replacement: "${1}[REDACTED_PHONE]",
  },
];

/** The attributes carrying a database statement: `db.query.text` (semconv 1.26+) and its former name. */
export const SQL_STATEMENT_ATTRIBUTES: readonly string[] = ["db.statement", "db.query.text"];

/**
 * Literals of a database statement replaced by `?`, in this order, so statements group by shape
 * and carry no values. String literals follow standard SQL (PostgreSQL: `''` escapes a quote);
 * identifiers (`t1`, `col_2`, `"Order"`) and placeholders (`$1`, `:id`, `?`) are kept. A number
 * inside a quoted identifier (`"col 2"`) is taken for a literal.
 */
export const SQL_LITERAL_RULES: readonly PiiPattern[] = [
  {
    // MySQL escapes a quote with a backslash: 'it\'s' becomes 'it''s', one standard literal.
    name: "backslash-escaped quote",
    regex: String.raw`\\'`,
    replacement: "''",
  },
  { name: "dollar-quoted string", regex: String.raw`(?s)\$\$.*?\$\$`, replacement: "?" },
  {
    // With its prefix, if any: E'...' (PostgreSQL escapes), N'...', B'...', X'...'.
    name: "string literal",
    regex: String.raw`(?:\b[bBeEnNxX])?'(?:[^']|'')*'`,
    replacement: "?",
  },
  {
    // A quote left over means a literal closed early (a PostgreSQL 'C:\' read as escaped): it
    // is merged back from the `?` before it, so no text between the quotes survives.
    name: "literal closed early",
    regex: String.raw`\?[^?']*'`,
    replacement: "?",
  },
  { name: "unterminated string literal", regex: "(?s)'.*", replacement: "?" },
  {
    // Group 1, kept, is the operator, bracket or space before the number: a digit after a
    // letter, `_` or `$` belongs to an identifier or a placeholder.
    name: "numeric literal",
    regex: String.raw`(^|[\s(\[,=<>+*/%!|&^~-])(?:0[xX][0-9A-Fa-f]+|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\b`,
    replacement: "${1}?",
  },
];

/**
 * An OTTL string literal: JSON's escapes, which Go's (the OTTL parser unquotes with
 * `strconv.UnquoteChar`) read alike, and `\x24` for each `$`.
 */
export function ottlString(value: string): string {
  return JSON.stringify(value).replace(/\$/g, String.raw`\x24`);
}

const withCondition = (statement: string, condition?: string) => (condition ? `${statement} where ${condition}` : statement);

/** Statements masking {@link PII_PATTERNS} in the string values of a map. */
function maskValues(map: string, condition?: string): string[] {
  return PII_PATTERNS.map((p) => withCondition(`replace_all_patterns(${map}, "value", ${ottlString(p.regex)}, ${ottlString(p.replacement)})`, condition));
}

/** Statements deleting the sensitive keys of a map and masking PII in its string values. */
function redactMap(map: string, condition?: string): string[] {
  return [withCondition(`delete_matching_keys(${map}, ${ottlString(sensitiveKeyRegex())})`, condition), ...maskValues(map, condition)];
}

/** Statements replacing the literals of the database statements among some attributes. */
function sanitizeSqlStatements(attributes: string): string[] {
  return SQL_STATEMENT_ATTRIBUTES.flatMap((name) =>
    SQL_LITERAL_RULES.map((rule) => `replace_pattern(${attributes}[${ottlString(name)}], ${ottlString(rule.regex)}, ${ottlString(rule.replacement)})`),
  );
}

/** Statements redacting attributes that may carry a database statement: literals first, then keys and values. */
function redactAttributesWithSql(attributes: string): string[] {
  return [...sanitizeSqlStatements(attributes), ...redactMap(attributes)];
}

/**
 * Statements redacting the log body: a string body pattern by pattern; a map body flattened
 * first (no depth limit), so that keys and values at any depth are at its root.
 */
function redactLogBody(): string[] {
  const stringBody = PII_PATTERNS.map((p) => `replace_pattern(log.body, ${ottlString(p.regex)}, ${ottlString(p.replacement)}) where IsString(log.body)`);
  const mapBody = ["flatten(log.body) where IsMap(log.body)", ...redactMap("log.body", "IsMap(log.body)")];
  return [...stringBody, ...mapBody];
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
      { statements: redactAttributesWithSql("span.attributes") },
      { statements: redactMap("spanevent.attributes") },
    ],
    metric_statements: [{ statements: redactMap("resource.attributes") }, { statements: redactMap("datapoint.attributes") }],
    log_statements: [{ statements: redactMap("resource.attributes") }, { statements: [...redactAttributesWithSql("log.attributes"), ...redactLogBody()] }],
  };
}
