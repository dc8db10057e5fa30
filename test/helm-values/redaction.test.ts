/**
 * The collector's PII redaction, evaluated: the statements `redactionProcessor()` generates run
 * through an OTTL emulator on an RE2 engine (test/support/ottl.ts) over two corpora kept beside
 * this file, one of PII that must be redacted and one of look-alikes that must pass untouched.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { redactionProcessor } from "../../helm-values/otel-redaction";
import {
  checkEmulated,
  compileRe2,
  contextOf,
  parseStatement,
  pathsOf,
  regexesOf,
  replacementOf,
  runStatements,
  type OttlStatement,
  type OttlValue,
  type TelemetryItem,
} from "../support/ottl";

const SIGNALS = ["trace_statements", "metric_statements", "log_statements"] as const;

interface StatementGroup {
  readonly name: string;
  readonly context: string;
  readonly statements: readonly string[];
  readonly parsed: readonly OttlStatement[];
}

const processor = redactionProcessor();
const groups: StatementGroup[] = SIGNALS.flatMap((signal) =>
  processor[signal].map((group, index) => {
    const parsed = group.statements.map(parseStatement);
    return { name: `${signal}[${index}]`, context: contextOf(parsed[0]!), statements: group.statements, parsed };
  }),
);
const allStatements = groups.flatMap((group) => group.parsed);

/** A YAML value as OTTL holds it: maps become ordered Maps. */
function toOttl(value: unknown): OttlValue {
  if (Array.isArray(value)) return value.map(toOttl);
  if (value !== null && typeof value === "object") return new Map(Object.entries(value).map(([k, v]) => [k, toOttl(v)]));
  return value as OttlValue;
}

/** An OTTL value back as plain data, in its order. */
function fromOttl(value: OttlValue | undefined): unknown {
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [k, fromOttl(v)]));
  if (Array.isArray(value)) return value.map(fromOttl);
  return value;
}

/** The groups that run on a field (`span.attributes`): those of its context. */
const groupsFor = (field: string) => groups.filter((group) => group.context === field.split(".")[0]);

/** Runs a group on a telemetry item holding `value` at `field`, the group's other fields empty, and returns `field`. */
function redact(group: StatementGroup, field: string, value: unknown): unknown {
  const item: TelemetryItem = new Map();
  for (const p of group.parsed.flatMap(pathsOf)) item.set(p.field, p.field.endsWith(".attributes") ? new Map() : null);
  item.set(field, toOttl(value));
  runStatements(item, group.statements);
  return fromOttl(item.get(field));
}

const corpus = (file: string) => YAML.parse(readFileSync(path.join(__dirname, "redaction-corpus", file), "utf8"));

interface PiiSample {
  readonly id: string;
  readonly where: string;
  readonly input: unknown;
  readonly expected: unknown;
  readonly pii: readonly string[];
}
const piiSamples = corpus("pii.yaml") as PiiSample[];

interface Lookalikes {
  readonly values: readonly { readonly id: string; readonly value: string }[];
  readonly keys: readonly { readonly key: string; readonly value: string }[];
  readonly sql: readonly { readonly id: string; readonly value: string }[];
}
const lookalikes = corpus("lookalikes.yaml") as Lookalikes;

/** Every attribute map the redaction reaches, with the groups that run on it. */
const ATTRIBUTE_FIELDS = ["resource.attributes", "span.attributes", "spanevent.attributes", "datapoint.attributes", "log.attributes"];

describe("PII redaction statements", () => {
  it("use only the OTTL functions the emulator follows, every regex valid RE2", () => {
    for (const statement of allStatements) {
      expect(() => checkEmulated(statement)).not.toThrow();
      for (const regex of regexesOf(statement)) expect(() => compileRe2(regex)).not.toThrow();
    }
    expect(allStatements.flatMap(regexesOf).length).toBeGreaterThan(40);
  });

  it("keep one OTTL context per statement group, and each group of its signal's contexts", () => {
    for (const group of groups) {
      expect({ group: group.name, contexts: [...new Set(group.parsed.map(contextOf))] }).toEqual({ group: group.name, contexts: [group.context] });
    }
    expect(groups.map((group) => `${group.name} ${group.context}`)).toEqual([
      "trace_statements[0] resource",
      "trace_statements[1] span",
      "trace_statements[2] spanevent",
      "metric_statements[0] resource",
      "metric_statements[1] datapoint",
      "log_statements[0] resource",
      "log_statements[1] log",
    ]);
  });

  it("contain no `$`, which the collector would expand; replacements refer to groups only as ${N} of an existing group", () => {
    for (const statement of allStatements) {
      expect(statement.text).not.toContain("$");
      const replacement = replacementOf(statement);
      if (replacement === undefined) continue;
      const groupCount = compileRe2(regexesOf(statement)[0]!).groupCount();
      for (const reference of replacement.match(/\$(\{[^}]*\}|.?)/g) ?? []) {
        expect({ statement: statement.text, reference, valid: /^\$\{[1-9]\}$/.test(reference) && Number(reference[2]) <= groupCount }).toEqual({
          statement: statement.text,
          reference,
          valid: true,
        });
      }
    }
  });

  it("contain no `{{` or `}}`, which a chart's tpl would read as a template", () => {
    for (const statement of allStatements) expect(statement.text).not.toMatch(/\{\{|\}\}/);
  });

  it("guard every statement on the log body by the body's type", () => {
    const onBody = allStatements.filter((s) => pathsOf(s).some((p) => p.field === "log.body"));
    expect(onBody.length).toBeGreaterThan(0);
    for (const statement of onBody) expect(statement.text).toMatch(/ where Is(Map|String)\(log\.body\)$/);
  });
});

describe("the RE2 engine and OTTL emulator", () => {
  it("reproduce the reported bug of the former grouped phone pattern on a pod IP", () => {
    const former = String.raw`(?:\+[0-9]{1,3}[ .-]?)?(?:\([0-9]{1,4}\)[ .-]?|\b[0-9]{2,4}[ .-])[0-9]{3,4}[ .-]?[0-9]{3,4}\b`;
    const item: TelemetryItem = new Map([["log.body", "peer 10.244.123.45"]]);
    runStatements(item, [`replace_pattern(log.body, ${JSON.stringify(former)}, "[REDACTED_PHONE]")`]);
    expect(item.get("log.body")).toBe("peer [REDACTED_PHONE].45");
  });
});

describe("PII corpus", () => {
  it("holds at least 30 samples, in every place the redaction reaches", () => {
    expect(piiSamples.length).toBeGreaterThanOrEqual(30);
    expect([...new Set(piiSamples.map((s) => s.where))].sort()).toEqual([...ATTRIBUTE_FIELDS, "log.body"].sort());
    expect(piiSamples.filter((s) => s.where === "log.body" && typeof s.input === "object").length).toBeGreaterThanOrEqual(4);
    expect(piiSamples.filter((s) => /^db\./.test(Object.keys((s.input as object) ?? {})[0] ?? "")).length).toBeGreaterThanOrEqual(5);
    for (const sample of piiSamples) expect({ id: sample.id, pii: sample.pii.length > 0 }).toEqual({ id: sample.id, pii: true });
  });

  it.each(piiSamples.map((s) => [s.id, s] as const))("%s", (_id, sample) => {
    const targets = groupsFor(sample.where);
    expect(targets.length).toBeGreaterThan(0);
    for (const group of targets) {
      const output = redact(group, sample.where, sample.input);
      const text = JSON.stringify(output);
      expect({ group: group.name, output }).toEqual({ group: group.name, output: sample.expected });
      expect({ group: group.name, survivors: sample.pii.filter((pii) => text.includes(pii)) }).toEqual({ group: group.name, survivors: [] });
    }
  });
});

describe("look-alike corpus", () => {
  it("holds at least 30 values, plus keys and database statements", () => {
    expect(lookalikes.values.length).toBeGreaterThanOrEqual(30);
    expect(lookalikes.keys.length).toBeGreaterThan(0);
    expect(lookalikes.sql.length).toBeGreaterThan(0);
    for (const { value } of [...lookalikes.values, ...lookalikes.sql]) expect(typeof value).toBe("string");
  });

  it.each(lookalikes.values.map((v) => [v.id, v.value] as const))("%s passes untouched everywhere", (_id, value) => {
    for (const field of ATTRIBUTE_FIELDS) {
      for (const group of groupsFor(field)) {
        expect({ group: group.name, output: redact(group, field, { sample: value }) }).toEqual({ group: group.name, output: { sample: value } });
      }
    }
    const [logGroup] = groupsFor("log.body");
    expect(redact(logGroup!, "log.body", value)).toBe(value);
    expect(redact(logGroup!, "log.body", { outer: { sample: value } })).toEqual({ "outer.sample": value });
  });

  it.each(lookalikes.keys.map((k) => [k.key, k.value] as const))("key %s keeps its value", (key, value) => {
    for (const field of ATTRIBUTE_FIELDS) {
      for (const group of groupsFor(field)) {
        expect({ group: group.name, output: redact(group, field, { [key]: value }) }).toEqual({ group: group.name, output: { [key]: value } });
      }
    }
    expect(redact(groupsFor("log.body")[0]!, "log.body", { outer: { [key]: value } })).toEqual({ [`outer.${key}`]: value });
  });

  it.each(lookalikes.sql.map((s) => [s.id, s.value] as const))("database statement with %s passes untouched", (_id, statement) => {
    for (const field of ["span.attributes", "log.attributes"]) {
      for (const attribute of ["db.statement", "db.query.text"]) {
        const [group] = groupsFor(field);
        expect(redact(group!, field, { [attribute]: statement })).toEqual({ [attribute]: statement });
      }
    }
  });
});
