/**
 * The open documents' checks: one cached check per document (for its version and the configuration
 * generation), computed on demand and shared by everything that asks meanwhile. The check itself runs on
 * the check pool's worker threads; a check whose document moved on to a newer version is abandoned.
 */
import { DiagnosticSeverity, ErrorCodes, ResponseError, type Diagnostic, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_MAX_DOC_MS, type CheckedDocument } from '../check';
import { DIAGNOSTIC_SOURCE, findingsToDiagnostics } from '../features/diagnostics';
import { budgetSkip, type CheckResult } from '../rules/engine';
import type { ServerSettings } from '../settings';
import { isConfigUri, type DocumentContext, type FolderConfiguration } from './configuration';
import type { ServerLog } from './log';
import { Priority, type CheckPool, type CheckRequest } from './checkPool';
import type { ModelSummary } from './checkProtocol';
import { IdleCollector } from './idleCollector';

/** True for a Markdown document (by language id or file extension). */
export function isMarkdown(document: TextDocument): boolean {
  return document.languageId === 'markdown' || /\.(md|markdown|mdown|mkdn|mkd)$/i.test(document.uri.split(/[?#]/)[0]);
}

/** Why a text is not checked (too large, binary), or null. */
export function skipReason(text: string, settings: ServerSettings): string | null {
  const limit = settings.maxFileSizeKb * 1024;
  if (text.length > limit || (text.length * 3 > limit && Buffer.byteLength(text, 'utf8') > limit)) {
    const size = (Buffer.byteLength(text, 'utf8') / 1024).toFixed(0);
    return `${size} KB is over docplan.maxFileSizeKb (${settings.maxFileSizeKb} KB)`;
  }
  if (text.includes('\u0000')) return 'it contains NUL bytes (binary content)';
  return null;
}

/** The one diagnostic (line 1) of a document whose check failed or was stopped, or none. */
export function failureDiagnostics(state: DocumentState, docsBase: string | null): Diagnostic[] {
  if (!state.failure) return [];
  if (state.failure.overBudget) return findingsToDiagnostics(budgetSkipped(state.failure.message, state.failure.budgetMs).findings, docsBase);
  const start = { line: 0, character: 0 };
  return [{ range: { start, end: start }, severity: DiagnosticSeverity.Information, source: DIAGNOSTIC_SOURCE, message: `DocPlan could not check this document: ${state.failure.message}.` }];
}

/** The budget's info finding for a check that was stopped (every rule skipped). */
function budgetSkipped(why: string, budgetMs: number): CheckResult {
  const result: CheckResult = { findings: [], ruleErrors: [], notes: [], skipped: null };
  budgetSkip(result, `every rule (${why})`, budgetMs);
  return result;
}

/** What the server keeps per open document. */
export interface DocumentState {
  timer: NodeJS.Timeout | undefined;
  /** Incremented by every scheduled check; a check that finds a newer token gives way. */
  token: number;
  checked: CheckedDocument | null;
  /** What the scheduler reads of the checked model (kind, stages) without parsing it. */
  summary: ModelSummary | null;
  checkedVersion: number;
  checkedGeneration: number;
  /** The check under way, shared by whoever asks for the same version and generation. */
  pending: { version: number; generation: number; result: Promise<CheckOutcome>; request: CheckRequest | null } | null;
  /** Why the document is not checked, or null. */
  skipped: string | null;
  /** Why the last check failed (the worker died, or the check overran its budget and was stopped), or null. */
  failure: { message: string; overBudget: boolean; budgetMs: number } | null;
  /** The last skip reason written to the log (one line per reason). */
  loggedSkip: string | null;
  ruleErrors: string;
  /** The model notes last written to the log (skipped or simplified input), to log each change once. */
  notes: string;
  debounceMs: number;
}

/** A check's result: `checked` is null when the document is skipped; `superseded` when a newer version came. */
export interface CheckOutcome {
  checked: CheckedDocument | null;
  state: DocumentState;
  superseded: boolean;
}

/** A document with its current check, as request handlers get it. */
export interface CurrentDocument {
  document: TextDocument;
  checked: CheckedDocument | null;
  context: DocumentContext;
  state: DocumentState;
}

/**
 * How many documents keep their whole check (model, parse, findings) between uses. The others keep only
 * their state and are re-checked when asked again: a thousand open docs must not hold a thousand models.
 */
const KEPT_CHECKS = 40;

/** The open documents' states and checks. */
export class DocumentChecks {
  readonly states = new Map<string, DocumentState>();
  /** URIs whose state holds a check, least recently used first. */
  private readonly recent = new Set<string>();
  /** Shrinks the heap after a burst of checks. */
  readonly collector = new IdleCollector();
  /** When each check's model has come from its worker (it follows the findings). */
  private readonly modelsReady = new WeakMap<CheckedDocument, Promise<void>>();

  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly configuration: FolderConfiguration,
    private readonly pool: CheckPool,
    private readonly log: ServerLog,
    private readonly defaultDebounceMs: () => number,
  ) {}

  /** The state of `uri`, created on first use. */
  stateOf(uri: string): DocumentState {
    let state = this.states.get(uri);
    if (!state) {
      state = {
        timer: undefined,
        token: 0,
        checked: null,
        summary: null,
        checkedVersion: -1,
        checkedGeneration: -1,
        pending: null,
        skipped: null,
        failure: null,
        loggedSkip: null,
        ruleErrors: '',
        notes: '',
        debounceMs: this.defaultDebounceMs(),
      };
      this.states.set(uri, state);
    }
    return state;
  }

  /** A document closed: drop its state (a check under way is abandoned). */
  forget(uri: string): void {
    const state = this.states.get(uri);
    if (state) clearTimeout(state.timer);
    this.states.delete(uri);
    this.recent.delete(uri);
    this.pool.forget(uri);
  }

  /** Marks `uri` as just used, and drops the checks of the documents used longest ago beyond KEPT_CHECKS. */
  private touch(uri: string): void {
    this.recent.delete(uri);
    this.recent.add(uri);
    this.trim();
  }

  /** Drops the checks of the least recently used documents beyond KEPT_CHECKS (not those under way). */
  private trim(): void {
    for (const oldest of this.recent) {
      if (this.recent.size <= KEPT_CHECKS) break;
      const state = this.states.get(oldest);
      // A check under way finishes first; it is dropped on a later pass.
      if (state?.pending) continue;
      this.recent.delete(oldest);
      if (!state) continue;
      state.checked = null;
      state.checkedVersion = -1;
    }
  }

  /** The check of the document's current version: cached, joined if under way, else computed now. */
  ensureChecked(document: TextDocument, context: DocumentContext, priority: Priority): Promise<CheckOutcome> {
    const state = this.stateOf(document.uri);
    state.debounceMs = context.settings.debounceMs;
    const fresh = state.checkedVersion === document.version && state.checkedGeneration === context.generation;
    if (fresh && (state.checked || state.skipped || state.failure)) {
      this.touch(document.uri);
      return Promise.resolve({ checked: state.checked, state, superseded: false });
    }
    const pending = state.pending;
    if (pending && pending.version === document.version && pending.generation === context.generation) {
      // A request now waits for a scheduled check: it jumps the queue.
      if (priority === Priority.request && pending.request) this.pool.promote(pending.request);
      return pending.result;
    }
    const version = document.version;
    const slot: { request: CheckRequest | null } = { request: null };
    const result = this.compute(document, context, state, priority, version, slot).finally(() => {
      this.collector.busy();
      if (state.pending?.result === result) state.pending = null;
      this.trim();
    });
    state.pending = { version, generation: context.generation, result, request: slot.request };
    this.touch(document.uri);
    return result;
  }

  /** Checks the document on the pool; `slot.request` is set (synchronously) to the pool request, to promote it. */
  private async compute(document: TextDocument, context: DocumentContext, state: DocumentState, priority: Priority, version: number, slot: { request: CheckRequest | null }): Promise<CheckOutcome> {
    // Edited or closed while this check waited for a slot.
    if (document.version !== version || this.states.get(document.uri) !== state) return { checked: state.checked, state, superseded: true };
    const text = document.getText();
    const skipped = context.settings.enable ? skipReason(text, context.settings) : 'docplan.enable is off';
    if (skipped) {
      state.skipped = skipped;
      state.failure = null;
      state.checked = null;
      state.checkedVersion = version;
      state.checkedGeneration = context.generation;
      if (state.loggedSkip !== skipped && context.settings.enable) this.log.info(`not checking ${document.uri}: ${skipped}.`);
      state.loggedSkip = skipped;
      return { checked: null, state, superseded: false };
    }
    state.skipped = null;
    state.loggedSkip = null;
    // An edit (TextDocuments updates the document in place) or a close abandons this check.
    const isCurrent = () => document.version === version && this.states.get(document.uri) === state;
    slot.request = { uri: document.uri, text, options: context.options, priority, isCurrent, keepParse: true };
    const outcome = await this.pool.check(slot.request);
    if (outcome.kind === 'superseded' || outcome.kind === 'fixed') return { checked: state.checked, state, superseded: true };
    if (outcome.kind === 'failed') {
      if (!isCurrent()) return { checked: state.checked, state, superseded: true };
      const failure = { message: outcome.message.split('\n')[0], overBudget: outcome.overBudget === true, budgetMs: context.options.maxDocMs ?? DEFAULT_MAX_DOC_MS };
      if (failure.message !== state.failure?.message) this.log.errorLine(`checking ${document.uri}: ${outcome.message}`);
      state.failure = failure;
      state.checked = null;
      state.checkedVersion = version;
      state.checkedGeneration = context.generation;
      return { checked: null, state, superseded: false };
    }
    const { checked, summary } = outcome;
    this.modelsReady.set(checked, outcome.modelReady);
    state.failure = null;
    // A newer version was checked while this one waited for the workspace: keep the newer result.
    if (state.checkedVersion > version) return { checked: state.checked, state, superseded: true };
    state.checked = checked;
    state.summary = summary;
    state.checkedVersion = version;
    state.checkedGeneration = context.generation;
    const ruleErrors = checked.ruleErrors.join('\n');
    if (ruleErrors && ruleErrors !== state.ruleErrors) this.log.errorLine(`rule errors in ${document.uri}:\n${ruleErrors}`);
    state.ruleErrors = ruleErrors;
    const notes = [...summary.notes, ...checked.notes].join('\n');
    if (notes && notes !== state.notes) this.log.info(`${document.uri}:\n${notes}`);
    state.notes = notes;
    return { checked, state, superseded: !isCurrent() };
  }

  /**
   * The document's text with every safe fix applied (`source.fixAll.docplan`), computed on the check pool
   * like a request's check. When that fails the text comes back unchanged (no fix offered), and the log says why.
   */
  async fixedText(found: CurrentDocument): Promise<string> {
    const { document, context } = found;
    const version = document.version;
    const text = document.getText();
    const isCurrent = () => document.version === version && this.documents.get(document.uri) !== undefined;
    const outcome = await this.pool.check({ uri: document.uri, text, options: context.options, priority: Priority.request, isCurrent, keepParse: true, mode: 'fixAll' });
    if (outcome.kind === 'fixed') return outcome.text;
    if (outcome.kind === 'failed') this.log.errorLine(`fix-all of ${document.uri}: ${outcome.message}`);
    return text;
  }

  /**
   * The current document and its check (computed if stale), or null for an unknown or non-Markdown URI.
   * A check overtaken by an edit is retried on the newer version. The check's model has arrived unless
   * `findingsOnly` (a diagnostics request reads only the findings).
   */
  async current(uri: unknown, findingsOnly = false): Promise<CurrentDocument | null> {
    if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'params.uri must be a string');
    for (let attempt = 0; ; attempt++) {
      if (!this.documents.get(uri)) return null;
      const context = await this.configuration.documentContext(uri);
      const document = this.documents.get(uri);
      if (!document || !isMarkdown(document) || isConfigUri(uri)) return null;
      const outcome = await this.ensureChecked(document, context, Priority.request);
      const modelReady = outcome.checked && !findingsOnly ? this.modelsReady.get(outcome.checked) : undefined;
      if (modelReady) await modelReady;
      if (!outcome.superseded || attempt >= 3) return { document, checked: outcome.checked, context, state: outcome.state };
    }
  }
}
