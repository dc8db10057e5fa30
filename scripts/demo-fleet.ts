/**
 * Runs demo services alone (no Prometheus): `npx tsx scripts/demo-fleet.ts [--services divan-api,workers]
 * [--time-scale 1]`. Prints each scrape target and the fault endpoint; Ctrl-C stops them.
 */
import { parseArgs } from "node:util";
import { serviceCatalog } from "../services";
import { startDemoFleet } from "../demo-service/fleet";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { services: { type: "string" }, "time-scale": { type: "string", default: "1" } } });
  const names =
    values.services
      ?.split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "") ?? serviceCatalog().map((s) => s.name);
  const unknown = names.filter((n) => !serviceCatalog().some((s) => s.name === n));
  if (unknown.length > 0)
    throw new Error(
      `--services must name services of the catalog (${serviceCatalog()
        .map((s) => s.name)
        .join(", ")}), got ${unknown.join(", ")}`,
    );
  const timeScale = Number(values["time-scale"]);
  if (!(timeScale > 0)) throw new Error(`--time-scale must be a positive number, got ${values["time-scale"]}`);
  const fleet = await startDemoFleet(
    serviceCatalog().filter((s) => names.includes(s.name)),
    { timeScale },
  );
  for (const target of fleet.targets) {
    const faults = target.service === undefined ? "" : `  faults: http://${target.address}/faults`;
    console.log(`job ${target.job.padEnd(24)} http://${target.address}${target.metricsPath}${faults}`);
  }
  console.log("Ctrl-C stops the demo.");
  const stop = () => void fleet.stop().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
