import { Construct } from "constructs";
import { parseServiceSpec, type ServiceSpec, type ServiceSpecInput } from "../signals/service-spec";
import type { ServiceCatalog } from "./service-catalog";

/**
 * Props of {@link ServiceObservability}: everything of {@link ServiceSpecInput} but the name, which
 * is the construct id. Every field documents its default where it is declared
 * (alert-rules/spec-parts.ts); the ones a typical HTTP service sets:
 *
 * - `team` (required): owner; its receivers get the pages (`critical`) and tickets (`warning`).
 * - `namespace` (required): where the service runs.
 * - `metrics`: metric and label names. @default `http_requests_total{code,route,method}` and
 *   `http_request_duration_seconds` with the client libraries' default buckets.
 * - `red`: error-ratio and p95 thresholds by severity. @default 5xx > 5% for 10m, p95 > 400 ms for 15m
 * - `slos`: availability, latency (threshold on a bucket boundary) or event SLOs. @default []
 * - `dependencies`: Redis, Postgres and downstream services. @default - none
 * - `queues`, `jobs`, `sockets`: worker and realtime signals. @default - none
 * - `probes`: readiness/liveness URLs and canary flows. @default - none
 * - `scrape`: ServiceMonitor or PodMonitor, port, path. @default ServiceMonitor on port `http`, `/metrics`
 */
export type ServiceObservabilityProps = Omit<ServiceSpecInput, "name">;

/**
 * One service, observed in every environment: adding this construct to the catalog yields its
 * scrape and Probe objects, RED/SLO/dependency rule groups with promtool tests, its dashboard, and
 * alert routing to its team with runbook links. Props are validated here, at construction: an
 * error names the prop and the value received.
 *
 * ```ts
 * new ServiceObservability(catalog, "checkout", {
 *   team: "web",
 *   namespace: "shop",
 *   slos: [{ name: "availability", kind: "availability", objective: 0.999 }],
 * });
 * ```
 */
export class ServiceObservability extends Construct {
  /** The validated spec, every default resolved; what the environments build from. */
  readonly spec: ServiceSpec;

  constructor(catalog: ServiceCatalog, name: string, props: ServiceObservabilityProps) {
    const spec = parseServiceSpec({ ...props, name });
    catalog.register({ spec });
    super(catalog, name);
    this.spec = spec;
  }
}
