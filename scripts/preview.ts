/**
 * `npm run preview -- --env dev`: the environment's alert pipeline on this machine. Starts the
 * webhook sink, a demo of every service of the catalog, Debian's prometheus-alertmanager and
 * prometheus on 127.0.0.1 with the environment's generated rules and Alertmanager config
 * (time-compressed, receivers redirected to the sink), prints the URLs and how to inject faults,
 * then prints every notification until Ctrl-C, which stops all of it and removes its files.
 *
 * Options: --env <name> (default dev), --time-factor <n> (default 60; 1 = real timing),
 * --services <a,b> (default: the whole catalog), --keep (keep the work dir after exit).
 */
import { parseArgs } from "node:util";
import { ENVIRONMENT_NAMES } from "../environments";
import { startAlertPipeline, parseEnvironmentName, type AlertPipeline } from "./preview/pipeline";
import { previewBanner } from "./preview/banner";
import { assertTimeFactor, PREVIEW_TIME_FACTOR } from "./preview/time-compression";
import { summarizeNotification, type ReceivedNotification } from "./preview/webhook-sink";

const USAGE = `usage: npm run preview -- [--env <${ENVIRONMENT_NAMES.join("|")}>] [--time-factor <1..300>] [--services <name,...>] [--keep]`;

/** Options as parsed from the command line. */
interface PreviewArgs {
  readonly environment: string;
  readonly timeFactor: number;
  readonly services?: readonly string[];
  readonly keep: boolean;
}

/** Parses and checks the arguments; throws a message naming the valid values. */
function parsePreviewArgs(argv: readonly string[]): PreviewArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      env: { type: "string", default: "dev" },
      "time-factor": { type: "string", default: String(PREVIEW_TIME_FACTOR) },
      services: { type: "string" },
      keep: { type: "boolean", default: false },
    },
    strict: true,
  });
  const environment = parseEnvironmentName(values.env!);
  const timeFactor = Number(values["time-factor"]);
  assertTimeFactor(timeFactor);
  const services = values.services
    ?.split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return { environment, timeFactor, keep: values.keep!, ...(services ? { services } : {}) };
}

/** Prints notifications; the Watchdog heartbeat only once, as it arrives every compressed minute. */
function notificationPrinter(): (n: ReceivedNotification) => void {
  let heartbeats = 0;
  return (n) => {
    const watchdogOnly = n.payload.alerts.every((a) => a.labels.alertname === "Watchdog");
    if (watchdogOnly && heartbeats++ > 0) return;
    console.log(summarizeNotification(n) + (watchdogOnly ? "   (further Watchdog heartbeats are not printed)" : ""));
  };
}

async function main(): Promise<number> {
  let args: PreviewArgs;
  try {
    args = parsePreviewArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  let pipeline: AlertPipeline | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (reason: string) => {
    stopping ??= (async () => {
      console.log(`\n${reason}: stopping Prometheus, Alertmanager, the demo services and the sink...`);
      await pipeline?.stop();
      console.log(pipeline && args.keep ? `stopped; files kept in ${pipeline.workDir}` : "stopped; nothing left running.");
    })();
    return stopping;
  };
  const stopped = new Promise<number>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
      process.once(
        signal,
        () =>
          void stop(signal).then(
            () => resolve(0),
            () => resolve(1),
          ),
      );
  });
  try {
    pipeline = await startAlertPipeline({
      environment: args.environment,
      timeFactor: args.timeFactor,
      keepWorkDir: args.keep,
      onNotification: notificationPrinter(),
      ...(args.services ? { services: args.services } : {}),
    });
  } catch (error) {
    console.error(`preview failed to start: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  if (stopping !== undefined) {
    // A signal arrived while starting: stop what has started since.
    await pipeline.stop();
    return stopped;
  }
  console.log(previewBanner(pipeline));
  const running = pipeline;
  const watchdog = setInterval(() => {
    const dead = [running.prometheus, running.alertmanager].find((d) => d.hasExited());
    if (dead === undefined) return;
    clearInterval(watchdog);
    console.error(`${dead.name} exited unexpectedly:\n${dead.output().slice(-4000)}`);
    void stop(`${dead.name} exited`).then(() => process.exit(1));
  }, 1000);
  const code = await stopped;
  clearInterval(watchdog);
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
