/** The preview's prometheus.yml: the demo's scrape jobs, the rule files and the local Alertmanager. */
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
  readonly targets: readonly ScrapeTarget[];
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
    scrape_configs: jobs.map((job) => ({
      job_name: job,
      honor_labels: true,
      static_configs: input.targets.filter((t) => t.job === job).map((t) => ({ targets: [t.address], labels: { __metrics_path__: t.metricsPath } })),
    })),
  };
}
