/**
 * `.docplan/results.json`: the last recorded result of each validation command of each plan in a workspace
 * folder, written by `docplan run` and the VS Code extension, read by the server, `docplan status` and
 * `docplan sync`. One entry per command identity (doc, stage, command text, occurrence: see
 * run/targets.ts), sorted by doc, stage number, command and occurrence, so that the file diffs well when a
 * team commits it. Validated against schemas/results.schema.json on read. A file that does not parse or
 * match is set aside (renamed to `results.json.corrupt-<time>`) by the writers, reported once, and the run
 * is recorded in a fresh file: never a crash, never a lost run.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lazyValidator } from '../config/ajv';
import schema from '../../../schemas/results.schema.json';
import type { RunOutcome } from '../run/runner';

/** Folder and file name, relative to the workspace folder. */
export const RESULTS_DIR = '.docplan';
export const RESULTS_FILE = 'results.json';

/** One recorded command result. */
export interface ResultEntry {
  /** The plan, relative to the workspace folder, forward slashes. */
  doc: string;
  stage: string;
  command: string;
  occurrence: number;
  outcome: RunOutcome;
  exitCode: number | null;
  /** Expected outcome as the plan wrote it (`PASSED`, `FAIL`), or null. */
  expected: string | null;
  /** HEAD when it ran, or null outside git. */
  commit: string | null;
  /** ISO 8601, UTC. */
  finishedAt: string;
  durationMs: number;
}

/** The file's content. */
export interface ResultsFile {
  version: 1;
  results: ResultEntry[];
}

/** What reading found: the results (empty when none) and a problem to report once, if any. */
export interface ReadResults {
  file: ResultsFile;
  /** Why the file could not be used (it was set aside when `setAside` was asked), or null. */
  problem: string | null;
}

/** Compiled on first use (most folders have no results file). */
const resultsValidator = lazyValidator<ResultsFile>(schema, { allErrors: false, allowUnionTypes: true });

/** Absolute path of a folder's results file. */
export function resultsPath(root: string): string {
  return join(root, RESULTS_DIR, RESULTS_FILE);
}

function empty(): ResultsFile {
  return { version: 1, results: [] };
}

/** Parses and validates a results file's text. */
export function parseResults(text: string): { ok: true; file: ResultsFile } | { ok: false; reason: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const validate = resultsValidator();
  if (!validate(data)) {
    const first = validate.errors?.[0];
    return { ok: false, reason: `does not match its schema (${first ? `${first.instancePath || '(root)'} ${first.message ?? 'is invalid'}` : 'invalid'})` };
  }
  return { ok: true, file: data };
}

/** Renames a corrupt file out of the way; returns the new name (or why it could not). */
function setAsideFile(path: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  const aside = `${path}.corrupt-${stamp}`;
  try {
    renameSync(path, aside);
    return `set aside as ${aside}`;
  } catch (error) {
    return `could not be set aside: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * Reads a folder's results synchronously. A missing file is no problem. With `setAside` (writers: the CLI
 * run, the client), a corrupt file is renamed so that the next write starts afresh and the problem is
 * reported exactly once; readers that must not touch the workspace (the server) pass false.
 */
export function readResults(root: string, options: { setAside: boolean }): ReadResults {
  const path = resultsPath(root);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { file: empty(), problem: null };
    return { file: empty(), problem: `cannot read ${RESULTS_DIR}/${RESULTS_FILE}: ${(error as Error).message}` };
  }
  return fromText(path, text, options);
}

function fromText(path: string, text: string, options: { setAside: boolean }): ReadResults {
  const parsed = parseResults(text);
  if (parsed.ok) return { file: parsed.file, problem: null };
  const aside = options.setAside ? `; ${setAsideFile(path)}` : '';
  return { file: empty(), problem: `${RESULTS_DIR}/${RESULTS_FILE} is ${parsed.reason}: its results are ignored${aside}` };
}

/** `mtime:size` of the results file, or null when there is none: tells a cached read whether it is still current. */
export function resultsSignature(root: string): string | null {
  try {
    const stats = statSync(resultsPath(root));
    return `${stats.mtimeMs}:${stats.size}`;
  } catch {
    return null;
  }
}

/** Compares stage numbers by value (`2` < `10`, `1.5` < `2`). */
function compareNumbers(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? -1;
    const y = pb[i] ?? -1;
    if (x !== y) return Number.isNaN(x) || Number.isNaN(y) ? a.localeCompare(b) : x - y;
  }
  return a.localeCompare(b);
}

function compareEntries(a: ResultEntry, b: ResultEntry): number {
  return a.doc < b.doc ? -1 : a.doc > b.doc ? 1 : compareNumbers(a.stage, b.stage) || (a.command < b.command ? -1 : a.command > b.command ? 1 : 0) || a.occurrence - b.occurrence;
}

/** The identity of an entry: one entry per command of a stage of a doc. */
export function entryKey(entry: Pick<ResultEntry, 'doc' | 'stage' | 'command' | 'occurrence'>): string {
  return JSON.stringify([entry.doc, entry.stage, entry.command.trim(), entry.occurrence]);
}

/** The file's text for these entries: keys in schema order, entries in stable order, a final newline. */
export function serializeResults(results: readonly ResultEntry[]): string {
  const ordered = [...results].sort(compareEntries).map((entry) => ({
    doc: entry.doc,
    stage: entry.stage,
    command: entry.command,
    occurrence: entry.occurrence,
    outcome: entry.outcome,
    exitCode: entry.exitCode,
    expected: entry.expected,
    commit: entry.commit,
    finishedAt: entry.finishedAt,
    durationMs: Math.round(entry.durationMs),
  }));
  return JSON.stringify({ version: 1, results: ordered }, null, 2) + '\n';
}

/** Entries with `added` replacing those of the same identity. */
export function mergeResults(existing: readonly ResultEntry[], added: readonly ResultEntry[]): ResultEntry[] {
  const byKey = new Map(existing.map((entry) => [entryKey(entry), entry]));
  for (const entry of added) byKey.set(entryKey(entry), entry);
  return [...byKey.values()].sort(compareEntries);
}

/**
 * Records results: reads the file (setting a corrupt one aside), merges, and writes it through a temporary
 * file and a rename, so a reader never sees half a file. Returns the problem met reading, if any (to report
 * once). Throws only when the file cannot be written.
 */
export function recordResults(root: string, added: readonly ResultEntry[]): { problem: string | null } {
  const current = readResults(root, { setAside: true });
  const merged = mergeResults(current.file.results, added);
  const path = resultsPath(root);
  mkdirSync(join(root, RESULTS_DIR), { recursive: true });
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temp, serializeResults(merged));
  renameSync(temp, path);
  return { problem: current.problem };
}

/** Removes a doc's entries (or all) and writes the file back. */
export function clearResults(root: string, doc?: string): void {
  if (resultsSignature(root) === null) return;
  const current = readResults(root, { setAside: true });
  const kept = doc === undefined ? [] : current.file.results.filter((entry) => entry.doc !== doc);
  mkdirSync(join(root, RESULTS_DIR), { recursive: true });
  const path = resultsPath(root);
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temp, serializeResults(kept));
  renameSync(temp, path);
}
