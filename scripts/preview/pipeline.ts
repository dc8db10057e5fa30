/**
 * The whole local alert pipeline of one environment, as `npm run preview` and the end-to-end test
 * run it: webhook sink, demo services, Debian's Alertmanager and Prometheus on 127.0.0.1, fed the
 * environment's generated rules and Alertmanager config (time-compressed, receivers redirected to
 * the sink). Everything lives in one temporary directory; `stop()` ends every process and removes it.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { renderYaml } from "../../kit/render-yaml";
import { PLATFORM_RULE_FILE, serviceRuleFileName } from "../../rules";
import { renderAlertmanagerYaml } from "../../alertmanager";
import { buildEnvironmentArtifacts, type EnvironmentArtifacts } from "../../artifacts/environment-artifacts";
import { startDemoFleet, type DemoFleet } from "../../demo-service";
import { healthProbeUrls } from "../../signals/health/spec";
import { ENVIRONMENT_NAMES, loadProfiles, type EnvironmentName } from "../../environments";
import { serviceCatalog } from "../../services";
import { redirectReceiversToSink } from "./alertmanager-config";
import { pollUntil, prometheusRuleGroups, prometheusTargets, reloadPrometheus } from "./apis";
import { HEALTH_PROBE_MODULE, realDependencyCandidates, startRealDependencies, type RealDependencies } from "./dependencies";
import {
  canaryProbeScrapeConfig,
  previewCanaryModules,
  previewCanaryProbeJobs,
  startPreviewCanaryRunner,
  type CanaryProbeJob,
  type PreviewCanaryRunner,
} from "./canaries";
import { backfillHistory, longestSloWindowMs } from "./history";
import { startDaemon, type Daemon } from "./processes";
import { buildPrometheusConfig, type PreviewScrapeTarget, type ProbeScrape } from "./prometheus-config";
import {
  compressAlertmanagerConfig,
  compressDuration,
  compressRuleFiles,
  durationMs,
  PREVIEW_TIME_FACTOR,
  withoutWallClockRules,
  type SkippedRule,
} from "./time-compression";
import { checkAlertmanagerConfig, checkPrometheusConfig, checkRuleFiles, TOOLS } from "./tool-checks";
import { startWebhookSink, type ReceivedNotification, type WebhookSink } from "./webhook-sink";

/** Prometheus' own defaults the compression divides: `--query.lookback-delta` and `--rules.alert.resend-delay`. */
export const PROMETHEUS_DEFAULT_TIMING = { lookbackDelta: "5m", resendDelay: "1m" } as const;
/** The shortest scrape or evaluation interval the preview uses. */
export const MIN_INTERVAL_MS = 100;

/** Options of {@link startAlertPipeline}. */
export interface AlertPipelineOptions {
  /** Environment whose rules and Alertmanager config run. @default "dev" */
  readonly environment?: string;
  /** Time compression factor (1 keeps the environment's real timing). @default PREVIEW_TIME_FACTOR (60) */
  readonly timeFactor?: number;
  /** Services to run a demo of and load the rule file of. @default - every service of the catalog */
  readonly services?: readonly string[];
  /** HTTP requests per second of each demo service. @default 20 */
  readonly requestsPerSecond?: number;
  /**
   * Seed Prometheus with healthy history of the recorded SLO rates over the longest burn-rate
   * window (see history.ts), so SLO alerts behave as in a long-running environment. @default true
   */
  readonly backfillHealthyHistory?: boolean;
  /**
   * Run the dependencies watched through exporters for real (redis-server, Postgres and their
   * exporters) and the blackbox exporter probing the demos' health endpoints; false simulates
   * them all in the demo, as a machine without those packages must. @default true
   */
  readonly realDependencies?: boolean;
  /** Keep the temporary directory after `stop()`, to read configs and logs. @default false */
  readonly keepWorkDir?: boolean;
  /** Called for every notification the sink receives. @default - nothing */
  readonly onNotification?: (notification: ReceivedNotification) => void;
}

/** The intervals the preview runs with, after compression. */
export interface PreviewTiming {
  readonly factor: number;
  readonly scrapeInterval: string;
  readonly evaluationInterval: string;
  readonly lookbackDelta: string;
  readonly resendDelay: string;
}

/** A running pipeline. */
export interface AlertPipeline {
  readonly environment: EnvironmentArtifacts;
  readonly timing: PreviewTiming;
  /** Temporary directory: `rules/`, `prometheus.yml`, `alertmanager.yaml`, `*.log`, data. */
  readonly workDir: string;
  readonly sink: WebhookSink;
  readonly demo: DemoFleet;
  /** The real dependencies and the blackbox exporter (none when `realDependencies` is false). */
  readonly dependencies: RealDependencies | undefined;
  /** The blackbox probes Prometheus scrapes (job `blackbox`), if any. */
  readonly probes: ProbeScrape | undefined;
  /** The canary runner on the environment's multi-step flows, if it has any. */
  readonly canaryRunner: PreviewCanaryRunner | undefined;
  /** The blackbox canary flows' scrape jobs (job `canary`), one per flow. */
  readonly canaryProbes: readonly CanaryProbeJob[];
  readonly alertmanager: Daemon;
  readonly prometheus: Daemon;
  /** Paths of the (compressed) rule files Prometheus has loaded. */
  readonly ruleFiles: readonly string[];
  /** Rules left out because compression cannot keep them faithful (they read the wall clock). */
  readonly skippedRules: readonly SkippedRule[];
  /** Every scrape target but the probes: demo services, simulated and real exporters. */
  readonly targets: readonly PreviewScrapeTarget[];
  /** Resolves once Prometheus scrapes every target successfully. */
  waitForTargetsUp(timeoutMs?: number): Promise<void>;
  /** Stops Prometheus, Alertmanager, the demo and the sink, and removes the work dir. Idempotent. */
  stop(): Promise<void>;
}

/** Throws unless `name` is an environment, listing the environments. */
export function parseEnvironmentName(name: string): EnvironmentName {
  if (!(ENVIRONMENT_NAMES as readonly string[]).includes(name)) {
    throw new Error(`environment must be one of ${ENVIRONMENT_NAMES.join(", ")}, got "${name}"`);
  }
  return name as EnvironmentName;
}

/**
 * One environment's artifacts, exactly as `buildAllArtifacts()` (main.ts) builds them, validating
 * only that environment's profile and without loading cdktf.
 */
export function environmentArtifacts(name: string): EnvironmentArtifacts {
  return buildEnvironmentArtifacts(loadProfiles([parseEnvironmentName(name)])[0]!, serviceCatalog());
}

/** The profile's scrape and evaluation intervals and Prometheus' defaults, divided by `factor`. */
export function previewTiming(environment: EnvironmentArtifacts, factor: number): PreviewTiming {
  // Profile intervals are longer than 0s (the schema says so), so the floor always applies.
  const interval = (duration: string) => compressDuration(duration, factor, MIN_INTERVAL_MS);
  return {
    factor,
    scrapeInterval: interval(environment.profile.prometheus.scrapeInterval),
    evaluationInterval: interval(environment.profile.prometheus.evaluationInterval),
    lookbackDelta: compressDuration(PROMETHEUS_DEFAULT_TIMING.lookbackDelta, factor),
    resendDelay: compressDuration(PROMETHEUS_DEFAULT_TIMING.resendDelay, factor),
  };
}

/**
 * postgres_exporter 0.11 takes about 1 s to answer while its server is down (it retries the
 * connection), longer than a compressed scrape timeout: its job is scraped every 1.5 s at least
 * (1.2 s timeout), so that `pg_up` 0 is scraped rather than the scrape failing.
 */
export const POSTGRES_EXPORTER_MIN_SCRAPE = { interval: "1500ms", timeout: "1200ms" } as const;

function postgresExporterScrape(scrapeInterval: string): { interval: string; timeout: string } {
  return durationMs(scrapeInterval) >= durationMs(POSTGRES_EXPORTER_MIN_SCRAPE.interval)
    ? { interval: scrapeInterval, timeout: scrapeInterval }
    : POSTGRES_EXPORTER_MIN_SCRAPE;
}

/** Exporter jobs of the dependencies run for real: the demo does not simulate them. */
function realExporterJobs(services: readonly EnvironmentArtifacts["services"][number][]): string[] {
  return realDependencyCandidates(services).map((d) => d.job);
}

/** Stops everything pushed so far, last first; used on failure and by `stop()`. */
class Teardown {
  private readonly steps: (() => Promise<void> | void)[] = [];
  push(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }
  async run(): Promise<void> {
    const errors: unknown[] = [];
    while (this.steps.length > 0) {
      try {
        await this.steps.pop()!();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new Error(`teardown failed: ${errors.map(String).join("; ")}`);
  }
}

/** Selected services of the catalog; throws naming the catalog on an unknown name. */
function selectServices(environment: EnvironmentArtifacts, names: readonly string[] | undefined) {
  if (names === undefined) return environment.services;
  const unknown = names.filter((n) => !environment.services.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`services must be in the catalog (${environment.services.map((s) => s.name).join(", ")}), got ${unknown.join(", ")}`);
  return environment.services.filter((s) => names.includes(s.name));
}

/**
 * Starts the pipeline and resolves once every demo target is scraped and the rules are loaded.
 * Every config is checked by promtool/amtool before its daemon starts; if anything fails, what was
 * started is stopped before the error is rethrown.
 */
export async function startAlertPipeline(options: AlertPipelineOptions = {}): Promise<AlertPipeline> {
  const environment = environmentArtifacts(options.environment ?? "dev");
  const factor = options.timeFactor ?? PREVIEW_TIME_FACTOR;
  const services = selectServices(environment, options.services);
  const timing = previewTiming(environment, factor);
  const teardown = new Teardown();
  const workDir = mkdtempSync(join(tmpdir(), `obs-preview-${environment.profile.name}-`));
  if (!options.keepWorkDir) teardown.push(() => rmSync(workDir, { recursive: true, force: true }));
  const write = (name: string, content: string) => {
    const file = join(workDir, name);
    writeFileSync(file, content);
    return file;
  };
  try {
    const sink = await startWebhookSink(options.onNotification ? { onNotification: options.onNotification } : {});
    teardown.push(() => sink.close());
    const workload = { timeScale: factor, ...(options.requestsPerSecond ? { requestsPerSecond: options.requestsPerSecond } : {}) };
    // The real dependencies and the demo start in parallel; the demo reads the servers' state once they run.
    const started: { dependencies?: RealDependencies } = {};
    const real = options.realDependencies ?? true;
    const probed = services.filter((s) => healthProbeUrls(s.probes).length > 0);
    const canaryModules = previewCanaryModules(services, factor);
    const [dependenciesStarted, demoStarted] = await Promise.allSettled([
      real
        ? startRealDependencies({
            specs: services,
            workDir,
            blackbox: probed.length > 0 || Object.keys(canaryModules).length > 0,
            probeTimeoutSeconds: durationMs(timing.scrapeInterval) / 1000 - 0.1,
            canaryModules,
          })
        : Promise.resolve(undefined),
      startDemoFleet(services, {
        ...workload,
        ...(real
          ? {
              realDependencies: {
                exporterJobs: realExporterJobs(services),
                isDown: (name: string) => started.dependencies?.dependencies.some((d) => d.name === name && !d.isRunning()) === true,
              },
            }
          : {}),
      }),
    ]);
    if (dependenciesStarted.status === "fulfilled" && dependenciesStarted.value) teardown.push(() => dependenciesStarted.value!.stop());
    if (demoStarted.status === "fulfilled") teardown.push(() => demoStarted.value.stop());
    if (dependenciesStarted.status === "rejected") throw dependenciesStarted.reason;
    if (demoStarted.status === "rejected") throw demoStarted.reason;
    const dependencies = dependenciesStarted.value;
    if (dependencies) started.dependencies = dependencies;
    const demo = demoStarted.value;
    const canaryRunner = await startPreviewCanaryRunner({ services, demoUrlOf: (name) => demo.service(name).url, workDir, timeFactor: factor });
    if (canaryRunner) teardown.push(() => canaryRunner.stop());
    const targets: PreviewScrapeTarget[] = [
      ...demo.targets,
      ...(canaryRunner ? [canaryRunner.target] : []),
      ...(dependencies?.dependencies ?? []).map((d) => ({
        job: d.job,
        address: `127.0.0.1:${d.exporter.port}`,
        metricsPath: "/metrics",
        ...(d.kind === "postgres" ? { slowScrape: postgresExporterScrape(timing.scrapeInterval) } : {}),
      })),
    ];
    const probes: ProbeScrape | undefined =
      dependencies?.blackbox === undefined
        ? undefined
        : {
            job: "blackbox",
            blackboxAddress: `127.0.0.1:${dependencies.blackbox.port}`,
            module: HEALTH_PROBE_MODULE,
            targets: probed.flatMap((s) =>
              healthProbeUrls(s.probes).map((url) => ({
                url: `${demo.service(s.name).url}${new URL(url).pathname}`,
                instance: url,
                labels: { service: s.name, team: s.team },
              })),
            ),
          };

    const canaryProbes = dependencies?.blackbox === undefined ? [] : previewCanaryProbeJobs(services, (name) => demo.service(name).url, factor);

    // Rules are written to rules-staged/ and moved to rules/ once every target is scraped (see below).
    mkdirSync(join(workDir, "rules"));
    mkdirSync(join(workDir, "rules-staged"));
    const wanted = new Set([PLATFORM_RULE_FILE, ...services.map(serviceRuleFileName)]);
    const faithful = withoutWallClockRules(
      environment.ruleFiles.filter((f) => wanted.has(f.fileName)),
      factor,
    );
    const ruleFileObjects = compressRuleFiles(faithful.files, factor);
    const stagedRules = ruleFileObjects.map((file) => write(join("rules-staged", file.fileName), renderYaml({ groups: file.groups })));
    checkRuleFiles(stagedRules);

    const amConfig = compressAlertmanagerConfig(redirectReceiversToSink(environment.alertmanagerConfig, sink.url), factor);
    const amFile = write("alertmanager.yaml", renderAlertmanagerYaml(amConfig));
    checkAlertmanagerConfig(amFile);
    mkdirSync(join(workDir, "alertmanager-data"));
    const alertmanager = await startDaemon({
      name: "alertmanager",
      command: TOOLS.alertmanager,
      args: (port) => [
        `--config.file=${amFile}`,
        `--storage.path=${join(workDir, "alertmanager-data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--cluster.listen-address=",
      ],
      logFile: join(workDir, "alertmanager.log"),
    });
    teardown.push(() => alertmanager.stop());

    const promFile = write(
      "prometheus.yml",
      renderYaml(
        buildPrometheusConfig({
          scrapeInterval: timing.scrapeInterval,
          evaluationInterval: timing.evaluationInterval,
          externalLabels: environment.profile.externalLabels,
          ruleFiles: [join(workDir, "rules", "*.yaml")],
          alertmanagerAddress: `127.0.0.1:${alertmanager.port}`,
          targets,
          ...(probes ? { probes } : {}),
          extraScrapeConfigs: canaryProbes.map((job) => canaryProbeScrapeConfig(job, `127.0.0.1:${dependencies!.blackbox!.port}`)),
        }),
      ),
    );
    checkPrometheusConfig(promFile);
    const dataDir = join(workDir, "prometheus-data");
    mkdirSync(dataDir);
    if (options.backfillHealthyHistory ?? true) {
      const stepMs = durationMs(timing.evaluationInterval);
      // The longest window plus one compressed 5m rate window, ending one evaluation before now.
      const lengthMs = Math.round((longestSloWindowMs(services) + durationMs("5m")) / factor);
      backfillHistory({ services, workload, endMs: Date.now() - stepMs, lengthMs, stepMs }, join(workDir, "slo-history.om"), dataDir);
    }
    const prometheus = await startDaemon({
      name: "prometheus",
      command: TOOLS.prometheus,
      args: (port) => [
        `--config.file=${promFile}`,
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--query.lookback-delta=${timing.lookbackDelta}`,
        `--rules.alert.resend-delay=${timing.resendDelay}`,
        "--web.enable-lifecycle",
      ],
      logFile: join(workDir, "prometheus.log"),
    });
    teardown.push(() => prometheus.stop());

    const waitForTargetsUp = async (timeoutMs = 30_000) => {
      await pollUntil(
        async () => {
          const scraped = await prometheusTargets(prometheus.url);
          const expected = targets.length + (probes?.targets.length ?? 0) + canaryProbes.length;
          return scraped.length === expected && scraped.every((t) => t.health === "up") ? true : undefined;
        },
        "every target (demo services, exporters, probes) to be scraped",
        timeoutMs,
      );
    };
    // Prometheus hands new targets to its scrapers every 5 s, a delay no flag shortens. Rules loaded
    // from the start would see `absent(up)` for those 5 s (5 minutes at factor 60) and fire
    // TargetScrapeMissing for every service; so the rules are loaded once every target is scraped.
    await waitForTargetsUp();
    const ruleFiles = stagedRules.map((staged) => {
      const live = join(workDir, "rules", basename(staged));
      renameSync(staged, live);
      return live;
    });
    await reloadPrometheus(prometheus.url);
    const groupCount = ruleFileObjects.reduce((n, f) => n + f.groups.length, 0);
    await pollUntil(
      async () => ((await prometheusRuleGroups(prometheus.url)).length === groupCount ? true : undefined),
      "Prometheus to load the rules",
      30_000,
    );

    let stopped: Promise<void> | undefined;
    return {
      environment,
      timing,
      workDir,
      sink,
      demo,
      dependencies,
      probes,
      canaryRunner,
      canaryProbes,
      targets,
      alertmanager,
      prometheus,
      ruleFiles,
      skippedRules: faithful.skipped,
      waitForTargetsUp,
      stop: () => (stopped ??= teardown.run()),
    };
  } catch (error) {
    await teardown.run().catch(() => undefined);
    throw error;
  }
}
