import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readTree, replaceTreeAtomically, replaceTreesAtomically } from "../../app/atomic-tree";

describe("replaceTreeAtomically", () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), "obs-tree-"))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("replaces the whole tree: new files in, files no longer generated out", () => {
    const target = path.join(root, "generated");
    replaceTreeAtomically(
      target,
      new Map([
        ["dev/a.yaml", "a"],
        ["dev/old.yaml", "old"],
      ]),
    );
    replaceTreeAtomically(
      target,
      new Map([
        ["dev/a.yaml", "a2"],
        ["prod/b.yaml", "b"],
      ]),
    );
    expect(readTree(target)).toEqual(
      new Map([
        ["dev/a.yaml", "a2"],
        ["prod/b.yaml", "b"],
      ]),
    );
    expect(fs.readdirSync(root)).toEqual(["generated"]);
  });

  it("fails when a path escapes the tree, leaving the previous tree intact and no staging directory", () => {
    const target = path.join(root, "generated");
    replaceTreeAtomically(target, new Map([["dev/a.yaml", "a"]]));
    expect(() =>
      replaceTreeAtomically(
        target,
        new Map([
          ["dev/b.yaml", "b"],
          ["../escape.yaml", "x"],
        ]),
      ),
    ).toThrow(/generated file path must stay inside the tree, got "\.\.\/escape\.yaml"/);
    expect(readTree(target)).toEqual(new Map([["dev/a.yaml", "a"]]));
    expect(fs.readdirSync(root)).toEqual(["generated"]);
  });

  it("fails when the trees replaced together are not in one parent directory, writing nothing", () => {
    const write = (dir: string) => fs.mkdirSync(dir, { recursive: true });
    const trees = [path.join(root, "generated"), path.join(root, "sub", "cdktf.out")].map((target) => ({ target, write }));
    expect(() => replaceTreesAtomically(trees)).toThrow(
      `trees replaced together must be distinct directories of one parent directory (one journal, renames on one file system), got ${root}/generated, ${root}/sub/cdktf.out`,
    );
    expect(fs.readdirSync(root)).toEqual([]);
  });
});
