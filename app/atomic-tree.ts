import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Replaces `targetDir` with a directory holding exactly `files` (relative path -> content).
 * Everything is written to a sibling temporary directory first and swapped in with renames, so a
 * failure at any point leaves the previous tree untouched and no partial tree behind.
 */
export function replaceTreeAtomically(targetDir: string, files: ReadonlyMap<string, string>): void {
  const staging = `${targetDir}.tmp-${process.pid}`;
  const retired = `${targetDir}.old-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  try {
    for (const [relative, content] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
      if (path.isAbsolute(relative) || relative.split(/[\\/]/).includes("..")) {
        throw new Error(`generated file path must stay inside the tree, got "${relative}"`);
      }
      const file = path.join(staging, relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
    fs.mkdirSync(staging, { recursive: true });
    const hadPrevious = fs.existsSync(targetDir);
    if (hadPrevious) fs.renameSync(targetDir, retired);
    fs.renameSync(staging, targetDir);
    if (hadPrevious) fs.rmSync(retired, { recursive: true, force: true });
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(targetDir) && fs.existsSync(retired)) fs.renameSync(retired, targetDir);
    throw error;
  }
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
