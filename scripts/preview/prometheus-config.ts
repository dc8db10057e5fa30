/**
 * The preview's prometheus.yml: the demo's scrape jobs, the real exporters under their
 * dependencies' jobs, the blackbox probes of the demo services' health endpoints, the rule files
 * and the local Alertmanager.
 */
import type { ScrapeTarget } from "../../demo-service";

/** Input of {@link buildPrometheusConfig}. */
export interface PrometheusConfigInput {
  /** Global scrape interval, e.g. `500ms`; also the scrape timeout (which may not exceed it). */
  readonly scrapeInterval: string;
  /** Rule evaluation interval. */
  readonly evaluationInterval: string;
  /** The environment's external labels (`cluster`, `environment`), added to every alert. @default {} */
  readonly externalLabels?: Readonly<Record<string, string>>;
  /** Rule file paths or globs. */
  readonly ruleFiles: readonly string[];
  /** `127.0.0.1:<port>` of the Alertmanager. */
  readonly alertmanagerAddress: string;
  /** Demo services, simulated exporters and real exporters, one scrape job per distinct `job`. */
  readonly targets: readonly PreviewScrapeTarget[];
  /** Blackbox probes. @default - none */
  readonly probes?: ProbeScrape;
  /** Further scrape jobs as Prometheus reads them (the blackbox canary flows'). @default [] */
  readonly extraScrapeConfigs?: readonly Record<string, unknown>[];
}

/** A scrape target, with its job's own interval when the global one is too short for it. */
export type PreviewScrapeTarget = ScrapeTarget & {
  /** The job's `scrape_interval` and `scrape_timeout`. @default - the global ones */
  readonly slowScrape?: { readonly interval: string; readonly timeout: string };
};

/** Blackbox probes as the cluster's Probe objects make them: `probe_success{instance=<the spec's URL>}`. */
export interface ProbeScrape {
  /** Scrape job name (the Probe objects' `jobName`). */
  readonly job: string;
  /** `127.0.0.1:<port>` of the blackbox exporter. */
  readonly blackboxAddress: string;
  readonly module: string;
  readonly targets: readonly ProbeTarget[];
}

/** One probed URL. */
export interface ProbeTarget {
  /** The URL blackbox requests here (the demo's `http://127.0.0.1:<port>/health/ready`). */
  readonly url: string;
  /** The `instance` label: the URL the spec names, which the readiness alert selects. */
  readonly instance: string;
  /** Further target labels (`service`, `team`, as the Probe objects set them). */
  readonly labels: Readonly<Record<string, string>>;
}

function slowScrapeOf(targets: readonly PreviewScrapeTarget[]): Record<string, string> {
  const slow = targets.find((t) => t.slowScrape !== undefined)?.slowScrape;
  return slow === undefined ? {} : { scrape_interval: slow.interval, scrape_timeout: slow.timeout };
}

/** The scrape job of the probes: target URL -> `__param_target`, the blackbox exporter as address, `instance` kept as given. */
export function probeScrapeConfig(probes: ProbeScrape): Record<string, unknown> {
  return {
    job_name: probes.job,
    metrics_path: "/probe",
    params: { module: [probes.module] },
    static_configs: probes.targets.map((t) => ({ targets: [t.url], labels: { ...t.labels, instance: t.instance } })),
    relabel_configs: [
      { source_labels: ["__address__"], target_label: "__param_target" },
      { target_label: "__address__", replacement: probes.blackboxAddress },
    ],
  };
}

/**
 * The Prometheus configuration as a plain object (render it with `renderYaml`). One scrape job per
 * distinct `job`, named as the rules select it (`job="divan-api"`); a target's metrics path is set
 * per target group through `__metrics_path__`. `honor_labels: true` keeps labels a dependency is
 * selected by (`dependencies[].labels`, e.g. `instance`) as the demo exports them; the demo's own
 * series carry no `job` or `instance`, so the target's apply.
 */
export function buildPrometheusConfig(input: PrometheusConfigInput): Record<string, unknown> {
  const jobs = [...new Set(input.targets.map((t) => t.job))];
  return {
    global: {
      scrape_interval: input.scrapeInterval,
      scrape_timeout: input.scrapeInterval,
      evaluation_interval: input.evaluationInterval,
      ...(input.externalLabels && Object.keys(input.externalLabels).length > 0 ? { external_labels: { ...input.externalLabels } } : {}),
    },
    rule_files: [...input.ruleFiles],
    alerting: { alertmanagers: [{ api_version: "v2", static_configs: [{ targets: [input.alertmanagerAddress] }] }] },
    scrape_configs: [
      ...jobs.map((job) => ({
        job_name: job,
        ...slowScrapeOf(input.targets.filter((t) => t.job === job)),
        honor_labels: true,
        static_configs: input.targets.filter((t) => t.job === job).map((t) => ({ targets: [t.address], labels: { __metrics_path__: t.metricsPath } })),
      })),
      ...(input.probes && input.probes.targets.length > 0 ? [probeScrapeConfig(input.probes)] : []),
      ...(input.extraScrapeConfigs ?? []),
    ],
  };
}
