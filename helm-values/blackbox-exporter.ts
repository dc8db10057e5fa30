import { createHash } from "node:crypto";
import type { EnvironmentProfile } from "../environments/profile-schema";
import { durationSeconds } from "../model/duration";
import { blackboxBearerCredential, canaryEngine } from "../signals/canary/engine";
import type { CanarySpec, SecretRef } from "../signals/canary/spec";
import type { ServiceSpec } from "../signals/service-spec";
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

/** Where the blackbox exporter's pods mount the Secrets canary flows read a bearer token from. */
export const BLACKBOX_SECRETS_DIR = "/etc/blackbox-exporter/secrets";

/** The longest a canary module waits for its response: a slower answer is `CanarySlow`'s to report, not a failure. */
export const BLACKBOX_CANARY_MAX_TIMEOUT_SECONDS = 10;

/** The module of a blackbox canary flow: `canary_<service>_<canary>`, `-` as `_`. */
export function blackboxCanaryModuleName(service: string, canary: string): string {
  return `canary_${service}_${canary}`.replace(/-/g, "_");
}

/** A blackbox canary flow of a service, with its module's name. */
export interface BlackboxCanaryFlow {
  readonly service: ServiceSpec;
  readonly canary: CanarySpec;
  readonly module: string;
}

/** The flows of these services the blackbox exporter runs (engine "blackbox"), by service then flow. */
export function blackboxCanaryFlows(services: readonly ServiceSpec[]): BlackboxCanaryFlow[] {
  return services.flatMap((service) =>
    service.canaries
      .filter((c) => canaryEngine(c) === "blackbox")
      .map((canary) => ({ service, canary, module: blackboxCanaryModuleName(service.name, canary.name) })),
  );
}

/** The module's timeout in seconds: the flow's schedule, at most {@link BLACKBOX_CANARY_MAX_TIMEOUT_SECONDS}. */
export function blackboxCanaryTimeoutSeconds(canary: CanarySpec): number {
  return Math.min(BLACKBOX_CANARY_MAX_TIMEOUT_SECONDS, durationSeconds(canary.every));
}

/** Seconds as a Prometheus/Go duration: `10s`, or `500ms` below a whole second. */
export function secondsDuration(seconds: number): string {
  return Number.isInteger(seconds) ? `${seconds}s` : `${Math.round(seconds * 1000)}ms`;
}

/** The file a bearer credential is read from: `<BLACKBOX_SECRETS_DIR>/<secret>/<key>`. */
export function blackboxCredentialFile(ref: SecretRef): string {
  return `${BLACKBOX_SECRETS_DIR}/${ref.secret}/${ref.key}`;
}

/** The flow's bearer credential as its Secret reference, or undefined. */
function bearerSecret(canary: CanarySpec): SecretRef | undefined {
  const name = blackboxBearerCredential(canary);
  return name === undefined ? undefined : canary.credentials[name];
}

/**
 * The module of a blackbox flow, from its one request. Valid for Debian's 0.23 (the tests') and the
 * cluster's 0.28 alike: no `body_file`, no CEL. The HTTP client's settings (`authorization`) sit
 * inline under `http`, as both versions read them (`http_client_config` is an inline field there:
 * 0.23 rejects it as a key). A bearer token is read from its mounted Secret at each probe.
 */
export function blackboxCanaryModule(canary: CanarySpec) {
  const step = canary.steps[0]!;
  const request = step.request!;
  const bearer = bearerSecret(canary);
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => bearer === undefined || name.toLowerCase() !== "authorization"));
  const json = request.body !== undefined && typeof request.body !== "string";
  if (json && !Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) headers["Content-Type"] = "application/json";
  return {
    prober: "http",
    timeout: secondsDuration(blackboxCanaryTimeoutSeconds(canary)),
    http: {
      method: request.method,
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      ...(request.body === undefined ? {} : { body: typeof request.body === "string" ? request.body : JSON.stringify(request.body) }),
      valid_status_codes: [...step.expect.status],
      ...(step.expect.bodyMatches.length > 0 ? { fail_if_body_not_matches_regexp: [...step.expect.bodyMatches] } : {}),
      preferred_ip_protocol: "ip4",
      ...(bearer === undefined ? {} : { authorization: { type: "Bearer", credentials_file: blackboxCredentialFile(bearer) } }),
    },
  };
}

/**
 * The chart's `extraSecretMounts`, one per Secret a flow reads a bearer token from, read-only at
 * `<BLACKBOX_SECRETS_DIR>/<secret>`. The entry's keys are the chart's (prometheus-blackbox-exporter
 * 11.17.2 values.yaml, "Additional secret mounts": `name`, `mountPath`, `secretName`, `readOnly`,
 * `defaultMode`); the chart mounts the whole Secret (no `items`).
 */
export function blackboxSecretMounts(flows: readonly BlackboxCanaryFlow[]) {
  const secrets = [...new Set(flows.flatMap((f) => bearerSecret(f.canary)?.secret ?? []))].sort();
  return secrets.map((secret) => ({
    name: secretVolumeName(secret),
    mountPath: `${BLACKBOX_SECRETS_DIR}/${secret}`,
    secretName: secret,
    readOnly: true,
    defaultMode: 0o444,
  }));
}

/**
 * A pod volume's name for a Secret: `secret-<name>` when that is a DNS label (63 characters, no
 * dots); otherwise its start, dots as `-`, and a hash of the whole name, so two Secrets never share one.
 */
export function secretVolumeName(secret: string): string {
  const name = `secret-${secret}`;
  if (/^[a-z0-9-]{1,63}$/.test(name)) return name;
  const start = name
    .slice(0, 54)
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/-+$/, "");
  return `${start}-${createHash("sha256").update(secret).digest("hex").slice(0, 8)}`;
}

/**
 * Values of the prometheus-blackbox-exporter chart: the prober behind every synthetic probe
 * (services' Probe objects point at it), with one module per blackbox canary flow of `services`
 * (the environment's, already filtered to the flows that run there) and the Secrets their bearer
 * tokens are read from. Runs as non-root with a read-only root filesystem (the
 * chart's defaults, kept), sized from the profile, with a PDB when replicated and a self-monitor
 * Prometheus selects.
 */
export function buildBlackboxExporterValues(profile: EnvironmentProfile, services: readonly ServiceSpec[]) {
  const b = profile.blackboxExporter;
  const flows = blackboxCanaryFlows(services);
  return {
    fullnameOverride: BLACKBOX_EXPORTER_FULLNAME,
    replicas: b.replicas,
    resources: b.resources,
    // The chart renders a PDB only when this object is non-empty.
    podDisruptionBudget: b.replicas > 1 ? { maxUnavailable: 1 } : {},
    config: { modules: { ...BLACKBOX_MODULES, ...Object.fromEntries(flows.map((f) => [f.module, blackboxCanaryModule(f.canary)])) } },
    extraSecretMounts: blackboxSecretMounts(flows),
    service: { type: "ClusterIP", port: 9115 },
    ingress: { enabled: false },
    serviceMonitor: {
      selfMonitor: { enabled: true, labels: { ...PROMETHEUS_SELECTOR_LABELS }, interval: profile.prometheus.scrapeInterval },
      // Targets are Probe objects created per service, not this chart's per-target monitors.
      enabled: false,
    },
  };
}
