import { parseProfile, PROFILE_INPUTS } from "../../environments";
import { profileOf, tiersOf } from "./otel-collector-tiers";

/** OTLP's severity numbers (the logs data model), the base of each range. */
const SEVERITY: Record<string, number> = {
  SEVERITY_NUMBER_UNSPECIFIED: 0,
  SEVERITY_NUMBER_TRACE: 1,
  SEVERITY_NUMBER_DEBUG: 5,
  SEVERITY_NUMBER_INFO: 9,
  SEVERITY_NUMBER_WARN: 13,
  SEVERITY_NUMBER_ERROR: 17,
  SEVERITY_NUMBER_FATAL: 21,
};

/**
 * Evaluates the OTTL conditions the agent uses on a record's severity number: comparisons of
 * `[log.]severity_number` with a severity enum, joined by `and`/`or` (`and` binding tighter). Any
 * other syntax fails the test rather than being read wrongly.
 */
function holds(condition: string, severity: number): boolean {
  return condition.split(" or ").some((alternative) =>
    alternative.split(" and ").every((comparison) => {
      const match = /^\s*(?:log\.)?severity_number (==|!=|<=|>=|<|>) (SEVERITY_NUMBER_[A-Z]+)\s*$/.exec(comparison);
      if (!match || SEVERITY[match[2]!] === undefined) throw new Error(`cannot evaluate ${JSON.stringify(comparison)}`);
      const other = SEVERITY[match[2]!]!;
      return {
        "==": severity === other,
        "!=": severity !== other,
        "<": severity < other,
        "<=": severity <= other,
        ">": severity > other,
        ">=": severity >= other,
      }[match[1]!]!;
    }),
  );
}

/** The severity number the parse transform gives a JSON line's `level` value (UNSPECIFIED when no statement matches). */
function severityOf(level: string, statements: readonly string[]): number {
  for (const statement of statements) {
    const match = /^set\(log\.severity_number, (SEVERITY_NUMBER_[A-Z]+)\) where log\.severity_number == SEVERITY_NUMBER_UNSPECIFIED and \((.*)\)$/.exec(
      statement,
    );
    if (!match) continue;
    const spellings = match[2]!.split(" or ").map((c) => {
      const s = /^ToLowerCase\(log\.severity_text\) == "([^"]*)"$/.exec(c);
      if (!s) throw new Error(`cannot read ${JSON.stringify(c)}`);
      return s[1]!;
    });
    if (spellings.includes(level.toLowerCase())) return SEVERITY[match[1]!]!;
  }
  return SEVERITY.SEVERITY_NUMBER_UNSPECIFIED!;
}

/** What the agent does with a line of this severity: dropped on the node, kept whole, or sampled. */
function fate(env: string, severity: number): "dropped" | "kept whole" | "sampled" {
  const config = tiersOf(env).agent.config;
  const drops: string[] = config.processors["filter/minimum_log_level"].log_conditions;
  if (drops.some((condition) => holds(condition, severity))) return "dropped";
  const router = config.connectors["routing/severity"];
  const route = router.table.find((r: any) => r.context === "log" && holds(r.condition, severity));
  const pipelines: string[] = route ? route.pipelines : router.default_pipelines;
  expect(pipelines).toHaveLength(1);
  return { "logs/kept_whole": "kept whole", "logs/info_sampled": "sampled" }[pipelines[0]!] as "kept whole" | "sampled";
}

const parseStatements = (env: string): string[] =>
  tiersOf(env).agent.config.processors["transform/parse_container_logs"].log_statements.flatMap((g: any) => g.statements);

describe("agent: container logs", () => {
  it.each(["dev", "staging", "prod"])(
    "%s: the chart's logsCollection preset reads container logs, never the agent's own, with checkpoints on the node",
    (env) => {
      const { agent } = tiersOf(env);
      expect(agent.mode).toBe("daemonset");
      expect(agent.presets).toEqual({
        logsCollection: { enabled: true, includeCollectorLogs: false, storeCheckpoints: true },
        kubernetesAttributes: { enabled: true },
      });
      // The preset's receiver is `filelog`, rewritten to `file_log` by the chart (rewriteDeprecatedComponentNames, on by default).
      expect(agent.config.service.pipelines.logs.receivers).toEqual(["file_log"]);
      expect(agent).not.toHaveProperty("rewriteDeprecatedComponentNames");
    },
  );

  it("runs as root to read root's log files, with no capabilities, no escalation and a read-only root file system", () => {
    expect(tiersOf("prod").agent.securityContext).toEqual({
      runAsUser: 0,
      runAsGroup: 0,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
  });

  it.each([
    ["INFO", "SEVERITY_NUMBER_INFO"],
    ["info", "SEVERITY_NUMBER_INFO"],
    ["WARNING", "SEVERITY_NUMBER_WARN"],
    ["warn", "SEVERITY_NUMBER_WARN"],
    ["Error", "SEVERITY_NUMBER_ERROR"],
    ["err", "SEVERITY_NUMBER_ERROR"],
    ["CRITICAL", "SEVERITY_NUMBER_FATAL"],
    ["fatal", "SEVERITY_NUMBER_FATAL"],
    ["DEBUG", "SEVERITY_NUMBER_DEBUG"],
    ["trace", "SEVERITY_NUMBER_TRACE"],
    ["verbose", "SEVERITY_NUMBER_UNSPECIFIED"],
    ["", "SEVERITY_NUMBER_UNSPECIFIED"],
  ])("reads level %j as %s", (level, severity) => {
    expect(severityOf(level, parseStatements("prod"))).toBe(SEVERITY[severity]);
  });

  it("parses JSON object lines into the body and takes level, trace id and span id from it", () => {
    const statements = parseStatements("prod");
    expect(statements[0]).toBe(String.raw`set(log.body, ParseJSON(log.body)) where IsString(log.body) and IsMatch(log.body, "^\\s*\\{")`);
    expect(statements).toContain(`set(log.severity_text, log.body["level"]) where IsMap(log.body) and IsString(log.body["level"])`);
    expect(statements).toContain(
      String.raw`set(log.trace_id.string, log.body["trace_id"]) where IsMap(log.body) and IsString(log.body["trace_id"]) and IsMatch(log.body["trace_id"], "^[0-9a-f]{32}\\z")`,
    );
    expect(statements).toContain(
      String.raw`set(log.span_id.string, log.body["span_id"]) where IsMap(log.body) and IsString(log.body["span_id"]) and IsMatch(log.body["span_id"], "^[0-9a-f]{16}\\z")`,
    );
    // The severity is read only after the level is copied.
    expect(statements.findIndex((s) => s.startsWith("set(log.severity_text"))).toBeLessThan(
      statements.findIndex((s) => s.startsWith("set(log.severity_number")),
    );
    // No `$`: the collector would expand it as a variable.
    for (const s of statements) expect(s).not.toContain("$");
  });

  it.each([
    // env, trace, debug, info, warn, error, fatal, no level
    ["dev", "sampled", "sampled", "sampled", "kept whole", "kept whole", "kept whole", "kept whole"],
    ["staging", "dropped", "sampled", "sampled", "kept whole", "kept whole", "kept whole", "kept whole"],
    ["prod", "dropped", "dropped", "sampled", "kept whole", "kept whole", "kept whole", "kept whole"],
  ])("%s: trace %s, debug %s, info %s, warn %s, error %s, fatal %s, a line without a level %s", (env, ...expected) => {
    const levels = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "UNSPECIFIED"];
    expect(levels.map((level) => fate(env, SEVERITY[`SEVERITY_NUMBER_${level}`]!))).toEqual(expected);
  });

  it.each([
    ["dev", "trace", 100],
    ["staging", "debug", 50],
    ["prod", "info", 10],
  ] as const)("%s: minimum level %s, %d%% of info-and-below lines kept", (env, minimum, percentage) => {
    const logs = profileOf(env).openTelemetryCollector.agent.logs;
    expect(logs).toEqual({ minimumLevel: minimum, infoSamplingPercentage: percentage });
    expect(tiersOf(env).agent.config.processors["probabilistic_sampler/info_logs"].sampling_percentage).toBe(percentage);
  });

  it("samples lines of one trace together, and any other line by a random record uid it is given first", () => {
    const config = tiersOf("prod").agent.config;
    const sampler = config.processors["probabilistic_sampler/info_logs"];
    expect(sampler).toEqual({ sampling_percentage: 10, attribute_source: "traceID", from_attribute: "log.record.uid" });
    expect(config.processors["transform/log_record_uid"].log_statements).toEqual([
      { statements: ['set(log.attributes["log.record.uid"], UUID()) where log.attributes["log.record.uid"] == nil'] },
    ]);
    const sampled = config.service.pipelines["logs/info_sampled"].processors;
    expect(sampled.indexOf("transform/log_record_uid")).toBeLessThan(sampled.indexOf("probabilistic_sampler/info_logs"));
    // Only the sampled route samples.
    expect(config.service.pipelines["logs/kept_whole"].processors).not.toContain("probabilistic_sampler/info_logs");
  });

  it("the condition evaluator refuses what it cannot read, so a changed condition fails loudly", () => {
    expect(() => holds('IsMatch(log.body, "x")', 9)).toThrow(/cannot evaluate/);
    expect(holds("severity_number >= SEVERITY_NUMBER_WARN or severity_number == SEVERITY_NUMBER_UNSPECIFIED", 0)).toBe(true);
    expect(holds("log.severity_number > SEVERITY_NUMBER_UNSPECIFIED and log.severity_number < SEVERITY_NUMBER_INFO", 0)).toBe(false);
  });

  it("fails when a profile's log settings are out of range, naming the path and the value", () => {
    const prod: any = structuredClone(PROFILE_INPUTS.prod);
    prod.openTelemetryCollector.agent.logs = { minimumLevel: "fatal", infoSamplingPercentage: 0 };
    expect(() => parseProfile(prod, "prod")).toThrow(
      [
        'invalid environment profile "prod":',
        '  - openTelemetryCollector.agent.logs.minimumLevel must be one of trace, debug, info, warn, error, got "fatal" (environment "prod")',
        '  - openTelemetryCollector.agent.logs.infoSamplingPercentage must be above 0, got 0 (environment "prod")',
      ].join("\n"),
    );
  });

  it("defaults to info and above, every line kept, when a profile leaves the log settings out", () => {
    const prod: any = structuredClone(PROFILE_INPUTS.prod);
    prod.openTelemetryCollector.agent.logs = {};
    expect(parseProfile(prod, "prod").openTelemetryCollector.agent.logs).toEqual({ minimumLevel: "info", infoSamplingPercentage: 100 });
  });
});
