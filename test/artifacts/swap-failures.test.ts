/**
 * A synth whose swap meets a file system that refuses: a previous tree that cannot be removed, a
 * tree that cannot be moved. The tests run as root, and chmod does not stop root from renaming or
 * deleting (and chattr +i needs a capability a container may lack), so the refusal is injected
 * through `fileOps`, failing the way node:fs does.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readTree, recoverInterruptedSwaps, TEMP_PREFIX, TreeSwapError, type TreeFileOps } from "../../app/atomic-tree";
import { NEW_SERVICES, pairIn, PREVIOUS_SERVICES, synthInto, tempEntries, visibleEntries, type TreePair } from "./synth-fixtures";

/** An error shaped like node:fs's own: `EPERM: operation not permitted, rename 'a' -> 'b'`. */
function permissionError(syscall: string, target: string, dest?: string): NodeJS.ErrnoException {
  const message = `EPERM: operation not permitted, ${syscall} '${target}'${dest === undefined ? "" : ` -> '${dest}'`}`;
  return Object.assign(new Error(message), { code: "EPERM", syscall, path: target });
}

/** rmSync that cannot remove `tree` (as with an immutable file in it), and removes anything else. */
function cannotRemove(tree: string): Partial<TreeFileOps> {
  return {
    rmSync: (target, options) => {
      if (target === tree || target.startsWith(`${tree}${path.sep}`)) throw permissionError("unlink", path.join(tree, "dev", "alertmanager.yaml"));
      fs.rmSync(target, options);
    },
  };
}

/** renameSync that refuses each `[from, to]` in `refused`, and moves anything else. */
function cannotMove(...refused: (readonly [string, string])[]): Partial<TreeFileOps> {
  return {
    renameSync: (from, to) => {
      if (refused.some(([f, t]) => f === from && t === to)) throw permissionError("rename", from, to);
      fs.renameSync(from, to);
    },
  };
}

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

let root: string;
let previous: TreePair;
let next: TreePair;
let dir: string;
let g: string;
let o: string;
/** This process's temporary directory beside the trees. */
let tmp: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "obs-swap-"));
  synthInto(path.join(root, "previous"), PREVIOUS_SERVICES);
  synthInto(path.join(root, "new"), NEW_SERVICES);
  previous = pairIn(path.join(root, "previous"));
  next = pairIn(path.join(root, "new"));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(root, "case-"));
  fs.cpSync(path.join(root, "previous"), dir, { recursive: true });
  g = path.join(dir, "generated");
  o = path.join(dir, "cdktf.out");
  tmp = path.join(dir, `${TEMP_PREFIX}${process.pid}`);
});

describe("synthesize when the previous generated/ cannot be removed", () => {
  it("keeps both new trees, warns naming the leftover, and the next synth removes it", () => {
    const leftover = path.join(tmp, "old", "generated");
    const result = synthInto(dir, NEW_SERVICES, { fileOps: cannotRemove(leftover) });
    expect(result.warnings).toEqual([
      `replaced ${g} and ${o}, but could not remove the previous ${g}, moved aside to ${leftover}: ` +
        `EPERM: operation not permitted, unlink '${leftover}/dev/alertmanager.yaml' (${g}/dev/alertmanager.yaml of the previous tree); it is ignored by git and the next synth tries again, or remove it by hand`,
    ]);
    expect(result.recovered).toEqual([]);
    expect(pairIn(dir)).toEqual(next);
    expect(readTree(leftover)).toEqual(previous.generated);
    expect(visibleEntries(dir)).toEqual(["cdktf.out", "generated"]);

    const again = synthInto(dir, NEW_SERVICES);
    expect(again.recovered).toEqual([
      `a synth (pid ${process.pid}) had swapped its trees but not removed the previous ones (it stopped, or could not): ` +
        `${g} and ${o} were both the trees it staged; removed ${tmp}`,
    ]);
    expect(again.warnings).toEqual([]);
    expect(tempEntries(dir)).toEqual([]);
  });
});

describe("synthesize when a tree cannot be moved", () => {
  it("fails when cdktf.out/ cannot be moved aside, moving generated/ back: both trees as they were", () => {
    const error = thrownBy(() => synthInto(dir, NEW_SERVICES, { fileOps: cannotMove([o, path.join(tmp, "old", "cdktf.out")]) }));
    expect(error).toBeInstanceOf(TreeSwapError);
    expect(error).toMatchObject({
      state: "restored",
      message:
        `could not replace ${o}: EPERM: operation not permitted, rename '${o}' -> '${tmp}/old/cdktf.out'; ` +
        `moved the previous trees back: ${g} and ${o} are as they were before this synth`,
    });
    expect(pairIn(dir)).toEqual(previous);
    expect(fs.readdirSync(dir).sort()).toEqual(["cdktf.out", "generated"]);
  });

  it("fails when cdktf.out/ cannot be moved aside and the staging cannot be removed: the next synth removes it, installing nothing", () => {
    const staged = path.join(tmp, "new", "generated");
    const fileOps = { ...cannotMove([o, path.join(tmp, "old", "cdktf.out")]), ...cannotRemove(staged) };
    expect(thrownBy(() => synthInto(dir, NEW_SERVICES, { fileOps }))).toMatchObject({
      state: "restored",
      message:
        `could not replace ${o}: EPERM: operation not permitted, rename '${o}' -> '${tmp}/old/cdktf.out'; ` +
        `moved the previous trees back: ${g} and ${o} are as they were before this synth; could not remove ${staged} ` +
        `(EPERM: operation not permitted, unlink '${staged}/dev/alertmanager.yaml' (${g}/dev/alertmanager.yaml of the new tree)): the next synth removes it`,
    });
    expect(recoverInterruptedSwaps(dir)).toEqual({
      recovered: [
        `removed ${tmp}, left by a synth (pid ${process.pid}) that stopped before its swap or had rolled it back: the trees beside it are as they were before that synth`,
      ],
      warnings: [],
      running: [],
    });
    expect(pairIn(dir)).toEqual(previous);
  });

  it("fails when moving back fails too, saying which tree is which, and the next run finishes the swap", () => {
    const error = thrownBy(() =>
      synthInto(dir, NEW_SERVICES, { fileOps: cannotMove([o, path.join(tmp, "old", "cdktf.out")], [g, path.join(tmp, "new", "generated")]) }),
    );
    expect(error).toMatchObject({
      state: "inconsistent",
      message:
        `could not replace ${o}: EPERM: operation not permitted, rename '${o}' -> '${tmp}/old/cdktf.out'; ` +
        `moving the previous trees back failed too (EPERM: operation not permitted, rename '${g}' -> '${tmp}/new/generated'): ` +
        `now ${g}: new tree; ${o}: previous tree. The journal ${tmp}/journal.json lets the next synth finish this swap once the cause is fixed`,
    });
    expect(visibleEntries(dir)).toEqual(["cdktf.out", "generated"]);

    expect(recoverInterruptedSwaps(dir)).toEqual({
      recovered: [
        `finished the swap of a synth (pid ${process.pid}) that stopped mid-swap (found ${g}: new tree; ${o}: previous tree): ` +
          `${g} and ${o} are now both the trees it staged; removed ${tmp}`,
      ],
      warnings: [],
      running: [],
    });
    expect(pairIn(dir)).toEqual(next);
    expect(fs.readdirSync(dir).sort()).toEqual(["cdktf.out", "generated"]);
  });
});

describe("synthesize beside other synths' temporary trees", () => {
  it("fails when a live process holds a temporary directory beside the trees, touching nothing", () => {
    // The parent of this test process is alive for as long as the test runs.
    const live = path.join(dir, `${TEMP_PREFIX}${process.ppid}`);
    fs.mkdirSync(live);
    const error = thrownBy(() => synthInto(dir, NEW_SERVICES));
    expect(error).toMatchObject({
      state: "untouched",
      message:
        `another synth is replacing trees in ${dir} (${live}); ${g} and ${o} were not touched. Run again once it has finished; ` +
        "if none is running, that pid was reused by another process and the journal.json in that directory says what the swap had done",
    });
    expect(pairIn(dir)).toEqual(previous);
    expect(fs.readdirSync(dir).sort()).toEqual([`${TEMP_PREFIX}${process.ppid}`, "cdktf.out", "generated"]);
  });

  it("removes the `<tree>.tmp-<pid>` and `<tree>.old-<pid>` an earlier synth left outside the ignored prefix", () => {
    // Above Linux's largest pid (2^22): never a live process.
    const dead = 2 ** 22 + 1;
    for (const name of [`generated.tmp-${dead}`, `cdktf.out.tmp-${dead}`, `generated.old-${dead}`])
      fs.mkdirSync(path.join(dir, name, "stacks"), { recursive: true });
    const result = synthInto(dir, NEW_SERVICES);
    expect(result.recovered).toEqual(
      [`cdktf.out.tmp-${dead}`, `generated.old-${dead}`, `generated.tmp-${dead}`].map(
        (name) => `removed ${path.join(dir, name)}, left by an earlier synth (pid ${dead}) before temporary trees moved under ${TEMP_PREFIX}<pid>/`,
      ),
    );
    expect(pairIn(dir)).toEqual(next);
    expect(fs.readdirSync(dir).sort()).toEqual(["cdktf.out", "generated"]);
  });
});
