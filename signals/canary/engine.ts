/**
 * Which engine runs a flow. A single request whose checks the blackbox exporter can make (status,
 * body regexes, method, headers, body, a bearer credential from a file) is a blackbox module and a
 * Probe; anything more (several steps, values carried between steps, JSON assertions, polling, a
 * WebSocket, a credential in a header other than Authorization) runs in the canary runner
 * (canary-runner/), one Deployment per environment.
 *
 * JSON assertions stay with the runner although the cluster's blackbox (0.28) has CEL: Debian's
 * 0.23, which the preview and e2e run, has not, and what runs in the cluster must be what is tested.
 */
import { placeholders, type CanarySpec } from "./spec";

/** The engine of a flow. */
export type CanaryEngine = "blackbox" | "runner";

/** A `Bearer {{name}}` Authorization header naming a credential: the blackbox exporter reads it from a file. */
const BEARER = /^Bearer \{\{\s*([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}$/;

/** The credential a blackbox flow sends as `Authorization: Bearer`, or undefined. */
export function blackboxBearerCredential(canary: CanarySpec): string | undefined {
  const header = Object.entries(canary.steps[0]?.request?.headers ?? {}).find(([name]) => name.toLowerCase() === "authorization");
  return header === undefined ? undefined : BEARER.exec(header[1])?.[1];
}

/** Why a flow needs the runner, or undefined when the blackbox exporter can run it. */
export function runnerReason(canary: CanarySpec): string | undefined {
  if (canary.steps.length > 1) return "it has several steps";
  const step = canary.steps[0]!;
  if (step.request === undefined) return "it waits for a WebSocket message";
  if (step.poll !== undefined) return "it polls";
  if (Object.keys(step.extract).length > 0) return "it extracts values";
  if (step.expect.json.length > 0) return "it asserts on JSON (CEL is not in the blackbox exporter the tests run, 0.23)";
  const bearer = blackboxBearerCredential(canary);
  const { url, headers, body } = step.request;
  const texts = [
    url,
    ...Object.entries(headers)
      .filter(([name]) => name.toLowerCase() !== "authorization" || bearer === undefined)
      .map(([, v]) => v),
    JSON.stringify(body ?? ""),
  ];
  if (texts.some((t) => placeholders(t).length > 0)) return "it sends a credential outside a Bearer Authorization header";
  return undefined;
}

/** The engine of a flow: blackbox when one request is enough, else the runner. */
export function canaryEngine(canary: CanarySpec): CanaryEngine {
  return runnerReason(canary) === undefined ? "blackbox" : "runner";
}
