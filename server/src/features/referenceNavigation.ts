/**
 * Navigation for file references (`src/x.py:42`, `path:10-20`, `path#L12`, `# src/x.py:664` headers):
 * a document link that opens the file at the line or range, a hover showing the referenced lines as a
 * highlighted code block (or why they cannot be shown), and completion of workspace paths inside backticks.
 *
 * Markdown links (`[text](file.md#heading)`) get no link from here: the editor's Markdown support already
 * makes them clickable, and two links on one span confuse clients.
 */
import { CompletionItemKind, MarkupKind, type CompletionItem, type DocumentLink, type Hover, type Position } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { comparePositions } from '../model/text';
import type { Reference } from '../model/types';
import { targetOf } from '../rules/references-shared';
import { grammarForPath } from '../workspace/grammars';
import type { NavigationContext, NavigationProvider } from './navigation';

/** Lines shown in a hover at most. */
const HOVER_LINES = 20;
/** Lines shown after a single referenced line. */
const CONTEXT_AFTER = 6;
/** Completion items offered at most. */
const MAX_COMPLETIONS = 300;

/** A file URI that opens at a line or range in VS Code (and editors that follow GitHub's `#L` convention). */
export function referenceTarget(absPath: string, reference: Pick<Reference, 'line' | 'endLine'>): string {
  const uri = URI.file(absPath);
  if (reference.line === null || reference.line < 1) return uri.toString();
  const fragment = reference.endLine !== null && reference.endLine > reference.line ? `L${reference.line}-L${reference.endLine}` : `L${reference.line}`;
  return uri.with({ fragment }).toString();
}

function inside(position: Position, reference: Reference): boolean {
  return comparePositions(reference.range.start, position) <= 0 && comparePositions(position, reference.range.end) <= 0;
}

/** Language id for a fenced code block in a hover, from the file name. */
function fenceLanguage(relPath: string): string {
  const grammar = grammarForPath(relPath);
  if (grammar === 'tsx') return 'tsx';
  if (grammar !== null) return grammar;
  const ext = /\.([A-Za-z0-9]+)$/.exec(relPath)?.[1]?.toLowerCase() ?? '';
  const known: Record<string, string> = { sh: 'bash', bash: 'bash', yml: 'yaml', yaml: 'yaml', json: 'json', toml: 'toml', md: 'markdown', java: 'java', rb: 'ruby', c: 'c', h: 'c', cpp: 'cpp', cs: 'csharp', kt: 'kotlin', sql: 'sql', css: 'css', html: 'html' };
  return known[ext] ?? '';
}

/** A fence that the shown text cannot close early. */
function fence(text: string): string {
  let longest = 2;
  for (const match of text.matchAll(/`{3,}/g)) longest = Math.max(longest, match[0].length);
  return '`'.repeat(longest + 1);
}

export const referenceNavigation: NavigationProvider = {
  links(context: NavigationContext): DocumentLink[] {
    const workspace = context.workspace;
    if (!workspace) return [];
    const links: DocumentLink[] = [];
    for (const reference of context.checked.built.model.references) {
      if (reference.form === 'link') continue;
      // Only what names a file of this workspace is linked: `isize/usize` or `k8s.io/api` are not.
      const resolved = targetOf(workspace, reference);
      if (resolved.kind !== 'found') continue;
      const where = reference.line === null ? '' : reference.endLine !== null && reference.endLine > reference.line ? ` at lines ${reference.line}-${reference.endLine}` : ` at line ${reference.line}`;
      links.push({ range: reference.range, target: referenceTarget(resolved.absPath, reference), tooltip: `Open ${resolved.relPath}${where}` });
    }
    return links;
  },

  hover(context: NavigationContext, position: Position): Hover | null {
    const workspace = context.workspace;
    if (!workspace) return null;
    const reference = context.checked.built.model.references.find((candidate) => candidate.form !== 'link' && inside(position, candidate));
    if (!reference) return null;
    const say = (value: string): Hover => ({ contents: { kind: MarkupKind.Markdown, value }, range: reference.range });
    const resolved = targetOf(workspace, reference);
    switch (resolved.kind) {
      case 'none':
        return null;
      case 'escapes':
      case 'unresolvable':
        return say(`**${reference.path}**: ${resolved.reason}. DocPlan does not read it.`);
      case 'ambiguous':
        return say(`**${reference.path}** names ${resolved.matches.length} files: ${resolved.matches.slice(0, 8).join(', ')}${resolved.matches.length > 8 ? ', …' : ''}.`);
      case 'missing':
        return say(`**${resolved.relPath}** does not exist (${resolved.looked}).`);
      case 'found':
        break;
    }
    if (resolved.fileKind === 'dir') return say(`**${resolved.relPath}/** (a directory)`);
    const text = workspace.folder.files.text(resolved.absPath);
    if (!text.ok) {
      if (text.reason !== 'too-large' || reference.line === null) return say(`**${resolved.relPath}**: ${text.message.replace(resolved.absPath, 'the file')}`);
      const one = workspace.folder.files.line(resolved.absPath, reference.line);
      if (!one.ok || one.text === null) return say(`**${resolved.relPath}** is too large to show.`);
      return say(`**${resolved.relPath}**, line ${reference.line}\n\n${fence(one.text)}${fenceLanguage(resolved.relPath)}\n${one.text.slice(0, 2000)}\n${fence(one.text)}`);
    }
    const total = text.lines.length;
    let from = 1;
    let to = Math.min(total, HOVER_LINES);
    let title = `**${resolved.relPath}** (${total} line${total === 1 ? '' : 's'})`;
    if (reference.line !== null) {
      if (reference.line < 1 || reference.line > total) return say(`**${resolved.relPath}** has ${total} line${total === 1 ? '' : 's'}; line ${reference.line} is past the end.`);
      from = reference.line;
      const end = reference.endLine !== null && reference.endLine >= reference.line ? Math.min(reference.endLine, total) : Math.min(total, reference.line + CONTEXT_AFTER);
      to = Math.min(end, from + HOVER_LINES - 1);
      title = reference.endLine !== null ? `**${resolved.relPath}**, lines ${from}-${to}` : `**${resolved.relPath}**, from line ${from}`;
    }
    const shown = text.lines.slice(from - 1, to).map((line) => (line.length > 500 ? `${line.slice(0, 500)}…` : line)).join('\n');
    const marker = fence(shown);
    return say(`${title}\n\n${marker}${fenceLanguage(resolved.relPath)}\n${shown}\n${marker}`);
  },

  completion(context: NavigationContext, position: Position): CompletionItem[] | null {
    const workspace = context.workspace;
    if (!workspace) return null;
    const { model, lines } = context.checked.built;
    if (position.line < 0 || position.line >= lines.lineCount) return null;
    if (model.codeBlocks.some((block) => block.range.start.line <= position.line && position.line <= block.range.end.line)) return null;
    const lineText = lines.lineText(position.line);
    if (position.character > lineText.length) return null;
    const before = lineText.slice(0, position.character);
    // Inside an open code span: an odd number of backticks before the cursor, and a path-like word typed.
    const ticks = before.match(/`/g)?.length ?? 0;
    if (ticks % 2 === 0) return null;
    const typed = before.slice(before.lastIndexOf('`') + 1);
    if (!/^(?:\.\/)?[\w@+./-]*$/.test(typed) || typed.startsWith('/') || typed.includes('..')) return null;
    const slash = typed.lastIndexOf('/');
    const dir = slash === -1 ? '' : typed.slice(0, slash);
    const partial = typed.slice(slash + 1);
    const dirRel = dir.replace(/^\.\/?/, '');
    if (dirRel !== '' && workspace.folder.index.kindOf(dirRel) !== 'dir') return null;
    const names = workspace.folder.index.childrenOf(dirRel).filter((name) => name.startsWith(partial) && !name.startsWith('.'));
    const range = { start: { line: position.line, character: position.character - partial.length }, end: position };
    return names.slice(0, MAX_COMPLETIONS).map((name): CompletionItem => {
      const isDir = name.endsWith('/');
      return {
        label: name,
        kind: isDir ? CompletionItemKind.Folder : CompletionItemKind.File,
        detail: dirRel === '' ? name : `${dirRel}/${name}`,
        textEdit: { range, newText: name },
        sortText: `${isDir ? 0 : 1}${name}`,
        ...(isDir ? { command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } } : {}),
      };
    });
  },
};
