/**
 * The one formatter of validation problems, for profiles and services alike: one line per problem,
 * `<path> <what is allowed>, got <value> (<context>)`, e.g.
 * `slos[0].objective must be in (0, 1), got 1.5 (service "edge", slo "availability")`.
 *
 * It walks zod's issue structure (code, expected, values, minimum, keys, union branches), never
 * zod's English message text; the product's own messages (custom checks, and schema messages that
 * start with "must") are used as written.
 */
import type { z } from "zod";
import { REDACTED } from "./schema-primitives";

/** One problem found outside zod (cross references, posture, capacity), in the formatter's terms. */
export interface Problem {
  /** Where, from the root of the validated input. */
  readonly path: readonly PropertyKey[];
  /** What is allowed or wrong, starting lowercase: `must be at least 2 for high availability`. */
  readonly message: string;
  /** The value received. @default - the value at `path` in the input */
  readonly received?: unknown;
}

/** How lines name where they are. */
export interface FormatContext {
  /** The validated input, to show the value received at each path. */
  readonly input: unknown;
  /**
   * Names of what the path is in, e.g. `service "edge"` and `slo "availability"`.
   * @default - none
   */
  readonly context?: (path: readonly PropertyKey[]) => readonly string[];
  /**
   * Paths whose values are never echoed (secrets), by their last key.
   * @default - every value is shown
   */
  readonly redact?: (path: readonly PropertyKey[]) => boolean;
}

/** Dotted path with array indexes in brackets: `loki.topology.components[0].replicas`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === "number") return `${acc}[${key}]`;
    return acc === "" ? String(key) : `${acc}.${String(key)}`;
  }, "");
}

/** The value at `path` inside `input`, or undefined. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((v, key) => (v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[key] : undefined), input);
}

/** A value briefly: strings quoted, objects as compact JSON, cut at 80 characters; `nothing` when absent. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  // JSON has no spelling for functions and symbols: their type stands in.
  const text = JSON.stringify(value) ?? `<${typeof value}>`;
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const article = (word: string) => (/^[aeiou]/.test(word) ? "an" : "a");

/** What an issue allows, from its structure. */
function requirement(issue: z.core.$ZodIssue): string {
  // The product's own messages: every custom check, and schema messages written as "must ...".
  if (issue.code === "custom" || issue.message.startsWith("must")) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return `must be ${article(issue.expected)} ${issue.expected}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => String(v)).join(", ")}`;
    case "too_small":
      if (issue.origin === "array" || issue.origin === "set") return `must have at least ${String(issue.minimum)} item(s)`;
      if (issue.origin === "string") return `must have at least ${String(issue.minimum)} character(s)`;
      return `must be ${issue.inclusive === false ? ">" : ">="} ${String(issue.minimum)}`;
    case "too_big":
      if (issue.origin === "array" || issue.origin === "set") return `must have at most ${String(issue.maximum)} item(s)`;
      if (issue.origin === "string") return `must have at most ${String(issue.maximum)} character(s)`;
      return `must be ${issue.inclusive === false ? "<" : "<="} ${String(issue.maximum)}`;
    case "invalid_format":
      return `must be ${article(issue.format)} ${issue.format}`;
    case "not_multiple_of":
      return `must be a multiple of ${String(issue.divisor)}`;
    case "invalid_union":
      if (issue.discriminator !== undefined && "options" in issue && issue.options !== undefined) {
        return `must be one of ${issue.options.map((o) => String(o)).join(", ")}`;
      }
      return "must match one of its forms";
    case "invalid_key":
      // A record's key: what its key schema asks.
      return issue.issues[0] !== undefined ? requirement(issue.issues[0]) : "must be a valid key";
    case "invalid_element":
      return "must hold valid elements";
    default:
      return "must be valid";
  }
}

/** A discriminated union reports its discriminator at the union's path; other unions report branch issues. */
function unionIssues(issue: z.core.$ZodIssueInvalidUnion): z.core.$ZodIssue[] | undefined {
  if (issue.errors.length === 0 || !issue.errors.every((branch) => branch.length > 0)) return undefined;
  // The closest branch: the one with the fewest problems.
  const best = issue.errors.reduce((a, b) => (a.length <= b.length ? a : b));
  return best.map((nested) => ({ ...nested, path: [...issue.path, ...nested.path] }));
}

function line(path: readonly PropertyKey[], text: string, format: FormatContext): string {
  const where = formatPath(path) || "(root)";
  const context = format.context?.(path) ?? [];
  return `${where} ${text}${context.length > 0 ? ` (${context.join(", ")})` : ""}`;
}

function received(path: readonly PropertyKey[], value: unknown, format: FormatContext): string {
  return format.redact?.(path) ? '"[redacted]"' : describeValue(value);
}

/**
 * The value an issue is about. zod's own `input` comes first (a schema that redacts a secret puts
 * `"[redacted]"` there, and the raw input must not be read instead); when that input is the parent
 * object of the reported path (a check on an object, a discriminator), the field itself is shown.
 */
function receivedValue(issue: z.core.$ZodIssue, path: readonly PropertyKey[], format: FormatContext): unknown {
  // A check that knows its value may be a secret says so (`params.redacted`); zod keeps params always.
  if (issue.code === "custom" && (issue.params as { redacted?: unknown } | undefined)?.redacted === true) return REDACTED;
  // A record's key is reported at the key's path: the key itself is the value received.
  if (issue.code === "invalid_key") return path[path.length - 1];
  const input = "input" in issue ? issue.input : undefined;
  if (input === undefined) return valueAt(format.input, path);
  const last = path[path.length - 1];
  if (input !== null && typeof input === "object" && !Array.isArray(input) && typeof last === "string" && last in input) {
    return (input as Record<string, unknown>)[last];
  }
  return input;
}

/** One line per zod issue; an unknown key is named, never its value (it may be a secret). */
export function formatIssues(issues: readonly z.core.$ZodIssue[], format: FormatContext): string[] {
  return issues.flatMap((issue): string[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => line([...issue.path, key], "is not a known field", format));
    }
    if (issue.code === "invalid_union") {
      const nested = unionIssues(issue);
      if (nested !== undefined) return formatIssues(nested, format);
    }
    const path = issue.path as readonly PropertyKey[];
    return [line(path, `${requirement(issue)}, got ${received(path, receivedValue(issue, path, format), format)}`, format)];
  });
}

/** One line per {@link Problem}, in the same form as {@link formatIssues}. */
export function formatProblems(problems: readonly Problem[], format: FormatContext): string[] {
  return problems.map((p) => {
    const value = "received" in p ? p.received : valueAt(format.input, p.path);
    return line(p.path, `${p.message}, got ${received(p.path, value, format)}`, format);
  });
}

/** A validation failure: what was validated, and every problem (one line each). */
export class ValidationError extends Error {
  constructor(
    /** `invalid service spec`, `invalid environment profile "dev"`. */
    readonly subject: string,
    readonly problems: readonly string[],
    message = `${subject}:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
  ) {
    super(message);
    this.name = "ValidationError";
  }

  /**
   * `validate` applied to every item, all of them even when some fail: the results, or one error
   * combining every item's (a problem in one never hides the problems of the next).
   */
  static collect<T, R>(items: readonly T[], validate: (item: T) => R): R[] {
    const errors: ValidationError[] = [];
    const results = items.flatMap((item) => {
      const result = ValidationError.attempt(errors, () => validate(item));
      return result === undefined ? [] : [result];
    });
    if (errors.length > 0) throw ValidationError.combine(errors);
    return results;
  }

  /** `validate()`, or undefined with its validation error added to `errors` (any other error is thrown). */
  static attempt<R>(errors: ValidationError[], validate: () => R): R | undefined {
    try {
      return validate();
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      errors.push(error);
      return undefined;
    }
  }

  /** Several failures as one: each keeps its section (subject and lines), in order. */
  static combine(errors: readonly ValidationError[]): ValidationError {
    if (errors.length === 1) return errors[0]!;
    const subject = errors.map((e) => e.subject).join("; ");
    return new ValidationError(
      subject,
      errors.flatMap((e) => e.problems),
      errors.map((e) => e.message).join("\n"),
    );
  }
}
