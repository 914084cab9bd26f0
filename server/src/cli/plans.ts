/**
 * Loading the plans `docplan status`, `next` and `sync` work on: the files named (directories walked as
 * `docplan check` does), each checked with its workspace folder prepared (claims, git, recorded results).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkTextPrepared, type CheckedDocument, type CheckOptions } from '../check';
import { readConfigFile, resolveConfig } from '../config/load';
import type { ConfigInput } from '../config/config';
import { readResults, type ResultEntry } from '../evidence/results';
import { collectFiles, DEFAULT_MAX_FILE_SIZE, findWorkspaceRoot, readDocument, rootRelative } from '../workspace/files';
import { FolderWorkspace } from '../workspace/workspace';
import { UsageError, type CliIo } from './invocation';

/** One loaded plan. */
export interface LoadedPlan {
  path: string;
  /** Relative to the workspace root (what results are keyed by). */
  rel: string;
  display: string;
  text: string;
  bom: boolean;
  validUtf8: boolean;
  checked: CheckedDocument;
  options: CheckOptions;
}

/** What was loaded, with the root's recorded results. */
export interface LoadedPlans {
  root: string;
  plans: LoadedPlan[];
  results: ResultEntry[];
  problems: string[];
}

/** Loads the plans among `args` (default `.`). Only documents with stages count as plans. */
export async function loadPlans(args: readonly string[], io: CliIo, options: { rootFlag?: string; overrides?: ConfigInput; requireStages?: boolean } = {}): Promise<LoadedPlans> {
  const root = options.rootFlag !== undefined ? resolve(io.cwd, options.rootFlag) : findWorkspaceRoot(io.cwd);
  if (!existsSync(root)) throw new UsageError(`--root: no such directory: ${options.rootFlag}`);
  const { config, problems: configProblems } = resolveConfig(readConfigFile(root), options.overrides);
  const problems = configProblems.map((problem) => problem.message);
  const collected = collectFiles(args.length > 0 ? args : ['.'], { cwd: io.cwd, root });
  if (collected.missing.length > 0) throw new UsageError(`no such file or directory: ${collected.missing.join(', ')}`);
  const workspace = new FolderWorkspace(root, { validate: 'stat', git: true });
  const plans: LoadedPlan[] = [];
  for (const path of collected.files) {
    const read = readDocument(path, DEFAULT_MAX_FILE_SIZE);
    if (!read.ok) continue;
    const rel = rootRelative(root, path);
    if (rel === null) continue;
    const checkOptions: CheckOptions = { config, path: rel, workspace: workspace.view(path) };
    const checked = await checkTextPrepared(read.text, checkOptions);
    const { model } = checked.built;
    if (model.kind === null || model.disabled) continue;
    if (options.requireStages !== false && model.stages.length === 0) continue;
    const display = resolve(io.cwd) === root ? rel : (path.startsWith(resolve(io.cwd)) ? path.slice(resolve(io.cwd).length + 1) : path);
    plans.push({ path, rel, display, text: read.text, bom: read.bom, validUtf8: read.validUtf8, checked, options: checkOptions });
  }
  const read = readResults(root, { setAside: false });
  if (read.problem) problems.push(read.problem);
  return { root, plans, results: read.file.results, problems };
}
