/**
 * What `npm run synth` (scripts/synth.ts) prints when it fails. `main` is given a temporary root,
 * so nothing here can write the repository's own cdktf.out/ or generated/.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TreeSwapError } from "../../app/atomic-tree";
import { ValidationError } from "../../model/validation-error";
import { failureMessage, main } from "../../scripts/synth";

const invalidSpec = () => new ValidationError("invalid service spec", ['slos[0].objective must be in (0, 1), got 1.5 (service "edge", slo "availability")']);

describe("failureMessage", () => {
  it("prints an input error as nothing written, without a stack trace", () => {
    expect(failureMessage(invalidSpec())).toBe(
      'synth failed, nothing was written:\ninvalid service spec:\n  - slos[0].objective must be in (0, 1), got 1.5 (service "edge", slo "availability")',
    );
  });

  it("keeps the stack of an unexpected error", () => {
    const error = new TypeError("cannot read properties of undefined (reading 'rules')");
    expect(failureMessage(error)).toBe(`synth failed, nothing was written:\n${error.stack}`);
    expect(error.stack).toMatch(/\n +at /);
  });

  it("prints a swap failure as its state, after what recovery did and left", () => {
    const cause = Object.assign(new Error("EPERM: operation not permitted, rename '/r/cdktf.out' -> '/r/.synth-tmp-7/old/cdktf.out'"), {
      code: "EPERM",
      syscall: "rename",
    });
    const error = new TreeSwapError(
      "could not replace /r/cdktf.out: EPERM: ...; moved the previous trees back: /r/generated and /r/cdktf.out are as they were before this synth",
      "restored",
      {
        recovered: [
          "removed /r/.synth-tmp-3, left by a synth (pid 3) that stopped before its swap or had rolled it back: the trees beside it are as they were before that synth",
        ],
        warnings: [],
      },
      cause,
    );
    expect(failureMessage(error)).toBe(
      "recovered: removed /r/.synth-tmp-3, left by a synth (pid 3) that stopped before its swap or had rolled it back: the trees beside it are as they were before that synth\n" +
        "synth failed: could not replace /r/cdktf.out: EPERM: ...; moved the previous trees back: /r/generated and /r/cdktf.out are as they were before this synth",
    );
  });
});

describe("main", () => {
  let root: string;
  let printed: string[];
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "obs-synth-script-"));
    printed = [];
    jest.spyOn(console, "error").mockImplementation((line: string) => void printed.push(line));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    jest.resetModules();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("catches an input error thrown while the app is imported (services/ validate as they load)", async () => {
    jest.doMock("../../app/synthesize", () => {
      throw invalidSpec();
    });
    await expect(main(root)).resolves.toBe(1);
    expect(printed).toEqual([failureMessage(invalidSpec())]);
    expect(fs.readdirSync(root)).toEqual([]);
  });
});
