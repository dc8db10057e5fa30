/**
 * The canary runner's config: the flows of an environment that need more than one request
 * (engine.ts), in the JSON form `canary-runner/runner.mjs` reads, durations in seconds and
 * credentials as Secret references (the runner reads `<secretsDir>/<secret>/<key>` at each run).
 * The same file is mounted in the cluster's runner and handed to the preview's, so what runs in
 * the cluster is what the tests run.
 */
import { resolve } from "node:path";
import { durationSeconds } from "../../model/duration";
import { canaryEngine } from "./engine";
import type { CanaryRequest, CanarySpec, CanaryStep, JsonAssertion, JsonValue, SecretRef } from "./spec";

/** Where the runner's Deployment mounts the Secrets flows read credentials from. */
export const CANARY_RUNNER_SECRETS_DIR = "/etc/canary-runner/secrets";

/** The port the runner serves `/metrics` and `/healthz` on. */
export const CANARY_RUNNER_PORT = 9464;

/** The runner, one file with no dependencies. */
export const CANARY_RUNNER_SCRIPT_PATH = resolve(__dirname, "../../canary-runner/runner.mjs");

/** A request as the runner sends it. */
export interface RunnerRequest {
  readonly method: CanaryRequest["method"];
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: JsonValue;
}

/** One step as the runner runs it. */
export interface RunnerStep {
  readonly name: string;
  readonly budgetSeconds?: number;
  readonly request?: RunnerRequest;
  readonly poll?: { readonly everySeconds: number; readonly withinSeconds: number; readonly until: readonly JsonAssertion[] };
  readonly websocket?: {
    readonly url: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly trigger?: RunnerRequest;
    readonly message: { readonly withinSeconds: number; readonly json: readonly JsonAssertion[] };
  };
  readonly expect: { readonly status: readonly number[]; readonly bodyMatches: readonly string[]; readonly json: readonly JsonAssertion[] };
  readonly extract: Readonly<Record<string, string>>;
}

/** One flow as the runner schedules it. */
export interface RunnerFlow {
  readonly service: string;
  readonly team: string;
  readonly canary: string;
  readonly everySeconds: number;
  readonly budgetSeconds?: number;
  readonly baseUrl: string;
  readonly failAfterRuns: number;
  readonly slowAfterRuns: number;
  readonly credentials: Readonly<Record<string, SecretRef>>;
  readonly steps: readonly RunnerStep[];
}

/** The runner's config file. */
export interface RunnerConfig {
  readonly flows: readonly RunnerFlow[];
}

/** What the config needs of a service. */
export interface CanaryOwner {
  readonly name: string;
  readonly team: string;
  readonly canaries: readonly CanarySpec[];
}

function runnerRequest(request: CanaryRequest): RunnerRequest {
  return { method: request.method, url: request.url, headers: { ...request.headers }, ...(request.body === undefined ? {} : { body: request.body }) };
}

function runnerStep(step: CanaryStep): RunnerStep {
  const ws = step.websocket;
  return {
    name: step.name,
    ...(step.budget === undefined ? {} : { budgetSeconds: durationSeconds(step.budget) }),
    ...(step.request === undefined ? {} : { request: runnerRequest(step.request) }),
    ...(step.poll === undefined
      ? {}
      : { poll: { everySeconds: durationSeconds(step.poll.every), withinSeconds: durationSeconds(step.poll.within), until: step.poll.until } }),
    ...(ws === undefined
      ? {}
      : {
          websocket: {
            url: ws.url,
            headers: { ...ws.headers },
            ...(ws.trigger === undefined ? {} : { trigger: runnerRequest(ws.trigger) }),
            message: { withinSeconds: durationSeconds(ws.message.within), json: ws.message.json },
          },
        }),
    expect: { status: step.expect.status, bodyMatches: step.expect.bodyMatches, json: step.expect.json },
    extract: { ...step.extract },
  };
}

/** One flow of a service in the runner's form. */
export function runnerFlow(owner: Pick<CanaryOwner, "name" | "team">, canary: CanarySpec): RunnerFlow {
  return {
    service: owner.name,
    team: owner.team,
    canary: canary.name,
    everySeconds: durationSeconds(canary.every),
    ...(canary.budget === undefined ? {} : { budgetSeconds: durationSeconds(canary.budget) }),
    baseUrl: canary.baseUrl,
    failAfterRuns: canary.failAfterRuns,
    slowAfterRuns: canary.slowAfterRuns,
    credentials: { ...canary.credentials },
    steps: canary.steps.map(runnerStep),
  };
}

/** The runner's config: every flow of these services whose engine is the runner, by service then flow. */
export function runnerConfig(services: readonly CanaryOwner[]): RunnerConfig {
  return { flows: services.flatMap((s) => s.canaries.filter((c) => canaryEngine(c) === "runner").map((c) => runnerFlow(s, c))) };
}

/** The Secrets and keys the flows read, unique, sorted: what the runner's pod mounts. */
export function secretRefsOf(config: RunnerConfig): SecretRef[] {
  const refs = new Map<string, SecretRef>();
  for (const ref of config.flows.flatMap((f) => Object.values(f.credentials))) refs.set(`${ref.secret}/${ref.key}`, { secret: ref.secret, key: ref.key });
  return [...refs.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, ref]) => ref);
}

/** Options of the runner's command line. */
export interface RunnerArgsOptions {
  /** The config file. */
  readonly configPath: string;
  /** `host:port` of `/metrics`. */
  readonly listen: string;
  /** @default CANARY_RUNNER_SECRETS_DIR */
  readonly secretsDir?: string;
  /** Divides schedules (not budgets): the preview's time compression. @default 1 */
  readonly scheduleFactor?: number;
  /** The script's path. @default CANARY_RUNNER_SCRIPT_PATH */
  readonly scriptPath?: string;
}

/** Node's arguments that run the runner: the same in the Deployment and the preview. */
export function canaryRunnerArgs(options: RunnerArgsOptions): string[] {
  const factor = options.scheduleFactor;
  if (factor !== undefined && !(Number.isFinite(factor) && factor > 0)) throw new Error(`scheduleFactor must be a number above 0, got ${factor}`);
  return [
    "--experimental-websocket",
    options.scriptPath ?? CANARY_RUNNER_SCRIPT_PATH,
    "--config",
    options.configPath,
    "--listen",
    options.listen,
    "--secrets-dir",
    options.secretsDir ?? CANARY_RUNNER_SECRETS_DIR,
    ...(options.scheduleFactor === undefined || options.scheduleFactor === 1 ? [] : ["--schedule-factor", String(options.scheduleFactor)]),
  ];
}
