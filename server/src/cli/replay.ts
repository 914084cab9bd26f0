/**
 * The whole-run record of `docplan check`: when nothing a run depended on has moved since the last run with
 * the same command line, its report is printed again without loading the checker. This module is the light
 * entry's only dependency (dist/cli.js): it uses node built-ins and nothing that parses Markdown, so that a
 * warm run costs Node's start-up and a few thousand `stat` calls.
 *
 * "Nothing moved" is decided by stat alone and is conservative (any doubt means a full run, which then uses
 * the content-keyed cache of cli/cache.ts):
 * - the command line, working directory, colour inputs and GIT_* variables are the record's key;
 * - every directory below the root (not .git, node_modules or the cache) keeps its mtime and inode, and its
 *   `.gitignore` and `.docplan.json` their stats: a file created, deleted or renamed anywhere, or an ignore
 *   or configuration change, misses;
 * - every Markdown file checked and every file a check read keeps its size, mtime, ctime and inode;
 * - git: HEAD's text, the stats of the ref it names (loose, in the worktree's and the common directory),
 *   of packed-refs, of the index and of the repository config (no git process is started);
 * - the full bundle (dist/cli-main.js) and the libraries it loads (dist/libraries.js) are the same files, so a
 *   rebuilt checker never replays old results.
 * Outside a git repository, or with GIT_DIR and the like set, runs are never replayed.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CHECK_OPTIONS } from './checkOptions';
import { directoriesUnchanged, directoryStamps, fileStamp } from './directoryStamps';

/** Run-record file name inside the cache location. */
export const RUN_FILE = 'check-runs.json';
/** File name of the full CLI bundle, beside the light entry. */
export const FULL_BUNDLE = 'cli-main.js';
/** File name of the bundle of the libraries the full CLI shares with the language server, beside it. */
export const SHARED_LIBRARIES = 'libraries.js';
const FORMAT = 'docplan-check-runs';
const FORMAT_VERSION = 1;
/** Records kept per cache location (one per command line). */
const MAX_RUNS = 4;
/** Variables that move git's repository elsewhere: the stats below would describe the wrong one. */
const GIT_LOCATION_VARIABLES = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_COMMON_DIR', 'GIT_OBJECT_DIRECTORY'];

/** The process as the run sees it. */
export interface RunIo {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
}

interface RunRecord {
  root: string;
  bundle: string;
  git: string;
  dirs: [dir: string, stamp: string][];
  files: [path: string, stamp: string][];
  exit: number;
  stdout: string;
  stderr: string;
}

interface RunFile {
  format: typeof FORMAT;
  formatVersion: number;
  runs: Record<string, RunRecord>;
}

/** Where a `check` command line runs: its key, root and cache directory; null when it is never replayed. */
interface Located {
  key: string;
  root: string;
  cacheDir: string;
}

function locate(argv: readonly string[], io: RunIo): Located | null {
  if (argv[0] !== 'check') return null;
  let values;
  try {
    ({ values } = parseArgs({ args: argv.slice(1), options: CHECK_OPTIONS, allowPositionals: true, strict: true }));
  } catch {
    return null;
  }
  if (values.help || values.fix || values.output !== undefined || values['no-cache'] || values.cache === false) return null;
  if (GIT_LOCATION_VARIABLES.some((name) => io.env[name] !== undefined)) return null;
  const root = values.root === undefined ? findRoot(io.cwd) : resolve(io.cwd, values.root);
  const cacheDir = values['cache-location'] === undefined ? join(root, 'node_modules', '.cache', 'docplan') : resolve(io.cwd, values['cache-location']);
  const gitEnv = Object.keys(io.env)
    .filter((name) => name.startsWith('GIT_'))
    .sort()
    .map((name) => [name, io.env[name]]);
  const key = JSON.stringify({ argv, cwd: io.cwd, tty: io.stdout.isTTY === true, noColor: io.env.NO_COLOR ?? null, forceColor: io.env.FORCE_COLOR ?? null, gitEnv });
  return { key, root, cacheDir };
}

/** As `findWorkspaceRoot` (workspace/files.ts), without loading that module. */
function findRoot(start: string): string {
  let current = resolve(start);
  for (;;) {
    if (existsSync(join(current, '.docplan.json')) || existsSync(join(current, '.git'))) return current;
    const parent = dirname(current);
    if (parent === current) return resolve(start);
    current = parent;
  }
}

/** The git state of the repository holding `root`, read from its files; null outside a repository. */
export function gitStamp(root: string): string | null {
  let gitDir: string | null = null;
  for (let current = resolve(root); ; ) {
    const candidate = join(current, '.git');
    try {
      const stats = statSync(candidate);
      if (stats.isDirectory()) gitDir = candidate;
      else {
        // A worktree or submodule: `.git` is a file naming the real directory.
        const match = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(candidate, 'utf8'));
        if (!match) return null;
        gitDir = isAbsolute(match[1]) ? match[1] : resolve(current, match[1]);
      }
      break;
    } catch {
      const parent = dirname(current);
      if (parent === current) return null;
      current = parent;
    }
  }
  let head: string;
  let commonDir = gitDir;
  try {
    head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    if (existsSync(join(gitDir, 'commondir'))) commonDir = resolve(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim());
  } catch {
    return null;
  }
  const parts = [gitDir, head, fileStamp(join(gitDir, 'index')), fileStamp(join(commonDir, 'packed-refs')), fileStamp(join(commonDir, 'config'))];
  const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
  if (ref !== undefined) parts.push(fileStamp(join(gitDir, ref)), fileStamp(join(commonDir, ref)));
  return parts.join('|');
}

/** The full bundle and the libraries it loads: a rebuild of either means another checker. */
function bundleStamp(bundle: string): string {
  return `${bundle}|${fileStamp(bundle)}|${fileStamp(join(dirname(bundle), SHARED_LIBRARIES))}`;
}

function readRuns(file: string): Record<string, RunRecord> {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<RunFile> | null;
    if (!data || data.format !== FORMAT || data.formatVersion !== FORMAT_VERSION || !data.runs || typeof data.runs !== 'object') return {};
    return data.runs;
  } catch {
    return {};
  }
}

function isRecord(value: unknown): value is RunRecord {
  if (!value || typeof value !== 'object') return false;
  const run = value as Partial<RunRecord>;
  const pairs = (list: unknown) => Array.isArray(list) && list.every((pair) => Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string');
  return typeof run.root === 'string' && typeof run.bundle === 'string' && typeof run.git === 'string' && pairs(run.dirs) && pairs(run.files) && typeof run.exit === 'number' && typeof run.stdout === 'string' && typeof run.stderr === 'string';
}

/**
 * Prints the recorded report of `argv` when nothing it depended on moved, and returns its exit status;
 * returns null (having printed nothing) when the full command must run. `bundle` is the full CLI bundle.
 */
export function replayCheck(argv: readonly string[], io: RunIo, bundle: string): number | null {
  const where = locate(argv, io);
  if (!where) return null;
  const record = readRuns(join(where.cacheDir, RUN_FILE))[where.key];
  if (!isRecord(record) || record.root !== where.root || record.bundle !== bundleStamp(bundle)) return null;
  if (record.git !== gitStamp(where.root)) return null;
  if (!record.files.every(([path, stamp]) => fileStamp(path) === stamp)) return null;
  if (!directoriesUnchanged(where.root, record.dirs)) return null;
  if (io.env.DOCPLAN_TIMING === '1') io.stderr.write(`docplan: timing: replayed the last run (${record.files.length} files unchanged)\n`);
  if (record.stderr !== '') io.stderr.write(record.stderr);
  io.stdout.write(record.stdout);
  return record.exit;
}

/**
 * Records one full run for `replayCheck`: stamps are taken when the run starts (so that a change during the
 * run makes the record miss), the files it checked before it reads them, and the files the checks read
 * when it ends. `start` returns null for runs that are never replayed.
 */
export class RunRecorder {
  private readonly files = new Map<string, string>();

  private constructor(
    private readonly where: Located,
    private readonly bundle: string,
    private readonly git: string,
    private readonly dirs: [string, string][],
  ) {}

  /** Starts recording `argv` (the whole command line, `check` first); `bundle` is the running full CLI. */
  static start(argv: readonly string[], io: RunIo, bundle: string): RunRecorder | null {
    if (io.env.DOCPLAN_TIMING === '1') return null;
    const where = locate(argv, io);
    if (!where) return null;
    const git = gitStamp(where.root);
    if (git === null) return null;
    // The record goes in the cache directory: made before the stamps, so that making it (and a first
    // `node_modules/` with it) does not change the root's stamp and miss the next run's replay.
    try {
      mkdirSync(where.cacheDir, { recursive: true });
    } catch {
      // finish() reports it.
    }
    return new RunRecorder(where, bundleStamp(bundle), git, directoryStamps(where.root, where.cacheDir));
  }

  /** The root's directory stamps, taken when the recording started (the check cache reuses them). */
  get dirStamps(): [string, string][] {
    return this.dirs;
  }

  /** The root the record was located with (the caller's must be the same). */
  get root(): string {
    return this.where.root;
  }

  /** Stamps files now: call before reading them. */
  addFiles(paths: Iterable<string>): void {
    for (const path of paths) if (!this.files.has(path)) this.files.set(path, fileStamp(path));
  }

  /** Writes the record of the finished run. Returns an error message or null. */
  finish(exit: number, stdout: string, stderr: string): string | null {
    const file = join(this.where.cacheDir, RUN_FILE);
    const runs = readRuns(file);
    delete runs[this.where.key];
    const kept = Object.entries(runs).slice(-(MAX_RUNS - 1));
    const record: RunRecord = { root: this.where.root, bundle: this.bundle, git: this.git, dirs: this.dirs, files: [...this.files], exit, stdout, stderr };
    const data: RunFile = { format: FORMAT, formatVersion: FORMAT_VERSION, runs: Object.fromEntries([...kept, [this.where.key, record]]) };
    try {
      mkdirSync(this.where.cacheDir, { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(data));
      renameSync(temporary, file);
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
}
