/**
 * Code actions: a quick fix per fix of each finding at the requested range, and `source.fixAll.docplan`
 * (every safe fix, re-checked until stable). Edits are made against the current document version only.
 * A request costs what its range holds: quick fixes come from the findings in the range only, and fix-all
 * (a re-check per pass over the whole document) is computed on `codeAction/resolve` when the client
 * supports it, so that a request on a huge document answers at once with a small reply.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import type { Fix } from '../rules/types';
import type { CheckedDocument, CheckOptions } from '../check';
import { LineIndex, rangesIntersect } from '../model/text';
import { diagnosticMatchesFinding, findingToDiagnostic } from './diagnostics';
import { fixAllGroups, fixAllText } from './fixAll';
import { FIX_ALL_KIND } from '../protocol';

/** The source action kind of DocPlan's fix-all. */
export const SOURCE_FIX_ALL_DOCPLAN = FIX_ALL_KIND;
const FIX_ALL_TITLE = 'Fix all DocPlan problems';

/** Everything a code action request needs; `checked` must be the check of exactly `text` at `version`. */
export interface CodeActionRequest {
  uri: string;
  version: number;
  text: string;
  checked: CheckedDocument;
  /** Options the document was checked with (fix-all re-checks with them). */
  options: CheckOptions;
  range: Range;
  /** `context.only` of the request. */
  only?: string[];
  /** Diagnostics the client sent in the request's context (reused so the client can match them). */
  diagnostics?: Diagnostic[];
  docsBase: string | null;
  /** The client supports versioned `documentChanges` in workspace edits. */
  documentChanges: boolean;
  /** Requested automatically (lightbulb on cursor move), not by a user gesture: skip the costly fix-all. */
  automatic?: boolean;
  /** The client resolves an action's `edit` lazily (`codeAction/resolve`): fix-all is computed then. */
  resolveEdit?: boolean;
  /** The text with every safe fix applied, computed elsewhere (the server's check worker); else computed here. */
  fixedText?: string;
}

/** `data` of a fix-all action whose edit comes on `codeAction/resolve`. */
export interface FixAllData {
  docplanFixAll: { uri: string; version: number };
}

/** The fix-all data of an action to resolve, or null when it is not one of DocPlan's. */
export function fixAllData(action: CodeAction | null | undefined): FixAllData['docplanFixAll'] | null {
  const data = (action?.data as Partial<FixAllData> | undefined)?.docplanFixAll;
  return data && typeof data.uri === 'string' && typeof data.version === 'number' ? data : null;
}

/**
 * Fills in the edit of a fix-all action from `codeActions`. `request` is the document as it is now (null
 * when it is gone); if it changed since the action was offered, the action comes back disabled.
 */
export function resolveFixAll(
  action: CodeAction,
  request: Pick<CodeActionRequest, 'uri' | 'version' | 'text' | 'checked' | 'options' | 'documentChanges' | 'fixedText'> | null,
): CodeAction {
  const data = fixAllData(action);
  if (!data || !request || request.uri !== data.uri || request.version !== data.version) {
    return { ...action, disabled: { reason: 'The document changed since this action was offered: ask for it again.' } };
  }
  const full = fixAllAction(request);
  return { ...action, edit: full?.edit ?? documentEdit(request.uri, request.version, [], request.documentChanges) };
}

/** True when a requested `only` list asks for actions of `kind` (a requested kind covers its sub-kinds). */
export function kindRequested(kind: string, only: readonly string[] | undefined): boolean {
  if (!only || only.length === 0) return true;
  return only.some((wanted) => kind === wanted || kind.startsWith(`${wanted}.`));
}

/** A workspace edit against one version of one document. */
export function documentEdit(uri: string, version: number, edits: TextEdit[], documentChanges: boolean): WorkspaceEdit {
  if (documentChanges) return { documentChanges: [{ textDocument: { uri, version }, edits }] };
  return { changes: { [uri]: edits } };
}

/**
 * The workspace edit of a fix: the document's edits, then other files' (a file to create first, then its
 * edits against whatever version the client has). Null when the client cannot apply it: creating a file
 * needs `documentChanges`.
 */
export function fixEdit(uri: string, version: number, fix: Fix, documentChanges: boolean): WorkspaceEdit | null {
  const others = fix.otherFiles ?? [];
  if (others.length === 0) return documentEdit(uri, version, fix.edits, documentChanges);
  if (documentChanges) {
    const changes: NonNullable<WorkspaceEdit['documentChanges']> = [];
    if (fix.edits.length > 0) changes.push({ textDocument: { uri, version }, edits: fix.edits });
    for (const other of others) {
      const otherUri = URI.file(other.absPath).toString();
      if (other.create) changes.push({ kind: 'create', uri: otherUri, options: { overwrite: false, ignoreIfExists: true } });
      if (other.edits.length > 0) changes.push({ textDocument: { uri: otherUri, version: null }, edits: other.edits });
    }
    return { documentChanges: changes };
  }
  if (others.some((other) => other.create)) return null;
  const changes: Record<string, TextEdit[]> = {};
  if (fix.edits.length > 0) changes[uri] = fix.edits;
  for (const other of others) changes[URI.file(other.absPath).toString()] = other.edits;
  return { changes };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * The smallest single edit that turns `before` into `after` (common prefix and suffix kept), never splitting
 * a `\r\n` or a surrogate pair. Null when the texts are equal.
 */
export function minimalEdit(before: string, after: string): TextEdit | null {
  if (before === after) return null;
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  while (start > 0 && (isHighSurrogate(before.charCodeAt(start - 1)) || before.charCodeAt(start - 1) === 13)) start--;
  let suffix = 0;
  while (
    suffix < before.length - start &&
    suffix < after.length - start &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  while (suffix > 0 && (isLowSurrogate(before.charCodeAt(before.length - suffix)) || before.charCodeAt(before.length - suffix) === 10)) suffix--;
  const lines = new LineIndex(before);
  return {
    range: lines.range(start, before.length - suffix),
    newText: after.slice(start, after.length - suffix),
  };
}

/** True when a code action request lists fix-all (asked for by kind, or by a user's unfiltered request). */
export function fixAllRequested(request: Pick<CodeActionRequest, 'only' | 'automatic'>): boolean {
  const explicitlyAsked = request.only !== undefined && request.only.length > 0 && kindRequested(SOURCE_FIX_ALL_DOCPLAN, request.only);
  const unfiltered = !request.only || request.only.length === 0;
  return explicitlyAsked || (unfiltered && !request.automatic);
}

/**
 * True when `codeActions` would compute the fix-all edit right away (the client cannot resolve it later):
 * a caller that computes `fixedText` elsewhere does it only then.
 */
export function fixAllTextNeeded(request: Pick<CodeActionRequest, 'only' | 'automatic' | 'resolveEdit' | 'checked'>): boolean {
  return !request.resolveEdit && fixAllRequested(request) && fixAllGroups(request.checked.findings).length > 0;
}

/** The fix-all source action, or null when there is nothing safe to fix. */
export function fixAllAction(request: Pick<CodeActionRequest, 'uri' | 'version' | 'text' | 'checked' | 'options' | 'documentChanges' | 'fixedText'>): CodeAction | null {
  if (fixAllGroups(request.checked.findings).length === 0) return null;
  const text = request.fixedText ?? fixAllText(request.text, request.options).text;
  const edit = minimalEdit(request.text, text);
  if (!edit) return null;
  return {
    title: FIX_ALL_TITLE,
    kind: SOURCE_FIX_ALL_DOCPLAN,
    edit: documentEdit(request.uri, request.version, [edit], request.documentChanges),
  };
}

/**
 * Quick fixes for findings whose range intersects the request range (identical fixes offered by several
 * findings, such as "Disable rule for this file", appear once), then the fix-all action when asked for (or,
 * on a user's request without a kind filter, when a safe fix exists: plain clients list everything they get).
 */
export function codeActions(untrusted: CodeActionRequest): CodeAction[] {
  const request = wellFormed(untrusted);
  if (!request) return [];
  const actions: CodeAction[] = [];
  if (kindRequested(CodeActionKind.QuickFix, request.only)) {
    const byKey = new Map<string, CodeAction>();
    const sent = sentDiagnostics(request.diagnostics);
    for (const finding of request.checked.findings) {
      if (!rangesIntersect(finding.range, request.range)) continue;
      const diagnostic = sent.get(findingKey(finding.ruleId, finding.range))?.find((candidate) => diagnosticMatchesFinding(candidate, finding)) ?? findingToDiagnostic(finding, request.docsBase);
      for (const fix of finding.fixes) {
        if (fix.edits.length === 0 && !fix.otherFiles?.length) continue;
        const edit = fixEdit(request.uri, request.version, fix, request.documentChanges);
        if (!edit) continue;
        const key = `${fix.title}\u0000${JSON.stringify(fix.edits)}\u0000${JSON.stringify(fix.otherFiles ?? [])}`;
        const existing = byKey.get(key);
        if (existing) {
          existing.diagnostics!.push(diagnostic);
          continue;
        }
        const action: CodeAction = {
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit,
        };
        if (fix.preferred) action.isPreferred = true;
        byKey.set(key, action);
        actions.push(action);
      }
    }
  }
  if (fixAllRequested(request)) {
    if (request.resolveEdit) {
      if (fixAllGroups(request.checked.findings).length > 0) {
        const data: FixAllData = { docplanFixAll: { uri: request.uri, version: request.version } };
        actions.push({ title: FIX_ALL_TITLE, kind: SOURCE_FIX_ALL_DOCPLAN, data });
      }
    } else {
      const action = fixAllAction(request);
      if (action) actions.push(action);
    }
  }
  return actions;
}

function isPosition(value: unknown): boolean {
  const position = value as { line?: unknown; character?: unknown } | null;
  return typeof position === 'object' && position !== null && Number.isFinite(position.line) && Number.isFinite(position.character);
}

function isRange(value: unknown): value is Range {
  return typeof value === 'object' && value !== null && isPosition((value as Range).start) && isPosition((value as Range).end);
}

/** The request with what a client sent checked: a malformed `only` or diagnostic is dropped, a bad range answers nothing. */
function wellFormed(request: CodeActionRequest): CodeActionRequest | null {
  if (!isRange(request.range)) return null;
  const only = Array.isArray(request.only) ? request.only.filter((kind): kind is string => typeof kind === 'string') : undefined;
  const diagnostics = Array.isArray(request.diagnostics) ? request.diagnostics.filter((diagnostic) => isRange((diagnostic as Diagnostic | null)?.range)) : undefined;
  return { ...request, only, diagnostics };
}

function findingKey(code: unknown, range: Range): string {
  return `${String(code)}\u0000${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

/** The client's DocPlan diagnostics by rule and range: one lookup per finding, whatever their number. */
function sentDiagnostics(diagnostics: readonly Diagnostic[] | undefined): Map<string, Diagnostic[]> {
  const byKey = new Map<string, Diagnostic[]>();
  for (const diagnostic of diagnostics ?? []) {
    if (diagnostic.source !== 'docplan') continue;
    const key = findingKey(diagnostic.code, diagnostic.range);
    byKey.set(key, [...(byKey.get(key) ?? []), diagnostic]);
  }
  return byKey;
}
