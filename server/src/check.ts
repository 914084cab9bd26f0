/**
 * The core entry point shared by the language server and the CLI: text + configuration in, model and
 * findings out. No editor or LSP connection here.
 */
import { buildModel, type BuiltDocument } from './model/build';
import type { ParsedDocument } from './model/parse';
import type { DocPlanConfig } from './config/config';
import { checkModel, type CheckResult } from './rules/engine';

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
}

/** Builds the model of `text` and runs the rules over it. Never throws for any input text. */
export function checkText(text: string, options: CheckOptions): CheckedDocument {
  const built = buildModel(text, {
    path: options.path,
    include: options.config.include,
    exclude: options.config.exclude,
    sectionSynonyms: options.config.sectionSynonyms,
    previous: options.previous,
  });
  return { built, ...checkModel(built.model, built.lines, options.config) };
}
