/**
 * The core entry point shared by the language server and the CLI: text + configuration in, model and
 * findings out. No editor or LSP connection here.
 */
import { buildModel, type BuiltDocument } from './model/build';
import type { ParsedDocument } from './model/parse';
import type { DocPlanConfig } from './config/config';
import { checkModel, type CheckResult } from './rules/engine';
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

/** Runs the rules over a built model, reading the workspace as it was last prepared. */
export function checkBuilt(built: BuiltDocument, options: CheckOptions): CheckedDocument {
  return { built, ...checkModel(built.model, built.lines, options.config, options.workspace ?? null) };
}

/** Builds and checks synchronously (the workspace, if any, must already be prepared). Never throws for any text. */
export function checkText(text: string, options: CheckOptions): CheckedDocument {
  return checkBuilt(buildDocument(text, options), options);
}

/**
 * Builds, prepares the workspace for what the document references (symbols, git history, tests), then
 * checks. What the server and the CLI call.
 */
export async function checkTextPrepared(text: string, options: CheckOptions): Promise<CheckedDocument> {
  const built = buildDocument(text, options);
  const workspace = options.workspace;
  if (workspace && built.model.kind !== null && !built.model.disabled) {
    await workspace.folder.prepare(built.model, workspace.docAbsPath);
  }
  return checkBuilt(built, options);
}
