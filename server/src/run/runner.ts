/**
 * Runs one validation command the way a user would in a terminal, but safely headless: through the
 * platform's shell, in a given working directory, with no standard input, a time limit that kills the
 * whole process tree, output kept whole in a log file and capped in memory. Pure Node (no `vscode`):
 * the VS Code client and `docplan run` share it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, statSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import treeKill from 'tree-kill';

/** How a command run ended. */
export type RunOutcome = 'passed' | 'failed' | 'timed-out' | 'cancelled' | 'error';

export interface RunCommandOptions {
  /** The command line, run through the platform's shell (`/bin/sh -c`, `cmd.exe /d /s /c`). */
  command: string;
  /** Working directory; a missing one gives outcome `error` without starting anything. */
  cwd: string;
  /** Time limit in milliseconds; 0 or less means none. */
  timeoutMs: number;
  /** After SIGTERM, how long the tree gets before SIGKILL (default 2000 ms). */
  killGraceMs?: number;
  /** File that receives the complete output (created with its folder), or null for none. */
  logFile?: string | null;
  /** Output kept in memory and passed to `onOutput` (default 1 MiB); the log file has it all. */
  maxOutputBytes?: number;
  env?: NodeJS.ProcessEnv;
  /** Aborting stops the command and its children (outcome `cancelled`). */
  signal?: AbortSignal;
  /** Receives output as it arrives, up to the cap, then one line saying the rest is in the log. */
  onOutput?: (text: string) => void;
  /** For tests: pretend to be another platform when choosing the shell. */
  platform?: NodeJS.Platform;
}

/** The result of one command run: everything a view or a report needs, serialisable. */
export interface CommandRunResult {
  command: string;
  cwd: string;
  outcome: RunOutcome;
  /** The process's exit code, or null when it was killed by a signal or never started. */
  exitCode: number | null;
  /** The signal that ended it (e.g. `SIGTERM` after a timeout), or null. */
  signal: string | null;
  durationMs: number;
  timedOut: boolean;
  cancelled: boolean;
  /** Why the command could not run or was stopped (missing folder, spawn failure, timeout), or null. */
  error: string | null;
  /** Output kept in memory (stdout and stderr interleaved), at most the cap. */
  output: string;
  outputTruncated: boolean;
  /** Size of the whole output in bytes. */
  outputBytes: number;
  /** The log file with the whole output, or null. */
  outputFile: string | null;
  /** Epoch milliseconds. */
  startedAt: number;
}

/** What a run says without its output (that is in the log file): kept by the client, printed by `docplan run --json`. */
export interface RunRecord {
  command: string;
  outcome: RunOutcome;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  timedOut: boolean;
  error: string | null;
  outputFile: string | null;
}

/** The record of a run: its result without the output, cwd and timing details. */
export function runRecord(result: CommandRunResult): RunRecord {
  const { command, outcome, exitCode, signal, durationMs, timedOut, error, outputFile } = result;
  return { command, outcome, exitCode, signal, durationMs, timedOut, error, outputFile };
}

export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
export const DEFAULT_KILL_GRACE_MS = 2000;
/** After the shell exits, how long to wait for pipes still held open by an escaped grandchild. */
const PIPE_DRAIN_MS = 500;

/** The shell invocation for a command line on a platform. */
export function shellInvocation(
  command: string,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): { file: string; args: string[]; windowsVerbatimArguments: boolean } {
  if (platform === 'win32') {
    return { file: env.ComSpec || 'cmd.exe', args: ['/d', '/s', '/c', `"${command}"`], windowsVerbatimArguments: true };
  }
  return { file: '/bin/sh', args: ['-c', command], windowsVerbatimArguments: false };
}

/** True when `path` is an existing directory. */
function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Kills a process and everything it started: tree-kill walks the tree by parent id (and uses
 * `taskkill /T` on Windows); on POSIX the process group of a detached child is signalled too, which
 * catches children whose parent already exited.
 */
export function killProcessTree(pid: number, signal: NodeJS.Signals, platform: NodeJS.Platform = process.platform): Promise<void> {
  const killGroup = () => {
    if (platform === 'win32') return;
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is gone
    }
  };
  return new Promise((resolve) => {
    treeKill(pid, signal, () => {
      killGroup();
      resolve();
    });
  });
}

/** Runs one command; never rejects. */
export function runCommand(options: RunCommandOptions): Promise<CommandRunResult> {
  const startedAt = Date.now();
  const started = process.hrtime.bigint();
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const platform = options.platform ?? process.platform;
  const elapsed = () => Number((process.hrtime.bigint() - started) / 1_000_000n);

  let log: WriteStream | null = null;
  let logFile: string | null = options.logFile ?? null;
  if (logFile) {
    try {
      mkdirSync(dirname(logFile), { recursive: true });
      log = createWriteStream(logFile);
      log.on('error', () => {
        logFile = null;
      });
    } catch {
      log = null;
      logFile = null;
    }
  }

  let output = '';
  let outputBytes = 0;
  let truncated = false;
  const take = (text: string, bytes: number) => {
    outputBytes += bytes;
    if (truncated) return;
    const room = maxOutputBytes - Buffer.byteLength(output);
    if (bytes <= room) {
      output += text;
      options.onOutput?.(text);
      return;
    }
    const head = Buffer.from(text).subarray(0, Math.max(0, room)).toString('utf8').replace(/\uFFFD$/, '');
    output += head;
    truncated = true;
    const note = `\n[output truncated after ${maxOutputBytes} bytes${logFile ? `; the whole output is in ${logFile}` : ''}]\n`;
    options.onOutput?.(head + note);
  };
  const note = (text: string) => {
    log?.write(text);
    take(text, Buffer.byteLength(text));
  };

  const finish = async (fields: Pick<CommandRunResult, 'outcome' | 'exitCode' | 'signal' | 'timedOut' | 'cancelled' | 'error'>): Promise<CommandRunResult> => {
    const durationMs = elapsed();
    if (log) {
      const stream = log;
      await new Promise<void>((resolve) => {
        if (stream.destroyed) return resolve();
        stream.end(resolve);
      });
    }
    return { command: options.command, cwd: options.cwd, ...fields, durationMs, output, outputTruncated: truncated, outputBytes, outputFile: logFile, startedAt };
  };

  if (!isDirectory(options.cwd)) {
    const error = `working directory does not exist: ${options.cwd}`;
    note(`[docplan] ${error}\n`);
    return finish({ outcome: 'error', exitCode: null, signal: null, timedOut: false, cancelled: false, error });
  }
  if (options.signal?.aborted) {
    return finish({ outcome: 'cancelled', exitCode: null, signal: null, timedOut: false, cancelled: true, error: 'cancelled before it started' });
  }

  return new Promise<CommandRunResult>((resolve) => {
    const shell = shellInvocation(options.command, platform, options.env ?? process.env);
    let child: ChildProcess;
    try {
      child = spawn(shell.file, shell.args, {
        cwd: options.cwd,
        env: options.env ?? process.env,
        // No standard input: a command that prompts reads end-of-file instead of hanging.
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group on POSIX, so the whole group can be killed at the timeout.
        detached: platform !== 'win32',
        windowsHide: true,
        windowsVerbatimArguments: shell.windowsVerbatimArguments,
      });
    } catch (error) {
      const message = `could not start the shell: ${error instanceof Error ? error.message : String(error)}`;
      note(`[docplan] ${message}\n`);
      void finish({ outcome: 'error', exitCode: null, signal: null, timedOut: false, cancelled: false, error: message }).then(resolve);
      return;
    }

    let timedOut = false;
    let cancelled = false;
    let spawnError: string | null = null;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let settled = false;
    let killTimer: ReturnType<typeof setTimeout> | undefined;
    let drainTimer: ReturnType<typeof setTimeout> | undefined;

    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      const decoder = new StringDecoder('utf8');
      stream.on('data', (chunk: Buffer) => {
        log?.write(chunk);
        take(decoder.write(chunk), chunk.length);
      });
      stream.on('end', () => {
        const rest = decoder.end();
        if (rest) take(rest, 0);
      });
      stream.on('error', () => {});
    }

    const stop = () => {
      if (child.pid === undefined || exit) return;
      const pid = child.pid;
      void killProcessTree(pid, 'SIGTERM', platform);
      killTimer = setTimeout(() => void killProcessTree(pid, 'SIGKILL', platform), options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
    };
    const timer =
      options.timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            stop();
          }, options.timeoutMs)
        : undefined;
    const onAbort = () => {
      cancelled = true;
      stop();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const settle = () => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      if (drainTimer) clearTimeout(drainTimer);
      options.signal?.removeEventListener('abort', onAbort);
      child.stdout?.destroy();
      child.stderr?.destroy();
      const code = exit?.code ?? null;
      const signal = exit?.signal ?? null;
      // Make sure nothing it left behind keeps running (an escaped grandchild holding the pipes).
      if (child.pid !== undefined && (timedOut || cancelled)) {
        if (killTimer) clearTimeout(killTimer);
        void killProcessTree(child.pid, 'SIGKILL', platform);
      }
      let outcome: RunOutcome;
      let error: string | null = null;
      if (spawnError !== null) {
        outcome = 'error';
        error = spawnError;
      } else if (timedOut) {
        outcome = 'timed-out';
        error = `timed out after ${formatDuration(options.timeoutMs)}; the command and its children were killed`;
      } else if (cancelled) {
        outcome = 'cancelled';
        error = 'cancelled; the command and its children were killed';
      } else {
        outcome = code === 0 ? 'passed' : 'failed';
      }
      if (error) note(`\n[docplan] ${error}\n`);
      void finish({ outcome, exitCode: code, signal, timedOut, cancelled, error }).then(resolve);
    };

    child.on('error', (error) => {
      spawnError = `could not start the command: ${error.message}`;
      settle();
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      if (killTimer && !timedOut && !cancelled) clearTimeout(killTimer);
      // Normally 'close' follows at once; a grandchild that still holds the pipes must not keep us waiting.
      drainTimer = setTimeout(settle, PIPE_DRAIN_MS);
    });
    child.on('close', (code, signal) => {
      exit ??= { code, signal };
      settle();
    });
  });
}

/** `1.2 s`, `350 ms`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${seconds} s`;
}

/** A one-line description of a result: `passed in 1.2 s`, `failed: exit code 1 after 0.3 s`. */
export function describeResult(result: Pick<CommandRunResult, 'outcome' | 'exitCode' | 'signal' | 'durationMs' | 'error'>): string {
  const duration = formatDuration(result.durationMs);
  switch (result.outcome) {
    case 'passed':
      return `passed in ${duration}`;
    case 'failed':
      return result.exitCode !== null
        ? `failed: exit code ${result.exitCode} after ${duration}`
        : `failed: killed by ${result.signal ?? 'a signal'} after ${duration}`;
    case 'timed-out':
      return `timed out after ${duration} (killed with its children)`;
    case 'cancelled':
      return `cancelled after ${duration}`;
    default:
      return `could not run: ${result.error ?? 'unknown error'}`;
  }
}
