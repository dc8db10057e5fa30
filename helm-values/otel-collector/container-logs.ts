import type { EnvironmentProfile, LogLevel } from "../../environments/profile-schema";
import { OTEL_COMPONENTS } from "./components";

/**
 * What the agent does with a container's log lines between reading them and redacting them:
 * parse JSON lines (the services log JSON with a `level` field), drop lines below the profile's
 * minimum level, and keep a share of info-and-below lines while warnings and errors always pass.
 *
 * Lines whose level the agent does not recognise (plain text from Postgres or Redis, panics,
 * stack traces) keep severity UNSPECIFIED and are never dropped nor sampled: the runbooks query
 * them, and a stack trace sampled line by line is useless.
 */

/** OTTL severity enum of each level. */
export const SEVERITY_NUMBERS: Readonly<Record<LogLevel, string>> = {
  trace: "SEVERITY_NUMBER_TRACE",
  debug: "SEVERITY_NUMBER_DEBUG",
  info: "SEVERITY_NUMBER_INFO",
  warn: "SEVERITY_NUMBER_WARN",
  error: "SEVERITY_NUMBER_ERROR",
  fatal: "SEVERITY_NUMBER_FATAL",
};

/** Spellings of each level in the `level` field, compared lowercased (Python's WARNING and CRITICAL, Go's and Node's warn, syslog's). */
export const LEVEL_SPELLINGS: Readonly<Record<LogLevel, readonly string[]>> = {
  trace: ["trace"],
  debug: ["debug"],
  info: ["info", "information", "notice"],
  warn: ["warn", "warning"],
  error: ["error", "err"],
  fatal: ["fatal", "critical", "crit", "panic", "alert", "emerg", "emergency"],
};

/** The JSON fields of a line the agent reads, as the services write them (spec 001: `level`, `trace_id`, `span_id`). */
export const CONTAINER_LOG_FIELDS = { level: "level", traceId: "trace_id", spanId: "span_id" } as const;

/** Names of the two pipelines the severity router sends to. */
export const CONTAINER_LOG_PIPELINES = {
  /** Where the agent reads and filters: the logsCollection preset appends its receiver to the pipeline named `logs`. */
  read: "logs",
  /** Warnings and above, and lines without a recognised level: all of them reach Loki. */
  keptWhole: "logs/kept_whole",
  /** Info, debug and trace lines: the profile's share reaches Loki. */
  sampled: "logs/info_sampled",
} as const;

/** An OTTL string literal: Go escapes, which JSON's coincide with for these strings. */
const ottlString = (value: string) => JSON.stringify(value);
const field = (name: string) => `log.body[${ottlString(name)}]`;

/** Statements of one level: the record takes that severity when its text is one of the level's spellings. */
function severityStatements(level: LogLevel): string[] {
  const matches = LEVEL_SPELLINGS[level].map((spelling) => `ToLowerCase(log.severity_text) == ${ottlString(spelling)}`).join(" or ");
  return [`set(log.severity_number, ${SEVERITY_NUMBERS[level]}) where log.severity_number == SEVERITY_NUMBER_UNSPECIFIED and (${matches})`];
}

/**
 * The transform that reads a container's line. A JSON object line becomes a structured body (so
 * redaction sees its keys and values, and Loki still stores it as JSON); its `level` becomes the
 * record's severity; a well-formed `trace_id`/`span_id` becomes its trace context, so the line
 * links to its trace and is sampled with it. A line that is not JSON is left as it is
 * (`error_mode: ignore`: a parse error skips the statement, never the line).
 */
export function parseContainerLogsProcessor() {
  const level = field(CONTAINER_LOG_FIELDS.level);
  const traceId = field(CONTAINER_LOG_FIELDS.traceId);
  const spanId = field(CONTAINER_LOG_FIELDS.spanId);
  // RE2; `\z` (end of text) rather than `$`, which the collector's config expansion would take as its own.
  const hex = (digits: number) => ottlString(String.raw`^[0-9a-f]{` + digits + String.raw`}\z`);
  return {
    error_mode: "ignore",
    log_statements: [
      {
        statements: [
          `set(log.body, ParseJSON(log.body)) where IsString(log.body) and IsMatch(log.body, ${ottlString(String.raw`^\s*\{`)})`,
          `set(log.severity_text, ${level}) where IsMap(log.body) and IsString(${level})`,
          ...(Object.keys(SEVERITY_NUMBERS) as LogLevel[]).flatMap(severityStatements),
          `set(log.trace_id.string, ${traceId}) where IsMap(log.body) and IsString(${traceId}) and IsMatch(${traceId}, ${hex(32)})`,
          `set(log.span_id.string, ${spanId}) where IsMap(log.body) and IsString(${spanId}) and IsMatch(${spanId}, ${hex(16)})`,
        ],
      },
    ],
  };
}

/** Drops lines that declare a level below the profile's minimum; lines without a recognised level always pass. */
export function minimumLogLevelProcessor(profile: EnvironmentProfile) {
  const minimum = SEVERITY_NUMBERS[profile.openTelemetryCollector.agent.logs.minimumLevel];
  return {
    error_mode: "ignore",
    log_conditions: [`log.severity_number > SEVERITY_NUMBER_UNSPECIFIED and log.severity_number < ${minimum}`],
  };
}

/**
 * Routes each line by its severity: warnings and above, and lines without a level, to the
 * pipeline that keeps them whole; everything else (info, debug, trace) to the sampled one.
 */
export function severityRouterConnector() {
  return {
    error_mode: "ignore",
    default_pipelines: [CONTAINER_LOG_PIPELINES.sampled],
    table: [
      {
        context: "log",
        condition: `severity_number >= ${SEVERITY_NUMBERS.warn} or severity_number == SEVERITY_NUMBER_UNSPECIFIED`,
        pipelines: [CONTAINER_LOG_PIPELINES.keptWhole],
      },
    ],
  };
}

/** The attribute the info sampler hashes for lines without a trace id: semantic conventions' unique id of a log record. */
export const LOG_RECORD_UID_ATTRIBUTE = "log.record.uid";

/** Gives a line without its own `log.record.uid` a random one (OTTL's UUID(), v4). */
export function logRecordUidProcessor() {
  const uid = `log.attributes[${ottlString(LOG_RECORD_UID_ATTRIBUTE)}]`;
  return { error_mode: "ignore", log_statements: [{ statements: [`set(${uid}, UUID()) where ${uid} == nil`] }] };
}

/**
 * Keeps `infoSamplingPercentage` of the lines it sees. A line with a trace id is decided by its
 * trace id (the lines of one trace are kept or dropped together); any other by its random
 * `log.record.uid`. Records without either would be refused (`fail_closed`), and every line
 * reaching it has one.
 */
export function infoLogSamplerProcessor(profile: EnvironmentProfile) {
  return {
    sampling_percentage: profile.openTelemetryCollector.agent.logs.infoSamplingPercentage,
    attribute_source: "traceID",
    from_attribute: LOG_RECORD_UID_ATTRIBUTE,
  };
}

/** The agent's processors for container logs, by id. */
export function containerLogProcessors(profile: EnvironmentProfile) {
  return {
    [OTEL_COMPONENTS.parseContainerLogs]: parseContainerLogsProcessor(),
    [OTEL_COMPONENTS.minimumLogLevel]: minimumLogLevelProcessor(profile),
    [OTEL_COMPONENTS.logRecordUid]: logRecordUidProcessor(),
    [OTEL_COMPONENTS.infoLogSampler]: infoLogSamplerProcessor(profile),
  };
}
