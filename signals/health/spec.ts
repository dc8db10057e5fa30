/** The `probes` part of a service spec: blackbox readiness and liveness probes (canary flows are signals/canary/). */
import { z } from "zod";
import { httpUrl } from "../../model/schema-primitives";

/** Blackbox probes; `probe_success` carries `instance` = URL. */
export const probesSchema = z.strictObject({
  /** @default - no readiness alert */
  readinessUrl: httpUrl.optional(),
  /** Probed for dashboards; no alert of its own (readiness covers serving). @default - not probed */
  livenessUrl: httpUrl.optional(),
});

/** The validated probes part. */
export type ProbesSpec = z.output<typeof probesSchema>;

/** A service's health URLs the blackbox exporter probes: readiness, then liveness. */
export function healthProbeUrls(probes: ProbesSpec): string[] {
  return [probes.readinessUrl, probes.livenessUrl].filter((u): u is string => u !== undefined);
}
