/**
 * Stat stamps of files and directories, for deciding without reading anything that a folder's listing
 * (and the `.gitignore` and `.docplan.json` files that shape it) is what it was. Shared by the check cache
 * (cache.ts) and the replay of unchanged runs (replay.ts), whose bundle loads node built-ins only: keep it so.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The stamp of a file that does not exist. */
const MISSING = 'missing:ENOENT';

/** The files of a directory that shape its listing and configuration, in stamp order (parts 1 and 2). */
const STAMPED_FILES = ['.gitignore', '.docplan.json'];

/** A file's stat as a string that moves with any write, chmod, replace or removal. */
export function fileStamp(path: string): string {
  try {
    // Most directories have no .gitignore or .docplan.json: asking without an exception is much cheaper.
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats === undefined) return MISSING;
    if (!stats.isFile()) return stats.isDirectory() ? 'dir' : 'special';
    return `${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}`;
  } catch (error) {
    return `missing:${(error as NodeJS.ErrnoException).code ?? ''}`;
  }
}

/**
 * A directory's stamp: it moves when an entry is added, removed or renamed in it, or its `.gitignore` or
 * `.docplan.json` changes. Null when it is not a directory (any more). Given the stamp recorded earlier,
 * a file it recorded as missing is not asked for again while the directory keeps its mtime and inode:
 * creating an entry moves the directory's mtime (the same fact the listing check rests on), and most
 * directories have neither file, so this halves a replay's `stat` calls.
 */
export function directoryStamp(absDir: string, recorded?: string): string | null {
  const own = ownStamp(absDir);
  if (own === null) return null;
  const before = recorded?.split('|');
  const unmoved = before !== undefined && before.length === 3 && before[0] === own;
  return withFiles(absDir, own, (_, part) => !(unmoved && before[part] === MISSING));
}

/** The directory's own mtime and inode, or null when it is not a directory (any more). */
function ownStamp(absDir: string): string | null {
  try {
    const stats = statSync(absDir, { throwIfNoEntry: false });
    return stats?.isDirectory() ? `${stats.mtimeMs}:${stats.ino}` : null;
  } catch {
    return null;
  }
}

/**
 * `own` with the stamps of the directory's `.gitignore` and `.docplan.json` (parts 1 and 2 of the stamp),
 * each stat'ed only when `ask` says it may be there.
 */
function withFiles(absDir: string, own: string, ask: (name: string, part: number) => boolean): string {
  return [own, ...STAMPED_FILES.map((name, at) => (ask(name, at + 1) ? fileStamp(join(absDir, name)) : MISSING))].join('|');
}

/**
 * Every directory below `root` (root-relative, `''` for the root) with its stamp: not `.git`, `node_modules`
 * or the absolute path `skip` (a cache written by the run itself), and never through symlinks.
 */
export function directoryStamps(root: string, skip?: string): [dir: string, stamp: string][] {
  const out: [string, string][] = [];
  const stack = [''];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    const abs = dir === '' ? root : join(root, dir);
    // The directory's own stat comes before its listing: an entry created after the stat moves the
    // mtime, so the next run sees a changed stamp whatever the listing missed. The listing then says which
    // of .gitignore and .docplan.json are there to be stat'ed (most directories have neither).
    const own = ownStamp(abs);
    if (own === null) continue;
    let entries;
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      // Unlistable: stamped all the same (both files asked for), with no directories below it.
      out.push([dir, withFiles(abs, own, () => true)]);
      continue;
    }
    const names = entries.map((entry) => entry.name);
    const stamp = withFiles(abs, own, (name) => names.includes(name));
    out.push([dir, stamp]);
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name === '.git' || entry.name === 'node_modules') continue;
      const child = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (skip === undefined || join(root, child) !== skip) stack.push(child);
    }
  }
  return out;
}

/** True when every directory of `stamps` (from `directoryStamps(root)`) still has its stamp. */
export function directoriesUnchanged(root: string, stamps: readonly (readonly [string, string])[]): boolean {
  return stamps.every(([dir, stamp]) => directoryStamp(dir === '' ? root : join(root, dir), stamp) === stamp);
}
