/** The `probes` part of a service spec: blackbox readiness and liveness probes, and canary flows. */
import { z } from "zod";
import { httpUrl, kebabName } from "../../model/schema-primitives";
import type { IssueReporter, ParsedServiceView } from "../kind";

/** A synthetic canary flow: a URL the blackbox exporter calls like a user would. */
export const canarySchema = z.strictObject({
  /** kebab-case, unique in the service. */
  name: kebabName,
  url: httpUrl,
  /** Blackbox module (helm-values/blackbox-exporter.ts). @default "http_2xx_json" */
  module: z.enum(["http_2xx", "http_2xx_json"]).default("http_2xx_json"),
});

/** Blackbox probes; `probe_success` carries `instance` = URL. */
export const probesSchema = z.strictObject({
  /** Canary flows, probed for dashboards. @default [] */
  canaries: z.array(canarySchema).default([]),
  /** @default - no readiness alert */
  readinessUrl: httpUrl.optional(),
  /** Probed for dashboards; no alert of its own (readiness covers serving). @default - not probed */
  livenessUrl: httpUrl.optional(),
});

/** The validated probes part. */
export type ProbesSpec = z.output<typeof probesSchema>;

/** Canary names are unique in the service. */
export function refineProbes(_service: ParsedServiceView, probes: ProbesSpec, issue: IssueReporter): void {
  const names = probes.canaries.map((c) => c.name);
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) issue(["canaries", i, "name"], "must be unique among the service's canaries");
  });
}

/** A service's health URLs the blackbox exporter probes: readiness, then liveness. */
export function healthProbeUrls(probes: ProbesSpec): string[] {
  return [probes.readinessUrl, probes.livenessUrl].filter((u): u is string => u !== undefined);
}

/** Every URL probed for a service: its health URLs, then its canaries. */
export function probedUrls(probes: ProbesSpec): string[] {
  return [...healthProbeUrls(probes), ...probes.canaries.map((c) => c.url)];
}
