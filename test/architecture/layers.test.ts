import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

// The layer rules of .dependency-cruiser.cjs, run by the same CLI as `npm run lint:layers`, over the
// miniature trees in test/fixtures/layers: `upward` imports upwards and
// sideways (each file says which rule it breaks), `clean` imports only downwards.
const ROOT = resolve(__dirname, "../..");
const CONFIG = join(ROOT, ".dependency-cruiser.cjs");
const DEPCRUISE = join(ROOT, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");

interface Cruise {
  /** The CLI's exit status: the number of errors, 0 when every rule holds. */
  readonly status: number | null;
  /** `rule: from → to`, npm packages shortened to `npm:<name>`, a cycle to its second member; sorted. */
  readonly violations: readonly string[];
}

// `  error <rule>: <from> → <to>`; a cycle leaves <to> empty and lists its members on the lines below.
const VIOLATION = /^ {2}(?:error|warn|info) ([\w-]+): (\S+) →(?: (\S+))?$/;

/** Cruises one fixture tree (or the repository) from its own directory, with the output type `npm run lint:layers` uses. */
function cruise(fixture: string): Cruise {
  const run = spawnSync(process.execPath, [DEPCRUISE, "--config", CONFIG, "--output-type", "err-long", "."], {
    cwd: fixture === "repository" ? ROOT : join(__dirname, "../fixtures/layers", fixture),
    encoding: "utf8",
  });
  if (run.error) throw run.error;
  if (!/dependency violations/.test(run.stdout)) {
    throw new Error(`depcruise did not report (status ${String(run.status)}): ${run.stdout}${run.stderr}`);
  }
  const npm = (path: string) => path.replace(/^.*node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, "npm:$1");
  const lines = run.stdout.split("\n");
  const violations = lines.flatMap((line, i) => {
    const match = VIOLATION.exec(line.trimEnd());
    if (match === null) return [];
    const [, rule, from, to] = match;
    const target = to ?? (lines[i + 1] ?? "").trim().split(" ")[0] ?? "";
    return [`${rule}: ${from} → ${npm(target)}`];
  });
  return { status: run.status, violations: violations.sort() };
}

describe("the folder layers (.dependency-cruiser.cjs)", () => {
  it("hold on the repository itself: every import points down the layers", () => {
    expect(cruise("repository")).toEqual({ status: 0, violations: [] });
  });

  describe("on a tree with upward imports", () => {
    let result: Cruise;
    beforeAll(() => {
      result = cruise("upward");
    });

    it("fails, naming model-imports-no-product for model/ importing app/", () => {
      expect(result.status).not.toBe(0);
      expect(result.violations).toContain("model-imports-no-product: model/service.ts → app/b.ts");
    });

    it("reports each broken rule once, by name, and nothing else", () => {
      expect(result.status).toBe(result.violations.length);
      expect(result.violations).toEqual([
        "app-not-to-entry-or-tooling: app/b.ts → main.ts",
        "constructs-stay-below-stacks: constructs/manifest.ts → stacks/stack.ts",
        "model-imports-no-product: model/service.ts → app/b.ts",
        "no-cdktf-in-pure-layers: kit/construct.ts → npm:constructs",
        "no-circular: signals/http/a.ts → signals/http/b.ts",
        "no-import-of-main: app/b.ts → main.ts",
        "not-to-test: rules/render.ts → test/fixture.ts",
        "renderers-stay-below-artifacts: rules/render.ts → test/fixture.ts",
      ]);
    });
  });

  it("passes a tree whose imports point down, the constructs/ folder importing the constructs package", () => {
    expect(cruise("clean")).toEqual({ status: 0, violations: [] });
  });
});
