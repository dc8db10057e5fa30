/**
 * The real dependencies of the preview, on 127.0.0.1 and free ports: for each store dependency the
 * services watch through an exporter (`core-redis` through `core-redis-exporter`), Debian's
 * `redis-server` 7.0 or Postgres 15 with `prometheus-redis-exporter` 1.45 or
 * `prometheus-postgres-exporter` 0.11, scraped under the dependency's `job`; and the
 * `prometheus-blackbox-exporter` 0.23 that probes the demo services' health endpoints. A dependency
 * a service pings itself (`divan_redis_up`, under the service's own job) stays simulated by the demo.
 *
 * The servers can be stopped and started again on the same port (the faults "Redis down", "Postgres
 * down"); their exporters keep running and report `redis_up`/`pg_up` 0 meanwhile, as in a cluster.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderYaml } from "../../kit/render-yaml";
import { storeDependencies, type ServiceSpec } from "../../signals/service-spec";
import type { StoreDependency } from "../../signals/dependency/spec";
import { BLACKBOX_MODULES } from "../../helm-values/blackbox-exporter";
import { pgConnect } from "./pg-wire";
import { POSTGRES_CUSTOM_QUERIES_YAML } from "../../signals/postgres/custom-queries";
import { startDaemon, type Daemon } from "./processes";
import { redisAnswersPing } from "./redis-wire";

/** Executables of Debian's packages (redis-server, postgresql-15, the three exporters). */
export const DEPENDENCY_TOOLS = {
  redisServer: "redis-server",
  redisExporter: "prometheus-redis-exporter",
  postgresBin: "/usr/lib/postgresql/15/bin",
  postgresExporter: "prometheus-postgres-exporter",
  blackboxExporter: "prometheus-blackbox-exporter",
} as const;

/** How the preview's servers are sized: small, so that the faults reach the limits quickly. */
export const DEPENDENCY_LIMITS = {
  /** Redis `maxmemory`, evicting with `allkeys-lru` beyond it. */
  redisMaxMemory: "4mb",
  /** Redis `maxclients`: connections beyond it are rejected (`redis_rejected_connections_total`). */
  redisMaxClients: 64,
  /** Postgres `max_connections` (3 of them reserved for superusers). */
  postgresMaxConnections: 20,
  /** Postgres `deadlock_timeout`: how soon a deadlock is detected. */
  postgresDeadlockTimeout: "100ms",
} as const;

/** The superuser and database the exporter and the tests use (trusted on loopback only). */
export const PREVIEW_POSTGRES = { user: "postgres", database: "postgres" } as const;

/** Blackbox module the health probes use (helm-values/blackbox-exporter.ts), its timeout fitted to the compressed scrape. */
export const HEALTH_PROBE_MODULE = "http_2xx";

/** One real dependency: its server and its exporter. */
export interface RealDependency {
  readonly name: string;
  readonly kind: "redis" | "postgres";
  /** The exporter's scrape job, as the rules select it. */
  readonly job: string;
  /** Port of the server (redis-server or postgres) on 127.0.0.1; kept across restarts. */
  readonly port: number;
  readonly exporter: Daemon;
  /** True while the server runs. */
  isRunning(): boolean;
  /** Stops the server (the exporter stays up and reports it down). Idempotent. */
  stopServer(): Promise<void>;
  /** Starts the server again on its port, with its data (Postgres) or empty (Redis). Idempotent. */
  startServer(): Promise<void>;
}

/** The real dependencies and the blackbox exporter. */
export interface RealDependencies {
  readonly dependencies: readonly RealDependency[];
  /** The blackbox exporter, when a service has health URLs to probe. */
  readonly blackbox?: Daemon;
  /** The dependency by name; throws naming the real ones. */
  dependency(name: string): RealDependency;
  /** Stops every server and exporter. */
  stop(): Promise<void>;
}

/** The store dependencies of `specs` watched through an exporter of a kind run for real, one per name. */
export function realDependencyCandidates(specs: readonly ServiceSpec[]): StoreDependency[] {
  const found = new Map<string, StoreDependency>();
  for (const spec of specs) {
    for (const dependency of storeDependencies(spec) as StoreDependency[]) {
      const viaExporter = dependency.job !== spec.metrics.job;
      if (viaExporter && (dependency.kind === "redis" || dependency.kind === "postgres")) found.set(dependency.name, dependency);
    }
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The blackbox config: the health module, timeout below the compressed scrape timeout, and the
 * canary modules of the environment's blackbox flows as the cluster's exporter has them.
 */
export function blackboxConfig(timeoutSeconds: number, canaryModules: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return { modules: { [HEALTH_PROBE_MODULE]: { ...BLACKBOX_MODULES[HEALTH_PROBE_MODULE], timeout: `${Math.max(0.1, timeoutSeconds)}s` }, ...canaryModules } };
}

/** uid/gid of the `postgres` user when running as root (postgres refuses root), else nothing. */
function postgresIdentity(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(spawnSync("id", [flag, "postgres"], { encoding: "utf8" }).stdout.trim());
  const uid = id("-u");
  const gid = id("-g");
  if (!Number.isInteger(uid) || !Number.isInteger(gid) || uid <= 0) {
    throw new Error("postgres refuses to run as root and there is no `postgres` user (install Debian's postgresql package)");
  }
  return { uid, gid };
}

async function startRedis(dependency: StoreDependency, workDir: string): Promise<RealDependency> {
  const start = (port?: number) =>
    startDaemon({
      name: `redis-server (${dependency.name})`,
      command: DEPENDENCY_TOOLS.redisServer,
      args: (p) => [
        "--port",
        String(p),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        workDir,
        "--maxmemory",
        DEPENDENCY_LIMITS.redisMaxMemory,
        "--maxmemory-policy",
        "allkeys-lru",
        "--maxclients",
        String(DEPENDENCY_LIMITS.redisMaxClients),
      ],
      isReady: redisAnswersPing,
      logFile: join(workDir, `${dependency.name}.log`),
      ...(port !== undefined ? { port } : {}),
    });
  const server = restartable(await start(), start);
  const port = server.port;
  try {
    const exporter = await startDaemon({
      name: `${DEPENDENCY_TOOLS.redisExporter} (${dependency.name})`,
      command: DEPENDENCY_TOOLS.redisExporter,
      args: (p) => [`-redis.addr=redis://127.0.0.1:${port}`, `-web.listen-address=127.0.0.1:${p}`],
      readyPath: "/",
      logFile: join(workDir, `${dependency.job}.log`),
    });
    return realDependency(dependency, "redis", port, exporter, server);
  } catch (error) {
    await server.stop();
    throw error;
  }
}

async function startPostgres(dependency: StoreDependency, workDir: string): Promise<RealDependency> {
  const identity = postgresIdentity();
  const home = join(workDir, dependency.name);
  mkdirSync(home);
  if (identity !== undefined) {
    // The work dir is root's (mode 700): let the postgres user reach its own folder in it.
    chmodSync(workDir, 0o711);
    chownSync(home, identity.uid, identity.gid);
  }
  const data = join(home, "data");
  const bin = (tool: string) => join(DEPENDENCY_TOOLS.postgresBin, tool);
  const init = spawnSync(bin("initdb"), ["-D", data, "-U", PREVIEW_POSTGRES.user, "-A", "trust", "-E", "UTF8", "--no-sync"], {
    encoding: "utf8",
    ...(identity ?? {}),
  });
  if (init.error || init.status !== 0) {
    throw new Error(`initdb for ${dependency.name} failed (install Debian's postgresql package): ${init.error?.message ?? ""}${init.stdout}${init.stderr}`);
  }
  const start = (port?: number) =>
    startDaemon({
      name: `postgres (${dependency.name})`,
      command: bin("postgres"),
      args: (p) => [
        "-D",
        data,
        "-p",
        String(p),
        "-k",
        home,
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        `max_connections=${DEPENDENCY_LIMITS.postgresMaxConnections}`,
        "-c",
        `deadlock_timeout=${DEPENDENCY_LIMITS.postgresDeadlockTimeout}`,
        "-c",
        "fsync=off",
        "-c",
        "synchronous_commit=off",
      ],
      isReady: async (p) => {
        const session = await pgConnect({ host: "127.0.0.1", port: p, ...PREVIEW_POSTGRES }, 2000);
        await session.close();
        return true;
      },
      // SIGINT is postgres' fast shutdown; SIGTERM would wait for the exporter to disconnect.
      stopSignal: "SIGINT",
      logFile: join(workDir, `${dependency.name}.log`),
      ...(identity ?? {}),
      ...(port !== undefined ? { port } : {}),
    });
  const server = restartable(await start(), start);
  const port = server.port;
  try {
    const queries = join(workDir, `${dependency.job}-queries.yaml`);
    writeFileSync(queries, POSTGRES_CUSTOM_QUERIES_YAML);
    const exporter = await startDaemon({
      name: `${DEPENDENCY_TOOLS.postgresExporter} (${dependency.name})`,
      command: DEPENDENCY_TOOLS.postgresExporter,
      args: (p) => [`--web.listen-address=127.0.0.1:${p}`, `--extend.query-path=${queries}`],
      env: { DATA_SOURCE_NAME: `postgresql://${PREVIEW_POSTGRES.user}@127.0.0.1:${port}/${PREVIEW_POSTGRES.database}?sslmode=disable` },
      readyPath: "/",
      logFile: join(workDir, `${dependency.job}.log`),
    });
    return realDependency(dependency, "postgres", port, exporter, server);
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** A server that can be stopped and started again on its first port. */
function restartable(first: Daemon, start: (port: number) => Promise<Daemon>): RestartableServer {
  let server: Daemon | undefined = first;
  return {
    port: first.port,
    get: () => server,
    stop: async () => {
      await server?.stop();
      server = undefined;
    },
    start: async () => void (server ??= await start(first.port)),
  };
}

interface RestartableServer {
  readonly port: number;
  readonly get: () => Daemon | undefined;
  readonly stop: () => Promise<void>;
  readonly start: () => Promise<void>;
}

function realDependency(dependency: StoreDependency, kind: RealDependency["kind"], port: number, exporter: Daemon, server: RestartableServer): RealDependency {
  return {
    name: dependency.name,
    kind,
    job: dependency.job,
    port,
    exporter,
    isRunning: () => server.get()?.hasExited() === false,
    stopServer: server.stop,
    startServer: server.start,
  };
}

/** Options of {@link startRealDependencies}. */
export interface RealDependenciesOptions {
  readonly specs: readonly ServiceSpec[];
  /** Folder for data, configs and logs. */
  readonly workDir: string;
  /** Whether to start the blackbox exporter. */
  readonly blackbox: boolean;
  /** Probe timeout of the blackbox module, in seconds (below the scrape timeout). */
  readonly probeTimeoutSeconds: number;
  /** The canary modules of the blackbox flows, by name. @default {} */
  readonly canaryModules?: Readonly<Record<string, unknown>>;
}

/** Starts every real dependency of `specs` and the blackbox exporter, in parallel; on failure stops what started. */
export async function startRealDependencies(options: RealDependenciesOptions): Promise<RealDependencies> {
  const candidates = realDependencyCandidates(options.specs);
  const starts: Promise<RealDependency | Daemon>[] = candidates.map((d) =>
    d.kind === "redis" ? startRedis(d, options.workDir) : startPostgres(d, options.workDir),
  );
  if (options.blackbox) {
    const config = join(options.workDir, "blackbox.yml");
    writeFileSync(config, renderYaml(blackboxConfig(options.probeTimeoutSeconds, options.canaryModules)));
    starts.push(
      startDaemon({
        name: DEPENDENCY_TOOLS.blackboxExporter,
        command: DEPENDENCY_TOOLS.blackboxExporter,
        args: (p) => [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${p}`, "--timeout-offset=0.05"],
        readyPath: "/-/healthy",
        logFile: join(options.workDir, "blackbox-exporter.log"),
      }),
    );
  }
  const settled = await Promise.allSettled(starts);
  const started = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const dependencies = started.filter((s): s is RealDependency => "startServer" in s);
  const blackbox = started.find((s): s is Daemon => !("startServer" in s));
  const stop = async () => {
    await Promise.all([...dependencies.flatMap((d) => [d.stopServer(), d.exporter.stop()]), blackbox?.stop()]);
  };
  const failures = settled.flatMap((s) => (s.status === "rejected" ? [s.reason instanceof Error ? s.reason.message : String(s.reason)] : []));
  if (failures.length > 0) {
    await stop();
    throw new Error(`real dependencies failed to start:\n${failures.join("\n")}`);
  }
  return {
    dependencies,
    ...(blackbox ? { blackbox } : {}),
    dependency: (name) => {
      const found = dependencies.find((d) => d.name === name);
      if (found === undefined) throw new Error(`dependency must be one run for real (${dependencies.map((d) => d.name).join(", ")}), got "${name}"`);
      return found;
    },
    stop,
  };
}
