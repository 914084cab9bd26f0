/**
 * Navigation for test ids inside validation commands: a document link on each selector that names one
 * place (a pytest node id, a test file, a `-t`/`-run` pattern that selects one test) opens it at its line;
 * hover over a selector says where its test is (or why it was not found, or not checked); completion offers
 * test names after `file.py::`, `-k `, `-t `, `--grep `, `--test-name-pattern ` and `-run `.
 *
 * Only commands written on one line exactly as their text (inline code, a line of a shell block) map
 * offsets to the document; others get nothing.
 */
import { CompletionItemKind, MarkupKind, type CompletionItem, type DocumentLink, type Position } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import type { Command, DocModel, Range } from '../model/types';
import type { DocWorkspace } from '../workspace/workspace';
import { commandTexts } from '../rules/stages';
import { stageCommands } from '../rules/test-commands';
import type { TestIndex } from '../validation/index';
import { checkCommand, commandOffsetRange, completeTestName, verdictAt, verdictHover, verdictLinks } from '../validation/runners/index';
import type { NavigationContext, NavigationProvider } from './navigation';

/** Per checked model: every hover, link and completion request asks, and the commands are analysed once. */
const prepared = new WeakMap<DocModel, Promise<void>>();

/** Loads the grammars of the doc's commands into its folder's test index: navigation reads it synchronously. */
export function prepareTestNavigation(model: DocModel, workspace: DocWorkspace): Promise<void> {
  let preparing = prepared.get(model);
  if (!preparing) {
    preparing = workspace.folder.tests.prepareFor(commandTexts(model));
    prepared.set(model, preparing);
  }
  return preparing;
}

/** The test index of the document's folder (its commands' grammars prepared by the caller), or null outside a folder. */
function indexOf(context: NavigationContext): TestIndex | null {
  return context.workspace?.folder.tests ?? null;
}

/**
 * The command under a position, its text as written on the line (a code span's trailing blank, which the
 * model trims, is kept: `-k |` is where completion is asked for) and the position's offset in that text;
 * null unless the command maps 1:1 to one line of the document.
 */
function commandAt(context: NavigationContext, position: Position): { command: Command; text: string; offset: number } | null {
  for (const { command } of stageCommands(context.checked.built.model)) {
    const { range } = command;
    if (range.start.line !== position.line || range.end.line !== position.line) continue;
    const line = context.checked.built.lines.lineText(position.line);
    const blanks = /^[ \t]*/.exec(line.slice(range.end.character))![0].length;
    if (position.character < range.start.character || position.character > range.end.character + blanks) continue;
    const written = line.slice(range.start.character, range.end.character + blanks);
    if (!written.startsWith(command.text) || written.slice(command.text.length).trim() !== '') return null;
    return { command, text: written, offset: position.character - range.start.character };
  }
  return null;
}

/** The document range of offsets of a command's text as written (see `commandAt`). */
function writtenRange(command: Command, start: number, end: number): Range {
  const line = command.range.start.line;
  return { start: { line, character: command.range.start.character + start }, end: { line, character: command.range.start.character + end } };
}

/** A file URI that opens at a line (and column) in VS Code and editors that follow its `#L` convention. */
function locationUri(index: TestIndex, relPath: string, line: number, column: number): string {
  return `${URI.file(index.abs(relPath)).toString()}#L${line},${column + 1}`;
}

export const testNavigation: NavigationProvider = {
  links(context) {
    const index = indexOf(context);
    if (!index) return [];
    const links: DocumentLink[] = [];
    for (const { command } of stageCommands(context.checked.built.model)) {
      for (const link of verdictLinks(checkCommand(command.text, index))) {
        const range = commandOffsetRange(command, link.start, link.end);
        if (!range) continue;
        links.push({ range, target: locationUri(index, link.relPath, link.line, link.column), tooltip: `Open ${link.relPath}:${link.line}` });
      }
    }
    return links;
  },

  hover(context, position) {
    const index = indexOf(context);
    if (!index) return null;
    const at = commandAt(context, position);
    if (!at) return null;
    if (at.offset > at.command.text.length) return null;
    const found = verdictAt(checkCommand(at.command.text, index), at.offset);
    if (!found) return null;
    const word = found.verdict.word;
    const range = word ? commandOffsetRange(at.command, word.start, word.end) : null;
    return { contents: { kind: MarkupKind.Markdown, value: verdictHover(found.verdict) }, ...(range ? { range } : {}) };
  },

  completion(context, position) {
    const index = indexOf(context);
    if (!index) return null;
    const at = commandAt(context, position);
    if (!at) return null;
    const completion = completeTestName(at.text, at.offset, index);
    if (!completion || completion.items.length === 0) return null;
    const range = writtenRange(at.command, completion.start, Math.max(completion.start, Math.min(completion.end, at.text.length)));
    return completion.items.map(
      (item, i): CompletionItem => ({
        label: item.label,
        kind: CompletionItemKind.Method,
        detail: item.detail,
        sortText: String(i).padStart(5, '0'),
        filterText: item.insertText,
        textEdit: { range, newText: item.insertText },
      }),
    );
  },
};
