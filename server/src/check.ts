/**
 * The core entry point shared by the language server and the CLI: text + configuration in, model and
 * findings out. No editor or LSP connection here.
 */
import { buildModel, type BuiltDocument } from './model/build';
import type { ParsedDocument } from './model/parse';
import type { DocPlanConfig } from './config/config';
import { budgetSkip, checkModel, checkModelYielding, type CheckResult } from './rules/engine';
import type { DocWorkspace } from './workspace/workspace';

/** A checked document: its model (with what built it) and the rules' findings. */
export interface CheckedDocument extends CheckResult {
  built: BuiltDocument;
}

/** Options for `checkText`. */
export interface CheckOptions {
  config: DocPlanConfig;
  /** Workspace-relative path with forward slashes (for include/exclude globs), or null. */
  path: string | null;
  /** The previous parse of this document, to reuse unchanged chunks. */
  previous?: ParsedDocument;
  /** The document's workspace folder; null or absent outside any folder (workspace rules then stay silent). */
  workspace?: DocWorkspace | null;
  /** Time budget for one document in ms (`--max-doc-ms`); default `DEFAULT_MAX_DOC_MS`. */
  maxDocMs?: number;
}

/**
 * Default time budget for checking one document. Generous: real documents check in well under a second;
 * this only stops hostile ones (see `budgetSkip`) from holding an editor or a CI job.
 */
export const DEFAULT_MAX_DOC_MS = 10_000;

/** A check's deadline, from when it started. */
function budgetOf(options: CheckOptions, started: number): { deadline: number; budgetMs: number } {
  const budgetMs = options.maxDocMs ?? DEFAULT_MAX_DOC_MS;
  return { deadline: started + budgetMs, budgetMs };
}

/** Builds the model of `text` (reusing `options.previous` where the text did not change). */
export function buildDocument(text: string, options: CheckOptions): BuiltDocument {
  return buildModel(text, {
    path: options.path,
    include: options.config.include,
    exclude: options.config.exclude,
    profiles: options.config.profiles,
    sectionSynonyms: options.config.sectionSynonyms,
    previous: options.previous,
  });
}

/**
 * Runs the rules over a built model, reading the workspace as it was last prepared. With `started` (when
 * the check began), rules are skipped once the budget is spent, and the parse counts against it too.
 */
export function checkBuilt(built: BuiltDocument, options: CheckOptions, started?: number): CheckedDocument {
  const budget = started === undefined ? null : budgetOf(options, started);
  if (budget && Date.now() >= budget.deadline && built.model.kind !== null && !built.model.disabled) {
    const result: CheckResult = { findings: [], ruleErrors: [], notes: [], skipped: null };
    budgetSkip(result, 'every rule (reading the Markdown used the whole budget)', budget.budgetMs);
    return { built, ...result };
  }
  return { built, ...checkModel(built.model, built.lines, options.config, options.workspace ?? null, undefined, budget) };
}

/** Builds and checks synchronously (the workspace, if any, must already be prepared). Never throws for any text. */
export function checkText(text: string, options: CheckOptions): CheckedDocument {
  const started = Date.now();
  return checkBuilt(buildDocument(text, options), options, started);
}

/**
 * Builds, prepares the workspace for what the document references (symbols, git history, tests), then
 * checks, letting the event loop run between phases and rules. What the server and the CLI call.
 */
export async function checkTextPrepared(text: string, options: CheckOptions): Promise<CheckedDocument> {
  const started = Date.now();
  const built = buildDocument(text, options);
  // Between phases the event loop runs: a server answers other requests while a long document is checked.
  await new Promise((resolve) => setImmediate(resolve));
  const workspace = options.workspace;
  const { deadline, budgetMs } = budgetOf(options, started);
  // When reading the Markdown spent the budget, the lookups are not even started (checkBuilt says so).
  if (workspace && built.model.kind !== null && !built.model.disabled && Date.now() < deadline) {
    // The lookups get half of what is left, so that the rules that need no workspace still have time.
    const prepared = await withinDeadline(workspace.folder.prepare(built.model, workspace.docAbsPath), Date.now() + (deadline - Date.now()) / 2);
    if (!prepared) {
      // Without prepared lookups the workspace rules could report what they did not look at: they stay silent.
      const checked: CheckedDocument = { built, ...(await checkModelYielding(built.model, built.lines, options.config, null, { deadline, budgetMs })) };
      budgetSkip(checked, 'the workspace lookups (file references, git history, tests)', budgetMs);
      return checked;
    }
  }
  if (built.model.kind === null || built.model.disabled || Date.now() >= deadline) return checkBuilt(built, options, started);
  return { built, ...(await checkModelYielding(built.model, built.lines, options.config, workspace ?? null, { deadline, budgetMs })) };
}

/** True when `work` settles before `deadline` (its errors propagate); false when the deadline comes first. */
async function withinDeadline(work: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([work.then(() => true as const), expired]);
  } finally {
    clearTimeout(timer);
  }
}
