/**
 * Synthetic history into TSDB blocks: OpenMetrics text, one file per aligned 2h window, each
 * imported with `promtool tsdb create-blocks-from openmetrics`.
 *
 * Why one file per window: Prometheus 2.42's backfill cuts 2h blocks and re-reads the whole input
 * for each of them, so one file spanning days would be parsed once per 2h. Files cut on the same
 * 2h boundaries are parsed once, and the next file is written while promtool imports the previous.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runCommand } from "./processes";
import type { SyntheticSeries } from "./synthetic-metrics";
import { valueAt } from "./synthetic-metrics";

const BLOCK_SECONDS = 2 * 3600;

/** Series sampled every `stepSeconds` from `fromSeconds` to `toSeconds` (both aligned to the step). */
export interface SeriesSpan {
  readonly series: readonly SyntheticSeries[];
  readonly fromSeconds: number;
  readonly toSeconds: number;
}

export interface BackfillOptions {
  readonly spans: readonly SeriesSpan[];
  readonly stepSeconds: number;
  readonly originSeconds: number;
  /** Where the blocks go. */
  readonly blocksDir: string;
  /** Scratch directory for the OpenMetrics files (each is removed once imported). */
  readonly scratchDir: string;
  readonly promtool: string;
  readonly log?: (line: string) => void;
}

export interface BackfillStats {
  readonly files: number;
  readonly samples: number;
  readonly bytes: number;
  readonly generateSeconds: number;
  readonly importSeconds: number;
  readonly wallSeconds: number;
}

/** Writes the samples of every span inside [w0, w1) to `file`; returns samples and bytes written. */
function writeWindow(file: string, spans: readonly SeriesSpan[], w0: number, w1: number, step: number, origin: number): { samples: number; bytes: number } {
  const fd = fs.openSync(file, "w");
  let buffer: string[] = [];
  let size = 0;
  let samples = 0;
  let bytes = 0;
  const flush = () => {
    const text = buffer.join("");
    fs.writeSync(fd, text);
    bytes += text.length;
    buffer = [];
    size = 0;
  };
  try {
    for (const span of spans) {
      const from = Math.max(span.fromSeconds, Math.ceil(w0 / step) * step);
      const to = Math.min(span.toSeconds, w1 - 1);
      if (from > to) continue;
      for (const s of span.series) {
        const prefix = `${s.id} `;
        for (let t = from; t <= to; t += step) {
          const line = `${prefix}${valueAt(s, t, origin)} ${t}\n`;
          buffer.push(line);
          size += line.length;
          samples++;
        }
        if (size > 8 * 1024 * 1024) flush();
      }
    }
    buffer.push("# EOF\n");
    flush();
  } finally {
    fs.closeSync(fd);
  }
  return { samples, bytes };
}

/** Generates and imports every window; at most one import runs while the next file is written. */
export async function backfill(options: BackfillOptions): Promise<BackfillStats> {
  const started = Date.now();
  const from = Math.min(...options.spans.map((s) => s.fromSeconds));
  const to = Math.max(...options.spans.map((s) => s.toSeconds));
  fs.mkdirSync(options.blocksDir, { recursive: true });
  fs.mkdirSync(options.scratchDir, { recursive: true });
  let files = 0;
  let samples = 0;
  let bytes = 0;
  let generateMs = 0;
  let importMs = 0;
  let pending: Promise<void> | undefined;
  const windows: number[] = [];
  for (let w = Math.floor(from / BLOCK_SECONDS) * BLOCK_SECONDS; w <= to; w += BLOCK_SECONDS) windows.push(w);
  for (const [i, w0] of windows.entries()) {
    const file = path.join(options.scratchDir, `window-${i}.om`);
    const g = Date.now();
    const written = writeWindow(file, options.spans, w0, w0 + BLOCK_SECONDS, options.stepSeconds, options.originSeconds);
    generateMs += Date.now() - g;
    await pending;
    if (written.samples === 0) {
      fs.rmSync(file, { force: true });
      continue;
    }
    files++;
    samples += written.samples;
    bytes += written.bytes;
    const importStarted = Date.now();
    pending = runCommand(options.promtool, ["tsdb", "create-blocks-from", "openmetrics", "--quiet", file, options.blocksDir], { timeoutMs: 600_000 }).then(
      (r) => {
        importMs += Date.now() - importStarted;
        fs.rmSync(file, { force: true });
        if (r.code !== 0) throw new Error(`promtool tsdb create-blocks-from openmetrics failed (${r.code}) on window ${i}:\n${r.stderr.slice(-2000)}`);
      },
    );
    // Keep a rejected import from being reported as unhandled before it is awaited.
    pending.catch(() => undefined);
    if (options.log && (i % 12 === 11 || i === windows.length - 1)) {
      options.log(
        `    backfill: ${i + 1}/${windows.length} windows, ${(samples / 1e6).toFixed(1)}M samples, ${(bytes / 1024 ** 3).toFixed(2)} GiB OpenMetrics`,
      );
    }
  }
  await pending;
  return { files, samples, bytes, generateSeconds: generateMs / 1000, importSeconds: importMs / 1000, wallSeconds: (Date.now() - started) / 1000 };
}
