/**
 * Part 2, rule-evaluation cost: the product's rules for N generated services and a Sloth-style
 * baseline (sloth-style.ts), loaded into two real Prometheus processes running side by side over
 * copies of the same synthetic TSDB, scraping the same live exporter.
 *
 * 1. A live exporter serves every service's series (synthetic-metrics.ts) on loopback.
 * 2. History up to now is backfilled with promtool: raw series over `rawSpan` (3d + 15m by default,
 *    so the longest raw window, 3d, is full), and every series both rule sets record, with their
 *    steady values, over the same span, those read over the whole SLO period (the product's 1h
 *    rates, Sloth's 5m ratio) over the period + 15m (30d): as a Prometheus that has run them for a
 *    month holds.
 * 3. A first Prometheus, with no rules and no scrapes, compacts the 2h blocks as a long-running one
 *    would have; it is stopped and its TSDB copied for the two measured instances.
 * 4. Samples read: every rule expression of the product's SLO groups and of the baseline is run as
 *    an instant query at the end of the history with `stats=all`, and the query API's
 *    `samples.totalQueryableSamples` summed, per evaluation (each rule once) and per hour (each
 *    group at its own interval).
 * 5. Product and baseline run at the same time; after warm-up their own /metrics are sampled every
 *    evaluation interval: `prometheus_rule_group_last_duration_seconds` (summed per rule set),
 *    `prometheus_rule_evaluation_duration_seconds`, samples written per evaluation, CPU seconds.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { stringify } from "yaml";
import { durationSeconds } from "../model/duration";
import { buildAllArtifacts } from "../app";
import { renderYaml } from "../kit/render-yaml";
import type { RuleGroup } from "../kit/rule-types";
import type { ServiceSpec } from "../signals/service-spec";
import { backfill, type BackfillStats } from "./backfill";
import { generateCatalog } from "./catalog-generator";
import { machineInfo, machineLine, writeResult } from "./machine";
import { slothErrorRatio, slothPeriodSeries, slothRecordedSeries, slothStyleGroups } from "./sloth-style";
import { makeTempDir, removeTempDir } from "./processes";
import { copyTsdb, PrometheusInstance, prometheusVersion, sleep } from "./prometheus";
import { cardinality, catalogSeries, exposition, isPeriodSloSeries, recordedSloSeries, steadySli, type SyntheticSeries } from "./synthetic-metrics";
import { fmt, formatDuration, markdownTable, median } from "./table";

export interface RulesOptions {
  readonly services: number;
  readonly smoke: boolean;
}

interface Settings {
  readonly intervalSeconds: number;
  readonly rawSpanSeconds: number;
  readonly recordedSpanSeconds: number;
  readonly samples: number;
  readonly precompact: boolean;
}

function settings(smoke: boolean): Settings {
  return smoke
    ? { intervalSeconds: 3, rawSpanSeconds: 20 * 60, recordedSpanSeconds: 20 * 60, samples: 2, precompact: false }
    : // The prod profile's scrape and evaluation interval (environments/prod.ts).
      { intervalSeconds: 30, rawSpanSeconds: 3 * 86_400 + 15 * 60, recordedSpanSeconds: 30 * 86_400 + 15 * 60, samples: 10, precompact: true };
}

/** The exporter: `/metrics/<service>` serves that service's live series. */
async function startExporter(): Promise<{
  server: http.Server;
  port: number;
  serve: (name: string, series: readonly SyntheticSeries[], origin: number) => void;
}> {
  const routes = new Map<string, { series: readonly SyntheticSeries[]; origin: number }>();
  const server = http.createServer((req, res) => {
    const name = req.url?.match(/^\/metrics\/([a-z0-9-]+)/)?.[1];
    const entry = name ? routes.get(name) : undefined;
    if (!entry) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4" });
    res.end(exposition(entry.series, Math.floor(Date.now() / 1000), entry.origin));
  });
  // Port 0: the kernel assigns a free port at bind, with no window for another process to take it.
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return { server, port, serve: (name, series, origin) => routes.set(name, { series, origin }) };
}

function prometheusConfig(services: readonly ServiceSpec[], exporterPort: number, intervalSeconds: number, ruleGlob: string | undefined): string {
  return stringify({
    global: { scrape_interval: `${intervalSeconds}s`, evaluation_interval: `${intervalSeconds}s`, scrape_timeout: `${Math.min(intervalSeconds, 10)}s` },
    ...(ruleGlob ? { rule_files: [ruleGlob] } : {}),
    scrape_configs: services.map((s) => ({
      job_name: s.metrics.job,
      honor_labels: true,
      metrics_path: `/metrics/${s.name}`,
      static_configs: [{ targets: [`127.0.0.1:${exporterPort}`] }],
    })),
  });
}

/** Starts a rule-less, scrape-less Prometheus on `dataDir` and waits until compaction has finished. */
async function precompact(
  dataDir: string,
  configFile: string,
  logFile: string,
  log: (s: string) => void,
): Promise<{ seconds: number; blocksBefore: number; blocksAfter: number }> {
  const started = Date.now();
  const blocks = () => fs.readdirSync(dataDir).filter((d) => /^[0-9A-Z]{26}$/.test(d)).length;
  const blocksBefore = blocks();
  const prom = await PrometheusInstance.start({ label: "compaction", configFile, dataDir, logFile, extraArgs: ["--storage.tsdb.retention.time=400d"] });
  try {
    let previous = "";
    const deadline = Date.now() + 20 * 60_000;
    for (;;) {
      await sleep(5_000);
      const m = await prom.selfMetrics();
      const triggered = m.get("prometheus_tsdb_compactions_triggered_total") ?? 0;
      const tmp = fs.readdirSync(dataDir).some((d) => d.includes(".tmp"));
      const state = `${m.get("prometheus_tsdb_compactions_total")}/${m.get("prometheus_tsdb_blocks_loaded")}`;
      if (triggered >= 1 && !tmp && state === previous) break;
      previous = tmp ? "" : state;
      if (Date.now() > deadline) throw new Error(`compaction did not settle in 20 min:\n${prom.logTail()}`);
    }
    const m = await prom.selfMetrics();
    log(
      `    compaction: ${m.get("prometheus_tsdb_compactions_total")} compactions, ${blocksBefore} -> ${m.get("prometheus_tsdb_blocks_loaded")} blocks in ${fmt((Date.now() - started) / 1000)} s`,
    );
  } finally {
    await prom.stop();
  }
  return { seconds: (Date.now() - started) / 1000, blocksBefore, blocksAfter: blocks() };
}

/** The sets of rule groups compared, by `rule_group` label (`<file>;<group>`). */
type RuleSet = "product SLO groups" | "product other groups" | "Sloth-style baseline";

function ruleSetOf(instance: "product" | "baseline", ruleGroup: string): RuleSet {
  if (instance === "baseline") return "Sloth-style baseline";
  return /;[^;]*\.slo\.[^;]*$/.test(ruleGroup) ? "product SLO groups" : "product other groups";
}

interface Sample {
  readonly at: string;
  /** Sum of `prometheus_rule_group_last_duration_seconds` per rule set. */
  readonly lastDurationSeconds: Record<RuleSet, number>;
  /** Slowest single group per set. */
  readonly slowestGroupSeconds: Record<RuleSet, number>;
  /** Sum of `prometheus_rule_group_last_evaluation_samples` per set: samples each evaluation writes. */
  readonly samplesPerEvaluation: Record<RuleSet, number>;
}

function emptySets(): Record<RuleSet, number> {
  return { "product SLO groups": 0, "product other groups": 0, "Sloth-style baseline": 0 };
}

function addSample(
  into: { last: Record<RuleSet, number>; slowest: Record<RuleSet, number>; samples: Record<RuleSet, number> },
  instance: "product" | "baseline",
  metrics: Map<string, number>,
): void {
  for (const [key, value] of metrics) {
    const group = key.match(/rule_group="([^"]*)"/)?.[1];
    if (group === undefined) continue;
    const set = ruleSetOf(instance, group);
    if (key.startsWith("prometheus_rule_group_last_duration_seconds{")) {
      into.last[set] += value;
      into.slowest[set] = Math.max(into.slowest[set], value);
    } else if (key.startsWith("prometheus_rule_group_last_evaluation_samples{")) {
      into.samples[set] += value;
    }
  }
}

function sumMatching(metrics: Map<string, number>, prefix: string): number {
  let total = 0;
  for (const [k, v] of metrics) if (k === prefix || k.startsWith(`${prefix}{`)) total += v;
  return total;
}

function minMatching(metrics: Map<string, number>, prefix: string): number {
  let min = Number.POSITIVE_INFINITY;
  for (const [k, v] of metrics) if (k.startsWith(`${prefix}{`)) min = Math.min(min, v);
  return min;
}

function quantiles(metrics: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const q of ["0.5", "0.9", "0.99"]) out[q] = metrics.get(`prometheus_rule_evaluation_duration_seconds{quantile="${q}"}`) ?? Number.NaN;
  return out;
}

/** Samples one rule set reads: per evaluation (each rule once), per hour (each group at its interval), per rule. */
interface SamplesRead {
  readonly slos: number;
  readonly rules: number;
  readonly perEvaluation: number;
  readonly perHour: number;
  readonly byRule: Record<string, number>;
}

/**
 * Runs every rule expression of `groups` as an instant query at `atSeconds` with `stats=all` and
 * sums the samples each reads. Rules are keyed by record name (or alert and severity) for the
 * breakdown, summed over the SLOs.
 */
async function samplesRead(
  instance: PrometheusInstance,
  groups: readonly RuleGroup[],
  atSeconds: number,
  globalIntervalSeconds: number,
  slos: number,
): Promise<SamplesRead> {
  let perEvaluation = 0;
  let perHour = 0;
  let rules = 0;
  const byRule: Record<string, number> = {};
  for (const group of groups) {
    const interval = group.interval === undefined ? globalIntervalSeconds : durationSeconds(group.interval);
    for (const rule of group.rules) {
      const samples = await instance.samplesRead(rule.expr, atSeconds);
      const key = "record" in rule ? rule.record : `${rule.alert} ${rule.labels?.severity ?? ""}`.trim();
      byRule[key] = (byRule[key] ?? 0) + samples;
      perEvaluation += samples;
      perHour += (samples * 3600) / interval;
      rules++;
    }
  }
  return { slos, rules, perEvaluation, perHour, byRule };
}

export async function runRuleEvaluation(options: RulesOptions): Promise<Record<string, unknown>> {
  const s = settings(options.smoke);
  const log = (line: string) => console.log(line);
  console.log(`\n## Rule-evaluation cost (${options.services} services; product vs Sloth-style baseline, two Prometheus side by side)`);
  const version = await prometheusVersion();
  const services = generateCatalog(options.services);
  const card = cardinality();
  const tmp = makeTempDir("rules");
  const exporter = await startExporter();
  const instances: PrometheusInstance[] = [];
  try {
    // History ends now (aligned to the interval); counters started a day before the oldest sample.
    const end = Math.floor(Date.now() / 1000 / s.intervalSeconds) * s.intervalSeconds;
    const origin = end - s.recordedSpanSeconds - 86_400;
    const scrapeInstance = `127.0.0.1:${exporter.port}`;
    const live = catalogSeries(services, scrapeInstance);
    services.forEach((svc, i) =>
      exporter.serve(
        svc.name,
        live[i]!.filter((x) => !x.id.startsWith("up{")),
        origin,
      ),
    );
    const raw = live.flat();
    const sloth = services.flatMap((svc) =>
      svc.slos.map((slo) => {
        const sli = steadySli(svc, slo);
        const ratio = (sli.total - sli.good) / sli.total;
        return { all: slothRecordedSeries(svc, slo, ratio), period: slothPeriodSeries(svc, slo, ratio) };
      }),
    );
    const productRecorded = services.flatMap(recordedSloSeries);
    const slothPeriodIds = new Set(sloth.flatMap((x) => x.period.map((p) => p.id)));
    const recordedLong = [...productRecorded.filter(isPeriodSloSeries), ...sloth.flatMap((x) => x.period)];
    const recordedShort = [...productRecorded.filter((x) => !isPeriodSloSeries(x)), ...sloth.flatMap((x) => x.all).filter((x) => !slothPeriodIds.has(x.id))];
    const recorded = [...recordedLong, ...recordedShort];
    log(
      `  ${raw.length} raw series (${card.requestSeries} request + ${card.histogramSeries} histogram series per service), ${recorded.length} recorded SLO series; backfilling ${formatDuration(s.rawSpanSeconds)} raw, ${formatDuration(s.recordedSpanSeconds)} recorded, every ${s.intervalSeconds}s`,
    );
    const blocksDir = path.join(tmp, "tsdb");
    const stats: BackfillStats = await backfill({
      spans: [
        { series: raw, fromSeconds: end - s.rawSpanSeconds, toSeconds: end },
        { series: recordedShort, fromSeconds: end - s.rawSpanSeconds, toSeconds: end },
        { series: recordedLong, fromSeconds: end - s.recordedSpanSeconds, toSeconds: end },
      ],
      stepSeconds: s.intervalSeconds,
      originSeconds: origin,
      blocksDir,
      scratchDir: path.join(tmp, "openmetrics"),
      promtool: "promtool",
      log,
    });
    log(
      `    backfill: ${fmt(stats.samples / 1e6)}M samples in ${stats.files} files, ${fmt(stats.wallSeconds)} s (generate ${fmt(stats.generateSeconds)} s, promtool ${fmt(stats.importSeconds)} s)`,
    );

    // Rule files: the product's for the prod environment, and the Sloth-style baseline.
    const prod = buildAllArtifacts(undefined, services).find((e) => e.profile.name === "prod");
    if (!prod) throw new Error("no prod environment in buildAllArtifacts()");
    const productRules = path.join(tmp, "rules-product");
    const baselineRules = path.join(tmp, "rules-baseline");
    fs.mkdirSync(productRules);
    fs.mkdirSync(baselineRules);
    // Every group at the bench's interval, the budget groups (5m in production) included: the cost
    // per interval is then comparable group by group, and the warm-up need not wait for 5m groups.
    // This overstates the budget rule's share tenfold (see the README's Performance section).
    const atBenchInterval = (groups: readonly RuleGroup[]) => groups.map(({ interval: _interval, ...g }) => g);
    for (const f of prod.ruleFiles) fs.writeFileSync(path.join(productRules, f.fileName), renderYaml({ groups: atBenchInterval(f.groups) }));
    fs.writeFileSync(path.join(baselineRules, "sloth-style.yaml"), renderYaml({ groups: services.flatMap(slothStyleGroups) }));
    const ruleCount = (groups: readonly { rules: readonly unknown[] }[]) => groups.reduce((n, g) => n + g.rules.length, 0);
    const productGroups = prod.ruleFiles.flatMap((f) => f.groups);
    const productSloGroups = productGroups.filter((g) => g.name.includes(".slo."));
    const baselineGroups = services.flatMap(slothStyleGroups);

    const emptyConfig = path.join(tmp, "compaction.yaml");
    fs.writeFileSync(emptyConfig, prometheusConfig([], exporter.port, s.intervalSeconds, undefined));
    const compaction = s.precompact ? await precompact(blocksDir, emptyConfig, path.join(tmp, "compaction.log"), log) : undefined;

    const setups = [
      { label: "product" as const, rules: productRules },
      { label: "baseline" as const, rules: baselineRules },
    ];
    for (const setup of setups) {
      copyTsdb(blocksDir, path.join(tmp, `data-${setup.label}`));
      fs.writeFileSync(path.join(tmp, `${setup.label}.yaml`), prometheusConfig(services, exporter.port, s.intervalSeconds, path.join(setup.rules, "*.yaml")));
    }
    removeTempDir(blocksDir);
    log(`  starting product and baseline Prometheus side by side`);
    const started = await Promise.all(
      setups.map((setup) =>
        PrometheusInstance.start({
          label: setup.label,
          configFile: path.join(tmp, `${setup.label}.yaml`),
          dataDir: path.join(tmp, `data-${setup.label}`),
          logFile: path.join(tmp, `${setup.label}.log`),
          extraArgs: ["--storage.tsdb.retention.time=400d"],
        }),
      ),
    );
    instances.push(...started);
    const [product, baseline] = started as [PrometheusInstance, PrometheusInstance];

    // Samples read, at the end of the backfilled history where every window is full.
    const sloCount = services.reduce((n, svc) => n + svc.slos.length, 0);
    const read = {
      product: await samplesRead(product, productSloGroups, end, s.intervalSeconds, sloCount),
      baseline: await samplesRead(baseline, baselineGroups, end, s.intervalSeconds, sloCount),
    };
    const share = (k: "perEvaluation" | "perHour") => read.product[k] / read.baseline[k];
    const samplesTable = markdownTable(
      [
        "rule set",
        "SLOs",
        "rules",
        "samples read per evaluation (each rule once)",
        "per SLO",
        "samples read per hour (groups at their interval)",
        "vs Sloth-style",
      ],
      (["product", "baseline"] as const).map((which) => [
        which === "product" ? "product SLO groups" : "Sloth-style baseline",
        String(read[which].slos),
        String(read[which].rules),
        String(read[which].perEvaluation),
        String(Math.round(read[which].perEvaluation / read[which].slos)),
        String(Math.round(read[which].perHour)),
        which === "product" ? `${fmt(share("perEvaluation"))} / ${fmt(share("perHour"))}` : "1.00",
      ]),
    );
    const ruleKeys = (which: "product" | "baseline") => Object.keys(read[which].byRule);
    const samplesBreakdown = markdownTable(
      ["rule (summed over the SLOs)", "samples read per evaluation"],
      [
        ...ruleKeys("product").map((k) => [`product: ${k}`, String(read.product.byRule[k])]),
        ...ruleKeys("baseline").map((k) => [`Sloth-style: ${k}`, String(read.baseline.byRule[k])]),
      ],
    );
    console.log(`\nSamples read (query API stats=all, totalQueryableSamples, instant queries at the end of the history):\n\n${samplesTable}\n`);
    console.log(
      `Product / Sloth-style samples read: ${fmt(share("perEvaluation"))} per evaluation, ${fmt(share("perHour"))} per hour (goal: at most 0.10).\n\n${samplesBreakdown}\n`,
    );

    // Warm-up: every group of both instances has evaluated at least twice.
    const warmupDeadline = Date.now() + Math.max(180_000, s.intervalSeconds * 12_000);
    for (;;) {
      const [pm, bm] = await Promise.all([product.selfMetrics(), baseline.selfMetrics()]);
      const ready = [pm, bm].every((m) => minMatching(m, "prometheus_rule_group_iterations_total") >= 2);
      if (ready) break;
      if (Date.now() > warmupDeadline) throw new Error(`rule groups did not evaluate twice in time:\n${product.logTail()}\n${baseline.logTail()}`);
      if (!product.running || !baseline.running) throw new Error(`a Prometheus stopped:\n${product.logTail()}\n${baseline.logTail()}`);
      await sleep(1_000);
    }
    log(`  warmed up; sampling ${s.samples} times, every ${s.intervalSeconds}s`);
    const cpuStart = await Promise.all([product.selfMetrics(), baseline.selfMetrics()]);
    const startedAt = Date.now();
    const samples: Sample[] = [];
    // Per-rule evaluation time from /api/v1/rules, summed by kind of rule, one map per sample.
    const perRule: Map<string, number>[] = [];
    const ruleKey = (instance: "product" | "baseline", group: string, rule: { name: string; type: string; labels?: Record<string, string> }) => {
      const severity = rule.labels?.severity ?? "";
      if (instance === "baseline") return rule.type === "recording" ? `Sloth-style: ${rule.name}` : `Sloth-style: ${severity} alert`;
      if (!group.includes(".slo.")) return "product other groups";
      return rule.type === "recording" ? `product SLO: ${rule.name}` : `product SLO: ${rule.name} ${severity} alert`;
    };
    const evalQuantiles: { product: Record<string, number>[]; baseline: Record<string, number>[] } = { product: [], baseline: [] };
    for (let i = 0; i < s.samples; i++) {
      await sleep(s.intervalSeconds * 1000);
      const [pm, bm] = await Promise.all([product.selfMetrics(), baseline.selfMetrics()]);
      const acc = { last: emptySets(), slowest: emptySets(), samples: emptySets() };
      addSample(acc, "product", pm);
      addSample(acc, "baseline", bm);
      samples.push({ at: new Date().toISOString(), lastDurationSeconds: acc.last, slowestGroupSeconds: acc.slowest, samplesPerEvaluation: acc.samples });
      const breakdown = new Map<string, number>();
      for (const [instance, p] of [
        ["product", product],
        ["baseline", baseline],
      ] as const) {
        for (const g of await p.ruleGroups()) {
          for (const r of g.rules) {
            const k = ruleKey(instance, g.name, r);
            breakdown.set(k, (breakdown.get(k) ?? 0) + r.evaluationTime);
          }
        }
      }
      perRule.push(breakdown);
      evalQuantiles.product.push(quantiles(pm));
      evalQuantiles.baseline.push(quantiles(bm));
      log(
        `    sample ${i + 1}/${s.samples}: product SLO ${fmt(acc.last["product SLO groups"] * 1000)} ms, product other ${fmt(acc.last["product other groups"] * 1000)} ms, Sloth-style ${fmt(acc.last["Sloth-style baseline"] * 1000)} ms`,
      );
    }
    const elapsed = (Date.now() - startedAt) / 1000;
    const [pEnd, bEnd] = await Promise.all([product.selfMetrics(), baseline.selfMetrics()]);
    const cpu = {
      product: ((pEnd.get("process_cpu_seconds_total") ?? 0) - (cpuStart[0].get("process_cpu_seconds_total") ?? 0)) / elapsed,
      baseline: ((bEnd.get("process_cpu_seconds_total") ?? 0) - (cpuStart[1].get("process_cpu_seconds_total") ?? 0)) / elapsed,
    };
    const failures = {
      product: sumMatching(pEnd, "prometheus_rule_evaluation_failures_total"),
      baseline: sumMatching(bEnd, "prometheus_rule_evaluation_failures_total"),
    };
    const missed = {
      product: sumMatching(pEnd, "prometheus_rule_group_iterations_missed_total"),
      baseline: sumMatching(bEnd, "prometheus_rule_group_iterations_missed_total"),
    };
    const headSeries = { product: pEnd.get("prometheus_tsdb_head_series") ?? Number.NaN, baseline: bEnd.get("prometheus_tsdb_head_series") ?? Number.NaN };
    const rss = { product: pEnd.get("process_resident_memory_bytes") ?? Number.NaN, baseline: bEnd.get("process_resident_memory_bytes") ?? Number.NaN };

    // Series the rules create: recorded series written in the last interval, and alert series.
    const window = `${s.intervalSeconds * 2}s`;
    const count = async (p: PrometheusInstance, expr: string) => (await p.query(`count(${expr}) or vector(0)`))[0]?.value ?? 0;
    const created = {
      product: {
        recorded: await count(product, `last_over_time({__name__=~".+:.+"}[${window}])`),
        slo: await count(product, `last_over_time({__name__=~"slo:.+"}[${window}])`),
        red: await count(product, `last_over_time({__name__=~"service(_route)?:.+"}[${window}])`),
        alerts: await count(product, "ALERTS"),
      },
      baseline: {
        // Sloth's series: `slo:*` and `sloth_slo_info`.
        recorded: await count(baseline, `last_over_time({__name__=~"slo:.+|sloth_slo_info"}[${window}])`),
        slo: 0,
        red: 0,
        alerts: await count(baseline, "ALERTS"),
      },
    };
    // Sanity: both read the same data, so their error ratios agree.
    const first = services[0]!;
    const availability = first.slos.find((x) => x.kind === "availability")!;
    const sanity: Record<string, { product: number; sloth: number }> = {};
    for (const w of ["1h", "3d"] as const) {
      const productRatio = (await product.query(`slo:sli_error:ratio_rate${w}{service="${first.name}",slo="${availability.name}"}`))[0]?.value ?? Number.NaN;
      const slothRatio = (await baseline.query(slothErrorRatio(first, availability, w)))[0]?.value ?? Number.NaN;
      sanity[w] = { product: productRatio, sloth: slothRatio };
    }

    const med = (set: RuleSet, pick: (x: Sample) => Record<RuleSet, number>) => median(samples.map((x) => pick(x)[set]));
    const sets: RuleSet[] = ["product SLO groups", "product other groups", "Sloth-style baseline"];
    const summary = Object.fromEntries(
      sets.map((set) => [
        set,
        {
          lastDurationSeconds: med(set, (x) => x.lastDurationSeconds),
          slowestGroupSeconds: med(set, (x) => x.slowestGroupSeconds),
          samplesPerEvaluation: med(set, (x) => x.samplesPerEvaluation),
        },
      ]),
    ) as Record<RuleSet, { lastDurationSeconds: number; slowestGroupSeconds: number; samplesPerEvaluation: number }>;
    const ratio = summary["Sloth-style baseline"].lastDurationSeconds / summary["product SLO groups"].lastDurationSeconds;
    const ratioAll =
      summary["Sloth-style baseline"].lastDurationSeconds /
      (summary["product SLO groups"].lastDurationSeconds + summary["product other groups"].lastDurationSeconds);
    const q = (which: "product" | "baseline", k: string) => median(evalQuantiles[which].map((x) => x[k]!));
    const rows = [
      [
        "product: SLO groups (recording + burn-rate alerts)",
        String(productSloGroups.length),
        String(ruleCount(productSloGroups)),
        fmt(summary["product SLO groups"].lastDurationSeconds * 1000),
        fmt(summary["product SLO groups"].slowestGroupSeconds * 1000),
        String(created.product.slo),
        "1.00",
      ],
      [
        "product: all other groups (RED, dependencies, health, workloads, meta)",
        String(productGroups.length - productSloGroups.length),
        String(ruleCount(productGroups) - ruleCount(productSloGroups)),
        fmt(summary["product other groups"].lastDurationSeconds * 1000),
        fmt(summary["product other groups"].slowestGroupSeconds * 1000),
        String(created.product.recorded - created.product.slo),
        "-",
      ],
      [
        "Sloth-style baseline: every window from raw counters, metadata, page and ticket",
        String(baselineGroups.length),
        String(ruleCount(baselineGroups)),
        fmt(summary["Sloth-style baseline"].lastDurationSeconds * 1000),
        fmt(summary["Sloth-style baseline"].slowestGroupSeconds * 1000),
        String(created.baseline.recorded),
        fmt(ratio),
      ],
    ];
    const table = markdownTable(
      [
        "rule set",
        "groups",
        "rules",
        "eval ms per interval (median sum of last_duration)",
        "slowest group ms",
        "recorded series created",
        "cost vs product SLO",
      ],
      rows,
    );
    const instanceRows = (["product", "baseline"] as const).map((which) => [
      which === "product" ? "product (all groups)" : "Sloth-style baseline",
      `${fmt(q(which, "0.5") * 1000)} / ${fmt(q(which, "0.9") * 1000)} / ${fmt(q(which, "0.99") * 1000)}`,
      fmt(cpu[which]),
      String(headSeries[which]),
      String(created[which].alerts),
      String(failures[which]),
      String(missed[which]),
      fmt(rss[which] / 1024 ** 2),
    ]);
    const keys = [...new Set(perRule.flatMap((m) => [...m.keys()]))].sort();
    const perRuleMedians = Object.fromEntries(keys.map((k) => [k, median(perRule.map((m) => m.get(k) ?? 0))]));
    const productSloTotal = keys.filter((k) => k.startsWith("product SLO")).reduce((t, k) => t + perRuleMedians[k]!, 0);
    const slothTotal = keys.filter((k) => k.startsWith("Sloth")).reduce((t, k) => t + perRuleMedians[k]!, 0);
    const breakdownTable = markdownTable(
      ["rules (summed per interval)", "eval ms", "share of its set"],
      keys
        .filter((k) => k !== "product other groups")
        .map((k) => [k, fmt(perRuleMedians[k]! * 1000), `${fmt((100 * perRuleMedians[k]!) / (k.startsWith("Sloth") ? slothTotal : productSloTotal))}%`]),
    );
    const instancesTable = markdownTable(
      [
        "instance",
        "rule eval p50 / p90 / p99 ms (per rule)",
        "CPU cores used",
        "head series",
        "ALERTS series",
        "eval failures",
        "missed iterations",
        "RSS MiB",
      ],
      instanceRows,
    );
    console.log(`\n${table}\n\nWhere the time goes (per-rule evaluationTime from /api/v1/rules, medians):\n\n${breakdownTable}\n\n${instancesTable}\n`);
    console.log(`Sloth-style baseline / product SLO groups: ${fmt(ratio)}x evaluation time (${fmt(ratioAll)}x against every product group).`);
    console.log(
      `Sanity, ${first.name} availability error ratio, product vs Sloth-style: ${Object.entries(sanity)
        .map(([w, v]) => `${w} ${v.product.toPrecision(4)} vs ${v.sloth.toPrecision(4)}`)
        .join(", ")}`,
    );
    const machine = machineInfo(version);
    console.log(`Machine: ${machineLine(machine)}`);
    const body = {
      part: "rule-evaluation",
      date: new Date().toISOString(),
      machine,
      smoke: options.smoke,
      services: options.services,
      cardinalityPerService: card,
      rawSeries: raw.length,
      recordedSeriesBackfilled: recorded.length,
      intervalSeconds: s.intervalSeconds,
      rawSpan: formatDuration(s.rawSpanSeconds),
      recordedSpan: formatDuration(s.recordedSpanSeconds),
      backfill: stats,
      compaction,
      method:
        "Two Prometheus processes at the same time on copies of one TSDB (backfilled with promtool, compacted by a first Prometheus), both scraping the same " +
        "exporter with honor_labels. 'eval ms per interval' is the median, over the samples, of the sum of prometheus_rule_group_last_duration_seconds " +
        "over the set's groups (groups run concurrently, so this is evaluation work per interval, not wall time). 'cost vs product SLO' = Sloth-style / product SLO groups.",
      summary,
      ratioSlothOverProductSlo: ratio,
      ratioSlothOverProductAll: ratioAll,
      ruleEvaluationQuantilesSeconds: { product: evalQuantiles.product, baseline: evalQuantiles.baseline },
      cpuCoresUsed: cpu,
      headSeries,
      seriesCreated: created,
      evaluationFailures: failures,
      missedIterations: missed,
      residentMemoryBytes: rss,
      sanityErrorRatios: sanity,
      samplesRead: read,
      samplesReadShare: { perEvaluation: share("perEvaluation"), perHour: share("perHour") },
      samplesTable,
      samplesBreakdown,
      samples,
      perRuleEvaluationSeconds: perRuleMedians,
      table,
      breakdownTable,
      instancesTable,
    };
    console.log(`wrote ${writeResult("rule-evaluation", options.smoke, body)}`);
    // A rule that fails at evaluation time is a defect, not a measurement: fail the run (and CI).
    if (failures.product > 0 || failures.baseline > 0) {
      throw new Error(
        `rule evaluation failures: product ${failures.product}, baseline ${failures.baseline}; see the logs:\n${product.logTail()}\n${baseline.logTail()}`,
      );
    }
    return body;
  } finally {
    await Promise.all(instances.map((p) => p.stop()));
    exporter.server.closeAllConnections();
    await new Promise<void>((resolve) => exporter.server.close(() => resolve()));
    removeTempDir(tmp);
  }
}
