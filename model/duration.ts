/**
 * Prometheus durations (`30s`, `5m`, `1h30m`, `3d`) as strings in rules and as seconds in maths.
 */

/** A Prometheus duration string such as `5m` or `1h30m`. */
export type Duration = string;

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  y: 31_536_000,
};

const DURATION_PATTERN = /^(\d+(ms|s|m|h|d|w|y))+$/;

/** True when `text` is a Prometheus duration (units ms, s, m, h, d, w, y; several may follow each other). */
export function isDuration(text: string): boolean {
  return DURATION_PATTERN.test(text);
}

/** Seconds in a Prometheus duration: `1h30m` -> 5400. Throws on anything else. */
export function durationSeconds(text: Duration): number {
  if (!isDuration(text)) {
    throw new Error(`duration must be a Prometheus duration such as 30s, 5m, 1h30m, got ${JSON.stringify(text)}`);
  }
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) {
    total += Number(amount) * UNIT_SECONDS[unit!]!;
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
    const size = UNIT_SECONDS[unit]!;
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return text;
}
