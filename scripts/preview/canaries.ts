/**
 * The environment's canaries in the preview: the very runner the cluster runs
 * (canary-runner/runner.mjs, the environment's flows.json with each flow's base URL pointed at its
 * service's demo), schedules divided by the time factor, credentials from files written here with
 * preview-only values; and the blackbox flows as scrape jobs of the real blackbox exporter, one per
 * flow at its compressed schedule, labelled as the cluster's Probe objects label them.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { blackboxCanaryFlows, blackboxCanaryModule, blackboxCanaryTimeoutSeconds, secondsDuration } from "../../helm-values/blackbox-exporter";
import { canaryTargetUrl } from "../../monitors/scrape-objects";
import { durationSeconds } from "../../model/duration";
import { BLACKBOX_CANARY_JOB, RUNNER_JOB } from "../../signals/canary/metrics";
import { canaryRunnerArgs, runnerConfig, secretRefsOf, type RunnerConfig } from "../../signals/canary/runner-config";
import type { CanarySpec } from "../../signals/canary/spec";
import type { ServiceSpec } from "../../signals/service-spec";
import { startDaemon, type Daemon } from "./processes";
import type { PreviewScrapeTarget } from "./prometheus-config";

/** The environment's runner config, each flow's base URL replaced by its service's demo URL. */
export function previewRunnerConfig(services: readonly ServiceSpec[], demoUrlOf: (service: string) => string): RunnerConfig {
  const config = runnerConfig(services);
  return { flows: config.flows.map((flow) => ({ ...flow, baseUrl: demoUrlOf(flow.service) })) };
}

/**
 * A value for every credential the flows read, as `<dir>/<secret>/<key>`: preview-only text (the
 * demo checks that a credential is sent, not what it is), never a real secret.
 */
export function writePreviewCredentials(config: RunnerConfig, dir: string): string {
  for (const ref of secretRefsOf(config)) {
    mkdirSync(join(dir, ref.secret), { recursive: true });
    writeFileSync(join(dir, ref.secret, ref.key), `preview-${ref.secret}-${ref.key}\n`, { mode: 0o600 });
  }
  return dir;
}

/** A running preview runner. */
export interface PreviewCanaryRunner {
  readonly config: RunnerConfig;
  /** Its scrape target (job `canary-runner`), on a port kept across restarts. */
  readonly target: PreviewScrapeTarget;
  daemon(): Daemon;
  /** Stops the runner, as a crash or a deleted Deployment would. Idempotent. */
  stop(): Promise<void>;
  /** Starts it again on its port. Idempotent. */
  start(): Promise<void>;
}

/** Options of {@link startPreviewCanaryRunner}. */
export interface PreviewCanaryRunnerOptions {
  readonly services: readonly ServiceSpec[];
  readonly demoUrlOf: (service: string) => string;
  readonly workDir: string;
  /** The preview's time factor: divides schedules, not budgets. */
  readonly timeFactor: number;
}

/** Starts the runner on the environment's runner flows, or resolves undefined when there are none. */
export async function startPreviewCanaryRunner(options: PreviewCanaryRunnerOptions): Promise<PreviewCanaryRunner | undefined> {
  const config = previewRunnerConfig(options.services, options.demoUrlOf);
  if (config.flows.length === 0) return undefined;
  const dir = join(options.workDir, "canary-runner");
  mkdirSync(dir, { recursive: true });
  const configPath = join(dir, "flows.json");
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  const secretsDir = writePreviewCredentials(config, join(dir, "secrets"));
  const launch = (port?: number) =>
    startDaemon({
      name: "canary-runner",
      command: process.execPath,
      args: (p) => canaryRunnerArgs({ configPath, listen: `127.0.0.1:${p}`, secretsDir, scheduleFactor: options.timeFactor }),
      readyPath: "/healthz",
      logFile: join(options.workDir, "canary-runner.log"),
      ...(port === undefined ? {} : { port }),
    });
  let current: Daemon | undefined = await launch();
  const port = current.port;
  return {
    config,
    target: { job: RUNNER_JOB, address: `127.0.0.1:${port}`, metricsPath: "/metrics" },
    daemon: () => {
      if (current === undefined) throw new Error("the canary runner is stopped");
      return current;
    },
    stop: async () => {
      const running = current;
      current = undefined;
      await running?.stop();
    },
    start: async () => {
      current ??= await launch(port);
    },
  };
}

/** One blackbox flow's scrape job in the preview: its module, its compressed schedule, the demo's URL. */
export interface CanaryProbeJob {
  readonly service: string;
  readonly team: string;
  readonly canary: string;
  readonly module: string;
  /** Compressed schedule, e.g. `10s` for `10m` at factor 60. */
  readonly interval: string;
  readonly timeout: string;
  /** The demo's URL the exporter requests. */
  readonly url: string;
  /** The URL the spec names, as `instance`. */
  readonly instance: string;
}

/** The scrape config of one blackbox flow: job `canary` as the Probe objects' `jobName` makes it. */
export function canaryProbeScrapeConfig(job: CanaryProbeJob, blackboxAddress: string): Record<string, unknown> {
  return {
    job_name: `canary-${job.service}-${job.canary}`,
    scrape_interval: job.interval,
    scrape_timeout: job.timeout,
    metrics_path: "/probe",
    params: { module: [job.module] },
    static_configs: [{ targets: [job.url], labels: { service: job.service, team: job.team, canary: job.canary, instance: job.instance } }],
    relabel_configs: [
      { source_labels: ["__address__"], target_label: "__param_target" },
      { target_label: "__address__", replacement: blackboxAddress },
      { target_label: "job", replacement: BLACKBOX_CANARY_JOB },
    ],
  };
}

/** A blackbox flow's compressed schedule, and its timeout cut to fit it. */
function compressedProbeTiming(canary: CanarySpec, timeFactor: number): { intervalSeconds: number; timeoutSeconds: number } {
  const intervalSeconds = Math.max(0.2, durationSeconds(canary.every) / timeFactor);
  return { intervalSeconds, timeoutSeconds: Math.min(blackboxCanaryTimeoutSeconds(canary), intervalSeconds * 0.8) };
}

/** The cluster's modules of the blackbox flows, by name, their timeouts cut to the compressed schedules. */
export function previewCanaryModules(services: readonly ServiceSpec[], timeFactor: number): Record<string, unknown> {
  return Object.fromEntries(
    blackboxCanaryFlows(services).map(({ canary, module }) => [
      module,
      { ...blackboxCanaryModule(canary), timeout: secondsDuration(compressedProbeTiming(canary, timeFactor).timeoutSeconds) },
    ]),
  );
}

/** The blackbox flows of these services as preview scrape jobs: the demo's URL, the spec's URL as `instance`. */
export function previewCanaryProbeJobs(services: readonly ServiceSpec[], demoUrlOf: (service: string) => string, timeFactor: number): CanaryProbeJob[] {
  return blackboxCanaryFlows(services).map(({ service, canary, module }) => {
    const timing = compressedProbeTiming(canary, timeFactor);
    const target = new URL(canaryTargetUrl(canary));
    return {
      service: service.name,
      team: service.team,
      canary: canary.name,
      module,
      interval: secondsDuration(timing.intervalSeconds),
      timeout: secondsDuration(timing.timeoutSeconds),
      url: `${demoUrlOf(service.name)}${target.pathname}${target.search}`,
      instance: target.href,
    };
  });
}
