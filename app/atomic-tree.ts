/**
 * Replaces sibling trees (cdktf.out/ and generated/) as one, in three phases:
 *
 * 1. recover: every `.synth-tmp-<pid>/` beside the trees whose process is gone is settled — its
 *    staging removed, or its journaled swap finished (rolled back if finishing fails) and cleaned;
 * 2. stage: each new tree is written under `.synth-tmp-<pid>/new/`; a failure removes the staging
 *    and leaves the trees untouched;
 * 3. swap: a journal is written, then each tree is moved aside and its new one moved in. A failure
 *    moves the previous trees back; a kill leaves the journal for the next run's phase 1. Once every
 *    tree is in place, the previous ones are removed; a removal that fails is a warning, not a failure.
 *
 * See swap-journal.ts for the layout and why a journal: two renames cannot be one.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  describeTrees,
  errorText,
  listing,
  moveBack,
  moveForward,
  NODE_FILE_OPS,
  readJournal,
  removeSwapDir,
  swapDirPid,
  SwapLayout,
  TEMP_PREFIX,
  treeState,
  writeJournal,
  type TreeFileOps,
} from "./swap-journal";

export { TEMP_PREFIX, type TreeFileOps } from "./swap-journal";

/** One tree to replace. */
export interface StagedTree {
  /** The directory replaced. Every tree of one swap is in the same parent directory. */
  readonly target: string;
  /** Writes the whole new tree into `dir` (which does not exist yet). */
  readonly write: (dir: string) => void;
}

/** How the trees are moved. */
export interface ReplaceTreesOptions {
  /**
   * The renames and removals of the swap and of recovery.
   * @default - node:fs
   */
  readonly fileOps?: Partial<TreeFileOps>;
}

/** What a swap did besides its own work. */
export interface SwapReport {
  /** One line per interrupted synth found beside the trees: what it had left and what was done. */
  readonly recovered: readonly string[];
  /** What could not be cleaned up, naming the leftover path; the trees are in place all the same. */
  readonly warnings: readonly string[];
}

/** How a failed swap left the trees: not touched, moved back to the previous ones, or neither (see the message). */
export type SwapFailureState = "untouched" | "restored" | "inconsistent";

/** A swap that failed; the message says what state the trees are in and how to recover. */
export class TreeSwapError extends Error {
  constructor(
    message: string,
    readonly state: SwapFailureState,
    /** What recovery did before the failure. */
    readonly report: SwapReport,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = "TreeSwapError";
  }
}

/**
 * Test-only: `OBS_SYNTH_TEST_KILL_AT=<point>` makes the process SIGKILL itself at that point, so a
 * test can show what a kill there leaves and what the next run recovers
 * (test/artifacts/interrupted-synth.test.ts). Points: `staged:<name>` after each tree is staged,
 * `retired:<name>` and `installed:<name>` after each move, `swapped` before the previous trees are removed.
 */
const KILL_AT = "OBS_SYNTH_TEST_KILL_AT";

function killPoint(point: string): void {
  if (process.env[KILL_AT] === point) process.kill(process.pid, "SIGKILL");
}

/** Whether `pid` is another live process. This process is never in a swap when one starts (synth is synchronous). */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** What `recoverInterruptedSwaps` did. */
export interface RecoveryReport extends SwapReport {
  /** Temporary directories of synths still running, left alone. */
  readonly running: readonly string[];
}

/** Settles every `.synth-tmp-<pid>/` in `parent` whose process is gone (phase 1). Never throws for one it cannot settle: it warns. */
export function recoverInterruptedSwaps(parent: string, fileOps: Partial<TreeFileOps> = {}): RecoveryReport {
  const ops = { ...NODE_FILE_OPS, ...fileOps };
  const recovered: string[] = [];
  const warnings: string[] = [];
  const running: string[] = [];
  const entries = fs.existsSync(parent) ? fs.readdirSync(parent).sort() : [];
  for (const entry of entries) {
    const pid = swapDirPid(entry);
    if (pid === undefined) continue;
    const layout = new SwapLayout(parent, pid);
    if (isRunning(layout.pid)) {
      running.push(layout.dir);
      continue;
    }
    const outcome = recoverOne(layout, ops);
    if (outcome.recovered !== undefined) recovered.push(outcome.recovered);
    if (outcome.warning !== undefined) warnings.push(outcome.warning);
  }
  return { recovered, warnings, running };
}

function recoverOne(layout: SwapLayout, ops: TreeFileOps): { recovered?: string; warning?: string } {
  const who = `a synth (pid ${layout.pid})`;
  let journal;
  try {
    journal = readJournal(layout);
  } catch (error) {
    return { warning: `left ${layout.dir} as it is: ${errorText(error)}; new/ in it holds the trees that synth staged, old/ the ones it moved aside` };
  }
  if (journal === undefined) {
    const left = removeSwapDir(layout, [], ops);
    const why = `left by ${who} that stopped before its swap or had rolled it back`;
    if (left.length > 0) return { warning: `could not remove ${leftText(left)}, ${why}; remove it by hand` };
    return { recovered: `removed ${layout.dir}, ${why}: the trees beside it are as they were before that synth` };
  }
  const names = journal.trees;
  const targets = listing(names.map((n) => layout.target(n)));
  const found = describeTrees(layout, names);
  let what: string;
  if (names.every((n) => treeState(layout, n) === "new")) {
    what = `${who} had swapped its trees but not removed the previous ones (it stopped, or could not): ${targets} were both the trees it staged`;
  } else {
    try {
      for (const name of names) moveForward(layout, name, ops);
      what = `finished the swap of ${who} that stopped mid-swap (found ${found}): ${targets} are now both the trees it staged`;
    } catch (forwardError) {
      try {
        for (const name of [...names].reverse()) moveBack(layout, name, ops);
        forgetSwap(layout, ops);
        what = `rolled back the swap of ${who} that stopped mid-swap (found ${found}), as finishing it failed (${errorText(forwardError)}): ${targets} are both the previous trees again`;
      } catch (backError) {
        return {
          warning:
            `could not recover the swap of ${who} that stopped mid-swap (found ${found}): finishing it failed (${errorText(forwardError)}), ` +
            `rolling it back failed (${errorText(backError)}); now ${describeTrees(layout, names)}. Its journal is ${layout.journal}; fix the cause and synth again, or move the trees by hand`,
        };
      }
    }
  }
  const left = removeSwapDir(layout, names, ops);
  if (left.length === 0) return { recovered: `${what}; removed ${layout.dir}` };
  return { recovered: what, warning: `could not remove ${leftText(left)}; it is ignored by git and the next synth tries again, or remove it by hand` };
}

/**
 * Once a swap is rolled back its journal goes first: what remains is staging only, which the next
 * run removes, never installs.
 */
function forgetSwap(layout: SwapLayout, ops: TreeFileOps): void {
  ops.rmSync(layout.journal, { recursive: true, force: true });
}

/** The one directory holding every target, created if missing. */
function sharedParent(targets: readonly string[]): string {
  const parents = [...new Set(targets.map((t) => path.dirname(t)))];
  const names = targets.map((t) => path.basename(t));
  if (parents.length !== 1 || new Set(names).size !== names.length) {
    throw new Error(
      `trees replaced together must be distinct directories of one parent directory (one journal, renames on one file system), got ${targets.join(", ")}`,
    );
  }
  fs.mkdirSync(parents[0]!, { recursive: true });
  return parents[0]!;
}

/** `<path> (<reason>), <path> (<reason>)`. */
function leftText(failures: readonly { path: string; reason: string }[]): string {
  return failures.map((f) => `${f.path} (${f.reason})`).join(", ");
}

/** The tail of a failure message when the temporary directory could not be removed either. */
function leftover(failures: readonly { path: string; reason: string }[]): string {
  return failures.length === 0 ? "" : `; could not remove ${leftText(failures)}: the next synth removes it`;
}

/**
 * Replaces every target with the tree its `write` produces, all or none (see the phases above).
 * Throws a {@link TreeSwapError} whose message and `state` say where the trees stand.
 */
export function replaceTreesAtomically(trees: readonly StagedTree[], options: ReplaceTreesOptions = {}): SwapReport {
  const ops = { ...NODE_FILE_OPS, ...options.fileOps };
  const targetPaths = trees.map((t) => path.resolve(t.target));
  const parent = sharedParent(targetPaths);
  const names = targetPaths.map((t) => path.basename(t));
  const targets = listing(targetPaths);
  const recovery = recoverInterruptedSwaps(parent, ops);
  const recovered = [...recovery.recovered];
  const warnings = [...recovery.warnings];
  const failure = (message: string, state: SwapFailureState, cause?: unknown) => new TreeSwapError(message, state, { recovered, warnings }, cause);
  if (recovery.running.length > 0) {
    throw failure(
      `another synth is replacing trees in ${parent} (${listing(recovery.running)}); ${targets} were not touched. ` +
        "Run again once it has finished; if none is running, that pid was reused by another process and the journal.json in that directory says what the swap had done",
      "untouched",
    );
  }

  const layout = new SwapLayout(parent, process.pid);
  let step = `stage the new ${targetPaths[0]}`;
  try {
    fs.mkdirSync(path.join(layout.dir, "new"), { recursive: true });
    for (const [i, tree] of trees.entries()) {
      step = `stage the new ${targetPaths[i]}`;
      tree.write(layout.staged(names[i]!));
      fs.mkdirSync(layout.staged(names[i]!), { recursive: true });
      killPoint(`staged:${names[i]}`);
    }
  } catch (error) {
    throw failure(`could not ${step}: ${errorText(error)}; ${targets} were not touched${leftover(removeSwapDir(layout, names, ops))}`, "untouched", error);
  }

  try {
    step = `write the journal ${layout.journal}`;
    writeJournal(layout, { pid: process.pid, trees: names });
    for (const name of names) {
      step = `replace ${layout.target(name)}`;
      moveForward(layout, name, ops, killPoint);
    }
  } catch (error) {
    const failed = `could not ${step}: ${errorText(error)}`;
    try {
      for (const name of [...names].reverse()) moveBack(layout, name, ops);
      forgetSwap(layout, ops);
    } catch (backError) {
      throw failure(
        `${failed}; moving the previous trees back failed too (${errorText(backError)}): now ${describeTrees(layout, names)}. ` +
          `The journal ${layout.journal} lets the next synth finish this swap once the cause is fixed`,
        "inconsistent",
        error,
      );
    }
    throw failure(
      `${failed}; moved the previous trees back: ${targets} are as they were before this synth${leftover(removeSwapDir(layout, names, ops))}`,
      "restored",
      error,
    );
  }

  killPoint("swapped");
  for (const left of removeSwapDir(layout, names, ops)) {
    const name = names.find((n) => left.path === layout.retired(n));
    const what = name === undefined ? left.path : `the previous ${layout.target(name)}, moved aside to ${left.path}`;
    warnings.push(
      `replaced ${targets}, but could not remove ${what}: ${left.reason}; it is ignored by git and the next synth tries again, or remove it by hand`,
    );
  }
  removeLegacyLeftovers(parent, names, ops, recovered, warnings);
  return { recovered, warnings };
}

/** `<name>.tmp-<pid>` and `<name>.old-<pid>` of the scheme before `.synth-tmp-`: removed once the new trees are in place. */
function removeLegacyLeftovers(parent: string, names: readonly string[], ops: TreeFileOps, recovered: string[], warnings: string[]): void {
  for (const entry of fs.readdirSync(parent).sort()) {
    const match = /^(.+)\.(tmp|old)-(\d+)$/.exec(entry);
    if (match === null || !names.includes(match[1]!) || isRunning(Number(match[3]))) continue;
    const leftover = path.join(parent, entry);
    try {
      ops.rmSync(leftover, { recursive: true, force: true });
      recovered.push(`removed ${leftover}, left by an earlier synth (pid ${match[3]}) before temporary trees moved under ${TEMP_PREFIX}<pid>/`);
    } catch (error) {
      warnings.push(
        `could not remove ${leftover}, left by an earlier synth (pid ${match[3]}): ${errorText(error)}; it is not ignored by git: remove it by hand`,
      );
    }
  }
}

/** Writes `files` (relative path -> content) as a new tree at `dir`; every path must stay inside it. */
export function writeTree(dir: string, files: ReadonlyMap<string, string>): void {
  const sorted = [...files].sort(([a], [b]) => a.localeCompare(b));
  for (const [relative] of sorted) {
    if (path.isAbsolute(relative) || relative.split(/[\\/]/).includes("..")) {
      throw new Error(`generated file path must stay inside the tree, got "${relative}"`);
    }
  }
  fs.mkdirSync(dir, { recursive: true });
  for (const [relative, content] of sorted) {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

/** Replaces one tree with exactly `files` (relative path -> content), as {@link replaceTreesAtomically} does. */
export function replaceTreeAtomically(targetDir: string, files: ReadonlyMap<string, string>, options: ReplaceTreesOptions = {}): SwapReport {
  return replaceTreesAtomically([{ target: targetDir, write: (dir) => writeTree(dir, files) }], options);
}

/** Reads a whole tree back as relative path -> content (sorted), for comparisons. */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!fs.existsSync(dir)) return files;
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(dir, full).split(path.sep).join("/"), fs.readFileSync(full, "utf8"));
    }
  };
  walk(dir);
  return files;
}
