import type { DocModel, ListItem, Range } from '../model/types';
import { normalizeHeading } from '../model/vocabulary';
import { frontMatterTodos } from '../profiles/editorPlan';
import type { Rule } from './types';
import { flatSections } from './helpers';
import { isProfile } from './profiles';

function words(text: string): string {
  return normalizeHeading(text.replace(/[`*_]/g, ''));
}

/** The body's unchecked items that belong to a todo: its own line in the checklist, or the list under its heading. */
function openItemsOf(model: DocModel, todo: Record<string, unknown>): ListItem[] {
  const content = typeof todo.content === 'string' ? words(todo.content) : null;
  const id = typeof todo.id === 'string' || typeof todo.id === 'number' ? String(todo.id).toLowerCase() : null;
  const open: ListItem[] = [];
  if (content) open.push(...model.items.filter((item) => item.checked === false && words(item.text) === content));
  for (const section of flatSections(model)) {
    const heading = words(section.heading.text);
    if (!(content !== null && heading === content) && !(id !== null && heading.split(/[\s:()[\]]+/).includes(id))) continue;
    open.push(...model.items.filter((item) => item.checked === false && item.range.start.line > section.heading.range.start.line && item.range.end.line <= section.range.end.line));
  }
  return open;
}

/** The line of the todo in the front matter (`- id: x` or its content), else the front matter's first line. */
function todoRange(model: DocModel, todo: Record<string, unknown>): Range {
  const frontMatter = model.frontMatter!.range;
  const lines = model.text.split(/\r\n|\r|\n/);
  const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const patterns = (['id', 'content'] as const)
    .filter((key) => typeof todo[key] === 'string' || typeof todo[key] === 'number')
    .map((key) => new RegExp(`\\b${key}\\s*:\\s*['"]?${escape(String(todo[key]))}`));
  for (const pattern of patterns) {
    for (let line = frontMatter.start.line; line <= frontMatter.end.line && line < lines.length; line++) {
      if (pattern.test(lines[line])) return { start: { line, character: lines[line].length - lines[line].trimStart().length }, end: { line, character: lines[line].trimEnd().length } };
    }
  }
  return { start: frontMatter.start, end: frontMatter.start };
}

/** In an editor plan file, a todo marked `status: completed` whose checklist in the body still has open items. */
export const todoStatusMismatch: Rule = {
  id: 'todo-status-mismatch',
  description: 'An editor plan file\'s todo is marked completed while its checklist in the body still has open items.',
  defaultSeverity: 'warning',
  kinds: ['plan'],
  check(model, context) {
    if (!isProfile(model, 'editor-plan') || !model.frontMatter) return;
    for (const todo of frontMatterTodos(model.frontMatter.data)) {
      if (typeof todo.status !== 'string' || todo.status.trim().toLowerCase() !== 'completed') continue;
      const open = openItemsOf(model, todo);
      if (open.length === 0) continue;
      const name = typeof todo.content === 'string' ? todo.content : String(todo.id);
      context.report({
        message: `Todo "${name}" is marked completed, but ${open.length === 1 ? '1 of its checklist items in the body is' : `${open.length} of its checklist items in the body are`} open (first on line ${open[0].range.start.line + 1}).`,
        range: todoRange(model, todo),
      });
    }
  },
};
