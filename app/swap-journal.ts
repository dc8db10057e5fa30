/**
 * The on-disk layout of one swap of sibling trees, its journal, and the moves that finish or undo
 * it. Everything temporary lives in one directory beside the trees, `.synth-tmp-<pid>/` (listed in
 * .gitignore), so a synth stopped at any point leaves nothing else in the repository:
 *
 *   .synth-tmp-<pid>/new/<name>     the staged new tree, until it is moved to <name>
 *   .synth-tmp-<pid>/old/<name>     the previous tree, once moved aside, until it is removed
 *   .synth-tmp-<pid>/journal.json   written once every new tree is staged, before the first move;
 *                                   removed first when the swap is rolled back
 *
 * Two renames cannot be one (and a rename cannot replace a non-empty directory), so for the moments
 * between the moves a reader may see a tree missing, or one tree new and the other old. The journal
 * closes that gap for a synth stopped there: the next run reads where each tree is (`treeState`)
 * and finishes the swap (`moveForward`), or undoes it (`moveBack`) when finishing fails.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Prefix of every temporary directory of a synth; `.gitignore` and the linters ignore `.synth-tmp-*`. */
export const TEMP_PREFIX = ".synth-tmp-";

/** The pid in a `.synth-tmp-<pid>` directory name, or undefined for any other name. */
export function swapDirPid(entry: string): number | undefined {
  const pid = /^\.synth-tmp-(\d+)$/.exec(entry)?.[1];
  return pid === undefined ? undefined : Number(pid);
}

/** The file-system moves of a swap; tests replace them to simulate what root cannot (a tree that resists removal). */
export interface TreeFileOps {
  readonly renameSync: (from: string, to: string) => void;
  readonly rmSync: (target: string, options: { readonly recursive: true; readonly force: true }) => void;
}

export const NODE_FILE_OPS: TreeFileOps = {
  renameSync: (from, to) => fs.renameSync(from, to),
  rmSync: (target, options) => fs.rmSync(target, options),
};

/** Where one swap keeps its trees. */
export class SwapLayout {
  /** `<parent>/.synth-tmp-<pid>`. */
  readonly dir: string;
  readonly journal: string;

  constructor(
    /** The directory holding the trees being replaced. */
    readonly parent: string,
    /** The process that made (or makes) the swap. */
    readonly pid: number,
  ) {
    this.dir = path.join(parent, `${TEMP_PREFIX}${pid}`);
    this.journal = path.join(this.dir, "journal.json");
  }

  target(name: string): string {
    return path.join(this.parent, name);
  }

  staged(name: string): string {
    return path.join(this.dir, "new", name);
  }

  retired(name: string): string {
    return path.join(this.dir, "old", name);
  }
}

/** What journal.json holds: which trees, in the order they are moved. Its presence means moves may have begun. */
export interface SwapJournal {
  readonly pid: number;
  readonly trees: readonly string[];
}

/** Written to a temporary name and renamed, so a kill never leaves half a journal. */
export function writeJournal(layout: SwapLayout, journal: SwapJournal): void {
  const partial = `${layout.journal}.partial`;
  fs.writeFileSync(partial, `${JSON.stringify(journal, null, 2)}\n`);
  fs.renameSync(partial, layout.journal);
}

/** The journal, or undefined when the swap never got past staging. Throws when it is unreadable. */
export function readJournal(layout: SwapLayout): SwapJournal | undefined {
  if (!fs.existsSync(layout.journal)) return undefined;
  const parsed = JSON.parse(fs.readFileSync(layout.journal, "utf8")) as Partial<SwapJournal>;
  if (!Array.isArray(parsed.trees) || !parsed.trees.every((t) => typeof t === "string" && t !== "" && path.basename(t) === t)) {
    throw new Error(`journal ${layout.journal} must list tree names, got ${JSON.stringify(parsed.trees)}`);
  }
  return { pid: layout.pid, trees: parsed.trees };
}

/**
 * Where one tree of a journaled swap stands, from what exists:
 * - `previous`: the target still holds the previous tree, the new one is staged;
 * - `moved-aside`: the previous tree is under old/, the target is missing, the new one is staged;
 * - `not-yet-created`: no previous tree, the target is missing, the new one is staged;
 * - `new`: the new tree is in place (the previous one, if any, is under old/ or already removed);
 * - `lost`: neither a staged new tree nor a consistent target.
 */
export type TreeState = "previous" | "moved-aside" | "not-yet-created" | "new" | "lost";

export function treeState(layout: SwapLayout, name: string): TreeState {
  const staged = fs.existsSync(layout.staged(name));
  const target = fs.existsSync(layout.target(name));
  const retired = fs.existsSync(layout.retired(name));
  if (!staged) return target ? "new" : "lost";
  if (target) return retired ? "lost" : "previous";
  return retired ? "moved-aside" : "not-yet-created";
}

/** One tree's state in words, naming the user's path: `/repo/generated: new tree`. */
export function describeTree(layout: SwapLayout, name: string, state: TreeState = treeState(layout, name)): string {
  const target = layout.target(name);
  switch (state) {
    case "previous":
      return `${target}: previous tree`;
    case "moved-aside":
      return `${target}: missing, previous tree at ${layout.retired(name)}, new tree at ${layout.staged(name)}`;
    case "not-yet-created":
      return `${target}: missing (it had no previous tree), new tree at ${layout.staged(name)}`;
    case "new":
      return `${target}: new tree`;
    case "lost":
      return fs.existsSync(layout.target(name))
        ? `${target}: present, yet a new tree at ${layout.staged(name)} and a previous one at ${layout.retired(name)} exist too`
        : `${target}: missing, and no new tree at ${layout.staged(name)}`;
  }
}

/** Every tree's state, `; `-separated. */
export function describeTrees(layout: SwapLayout, names: readonly string[]): string {
  return names.map((n) => describeTree(layout, n)).join("; ");
}

/** `a, b and c`. */
export function listing(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** A named point of the swap, passed to a hook after the step it names. */
export type SwapPoint = `retired:${string}` | `installed:${string}`;

/** Moves one tree from wherever it stands to `new`; idempotent, so a stopped recovery can run again. */
export function moveForward(layout: SwapLayout, name: string, ops: TreeFileOps, after: (point: SwapPoint) => void = () => undefined): void {
  const state = treeState(layout, name);
  if (state === "lost") throw new Error(`cannot finish replacing ${describeTree(layout, name, state)}`);
  if (state === "new") return;
  if (state === "previous") {
    fs.mkdirSync(path.dirname(layout.retired(name)), { recursive: true });
    ops.renameSync(layout.target(name), layout.retired(name));
    after(`retired:${name}`);
  }
  ops.renameSync(layout.staged(name), layout.target(name));
  after(`installed:${name}`);
}

/** Moves one tree back to `previous` (or to no tree, if it had none); idempotent too. */
export function moveBack(layout: SwapLayout, name: string, ops: TreeFileOps): void {
  const state = treeState(layout, name);
  if (state === "lost") throw new Error(`cannot restore ${describeTree(layout, name, state)}`);
  if (state === "new") {
    fs.mkdirSync(path.dirname(layout.staged(name)), { recursive: true });
    ops.renameSync(layout.target(name), layout.staged(name));
  }
  if (fs.existsSync(layout.retired(name))) ops.renameSync(layout.retired(name), layout.target(name));
}

/**
 * Removes a swap's directory once every tree is settled: each previous tree, then each staged one,
 * the journal last, so a removal that fails leaves the journal that explains what remains.
 * Returns each path that could not be removed and why (none when all is gone).
 */
export function removeSwapDir(layout: SwapLayout, names: readonly string[], ops: TreeFileOps): { path: string; reason: string }[] {
  const failures: { path: string; reason: string }[] = [];
  const remove = (target: string) => {
    try {
      ops.rmSync(target, { recursive: true, force: true });
    } catch (error) {
      failures.push({ path: target, reason: `${errorText(error)}${originalPath(layout, names, (error as NodeJS.ErrnoException).path)}` });
    }
  };
  for (const name of names) remove(layout.retired(name));
  for (const name of names) remove(layout.staged(name));
  if (failures.length > 0) return failures;
  for (const target of [path.join(layout.dir, "old"), path.join(layout.dir, "new"), layout.journal, layout.dir]) {
    remove(target);
    if (failures.length > 0) break;
  }
  return failures;
}

/** For a path inside a moved tree, where that file was (or will be) in the user's tree: ` (/repo/generated/dev/a.yaml of the previous tree)`. */
function originalPath(layout: SwapLayout, names: readonly string[], file: string | undefined): string {
  if (file === undefined) return "";
  const absolute = path.resolve(layout.parent, file);
  for (const name of names) {
    for (const [root, which] of [
      [layout.retired(name), "previous"],
      [layout.staged(name), "new"],
    ] as const) {
      const relative = path.relative(root, absolute);
      if (relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative))
        return ` (${path.join(layout.target(name), relative)} of the ${which} tree)`;
    }
  }
  return "";
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
