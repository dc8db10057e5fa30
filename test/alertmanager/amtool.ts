import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** Result of one amtool run. */
export interface AmtoolResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs Debian's amtool (0.25 here) with the given arguments. */
export function amtool(args: readonly string[]): AmtoolResult {
  const run = spawnSync("amtool", args, { encoding: "utf8" });
  if (run.error) throw new Error(`amtool could not run (install prometheus-alertmanager): ${run.error.message}`);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** `amtool config routes test`: the receivers an alert with these labels is routed to. */
export function routeReceivers(configFile: string, labels: Readonly<Record<string, string>>): string[] {
  const labelArgs = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  const run = amtool(["config", "routes", "test", `--config.file=${configFile}`, ...labelArgs]);
  if (run.status !== 0) throw new Error(`amtool config routes test failed: ${run.stdout}${run.stderr}`);
  return run.stdout
    .trim()
    .split(",")
    .filter((r) => r !== "");
}

/** `amtool config routes test --verify.receivers`: whether the labels reach exactly these receivers. */
export function verifyRoute(configFile: string, expected: string, labels: Readonly<Record<string, string>>): AmtoolResult {
  const labelArgs = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return amtool(["config", "routes", "test", `--config.file=${configFile}`, `--verify.receivers=${expected}`, ...labelArgs]);
}

/** A temporary directory to write files into (subdirectories made as needed), removed by `remove`. */
export function tempDir(prefix: string): { readonly path: string; write(name: string, content: string): string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    write(name, content) {
      const file = join(path, name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
      return file;
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}
