/**
 * What the Redis and Postgres exporters the stack provisions share: one replica (two would export
 * every series twice), small fixed sizing, a hardened container and a ServiceMonitor Prometheus
 * selects that scrapes under the dependency's `job`.
 */
import type { EnvironmentProfile } from "../environments/profile-schema";
import { SCRAPE_SELECTOR_LABELS } from "./selector-labels";

/**
 * Requests and limits of one exporter: it holds one connection and answers one scrape per
 * interval, the same in every environment.
 */
export const STORE_EXPORTER_RESOURCES = {
  requests: { cpu: "10m", memory: "32Mi" },
  limits: { cpu: "100m", memory: "128Mi" },
} as const;

/** The container's securityContext: nothing to write, no privilege to gain, no capability. */
export const STORE_EXPORTER_CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  privileged: false,
  readOnlyRootFilesystem: true,
} as const;

/** The pod's securityContext for an image whose user is `uid`. */
export function storeExporterPodSecurity(uid: number) {
  return { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, seccompProfile: { type: "RuntimeDefault" } };
}

/**
 * The chart's `serviceMonitor`: labelled for Prometheus' selector, at the profile's interval, and
 * relabelled so that the series carry the dependency's `job` whatever the Service is called (the
 * operator would otherwise take the Service's name).
 */
export function storeExporterServiceMonitor(profile: EnvironmentProfile, job: string) {
  return {
    enabled: true,
    labels: { ...SCRAPE_SELECTOR_LABELS },
    interval: profile.prometheus.scrapeInterval,
    relabelings: [{ action: "replace", targetLabel: "job", replacement: job }],
  };
}
