import type { EnvironmentProfile } from "../environments/profile-schema";
import { BLACKBOX_EXPORTER_FULLNAME } from "./release-names";
import { PROMETHEUS_SELECTOR_LABELS } from "./selector-labels";

/**
 * Blackbox modules services' Probe objects may name. `http_2xx` is the readiness/liveness probe
 * (`/health/ready`, `/health/live`); `http_2xx_json` a canary flow answering JSON; `tcp_connect` a
 * port check for dependencies without HTTP. ICMP is left out: it needs NET_RAW.
 */
export const BLACKBOX_MODULES = {
  http_2xx: {
    prober: "http",
    timeout: "5s",
    http: {
      valid_http_versions: ["HTTP/1.1", "HTTP/2.0"],
      valid_status_codes: [],
      follow_redirects: true,
      preferred_ip_protocol: "ip4",
    },
  },
  http_2xx_json: {
    prober: "http",
    timeout: "10s",
    http: {
      valid_http_versions: ["HTTP/1.1", "HTTP/2.0"],
      valid_status_codes: [],
      follow_redirects: true,
      preferred_ip_protocol: "ip4",
      headers: { Accept: "application/json" },
      fail_if_header_not_matches: [{ header: "Content-Type", regexp: "application/json", allow_missing: false }],
    },
  },
  tcp_connect: { prober: "tcp", timeout: "5s", tcp: { preferred_ip_protocol: "ip4" } },
} as const;

/** Name of a blackbox module a Probe may use. */
export type BlackboxModuleName = keyof typeof BLACKBOX_MODULES;

/**
 * Values of the prometheus-blackbox-exporter chart: the prober behind every synthetic probe
 * (services' Probe objects point at it). Runs as non-root with a read-only root filesystem (the
 * chart's defaults, kept), sized from the profile, with a PDB when replicated and a self-monitor
 * Prometheus selects.
 */
export function buildBlackboxExporterValues(profile: EnvironmentProfile) {
  const b = profile.blackboxExporter;
  return {
    fullnameOverride: BLACKBOX_EXPORTER_FULLNAME,
    replicas: b.replicas,
    resources: b.resources,
    // The chart renders a PDB only when this object is non-empty.
    podDisruptionBudget: b.replicas > 1 ? { maxUnavailable: 1 } : {},
    config: { modules: BLACKBOX_MODULES },
    service: { type: "ClusterIP", port: 9115 },
    ingress: { enabled: false },
    serviceMonitor: {
      selfMonitor: { enabled: true, labels: { ...PROMETHEUS_SELECTOR_LABELS }, interval: profile.prometheus.scrapeInterval },
      // Targets are Probe objects created per service, not this chart's per-target monitors.
      enabled: false,
    },
  };
}
