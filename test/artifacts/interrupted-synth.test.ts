/**
 * A synth killed (SIGKILL) at points of its swap, in a child process: what the kill leaves beside
 * the trees, and what the next run recovers. The child is killed through the test-only hook
 * `OBS_SYNTH_TEST_KILL_AT` (app/atomic-tree.ts). Each killed directory is copied before anything
 * reads it, so recovery alone and a whole next synth are both checked on the same killed state.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { recoverInterruptedSwaps, TEMP_PREFIX } from "../../app/atomic-tree";
import { ALL_STACKS, NEW_SERVICES, pairIn, PREVIOUS_SERVICES, stacksIn, synthInto, tempEntries, visibleEntries, type TreePair } from "./synth-fixtures";

const REPO = path.resolve(__dirname, "../..");

interface Kill {
  readonly point: string;
  readonly when: string;
  /** The trees right after the kill. */
  readonly killed: { readonly generated: "previous" | "new" | "missing"; readonly out: "previous" | "new" };
  /** The pair recovery settles on. */
  readonly recovered: "previous" | "new";
  /** What recovery reports, for the killed synth's temporary directory `tmp` in `dir`. */
  readonly report: (dir: string, tmp: string, pid: number) => string;
}

const g = (dir: string) => path.join(dir, "generated");
const o = (dir: string) => path.join(dir, "cdktf.out");

const KILLS: readonly Kill[] = [
  {
    point: "staged:generated",
    when: "before staging completes",
    killed: { generated: "previous", out: "previous" },
    recovered: "previous",
    report: (_dir, tmp, pid) =>
      `removed ${tmp}, left by a synth (pid ${pid}) that stopped before its swap or had rolled it back: the trees beside it are as they were before that synth`,
  },
  {
    point: "retired:generated",
    when: "with the previous generated/ moved aside",
    killed: { generated: "missing", out: "previous" },
    recovered: "new",
    report: (dir, tmp, pid) =>
      `finished the swap of a synth (pid ${pid}) that stopped mid-swap (found ${g(dir)}: missing, previous tree at ${tmp}/old/generated, ` +
      `new tree at ${tmp}/new/generated; ${o(dir)}: previous tree): ${g(dir)} and ${o(dir)} are now both the trees it staged; removed ${tmp}`,
  },
  {
    point: "installed:generated",
    when: "between the two trees' renames",
    killed: { generated: "new", out: "previous" },
    recovered: "new",
    report: (dir, tmp, pid) =>
      `finished the swap of a synth (pid ${pid}) that stopped mid-swap (found ${g(dir)}: new tree; ${o(dir)}: previous tree): ` +
      `${g(dir)} and ${o(dir)} are now both the trees it staged; removed ${tmp}`,
  },
  {
    point: "swapped",
    when: "after the swap, before cleanup",
    killed: { generated: "new", out: "new" },
    recovered: "new",
    report: (dir, tmp, pid) =>
      `a synth (pid ${pid}) had swapped its trees but not removed the previous ones (it stopped, or could not): ` +
      `${g(dir)} and ${o(dir)} were both the trees it staged; removed ${tmp}`,
  },
];

/** Runs synth-child.ts on `dir` (node itself, so the pid is the synth's) and resolves when it is gone. */
function synthKilledAt(dir: string, point: string): Promise<{ pid: number; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "synth-child.ts"), dir, ...NEW_SERVICES], {
      cwd: REPO,
      env: { ...process.env, OBS_SYNTH_TEST_KILL_AT: point },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (_code, signal) => resolve({ pid: child.pid!, signal, stderr }));
  });
}

let root: string;
const refs: Record<"previous" | "new", TreePair> = {} as Record<"previous" | "new", TreePair>;
const runs = new Map<string, { dir: string; copy: string; pid: number; signal: NodeJS.Signals | null; stderr: string }>();

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "obs-killed-"));
  synthInto(path.join(root, "previous"), PREVIOUS_SERVICES);
  synthInto(path.join(root, "new"), NEW_SERVICES);
  refs.previous = pairIn(path.join(root, "previous"));
  refs.new = pairIn(path.join(root, "new"));
  await Promise.all(
    KILLS.map(async ({ point }) => {
      const dir = path.join(root, point.replace(":", "-"));
      fs.cpSync(path.join(root, "previous"), dir, { recursive: true });
      const run = await synthKilledAt(dir, point);
      const copy = `${dir}-copy`;
      fs.cpSync(dir, copy, { recursive: true });
      runs.set(point, { dir, copy, ...run });
    }),
  );
}, 60_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Which synth a tree is from, compared byte for byte with the references. */
function origin(tree: Map<string, string>, which: "generated" | "out"): "previous" | "new" | "missing" | "mixed" {
  if (tree.size === 0) return "missing";
  const same = (ref: Map<string, string>) => ref.size === tree.size && [...tree].every(([file, content]) => ref.get(file) === content);
  if (same(refs.previous[which])) return "previous";
  return same(refs.new[which]) ? "new" : "mixed";
}

describe.each(KILLS)("a synth killed $when ($point)", (kill) => {
  const run = () => runs.get(kill.point)!;

  it("leaves nothing but the ignored temporary directory beside the trees", () => {
    const { dir, pid, signal, stderr } = run();
    expect({ signal, stderr }).toEqual({ signal: "SIGKILL", stderr: "" });
    expect(tempEntries(dir)).toEqual([`${TEMP_PREFIX}${pid}`]);
    expect(visibleEntries(dir)).toEqual(kill.killed.generated === "missing" ? ["cdktf.out"] : ["cdktf.out", "generated"]);
    const pair = pairIn(dir);
    expect({ generated: origin(pair.generated, "generated"), out: origin(pair.out, "out") }).toEqual(kill.killed);
  });

  it(`is recovered by the next run's first phase: both trees ${kill.recovered}, every stack present, and a report of what it found`, () => {
    const { copy, pid } = run();
    const tmp = path.join(copy, `${TEMP_PREFIX}${pid}`);
    expect(recoverInterruptedSwaps(copy)).toEqual({ recovered: [kill.report(copy, tmp, pid)], warnings: [], running: [] });
    expect(pairIn(copy)).toEqual(refs[kill.recovered]);
    expect(stacksIn(copy)).toEqual(ALL_STACKS);
    expect(fs.readdirSync(copy).sort()).toEqual(["cdktf.out", "generated"]);
  });

  it("is reported by the next synth, which then writes both new trees", () => {
    const { dir, pid } = run();
    const result = synthInto(dir, NEW_SERVICES);
    expect({ recovered: result.recovered, warnings: result.warnings }).toEqual({
      recovered: [kill.report(dir, path.join(dir, `${TEMP_PREFIX}${pid}`), pid)],
      warnings: [],
    });
    expect(pairIn(dir)).toEqual(refs.new);
    expect(fs.readdirSync(dir).sort()).toEqual(["cdktf.out", "generated"]);
  });
});

describe("the temporary directories", () => {
  it("are ignored by git wherever they are", () => {
    for (const file of [
      `${TEMP_PREFIX}4242/new/generated/dev/alertmanager.yaml`,
      `${TEMP_PREFIX}4242/journal.json`,
      `bench/results/${TEMP_PREFIX}7/old/cdktf.out/manifest.json`,
    ]) {
      // Exit status 0 (and the path echoed) when ignored; a non-ignored path makes execFileSync throw.
      expect(execFileSync("git", ["check-ignore", "--no-index", file], { cwd: REPO, encoding: "utf8" })).toBe(`${file}\n`);
    }
  });
});
