/**
 * Git, run safely: `runGit` (one command, `execFile`, never a shell, with timeouts and literal pathspecs),
 * `GitRepo` (a folder's repository: its top, HEAD, tracked files, blobs through one `git cat-file --batch`)
 * and `HeadWatch` (has HEAD moved). Without git, outside a repository or on any git error, answers are
 * `{ kind: 'unknown' }` (`isUnknown`), and callers say nothing rather than guess.
 *
 * Built on it: line drift (`gitHistory.ts`, with the line diff of `lineMap.ts`), where missing paths went
 * (`pathHistory.ts`) and the checklist history (`claims/history.ts`).
 */
import { execFile, spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { GIT_ENV, SAFE_CONFIG } from './gitBatch';

/** An answer git could not give, and why. */
export interface Unknown {
  kind: 'unknown';
  reason: string;
}

/** Options for running git. */
export interface GitOptions {
  /** The git executable (default `git`). */
  git?: string;
  /** Per-command timeout (default 10 s). */
  timeoutMs?: number;
  /** Largest output accepted from one command (default 64 MiB). */
  maxBuffer?: number;
  /** Largest old file content mapped (default 2 MiB). */
  maxFileBytes?: number;
  /** Do not ask git more than once per this many ms whether HEAD moved (default 2000). */
  headCheckMs?: number;
}

/** Runs git in `cwd` and returns stdout, or why it failed. */
export function runGit(args: readonly string[], cwd: string, options: GitOptions = {}): Promise<{ ok: true; stdout: Buffer } | { ok: false; reason: string; missingGit: boolean }> {
  return new Promise((resolvePromise) => {
    execFile(
      options.git ?? 'git',
      [...SAFE_CONFIG, ...args],
      { cwd, env: GIT_ENV, timeout: options.timeoutMs ?? 10_000, maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024, encoding: 'buffer', windowsHide: true, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException).code;
          const missingGit = code === 'ENOENT';
          const reason = missingGit
            ? 'git is not installed'
            : (error as { killed?: boolean }).killed
              ? `git ${args[0]} timed out`
              : (stderr.toString('utf8').trim().split('\n')[0] || error.message);
          resolvePromise({ ok: false, reason, missingGit });
          return;
        }
        resolvePromise({ ok: true, stdout });
      },
    );
  });
}

/** One git repository (the one holding a workspace folder). */
export class GitRepo {
  private constructor(
    /** Repository top level, as git prints it (a real path). */
    readonly top: string,
    private readonly options: GitOptions,
  ) {}

  /** The repository holding `dir`, or why there is none (not a repository, no git). */
  static async open(dir: string, options: GitOptions = {}): Promise<GitRepo | Unknown> {
    const result = await runGit(['rev-parse', '--show-toplevel'], dir, options);
    if (!result.ok) return { kind: 'unknown', reason: result.missingGit ? result.reason : `not in a git repository (${result.reason})` };
    const top = result.stdout.toString('utf8').trim();
    if (top === '') return { kind: 'unknown', reason: 'not in a git work tree' };
    return new GitRepo(resolve(top), options);
  }

  /** `absPath` relative to the top level (forward slashes), or null when outside it. */
  relative(absPath: string): string | null {
    let real = absPath;
    try {
      real = realpathSync.native(absPath);
    } catch {
      // A missing file: resolve its nearest existing parent, so that /tmp -> /private/tmp and the like match.
      real = realParentPath(absPath);
    }
    const rel = relative(this.top, real);
    if (rel === '' || rel.startsWith('..') || resolve(this.top, rel) !== resolve(real)) return null;
    return rel.split(sep).join('/');
  }

  /** A workspace folder's path below the repository top (`''` at the top), or null outside the repository. */
  folderPrefix(root: string): string | null {
    const rel = this.relative(resolve(root));
    if (rel !== null) return rel;
    const direct = relative(this.top, resolve(root));
    if (direct === '') return '';
    return direct.startsWith('..') ? null : direct.split(sep).join('/');
  }

  /** The commit hash of HEAD, or unknown (e.g. a repository without commits). */
  async head(): Promise<string | Unknown> {
    const result = await runGit(['rev-parse', '--verify', '--quiet', 'HEAD'], this.top, this.options);
    if (!result.ok) return { kind: 'unknown', reason: 'the repository has no commits' };
    return result.stdout.toString('utf8').trim();
  }

  /** The last commit that touched `relPath` (top-relative), null when it was never committed. */
  async lastCommitOf(relPath: string): Promise<string | null | Unknown> {
    const result = await runGit(['log', '-1', '--format=%H', '--no-show-signature', '--', relPath], this.top, this.options);
    if (!result.ok) return { kind: 'unknown', reason: result.reason };
    const hash = result.stdout.toString('utf8').trim();
    return /^[0-9a-f]{40,64}$/.test(hash) ? hash : null;
  }

  /**
   * Contents of several top-relative paths at `commit`, through one `git cat-file --batch`: a Buffer per
   * path, or null where the path did not exist at that commit (or is not a file).
   */
  async showMany(commit: string, relPaths: readonly string[]): Promise<Map<string, Buffer | null> | Unknown> {
    const out = new Map<string, Buffer | null>();
    const wanted = relPaths.filter((path) => {
      if (/[\n\r\0]/.test(path)) {
        out.set(path, null);
        return false;
      }
      return true;
    });
    if (wanted.length === 0) return out;
    if (!/^[0-9a-f]{40,64}$/.test(commit)) return { kind: 'unknown', reason: `not a commit id: ${commit}` };
    const result = await batch(this.options.git ?? 'git', this.top, wanted.map((path) => `${commit}:${path}`).join('\n') + '\n', this.options);
    if (!result.ok) return { kind: 'unknown', reason: result.reason };
    const buffer = result.stdout;
    let at = 0;
    for (const path of wanted) {
      const newline = buffer.indexOf(10, at);
      if (newline === -1) return { kind: 'unknown', reason: 'git cat-file output ended early' };
      const header = buffer.subarray(at, newline).toString('utf8');
      at = newline + 1;
      const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
      if (!match) {
        out.set(path, null); // "<name> missing" / "ambiguous"
        continue;
      }
      const size = Number(match[2]);
      out.set(path, match[1] === 'blob' ? buffer.subarray(at, at + size) : null);
      at += size + 1;
    }
    return out;
  }

  /** Content of one top-relative path at `commit`: a Buffer, or null when it did not exist then. */
  async show(commit: string, relPath: string): Promise<Buffer | null | Unknown> {
    const many = await this.showMany(commit, [relPath]);
    return isUnknown(many) ? many : (many.get(relPath) ?? null);
  }

  /**
   * Renames between `commit` and the working tree (tracked files: staged or committed renames), as
   * old top-relative path -> new top-relative path. A plain `mv` not yet added to git is not seen.
   */
  async renamesSince(commit: string): Promise<Map<string, string> | Unknown> {
    if (!/^[0-9a-f]{40,64}$/.test(commit)) return { kind: 'unknown', reason: `not a commit id: ${commit}` };
    const result = await runGit(['diff', '-M', '--name-status', '-z', '--no-ext-diff', '--no-textconv', '--no-color', commit, '--'], this.top, this.options);
    if (!result.ok) return { kind: 'unknown', reason: result.reason };
    const fields = result.stdout.toString('utf8').split('\0');
    const renames = new Map<string, string>();
    for (let i = 0; i < fields.length; ) {
      const status = fields[i];
      if (status === '') break;
      if (status.startsWith('R') || status.startsWith('C')) {
        if (status.startsWith('R')) renames.set(fields[i + 1], fields[i + 2]);
        i += 3;
      } else {
        i += 2;
      }
    }
    return renames;
  }
}

/** Runs `git cat-file --batch` with `input` on stdin (spawn, no shell), with a timeout and an output cap. */
function batch(git: string, cwd: string, input: string, options: GitOptions): Promise<{ ok: true; stdout: Buffer } | { ok: false; reason: string }> {
  return new Promise((resolvePromise) => {
    const max = options.maxBuffer ?? 64 * 1024 * 1024;
    let child;
    try {
      child = spawn(git, [...SAFE_CONFIG, 'cat-file', '--batch'], { cwd, env: GIT_ENV, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    } catch (error) {
      resolvePromise({ ok: false, reason: error instanceof Error ? error.message : String(error) });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (value: { ok: true; stdout: Buffer } | { ok: false; reason: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolvePromise(value);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ ok: false, reason: 'git cat-file timed out' });
    }, options.timeoutMs ?? 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        child.kill('SIGKILL');
        finish({ ok: false, reason: 'git cat-file output too large' });
        return;
      }
      chunks.push(chunk);
    });
    child.stderr.resume();
    child.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, reason: error.code === 'ENOENT' ? 'git is not installed' : error.message }));
    child.on('close', (code) => finish(code === 0 ? { ok: true, stdout: Buffer.concat(chunks) } : { ok: false, reason: `git cat-file exited with ${code}` }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

export function isUnknown(value: unknown): value is Unknown {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'unknown';
}

function realParentPath(absPath: string): string {
  let probe = resolve(absPath);
  const rest: string[] = [];
  for (;;) {
    try {
      return resolve(realpathSync.native(probe), ...rest.reverse());
    } catch {
      const parent = resolve(probe, '..');
      if (parent === probe) return resolve(absPath);
      rest.push(probe.slice(parent.length).replace(/^[\\/]/, ''));
      probe = parent;
    }
  }
}

/** HEAD as last read, asked of git at most once per `intervalMs`: the history answers depend on it. */
export class HeadWatch {
  /** HEAD's hash, `''` in a repository without commits, null before the first read (or after `forget`). */
  value: string | null = null;
  private checkedAt = 0;

  constructor(private readonly intervalMs: number) {}

  /** Reads HEAD unless it was read within the interval; true when it moved since the previous read. */
  async moved(repo: GitRepo): Promise<boolean> {
    const now = Date.now();
    if (this.value !== null && now - this.checkedAt < this.intervalMs) return false;
    this.checkedAt = now;
    const head = await repo.head();
    const value = isUnknown(head) ? '' : head;
    const moved = this.value !== null && this.value !== value;
    this.value = value;
    return moved;
  }

  /** The next `moved` reads HEAD again. */
  forget(): void {
    this.value = null;
  }
}
