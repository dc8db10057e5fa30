/**
 * Prometheus durations (`30s`, `5m`, `1h30m`, `3d`): one validated type for profiles and rules, as
 * strings where a config or rule holds them and as seconds where maths needs them.
 */
import { z } from "zod";

/** Units of a Prometheus duration, smallest first. */
export type DurationUnit = "ms" | "s" | "m" | "h" | "d" | "w" | "y";

declare const validated: unique symbol;

/**
 * A Prometheus duration. A literal with one unit (`"5m"`, `"15d"`) type-checks as it is; any other
 * string becomes one only through {@link parseDuration} or {@link durationSchema}, so a bare
 * `string` never reaches a `for:` or a range by accident.
 */
export type Duration = `${number}${DurationUnit}` | (string & { readonly [validated]: true });

const UNIT_SECONDS: Readonly<Record<DurationUnit, number>> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  y: 31_536_000,
};

const DURATION_PATTERN = /^(\d+(ms|s|m|h|d|w|y))+$/;

/** What every duration error says is allowed. */
export const DURATION_FORM = "a duration such as 30s, 5m, 1h30m, 2d";

/** True when `text` is a Prometheus duration (units ms, s, m, h, d, w, y; several may follow each other). */
export function isDuration(text: string): text is Duration {
  return DURATION_PATTERN.test(text);
}

/** `text` as a {@link Duration}; throws naming the value otherwise. */
export function parseDuration(text: string): Duration {
  if (!isDuration(text)) throw new Error(`duration must be ${DURATION_FORM}, got ${JSON.stringify(text)}`);
  return text;
}

/** Seconds in a Prometheus duration: `1h30m` -> 5400. Throws on anything else. */
export function durationSeconds(text: Duration): number {
  parseDuration(text);
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) {
    total += Number(amount) * UNIT_SECONDS[unit as DurationUnit];
  }
  return total;
}

/**
 * The shortest duration string for whole seconds, largest units first: 5400 -> `1h30m`,
 * 259200 -> `3d`, 0 -> `0s`.
 */
export function formatDuration(seconds: number): Duration {
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw new Error(`seconds must be a non-negative integer, got ${seconds}`);
  }
  if (seconds === 0) return "0s";
  let rest = seconds;
  let text = "";
  for (const unit of ["d", "h", "m", "s"] as const) {
    const size = UNIT_SECONDS[unit];
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return parseDuration(text);
}

/** The zod schema of a duration field: validates the form and yields a {@link Duration}. */
export const durationSchema = z
  .string()
  .refine(isDuration, `must be ${DURATION_FORM}`)
  .transform((text) => text as Duration);

/** A duration that must be longer than zero: intervals, retention, `for`. */
export const positiveDurationSchema = z
  .string()
  .refine(isDuration, `must be ${DURATION_FORM}`)
  .refine((text) => !isDuration(text) || durationSeconds(text) > 0, "must be longer than 0s")
  .transform((text) => text as Duration);
