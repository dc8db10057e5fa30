/** What `npm run preview` prints once everything runs: URLs, timing, and a curl line per fault. */
import type { ServiceSpec } from "../../signals/service-spec";
import type { FaultPatch } from "../../demo-service";
import { SIGNAL_KINDS } from "../../signals";
import type { AlertPipeline } from "./pipeline";

/** The service a fault example is shown for: divan-api when it can, else the first that can. */
const PREFERRED_SERVICE = "divan-api";

/** One fault example: the service, the patch, and what it should raise. */
export interface FaultExample {
  readonly service: string;
  readonly patch: FaultPatch;
  readonly raises: string;
}

/**
 * A fault example per kind of signal (each kind says what to inject and what it raises), for
 * divan-api when it has the kind, else for the first running service that has it. Examples with
 * the same service and patch are one line.
 */
export function faultExamples(specs: readonly ServiceSpec[]): FaultExample[] {
  const ordered = [...specs.filter((s) => s.name === PREFERRED_SERVICE), ...specs.filter((s) => s.name !== PREFERRED_SERVICE)];
  const examples: FaultExample[] = [];
  for (const kind of SIGNAL_KINDS) {
    const spec = ordered.find((s) => kind.faultExamples(s).length > 0);
    for (const example of spec === undefined ? [] : kind.faultExamples(spec)) {
      const same = examples.findIndex((e) => e.service === spec!.name && JSON.stringify(e.patch) === JSON.stringify(example.patch));
      if (same >= 0) examples[same] = { ...examples[same]!, raises: `${examples[same]!.raises}; ${example.raises}` };
      else examples.push({ service: spec!.name, patch: example.patch, raises: example.raises });
    }
  }
  return examples;
}

/** `curl` posting a patch to a demo service's `/faults`. */
export function curlLine(serviceUrl: string, patch: FaultPatch): string {
  return `curl -s -X POST ${serviceUrl}/faults -H 'content-type: application/json' -d '${JSON.stringify(patch)}'`;
}

/** The whole banner. */
export function previewBanner(pipeline: AlertPipeline): string {
  const env = pipeline.environment.profile.name;
  const { factor, scrapeInterval, evaluationInterval } = pipeline.timing;
  const services = [...pipeline.demo.services.values()];
  const exporters = pipeline.targets.filter((t) => t.service === undefined);
  const real = pipeline.dependencies?.dependencies ?? [];
  const width = Math.max(14, ...[...services.map((s) => s.spec.name), ...exporters.map((t) => t.job)].map((name) => name.length + 3));
  const row = (label: string, value: string) => `  ${label.padEnd(width)} ${value}`;
  const examples = faultExamples(services.map((s) => s.spec));
  const urlOf = (name: string) => pipeline.demo.service(name).url;
  const curls = examples.map((e) => [`  # ${e.service}: ${e.raises}`, `  ${curlLine(urlOf(e.service), e.patch)}`]).flat();
  const timing =
    factor === 1
      ? `Real timing: scrape every ${scrapeInterval}, evaluation every ${evaluationInterval}.`
      : `Time is compressed ${factor}x: one minute of ${env}'s timing takes ${(60 / factor).toFixed(2).replace(/\.?0+$/, "")} s ` +
        `(scrape and evaluation every ${scrapeInterval}; every for:, window, offset and Alertmanager timing divided by ${factor}).`;
  return [
    `Local preview of ${env}: Prometheus and Alertmanager on 127.0.0.1 with ${env}'s generated rules (${pipeline.ruleFiles.length} files) and Alertmanager config.`,
    timing,
    "Every receiver posts to the webhook sink instead of Slack, PagerDuty or email; notifications are printed below.",
    "",
    row("Prometheus", `${pipeline.prometheus.url}/alerts   (pid ${pipeline.prometheus.pid})`),
    row("Alertmanager", `${pipeline.alertmanager.url}/#/alerts   (pid ${pipeline.alertmanager.pid})`),
    row("Webhook sink", `${pipeline.sink.url}/notifications`),
    row("Demo services", "GET /metrics, GET|POST /faults, POST /faults/reset"),
    ...services.map((s) => row(`  ${s.spec.name}`, `${s.url}/metrics`)),
    ...exporters.map((t) => row(`  ${t.job}`, `http://${t.address}${t.metricsPath}`)),
    ...(real.length > 0 ? [row("Real dependencies", "stop one to see its down alert; faults in the README")] : []),
    ...real.map((d) => row(`  ${d.name}`, d.kind === "redis" ? `redis-cli -p ${d.port}` : `psql -h 127.0.0.1 -p ${d.port} -U postgres`)),
    ...(pipeline.dependencies?.blackbox
      ? [row("Blackbox", `${pipeline.dependencies.blackbox.url}   (probes ${pipeline.probes?.targets.length ?? 0} health URLs)`)]
      : []),
    row("Work dir", `${pipeline.workDir}   (configs and logs)`),
    "",
    "Inject a fault:",
    ...curls,
    "Clear a service's faults:",
    `  ${`curl -s -X POST ${urlOf(examples[0]?.service ?? services[0]!.spec.name)}/faults/reset`}`,
    "",
    "Ctrl-C stops everything and leaves nothing running.",
  ].join("\n");
}
