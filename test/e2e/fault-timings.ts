/**
 * Detection and resolve times measured by the end-to-end test, printed as a table at its end:
 * real seconds on the compressed pipeline, and those times the factor, an estimate of the
 * environment's own timing.
 */

/** One alert's timing for one injected fault. */
export interface FaultTiming {
  readonly fault: string;
  readonly alert: string;
  readonly receiver: string;
  /** Fault injected -> first firing notification at the sink, in seconds. */
  readonly detectionSeconds: number;
  /** Fault cleared -> resolved notification at the sink, in seconds (undefined when not awaited). */
  readonly resolveSeconds?: number;
  /** How the resolve time is counted when not from clearing the fault. */
  readonly resolveNote?: string;
}

/** Collects timings as the phases of the test measure them. */
export class FaultTimings {
  private readonly rows: FaultTiming[] = [];

  constructor(private readonly factor: number) {}

  add(row: FaultTiming): void {
    this.rows.push(row);
  }

  /** Sets the resolve time (or only a note, when none is measured) of the row of `fault` and `alert`. */
  resolved(fault: string, alert: string, seconds: number | undefined, note?: string): void {
    const i = this.rows.findIndex((r) => r.fault === fault && r.alert === alert);
    if (i < 0) throw new Error(`no detection recorded for ${fault} / ${alert}`);
    this.rows[i] = { ...this.rows[i]!, ...(seconds !== undefined ? { resolveSeconds: seconds } : {}), ...(note ? { resolveNote: note } : {}) };
  }

  all(): readonly FaultTiming[] {
    return this.rows;
  }

  /** A markdown table of every row. */
  table(): string {
    const f = this.factor;
    const s = (x: number | undefined) => (x === undefined ? "-" : x.toFixed(1));
    const env = (x: number | undefined) => (x === undefined ? "-" : formatMinutes(x * f));
    const lines = [
      `| fault | alert | receiver | detection s | resolve s | x${f}: detection | x${f}: resolve |`,
      "|---|---|---|---|---|---|---|",
      ...this.rows.map(
        (r) =>
          `| ${r.fault} | ${r.alert} | ${r.receiver} | ${s(r.detectionSeconds)} | ${s(r.resolveSeconds)}${r.resolveNote ? ` (${r.resolveNote})` : ""} | ${env(r.detectionSeconds)} | ${env(r.resolveSeconds)} |`,
      ),
    ];
    return lines.join("\n");
  }
}

/** `754` -> `12m34s`. */
export function formatMinutes(seconds: number): string {
  const total = Math.round(seconds);
  const m = Math.floor(total / 60);
  return m > 0 ? `${m}m${String(total % 60).padStart(2, "0")}s` : `${total}s`;
}

/** Seconds between two `Date.now()` values. */
export function secondsBetween(fromMs: number, toMs: number): number {
  return (toMs - fromMs) / 1000;
}
