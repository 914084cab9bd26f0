/**
 * The rule contract: one module per rule under `rules/`, each exporting a `Rule`. Rules read the document
 * model only and report findings, optionally with fixes as text edits.
 */
import type { TextEdit } from 'vscode-languageserver-types';
import type { ActiveSeverity, DocPlanConfig } from '../config/config';
import type { DocKind, DocModel, Range } from '../model/types';
import type { LineIndex } from '../model/text';
import type { DocWorkspace } from '../workspace/workspace';

/** A fix: a set of edits against the text the model was built from. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Safe to apply without looking (part of `source.fixAll.docplan` and `docplan check --fix`). */
  fixAll: boolean;
  /** Shown first and applied by "auto fix" gestures. */
  preferred?: boolean;
  /**
   * Edits of other files (a test stub): `create` makes the file first. Only offered as a quick fix, never
   * with `fixAll` (fix-all and `docplan check --fix` edit the document alone).
   */
  otherFiles?: { absPath: string; create: boolean; edits: TextEdit[] }[];
}

/** A problem found by a rule, before it becomes an LSP diagnostic or a CLI line. */
export interface Finding {
  ruleId: string;
  severity: ActiveSeverity;
  message: string;
  range: Range;
  fixes: Fix[];
}

/** What a rule reports; severity comes from configuration. */
export interface Report {
  message: string;
  range: Range;
  fixes?: Fix[];
  /** Overrides the configured severity for this one finding (rules whose severity depends on context). */
  severity?: ActiveSeverity;
}

/** What a rule's `check` receives besides the model. */
export interface RuleContext {
  config: DocPlanConfig;
  /** This rule's options from configuration (`{ "stage-too-large": { "maxChanges": 12 } }`). */
  options: Record<string, unknown>;
  lines: LineIndex;
  /**
   * The document's workspace folder, prepared for this check (`FolderWorkspace.prepare`), or null when the
   * document is outside any folder (untitled, virtual): rules that read the workspace then report nothing.
   */
  workspace: DocWorkspace | null;
  report(report: Report): void;
  /** Something the user should find in the log (a test file that does not parse), not a diagnostic. */
  note(message: string): void;
  /**
   * Work that several rules read, done once per check of this document: `compute()` the first time `key`
   * is asked for, the same value after (even when the check yields between rules).
   */
  shared<T>(key: string, compute: () => T): T;
}

/** A rule. `id` is the stable kebab-case diagnostic code. */
export interface Rule {
  id: string;
  /** One line for listings (`docplan rules`) and the settings UI. */
  description: string;
  defaultSeverity: ActiveSeverity;
  /** Kinds of document the rule checks. */
  kinds: readonly DocKind[];
  check(model: DocModel, context: RuleContext): void;
}
