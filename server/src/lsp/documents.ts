/**
 * The open documents' checks: one cached check per document (for its version and the configuration
 * generation), computed on demand and shared by everything that asks meanwhile. Parsing runs on the parse
 * pool; a check whose document moved on to a newer version is abandoned.
 */
import { ErrorCodes, ResponseError, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CheckedDocument } from '../check';
import type { ServerSettings } from '../settings';
import { isConfigUri, type DocumentContext, type FolderConfiguration } from './configuration';
import type { ServerLog } from './log';
import { Priority, type ParsePool } from './parsePool';
import { checkInSlices } from './slicedCheck';
import { CheckSlots } from './checkSlots';
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

/** What the server keeps per open document. */
export interface DocumentState {
  timer: NodeJS.Timeout | undefined;
  /** Incremented by every scheduled check; a check that finds a newer token gives way. */
  token: number;
  checked: CheckedDocument | null;
  checkedVersion: number;
  checkedGeneration: number;
  /** The check under way, shared by whoever asks for the same version and generation. */
  pending: { version: number; generation: number; result: Promise<CheckOutcome> } | null;
  /** Why the document is not checked, or null. */
  skipped: string | null;
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
  private readonly slots = new CheckSlots(2);
  /** Shrinks the heap after a burst of checks. */
  readonly collector = new IdleCollector();

  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly configuration: FolderConfiguration,
    private readonly pool: ParsePool,
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
        checkedVersion: -1,
        checkedGeneration: -1,
        pending: null,
        skipped: null,
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
    if (fresh && (state.checked || state.skipped)) {
      this.touch(document.uri);
      return Promise.resolve({ checked: state.checked, state, superseded: false });
    }
    const pending = state.pending;
    if (pending && pending.version === document.version && pending.generation === context.generation) return pending.result;
    const version = document.version;
    const compute = () => this.compute(document, context, state, priority, version);
    const result = (priority === Priority.request ? compute() : this.slots.run(compute)).finally(() => {
      this.collector.busy();
      if (state.pending?.result === result) state.pending = null;
      this.trim();
    });
    state.pending = { version, generation: context.generation, result };
    this.touch(document.uri);
    return result;
  }

  private async compute(document: TextDocument, context: DocumentContext, state: DocumentState, priority: Priority, version: number): Promise<CheckOutcome> {
    // Edited or closed while this check waited for a slot.
    if (document.version !== version || this.states.get(document.uri) !== state) return { checked: state.checked, state, superseded: true };
    const text = document.getText();
    const skipped = context.settings.enable ? skipReason(text, context.settings) : 'docplan.enable is off';
    if (skipped) {
      state.skipped = skipped;
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
    const parsed = await this.pool.parse(text, state.checked?.built.parsed, priority, isCurrent);
    if (!parsed) return { checked: state.checked, state, superseded: true };
    const checked = await checkInSlices(text, context.options, parsed, isCurrent);
    if (!checked) return { checked: state.checked, state, superseded: true };
    // A newer version was checked while this one waited for the workspace: keep the newer result.
    if (state.checkedVersion > version) return { checked: state.checked, state, superseded: true };
    state.checked = checked;
    state.checkedVersion = version;
    state.checkedGeneration = context.generation;
    const ruleErrors = checked.ruleErrors.join('\n');
    if (ruleErrors && ruleErrors !== state.ruleErrors) this.log.errorLine(`rule errors in ${document.uri}:\n${ruleErrors}`);
    state.ruleErrors = ruleErrors;
    const notes = [...checked.built.model.notes, ...checked.notes].join('\n');
    if (notes && notes !== state.notes) this.log.info(`${document.uri}:\n${notes}`);
    state.notes = notes;
    return { checked, state, superseded: !isCurrent() };
  }

  /**
   * The current document and its check (computed if stale), or null for an unknown or non-Markdown URI.
   * A check overtaken by an edit is retried on the newer version.
   */
  async current(uri: unknown): Promise<CurrentDocument | null> {
    if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'params.uri must be a string');
    for (let attempt = 0; ; attempt++) {
      if (!this.documents.get(uri)) return null;
      const context = await this.configuration.documentContext(uri);
      const document = this.documents.get(uri);
      if (!document || !isMarkdown(document) || isConfigUri(uri)) return null;
      const outcome = await this.ensureChecked(document, context, Priority.request);
      if (!outcome.superseded || attempt >= 3) return { document, checked: outcome.checked, context, state: outcome.state };
    }
  }
}
