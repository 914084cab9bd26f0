/**
 * How the `docplan` command line is invoked: its I/O (a seam for tests), usage errors and exit statuses,
 * strict argument parsing, and the workspace root and configuration file every command starts from.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import packageJson from '../../../package.json';
import type { CheckOptions } from '../check';
import { parseConfigText, type ConfigProblem } from '../config/config';
import { CONFIG_FILE_NAME, readConfigFile, type LoadedConfigFile } from '../config/load';
import { RULE_IDS } from '../rules/index';
import { describeError, findWorkspaceRoot } from '../workspace/files';

/** What the CLI talks to. Tests pass strings collectors; `nodeIo()` is the real process. */
export interface CliIo {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  /** Replaces `fixAllText` (a test seam, for fixes no shipped rule offers yet). */
  fixText?: (text: string, options: CheckOptions) => { text: string; applied: number };
}

/** The process's own I/O. */
export function nodeIo(): CliIo {
  // `docplan check | head` closes the pipe early: that is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  return { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr };
}

/** The package's version (`docplan --version`, and part of the cache key). */
export const VERSION: string = packageJson.version;

/** A problem with how the CLI was called: exit status 2, message without a stack. */
export class UsageError extends Error {}

/** Exit statuses: no errors; errors found (or too many warnings); a usage or internal error. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** Option definitions of `node:util`'s parseArgs. */
export type Options = NonNullable<ParseArgsConfig['options']>;

/** What `parse` returns for options `T`: typed values and the positionals. */
export type ParsedArgs<T extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>>;

/** Parses a command's arguments strictly; a bad flag is a `UsageError` with Node's first sentence. */
export function parse<T extends Options>(args: readonly string[], options: T): ParsedArgs<T> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      // Node's messages go on about `--` for positionals; the first sentence is the useful part.
      throw new UsageError(error.message.split('. ')[0].replace(/\.$/, ''));
    }
    throw error;
  }
}

/** `--max-file-size`: bytes, or a number with a K/M/G (KiB/MiB/GiB) suffix. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i.exec(text.trim());
  if (!match) throw new UsageError(`--max-file-size expects a size such as 5242880, 512K or 5M, got '${text}'`);
  const unit = (match[2] ?? 'b').toLowerCase()[0];
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.floor(Number(match[1]) * factor);
}

/** A non-negative integer flag value, else a `UsageError`. */
export function parseCount(flag: string, text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${flag} expects a non-negative integer, got '${text}'`);
  return Number(text);
}

/** The workspace root: `--root`, else the nearest ancestor of the cwd with .docplan.json or .git. */
export function workspaceRoot(io: CliIo, rootFlag: string | undefined): string {
  if (rootFlag === undefined) return findWorkspaceRoot(io.cwd);
  const root = resolve(io.cwd, rootFlag);
  let isDirectory = false;
  try {
    isDirectory = statSync(root).isDirectory();
  } catch {
    isDirectory = false;
  }
  if (!isDirectory) throw new UsageError(`--root: no such directory: ${rootFlag}`);
  return root;
}

/** Reads `--config <file>` (a usage error when it does not exist) or `<root>/.docplan.json`. */
export function loadConfigFile(io: CliIo, root: string, configFlag: string | undefined): LoadedConfigFile {
  if (configFlag === undefined) return readConfigFile(root);
  const path = resolve(io.cwd, configFlag);
  if (!existsSync(path)) throw new UsageError(`--config: no such file: ${configFlag}`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { path, exists: true, input: {}, problems: [{ message: `Cannot read ${configFlag}: ${describeError(error)}; using defaults.`, severity: 'error', range: null }] };
  }
  return { path, exists: true, ...parseConfigText(text, RULE_IDS) };
}

/** Prints configuration problems on stderr, each with its file and position (or `--rule`). */
export function reportConfigProblems(io: CliIo, file: LoadedConfigFile, problems: readonly ConfigProblem[]): void {
  const fileProblems = new Set(file.problems);
  const where = relative(io.cwd, file.path) || CONFIG_FILE_NAME;
  for (const problem of problems) {
    const line = problem.range ? `:${problem.range.start.line + 1}:${problem.range.start.character + 1}` : '';
    // Problems not from the file come from --rule flags.
    const prefix = fileProblems.has(problem) ? `${where}${line}: ` : '--rule: ';
    io.stderr.write(`docplan: ${problem.severity}: ${prefix}${problem.message}\n`);
  }
}

/** A path as the user would write it: relative to the current directory when inside it. */
export function displayPath(io: CliIo, path: string): string {
  return relative(io.cwd, path) || path;
}
