/**
 * The preview's Prometheus config beside its real dependencies: the blackbox probe job relabels
 * the demo's local URL into `__param_target` and keeps the spec's URL as `instance`; a slow
 * exporter's job gets its own interval; promtool accepts the whole config. Also which
 * dependencies run for real, and the selector-coverage helpers.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderYaml } from "../../kit/render-yaml";
import { vectorSelectors } from "../../kit/promql-syntax";
import { blackboxConfig, realDependencyCandidates } from "../../scripts/preview/dependencies";
import { environmentArtifacts } from "../../scripts/preview/pipeline";
import { buildPrometheusConfig, probeScrapeConfig, type ProbeScrape } from "../../scripts/preview/prometheus-config";
import { checkPrometheusConfig } from "../../scripts/preview/tool-checks";
import { isExcepted } from "./selector-exceptions";
import { ruleSelectors } from "./selector-coverage";

const probes: ProbeScrape = {
  job: "blackbox",
  blackboxAddress: "127.0.0.1:9115",
  module: "http_2xx",
  targets: [
    { url: "http://127.0.0.1:4000/health/ready", instance: "http://core-api.core.svc:8080/health/ready", labels: { service: "core-api", team: "core" } },
  ],
};

describe("the probe scrape job", () => {
  it("sends the local URL as the target, scrapes the blackbox exporter, and keeps the spec's URL as instance", () => {
    expect(probeScrapeConfig(probes)).toEqual({
      job_name: "blackbox",
      metrics_path: "/probe",
      params: { module: ["http_2xx"] },
      static_configs: [
        {
          targets: ["http://127.0.0.1:4000/health/ready"],
          labels: { service: "core-api", team: "core", instance: "http://core-api.core.svc:8080/health/ready" },
        },
      ],
      relabel_configs: [
        { source_labels: ["__address__"], target_label: "__param_target" },
        { target_label: "__address__", replacement: "127.0.0.1:9115" },
      ],
    });
  });

  it("passes promtool check config with a slow exporter job of its own interval", () => {
    const config = buildPrometheusConfig({
      scrapeInterval: "500ms",
      evaluationInterval: "500ms",
      ruleFiles: [],
      alertmanagerAddress: "127.0.0.1:9093",
      targets: [
        { job: "core-api", address: "127.0.0.1:4001", metricsPath: "/metrics", service: "core-api" },
        { job: "core-postgres-exporter", address: "127.0.0.1:4002", metricsPath: "/metrics", slowScrape: { interval: "1500ms", timeout: "1200ms" } },
      ],
      probes,
    });
    const jobs = config.scrape_configs as Record<string, unknown>[];
    expect(jobs.map((j) => [j.job_name, j.scrape_interval, j.scrape_timeout])).toEqual([
      ["core-api", undefined, undefined],
      ["core-postgres-exporter", "1500ms", "1200ms"],
      ["blackbox", undefined, undefined],
    ]);
    const dir = mkdtempSync(join(tmpdir(), "preview-config-"));
    try {
      const file = join(dir, "prometheus.yml");
      writeFileSync(file, renderYaml(config));
      expect(checkPrometheusConfig(file)).toContain("SUCCESS");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fits the blackbox module's timeout under the scrape timeout and keeps IPv4", () => {
    expect(blackboxConfig(0.4)).toMatchObject({ modules: { http_2xx: { prober: "http", timeout: "0.4s", http: { preferred_ip_protocol: "ip4" } } } });
  });
});

describe("the dependencies run for real", () => {
  it("are the dev catalog's store dependencies watched through an exporter, once each; the ones a service pings itself stay simulated", () => {
    const found = realDependencyCandidates(environmentArtifacts("dev").services).map((d) => [d.name, d.kind, d.job]);
    expect(found).toEqual([
      ["core-postgres", "postgres", "core-postgres-exporter"],
      ["core-redis", "redis", "core-redis-exporter"],
    ]);
  });
});

describe("selector coverage helpers", () => {
  it("reads every vector selector with the PromQL grammar, inside ranges and functions", () => {
    expect(vectorSelectors('sum(rate(a_total{job="x",code=~"5.."}[5m])) / max(b{job="x"} offset 1h) > on() group_left c')).toEqual([
      { metric: "a_total", text: 'a_total{job="x",code=~"5.."}' },
      { metric: "b", text: 'b{job="x"}' },
      { metric: "c", text: "c" },
    ]);
  });

  it("lists each selector once per rule", () => {
    const files = [{ fileName: "f.yaml", groups: [{ name: "g", rules: [{ record: "r", expr: 'x{a="1"} / x{a="1"} + y' }] }] }];
    expect(ruleSelectors(files).map((s) => s.selector)).toEqual(['x{a="1"}', "y"]);
  });

  it("excuses a fault-only selector only with its matcher: a misspelt job of the same metric is not excused", () => {
    const at = (selector: string) => ({ file: "f", rule: "r", selector, metric: selector.split("{")[0]! });
    expect(isExcepted(at('http_requests_total{job="core-api",code=~"5.."}'))).toBe(true);
    expect(isExcepted(at('http_requests_total{job="core-apl"}'))).toBe(false);
    expect(isExcepted(at('kube_pod_container_status_restarts_total{namespace="core"}'))).toBe(true);
  });
});
