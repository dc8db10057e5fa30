/**
 * Healthy history for a fresh Prometheus. The SLO burn-rate windows (up to 3d, 72m at factor 60)
 * read only the recorded `slo:sli_good:rate5m` and `slo:sli_total:rate5m`; on an empty TSDB they
 * would hold a few seconds, and a slow-burn ticket would fire before the fast-burn page, which no
 * long-running environment does. So before Prometheus starts, `promtool tsdb create-blocks-from
 * openmetrics` writes the longest window of those two series, at the demo's healthy rates, into its
 * data directory: the pipeline starts as if it had watched healthy services all along.
 */
import { writeFileSync } from "node:fs";
import type { ServiceSpec } from "../../signals/service-spec";
import { SLO_SERIES, sloLabels } from "../../signals/slo/rules";
import type { WorkloadOptions } from "../../demo-service";
import { healthySliRates } from "../../signals/slo/simulation";
import { durationMs } from "./time-compression";
import { runCheck, TOOLS } from "./tool-checks";

/** Options of {@link healthySloHistory}. */
export interface HistoryOptions {
  readonly services: readonly ServiceSpec[];
  /** The demo's workload, so history and live rates match. @default DEFAULT_WORKLOAD */
  readonly workload?: WorkloadOptions;
  /** Last sample time (`Date.now()` scale). */
  readonly endMs: number;
  /** How far back history goes, in milliseconds. */
  readonly lengthMs: number;
  /** Milliseconds between samples: the rule evaluation interval. */
  readonly stepMs: number;
}

/** The longest burn-rate window any SLO of the services alerts on, in milliseconds of the environment's timing. */
export function longestSloWindowMs(services: readonly ServiceSpec[]): number {
  return Math.max(0, ...services.flatMap((s) => s.slos.flatMap((slo) => slo.burnRateAlerts.map((a) => durationMs(a.longWindow)))));
}

const labelText = (labels: Readonly<Record<string, string>>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`)
    .join(",");

/** The recorded SLI rates of every SLO of `services`, healthy, as an OpenMetrics text with timestamps. */
export function healthySloHistory(options: HistoryOptions): string {
  const slos = options.services.flatMap((service) =>
    service.slos.map((slo) => ({ labels: labelText(sloLabels(service, slo)), rates: healthySliRates(service.slos, slo, options.workload) })),
  );
  const first = options.endMs - options.lengthMs;
  const lines: string[] = [];
  for (const [key, name] of [
    ["good", SLO_SERIES.goodRate],
    ["total", SLO_SERIES.totalRate],
  ] as const) {
    lines.push(`# TYPE ${name} gauge`);
    for (const slo of slos) {
      for (let t = first; t <= options.endMs; t += options.stepMs) lines.push(`${name}{${slo.labels}} ${slo.rates[key]} ${(t / 1000).toFixed(3)}`);
    }
  }
  return `${lines.join("\n")}\n# EOF\n`;
}

/** Writes the history to `file` and turns it into TSDB blocks under `dataDir` with promtool. */
export function backfillHistory(options: HistoryOptions, file: string, dataDir: string): void {
  writeFileSync(file, healthySloHistory(options));
  runCheck(TOOLS.promtool, ["tsdb", "create-blocks-from", "openmetrics", file, dataDir]);
}
