import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderYaml } from "../../kit/render-yaml";
import { type PromtoolTestFile } from "../../kit/promtool/types";
import { type RuleFile } from "../../kit/rule-types";

/** Outcome of one promtool run: exit status and everything it printed. */
export interface PromtoolRun {
  readonly ok: boolean;
  readonly output: string;
}

/**
 * Go's garbage collector target for promtool: its rule tests allocate heavily and are short-lived,
 * so collecting at 4x the live heap instead of 2x trades some memory for CPU (about a fifth of a
 * long test's time). Behaviour is unchanged.
 */
const PROMTOOL_GOGC = "400";

/** Runs Debian's promtool (2.42) synchronously; a non-zero exit is returned, not thrown. */
export function promtool(args: readonly string[], cwd: string): PromtoolRun {
  try {
    const output = execFileSync("promtool", args, {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 << 20,
      env: { ...process.env, GOGC: process.env.GOGC ?? PROMTOOL_GOGC },
    });
    return { ok: true, output };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    if (e.stdout === undefined) throw new Error(`promtool could not run (install Debian's prometheus package): ${e.message}`);
    return { ok: false, output: `${e.stdout}${e.stderr ?? ""}` };
  }
}

/** Runs Debian's promtool like {@link promtool}, without blocking: for several runs side by side. */
export function promtoolAsync(args: readonly string[], cwd: string): Promise<PromtoolRun> {
  return new Promise((resolve, reject) => {
    execFile(
      "promtool",
      args,
      { cwd, encoding: "utf8", maxBuffer: 64 << 20, env: { ...process.env, GOGC: process.env.GOGC ?? PROMTOOL_GOGC } },
      (error, stdout, stderr) => {
        if (error === null) return resolve({ ok: true, output: stdout });
        if ((error as NodeJS.ErrnoException).code === "ENOENT")
          return reject(new Error(`promtool could not run (install Debian's prometheus package): ${error.message}`));
        resolve({ ok: false, output: `${stdout}${stderr}` });
      },
    );
  });
}

/**
 * Runs `tasks` with at most `limit` of them at a time, in order; resolves each task's result by
 * its index as soon as it is done.
 */
export function limited<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T>[] {
  let next = 0;
  const results = tasks.map(() => {
    let settle!: { resolve: (value: T) => void; reject: (error: unknown) => void };
    const promise = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
    return { promise, settle };
  });
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      await tasks[i]!().then(results[i]!.settle.resolve, results[i]!.settle.reject);
    }
  };
  for (let w = 0; w < Math.min(limit, tasks.length); w++) void worker();
  return results.map((r) => r.promise);
}

/**
 * Writes rule files and their promtool test files to a fresh temp dir, laid out as
 * `generated/<env>/rules/` is: `<dir>/<rule file>` and `<dir>/tests/<test file>`.
 */
export function writeRuleTree(ruleFiles: readonly RuleFile[], testFiles: readonly PromtoolTestFile[]): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "alert-rules-"));
  mkdirSync(join(dir, "tests"));
  for (const file of ruleFiles) writeFileSync(join(dir, file.fileName), renderYaml({ groups: file.groups }));
  for (const { fileName, ...content } of testFiles) writeFileSync(join(dir, "tests", fileName), renderYaml(content));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Writes the rule files and test files ({@link writeRuleTree}), runs `promtool test rules` on one
 * test file (`tests/<testFile>`) and fails with promtool's output unless it passes; removes the tree.
 */
export function expectPromtoolTestPasses(ruleFiles: readonly RuleFile[], testFiles: readonly PromtoolTestFile[], testFile: string): void {
  const tree = writeRuleTree(ruleFiles, testFiles);
  try {
    const run = promtool(["test", "rules", `tests/${testFile}`], tree.dir);
    if (!run.ok) throw new Error(run.output);
    expect(run.output).toContain("SUCCESS");
  } finally {
    tree.remove();
  }
}
