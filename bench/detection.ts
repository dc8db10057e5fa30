/**
 * Part 3, detection and reset time of the SLO burn-rate alerts, driven through promtool.
 *
 * A 99.9% availability SLO (`checkout`, the product's four default window pairs) sees healthy
 * traffic, then a burn at error ratio `factor x 0.1%` (or a full outage), then healthy traffic
 * again. Beside it, one service per window pair (`pair-critical-1h`, ...) reads the same raw
 * series with that single pair, so each pair's alert is measured on its own. The product's rules
 * (`sloRuleGroups`) and the Sloth-style rules of the same SLO (sloth-style.ts, in groups of their
 * own as Sloth makes them) read the same series; `promtool test rules` evaluates them every
 * minute, and one final PromQL query reads, per alert, the first and last minute it was firing.
 *
 * promtool prints the result of a failing `promql_expr_test` exactly (shortest round-trip float),
 * so each query expects nothing and its "got" line is the measurement.
 *
 * Theory (step model, constant traffic, box windows): the error ratio over a window W is the
 * outage's ratio times the share of W it covers; a pair fires when both its windows exceed
 * `factor x budget`: after `W x threshold / ratio` for a window already full of healthy data, never
 * when ratio <= threshold. It resets when the short window S falls below the threshold:
 * `S x (1 - threshold / ratio)` after recovery when the burn lasted at least S.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_BURN_RATE_ALERTS, burnThreshold, detectionBoundSeconds, resolveBoundSeconds, type BurnRateAlert } from "../signals/slo/burn-rate";
import { durationSeconds } from "../model/duration";
import { FIXTURE_ROUTE, requestSeries } from "../signals/http/promtool";
import { renderYaml } from "../kit/render-yaml";
import { parseServiceSpec, type ServiceSpec } from "../signals/service-spec";
import { sloRuleGroups } from "../signals/slo/rules";
import { SLOTH_ALERT, slothStyleGroups } from "./sloth-style";
import { machineInfo, machineLine, writeResult } from "./machine";
import { makeTempDir, removeTempDir, runCommand } from "./processes";
import { prometheusVersion } from "./prometheus";
import { fmt, formatDuration, markdownTable } from "./table";

export interface DetectionOptions {
  readonly smoke: boolean;
}

const OBJECTIVE = 0.999;
const EVENTS_PER_MINUTE = 1000;
const CTX = { environment: "bench", runbookBaseUrl: "https://runbooks.example.com/observability" };
const JOB = "checkout";

interface Scenario {
  readonly name: string;
  /** Error ratio during the burn: factor x budget, or 1 for a full outage. */
  readonly errorRatio: number;
  readonly warmupMinutes: number;
  readonly burnMinutes: number;
  readonly recoveryMinutes: number;
}

function scenarios(smoke: boolean): Scenario[] {
  if (smoke) return [{ name: "full outage", errorRatio: 1, warmupMinutes: 65, burnMinutes: 30, recoveryMinutes: 45 }];
  // Healthy for 3d + 30m first, so every window (up to 3d) starts full of good traffic; each burn
  // lasts until every pair that can fire has fired; recovery covers the longest short window (6h).
  const warmupMinutes = 3 * 1440 + 30;
  const recoveryMinutes = 7 * 60;
  // burnThreshold rounds to 12 digits, so "14.4x" is exactly the 14.4x pair's threshold, 0.0144.
  const burn = (factor: number) => burnThreshold(factor, OBJECTIVE);
  return [
    { name: "full outage", errorRatio: 1, warmupMinutes, burnMinutes: 60, recoveryMinutes },
    { name: "14.4x burn", errorRatio: burn(14.4), warmupMinutes, burnMinutes: 6 * 60, recoveryMinutes },
    { name: "6x burn", errorRatio: burn(6), warmupMinutes, burnMinutes: 13 * 60, recoveryMinutes },
    { name: "3x burn", errorRatio: burn(3), warmupMinutes, burnMinutes: 26 * 60, recoveryMinutes },
    { name: "1x burn", errorRatio: burn(1), warmupMinutes, burnMinutes: 3 * 1440 + 60, recoveryMinutes },
  ];
}

/** The SLO under test with the product's defaults, and one service per window pair on the same series. */
function services(): { main: ServiceSpec; pairs: { pair: BurnRateAlert; service: ServiceSpec }[] } {
  const slo = { name: "availability", kind: "availability" as const, objective: OBJECTIVE };
  const main = parseServiceSpec({ name: "checkout", team: "web", namespace: "checkout", slos: [slo] });
  const pairs = DEFAULT_BURN_RATE_ALERTS.map((pair) => ({
    pair,
    service: parseServiceSpec({
      name: `pair-${pair.severity}-${pair.longWindow}`,
      team: "web",
      namespace: "checkout",
      metrics: { job: JOB },
      slos: [{ ...slo, burnRateAlerts: [pair] }],
    }),
  }));
  return { main, pairs };
}

/** Step-model theory: seconds from burn start to first firing, and from recovery to reset. */
export function theory(pairs: readonly BurnRateAlert[], sc: Scenario): { detect: number; reset: number | "still firing" | undefined } {
  const b0 = sc.warmupMinutes * 60;
  const b1 = b0 + sc.burnMinutes * 60;
  const end = b1 + sc.recoveryMinutes * 60;
  const ratio = (t: number, w: number) => {
    const from = Math.max(0, t - w);
    const bad = Math.max(0, Math.min(t, b1) - Math.max(from, b0));
    return t > from ? (sc.errorRatio * bad) / (t - from) : 0;
  };
  let first: number | undefined;
  let last: number | undefined;
  for (let t = b0; t <= end; t++) {
    const holds = pairs.some((p) => {
      // Exact arithmetic: a ratio equal to the threshold does not exceed it (the tolerance absorbs float noise).
      const thr = burnThreshold(p.factor, OBJECTIVE) * (1 + 1e-9);
      return ratio(t, durationSeconds(p.longWindow)) > thr && ratio(t, durationSeconds(p.shortWindow)) > thr;
    });
    if (holds) {
      first ??= t;
      last = t;
    }
  }
  if (first === undefined) return { detect: Number.POSITIVE_INFINITY, reset: undefined };
  return { detect: first - b0, reset: last! >= end ? "still firing" : Math.max(0, last! + 1 - b1) };
}

interface Measured {
  readonly firstFiringMinute?: number;
  readonly lastFiringMinute?: number;
  readonly firingSamples?: number;
}

const STAT_EXPR = (totalMinutes: number) => {
  const alerts = `ALERTS{alertname=~"SLOErrorBudgetBurn|${SLOTH_ALERT}",alertstate="firing"}`;
  const tag = (expr: string, stat: string) => `label_replace(${expr}, "bench_stat", "${stat}", "", "")`;
  return [
    tag(`min_over_time(timestamp(${alerts})[${totalMinutes}m:1m])`, "first"),
    tag(`max_over_time(timestamp(${alerts})[${totalMinutes}m:1m])`, "last"),
    tag(`count_over_time(${alerts}[${totalMinutes}m])`, "samples"),
  ].join(" or ");
};

/** Runs one scenario through promtool; returns measurements keyed by `service/severity`. */
async function runScenario(sc: Scenario, rulesFile: string, dir: string, main: ServiceSpec): Promise<{ measured: Map<string, Measured>; seconds: number }> {
  const total = sc.warmupMinutes + sc.burnMinutes + sc.recoveryMinutes;
  const bad = EVENTS_PER_MINUTE * sc.errorRatio;
  const phases = [
    { minutes: sc.warmupMinutes, good: EVENTS_PER_MINUTE, bad: 0 },
    { minutes: sc.burnMinutes, good: EVENTS_PER_MINUTE - bad, bad },
    { minutes: sc.recoveryMinutes, good: EVENTS_PER_MINUTE, bad: 0 },
  ];
  const testFile = path.join(dir, `${sc.name.replace(/[^a-z0-9]+/gi, "-")}.test.yaml`);
  fs.writeFileSync(
    testFile,
    renderYaml({
      rule_files: [path.basename(rulesFile)],
      evaluation_interval: "1m",
      tests: [
        {
          name: `bench detection: ${sc.name}`,
          interval: "1m",
          input_series: requestSeries(main, FIXTURE_ROUTE, phases),
          promql_expr_test: [{ expr: STAT_EXPR(total), eval_time: `${total}m`, exp_samples: [] }],
        },
      ],
    }),
  );
  const run = await runCommand("promtool", ["test", "rules", path.basename(testFile)], { cwd: dir, timeoutMs: 30 * 60_000 });
  const output = run.stdout + run.stderr;
  const measured = new Map<string, Measured>();
  const got = output.match(/got: (.*)$/m)?.[1];
  if (run.code === 0) return { measured, seconds: run.wallMs / 1000 }; // nothing ever fired
  if (got === undefined) throw new Error(`promtool test rules failed for "${sc.name}" without a result:\n${output.slice(-3000)}`);
  for (const m of got.matchAll(/\{([^}]*)\} ([-+0-9.eE]+|NaN)/g)) {
    const labels = Object.fromEntries([...m[1]!.matchAll(/([a-zA-Z_]+)="([^"]*)"/g)].map((l) => [l[1]!, l[2]!]));
    const key = `${labels.alertname === SLOTH_ALERT ? "sloth-style:" : ""}${labels.service}/${labels.severity}`;
    const value = Number(m[2]);
    const entry = { ...(measured.get(key) ?? {}) } as { firstFiringMinute?: number; lastFiringMinute?: number; firingSamples?: number };
    if (labels.bench_stat === "first") entry.firstFiringMinute = value / 60;
    else if (labels.bench_stat === "last") entry.lastFiringMinute = value / 60;
    else entry.firingSamples = value;
    measured.set(key, entry);
  }
  return { measured, seconds: run.wallMs / 1000 };
}

async function pool<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!);
      }
    }),
  );
  return results;
}

const windowsText = (pairs: readonly BurnRateAlert[]) => pairs.map((p) => `${p.factor}x ${p.longWindow}/${p.shortWindow}`).join(" or ");

export async function runDetection(options: DetectionOptions): Promise<Record<string, unknown>> {
  console.log(`\n## Detection and reset time (99.9% availability SLO, promtool, 1m evaluation)`);
  const version = await prometheusVersion();
  const { main, pairs } = services();
  const dir = makeTempDir("detection");
  try {
    const rulesFile = path.join(dir, "rules.yaml");
    // The Sloth-style rules of the same SLO beside the product's, on the same series.
    const groups = [...[main, ...pairs.map((p) => p.service)].flatMap((s) => sloRuleGroups(s, s.slos, CTX)), ...slothStyleGroups(main)];
    fs.writeFileSync(rulesFile, renderYaml({ groups }));
    const list = scenarios(options.smoke);
    const runs = await pool(list, Math.max(1, os.availableParallelism()), async (sc) => {
      const r = await runScenario(sc, rulesFile, dir, main);
      console.log(`  ${sc.name}: promtool ${fmt(r.seconds)} s (${sc.warmupMinutes + sc.burnMinutes + sc.recoveryMinutes} minutes evaluated)`);
      return r;
    });
    const rows: string[][] = [];
    const records: Record<string, unknown>[] = [];
    list.forEach((sc, i) => {
      const measured = runs[i]!.measured;
      const subjects = [
        ...pairs.map((p) => ({
          key: `${p.service.name}/${p.pair.severity}`,
          severity: p.pair.severity,
          pairs: [p.pair],
          label: `${p.pair.severity}, ${windowsText([p.pair])}`,
        })),
        ...(["critical", "warning"] as const).map((severity) => {
          const ps = DEFAULT_BURN_RATE_ALERTS.filter((a) => a.severity === severity);
          return { key: `${main.name}/${severity}`, severity, pairs: ps, label: `${severity} alert as deployed (${windowsText(ps)})` };
        }),
        ...(["critical", "warning"] as const).map((severity) => {
          const ps = DEFAULT_BURN_RATE_ALERTS.filter((a) => a.severity === severity);
          return { key: `sloth-style:${main.name}/${severity}`, severity, pairs: ps, label: `Sloth-style ${severity} (${windowsText(ps)})` };
        }),
      ];
      for (const subject of subjects) {
        const th = theory(subject.pairs, sc);
        const m = measured.get(subject.key);
        const detectSeconds = m?.firstFiringMinute !== undefined ? m.firstFiringMinute * 60 - sc.warmupMinutes * 60 : undefined;
        const recovery = (sc.warmupMinutes + sc.burnMinutes) * 60;
        const total = (sc.warmupMinutes + sc.burnMinutes + sc.recoveryMinutes) * 60;
        const lastSeconds = m?.lastFiringMinute !== undefined ? m.lastFiringMinute * 60 : undefined;
        const resetSeconds = lastSeconds === undefined ? undefined : lastSeconds >= total ? "still firing" : lastSeconds + 60 - recovery;
        const span = m?.firstFiringMinute !== undefined && m.lastFiringMinute !== undefined ? m.lastFiringMinute - m.firstFiringMinute + 1 : 0;
        const gaps = m?.firingSamples !== undefined && m.firingSamples < span ? span - m.firingSamples : 0;
        const bound = Math.min(...subject.pairs.map((p) => detectionBoundSeconds(p, OBJECTIVE, sc.errorRatio)));
        const resetBound = Math.max(...subject.pairs.map((p) => resolveBoundSeconds(p)));
        const fmtReset = (r: number | "still firing" | undefined) =>
          r === undefined ? "-" : r === "still firing" ? `still firing after ${formatDuration(sc.recoveryMinutes * 60)}` : formatDuration(r);
        const onBoundary = subject.pairs.filter((p) => Math.abs(sc.errorRatio - burnThreshold(p.factor, OBJECTIVE)) < 1e-12);
        const notes: string[] = [];
        const early = detectSeconds !== undefined && (!Number.isFinite(th.detect) || detectSeconds < th.detect - 60);
        if (early && onBoundary.length > 0) {
          notes.push(`burn = threshold of ${windowsText(onBoundary)}: its ratio sits exactly on the threshold and fires on float rounding`);
        } else if (early) {
          notes.push("fires earlier than theory");
        }
        if (Number.isFinite(th.detect) && detectSeconds === undefined) notes.push("MISSED: theory says it fires");
        if (detectSeconds !== undefined && Number.isFinite(bound) && detectSeconds > bound) notes.push("ABOVE the product's bound");
        if (gaps > 0) notes.push(`${gaps} min not firing inside the episode`);
        rows.push([
          sc.name,
          subject.label,
          formatDuration(th.detect),
          detectSeconds === undefined ? "never" : formatDuration(detectSeconds),
          formatDuration(bound),
          fmtReset(th.reset),
          fmtReset(resetSeconds),
          Number.isFinite(bound) ? formatDuration(resetBound) : "-",
          notes.join("; "),
        ]);
        records.push({
          scenario: sc.name,
          errorRatio: sc.errorRatio,
          alert: subject.label,
          service: subject.key,
          theoryDetectSeconds: Number.isFinite(th.detect) ? th.detect : null,
          measuredDetectSeconds: detectSeconds ?? null,
          productDetectionBoundSeconds: Number.isFinite(bound) ? bound : null,
          theoryResetSeconds: th.reset ?? null,
          measuredResetSeconds: resetSeconds ?? null,
          productResetBoundSeconds: Number.isFinite(bound) ? resetBound : null,
          firingMinutesMissingInEpisode: gaps,
          notes,
          raw: m ?? null,
        });
      }
    });
    const table = markdownTable(
      [
        "scenario",
        "alert (severity, windows)",
        "expected detection",
        "measured detection",
        "product bound",
        "expected reset",
        "measured reset",
        "reset bound",
        "note",
      ],
      rows,
    );
    console.log(`\n${table}\n`);
    const machine = machineInfo(version);
    console.log(`Machine: ${machineLine(machine)}`);
    const body = {
      part: "detection",
      date: new Date().toISOString(),
      machine,
      smoke: options.smoke,
      objective: OBJECTIVE,
      eventsPerMinute: EVENTS_PER_MINUTE,
      scenarios: list,
      method:
        "promtool test rules over the product's SLO rule groups (sloRuleGroups), input every 1m, evaluation every 1m. Detection = first minute the alert " +
        "is firing minus the burn start; reset = first minute it is no longer firing minus the recovery start. 'expected' = step-model theory with box " +
        "windows and instant evaluation (W x threshold / ratio; S x (1 - threshold / ratio)); 'product bound' = detectionBoundSeconds / resolveBoundSeconds " +
        "of alert-rules/burn-rate.ts (theory + 5m base rate + 1m scrape + 1m evaluation), the bound the product's own promtool tests assert.",
      results: records,
      promtoolSeconds: runs.map((r, i) => ({ scenario: list[i]!.name, seconds: r.seconds })),
      table,
    };
    console.log(`wrote ${writeResult("detection", options.smoke, body)}`);
    return body;
  } finally {
    removeTempDir(dir);
  }
}
