/**
 * Git questions asked for many documents at once, so that a run costs a bounded number of git processes
 * whatever the number of docs: one long-lived `git cat-file --batch` for every blob, one `git log` for the
 * last commit of every doc, one `git diff-tree --stdin` for the renames since every one of those commits.
 *
 * Same safety as `runGit`: no shell, literal pathspecs, repository programs switched off, timeouts, and
 * any failure is an answer ("unknown"), never an exception.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';

/** Environment and config shared with `git.ts`: git must not run repository-configured programs. */
export const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_LITERAL_PATHSPECS: '1',
  GIT_TERMINAL_PROMPT: '0',
  GIT_OPTIONAL_LOCKS: '0',
  GIT_PAGER: 'cat',
  LC_ALL: 'C',
};
/** Config that keeps git from running repository-configured programs for our read-only questions. */
export const SAFE_CONFIG: readonly string[] = ['-c', 'core.fsmonitor=false', '-c', 'core.pager=cat', '-c', 'diff.external=', '-c', 'core.quotepath=off'];

const OBJECT_ID = /^[0-9a-f]{40,64}$/;

/** A blob read through `git cat-file --batch`: its id and bytes, or null when the name is not a blob. */
export type BlobAnswer = { id: string; bytes: Buffer } | null;

interface Pending {
  name: string;
  resolve: (answer: BlobAnswer | Error) => void;
}

/**
 * One `git cat-file --batch` process kept open for many requests (started on first use, closed by `close`
 * or after `idleMs` without requests). Requests are answered in order; a dead process fails the pending
 * ones and the next request starts a new one.
 */
export class BlobReader {
  private child: ChildProcessWithoutNullStreams | null = null;
  private readonly queue: Pending[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private idleTimer: NodeJS.Timeout | null = null;
  /** Processes started (for tests and the bench: it should stay at one per run). */
  started = 0;

  constructor(
    private readonly git: string,
    private readonly cwd: string,
    private readonly timeoutMs: number,
    private readonly idleMs = 2000,
  ) {}

  /** The blob named `rev:path` (or an object id), null when it does not exist or is not a blob. */
  read(name: string): Promise<BlobAnswer | Error> {
    if (/[\n\r\0]/.test(name)) return Promise.resolve(null);
    return new Promise((resolvePromise) => {
      let child: ChildProcessWithoutNullStreams;
      try {
        child = this.process();
      } catch (error) {
        resolvePromise(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      this.queue.push({ name, resolve: resolvePromise });
      this.armTimer();
      child.stdin.write(`${name}\n`);
    });
  }

  /** Ends the process (pending requests fail). */
  close(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const child = this.child;
    this.child = null;
    if (child) {
      child.stdin.end();
      child.kill('SIGKILL');
    }
    this.fail(new Error('git cat-file was closed'));
  }

  private process(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn(this.git, [...SAFE_CONFIG, 'cat-file', '--batch'], { cwd: this.cwd, env: GIT_ENV, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    this.started++;
    this.child = child;
    this.buffer = Buffer.alloc(0);
    child.stdout.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    child.stderr.resume();
    child.stdin.on('error', () => undefined);
    const gone = (reason: string) => {
      if (this.child !== child) return;
      this.child = null;
      this.fail(new Error(reason));
    };
    child.on('error', (error: NodeJS.ErrnoException) => gone(error.code === 'ENOENT' ? 'git is not installed' : error.message));
    child.on('close', (code) => gone(`git cat-file exited with ${code}`));
    return child;
  }

  /** Answers as many queued requests as the buffer holds. */
  private drain(): void {
    while (this.queue.length > 0) {
      const newline = this.buffer.indexOf(10);
      if (newline === -1) return;
      const header = this.buffer.subarray(0, newline).toString('utf8');
      const match = /^([0-9a-f]+) (\w+) (\d+)$/.exec(header);
      if (!match) {
        // "<name> missing" / "ambiguous": no body follows.
        this.buffer = this.buffer.subarray(newline + 1);
        this.queue.shift()!.resolve(null);
        continue;
      }
      const size = Number(match[3]);
      if (this.buffer.length < newline + 1 + size + 1) return;
      const bytes = Buffer.from(this.buffer.subarray(newline + 1, newline + 1 + size));
      this.buffer = this.buffer.subarray(newline + 1 + size + 1);
      this.queue.shift()!.resolve(match[2] === 'blob' ? { id: match[1], bytes } : null);
    }
    if (this.queue.length === 0) this.armTimer();
  }

  private armTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    // While requests wait, the timer is the request timeout; when none wait, it closes the idle process.
    const waiting = this.queue.length > 0;
    this.idleTimer = setTimeout(() => {
      if (waiting) {
        const child = this.child;
        this.child = null;
        child?.kill('SIGKILL');
        this.fail(new Error('git cat-file timed out'));
      } else {
        this.close();
      }
    }, waiting ? this.timeoutMs : this.idleMs);
    this.idleTimer.unref();
  }

  private fail(error: Error): void {
    for (const pending of this.queue.splice(0)) pending.resolve(error);
  }
}

/** Runs git with `input` on stdin and collects stdout; `stopWhen` may end it early (the output so far is kept). */
export function runGitWithInput(
  git: string,
  cwd: string,
  args: readonly string[],
  input: string,
  options: { timeoutMs: number; maxBuffer: number; stopWhen?: (chunk: Buffer) => boolean; pathspecMagic?: boolean },
): Promise<{ ok: true; stdout: Buffer } | { ok: false; reason: string }> {
  return new Promise((resolvePromise) => {
    let child: ChildProcessWithoutNullStreams;
    try {
      // `pathspecMagic`: the caller marks every pathspec itself (`:(literal)`, `:(glob)`), so git must read magic.
      const env = options.pathspecMagic ? { ...GIT_ENV, GIT_LITERAL_PATHSPECS: '0' } : GIT_ENV;
      child = spawn(git, [...SAFE_CONFIG, ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    } catch (error) {
      resolvePromise({ ok: false, reason: error instanceof Error ? error.message : String(error) });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    let stopped = false;
    const finish = (value: { ok: true; stdout: Buffer } | { ok: false; reason: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolvePromise(value);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ ok: false, reason: `git ${args[0]} timed out` });
    }, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > options.maxBuffer) {
        child.kill('SIGKILL');
        finish({ ok: false, reason: `git ${args[0]} output too large` });
        return;
      }
      chunks.push(chunk);
      if (options.stopWhen && !stopped && options.stopWhen(chunk)) {
        stopped = true;
        child.kill('SIGKILL');
        finish({ ok: true, stdout: Buffer.concat(chunks) });
      }
    });
    child.stderr.resume();
    child.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, reason: error.code === 'ENOENT' ? 'git is not installed' : error.message }));
    child.on('close', (code) => finish(code === 0 || stopped ? { ok: true, stdout: Buffer.concat(chunks) } : { ok: false, reason: `git ${args[0]} exited with ${code}` }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/**
 * The last commit that touched each of `topPaths` (top-relative), through one `git log` over their
 * pathspecs, stopped as soon as every path has its commit. A path never committed is absent from the map.
 */
export async function lastCommits(git: string, top: string, topPaths: readonly string[], options: { timeoutMs: number; maxBuffer: number }): Promise<Map<string, string> | { reason: string }> {
  const found = new Map<string, string>();
  const wanted = new Set(topPaths.filter((path) => !/[\n\r\0]/.test(path)));
  if (wanted.size === 0) return found;
  // Fields are NUL-separated; a chunk may end inside one, so the unfinished tail waits for the next chunk.
  let commit: string | null = null;
  let tail = '';
  const decoder = new StringDecoder('utf8');
  const take = (field: string) => {
    const name = field.replace(/^\n/, '');
    if (name.startsWith('\x01')) commit = name.slice(1);
    else if (commit !== null && name !== '' && wanted.has(name) && !found.has(name)) found.set(name, commit);
  };
  const parse = (chunk: Buffer): boolean => {
    const fields = (tail + decoder.write(chunk)).split('\0');
    tail = fields.pop() ?? '';
    fields.forEach(take);
    return found.size === wanted.size;
  };
  // `--stdin` reads the revision, then `--`, then the pathspecs: no command-line length limit.
  const input = `HEAD\n--\n${[...wanted].join('\n')}\n`;
  const result = await runGitWithInput(git, top, ['log', '--stdin', '-z', '--format=%x01%H', '--name-only', '--no-renames', '--no-show-signature'], input, {
    ...options,
    stopWhen: parse,
  });
  if (!result.ok) return { reason: result.reason };
  if (tail !== '') take(tail);
  for (const commit of found.values()) if (!OBJECT_ID.test(commit)) return { reason: `unexpected git log output: ${commit.slice(0, 60)}` };
  return found;
}

/**
 * Renames from each of `commits` to HEAD (old top-relative path -> new one), chained from the renames of
 * each commit since the oldest of them: one `git rev-list --first-parent` to place the commits, one
 * `git log -M --name-status --first-parent` over the history after the oldest. Each commit's own diff is
 * small, so rename detection stays cheap, where comparing an old commit with HEAD directly can take
 * seconds. A commit not on HEAD's first-parent line is absent from the map.
 */
export async function renamesToHead(git: string, top: string, head: string, commits: readonly string[], options: { timeoutMs: number; maxBuffer: number }): Promise<Map<string, Map<string, string>> | { reason: string }> {
  const out = new Map<string, Map<string, string>>();
  const wanted = new Set(commits.filter((commit) => OBJECT_ID.test(commit)));
  if (!OBJECT_ID.test(head)) return { reason: `not a commit id: ${head}` };
  if (wanted.size === 0) return out;
  // Where each wanted commit sits on the first-parent line (0 = HEAD), read only as far as the oldest.
  const position = new Map<string, number>();
  let seen = 0;
  let tail = '';
  const listed = await runGitWithInput(git, top, ['rev-list', '--first-parent', '--stdin'], `${head}\n`, {
    ...options,
    stopWhen: (chunk) => {
      const ids = (tail + chunk.toString('latin1')).split('\n');
      tail = ids.pop() ?? '';
      for (const id of ids) {
        if (wanted.has(id)) position.set(id, seen);
        seen++;
      }
      return position.size === wanted.size;
    },
  });
  if (!listed.ok) return { reason: listed.reason };
  if (tail !== '' && wanted.has(tail)) position.set(tail, seen);
  if (position.size === 0) return out;
  const oldest = Math.max(...position.values());
  // The commits newer than the oldest wanted one, newest first, each with its renames.
  const history: [string, string][][] = [];
  if (oldest > 0) {
    const log = await runGitWithInput(git, top, ['log', '--stdin', '-z', '--format=%x01%H', '-M', '--name-status', '--first-parent', '-n', String(oldest), '--no-ext-diff', '--no-textconv', '--no-show-signature'], `${head}\n`, options);
    if (!log.ok) return { reason: log.reason };
    const fields = log.stdout.toString('utf8').split('\0');
    for (let i = 0; i < fields.length; ) {
      const field = fields[i].replace(/^\n/, '');
      if (field.startsWith('\x01')) {
        history.push([]);
        i++;
      } else if (field.startsWith('R') || field.startsWith('C')) {
        if (field.startsWith('R') && history.length > 0) history[history.length - 1].push([fields[i + 1], fields[i + 2]]);
        i += 3;
      } else if (field === '') {
        i++;
      } else {
        i += 2;
      }
    }
  }
  for (const [commit, at] of position) {
    // Chain the renames of the commits after this one, oldest first.
    const chain = new Map<string, string>();
    for (let k = Math.min(at, history.length) - 1; k >= 0; k--) {
      for (const [from, to] of history[k]) {
        let moved = false;
        for (const [origin, current] of chain) {
          if (current === from) {
            chain.set(origin, to);
            moved = true;
          }
        }
        if (!moved && !chain.has(from)) chain.set(from, to);
      }
    }
    out.set(commit, chain);
  }
  return out;
}
