/**
 * Stages of an editor plan file: the `todos:` of its YAML front matter (`{ id, content, status }`), one stage
 * per todo. The todo is also the stage's one item, its `status:` value standing for the box: `completed` is
 * ticked, anything else open; `in_progress` marks the stage in progress. Cancelled todos are dropped work:
 * neither done nor open, so they are not stages.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import type { BuildContext } from './context';
import { workStage, type StageDraft } from './stages';
import type { ListItem, Range, Span, Stage } from './types';

/** A todo's status as the stage reads it. */
type TodoStatus = 'completed' | 'in_progress' | 'pending' | 'cancelled';

function statusOf(value: unknown): TodoStatus {
  const word = typeof value === 'string' ? value.trim().toLowerCase().replace(/[\s-]+/g, '_') : '';
  if (word === 'completed' || word === 'done' || word === 'complete') return 'completed';
  if (word === 'in_progress' || word === 'active' || word === 'started') return 'in_progress';
  if (word === 'cancelled' || word === 'canceled') return 'cancelled';
  return 'pending';
}

/** Stages of the front matter's todos, in order; [] when there are none or the YAML cannot be placed. */
export function todoStages(context: BuildContext): StageDraft[] {
  const fact = context.facts.frontMatter;
  if (!fact) return [];
  const { text, lines } = context;
  // The YAML value starts on the line after the opening `---`; offsets below are relative to it.
  const firstBreak = text.indexOf('\n', fact.start);
  const base = firstBreak < 0 ? -1 : firstBreak + 1;
  if (base < 0 || !text.startsWith(fact.text, base)) return [];
  const doc = parseDocument(fact.text, { logLevel: 'silent' });
  if (!isMap(doc.contents)) return [];
  const todos = doc.contents.get('todos', true);
  if (!isSeq(todos)) return [];
  const drafts: StageDraft[] = [];
  let number = 0;
  for (const node of todos.items) {
    if (!isMap(node) || !node.range) continue;
    const content = node.get('content', true);
    const status = node.get('status', true);
    const id = node.get('id', true);
    const contentText = isScalar(content) ? String(content.value ?? '').trim() : '';
    // Item text keeps no backticks (as list items do); the spans are kept apart for the claims.
    const title = (contentText || (isScalar(id) ? String(id.value) : '')).replace(/`/g, '');
    if (!title) continue;
    const state = statusOf(isScalar(status) ? status.value : undefined);
    if (state === 'cancelled') continue;
    number += 1;
    const start = base + node.range[0];
    const end = base + trimmedEnd(fact.text, node.range[1]);
    const titleNode = isScalar(content) && content.range ? content : isScalar(id) && id.range ? id : node;
    const titleRange = rangeOf(context, base, titleNode);
    const statusRange = isScalar(status) && status.range ? rangeOf(context, base, status) : undefined;
    const item: ListItem = {
      text: title,
      range: lines.range(start, end),
      checked: state === 'completed',
      checkboxRange: statusRange ?? null,
      codeSpans: isScalar(content) ? codeSpans(context, base, content, contentText) : [],
      depth: 0,
      statusValueRange: statusRange,
      sourceText: contentText,
    };
    const stage = todoStage(context, String(number), title, item, start, end, titleRange);
    stage.state = state === 'completed' ? 'done' : state === 'in_progress' ? 'in-progress' : 'not-started';
    stage.mark = state === 'completed' ? 'done' : state === 'in_progress' ? 'in-progress' : 'pending';
    drafts.push({ stage, start, end, ownEnd: end, level: 0, headingIndex: -1 });
  }
  return drafts;
}

function trimmedEnd(text: string, end: number): number {
  let at = Math.min(end, text.length);
  while (at > 0 && /\s/.test(text[at - 1])) at--;
  return at;
}

function rangeOf(context: BuildContext, base: number, node: YamlNode): Range {
  const [start, valueEnd] = node.range!;
  return context.lines.range(base + start, base + valueEnd);
}

/** Backticked spans of a one-line content value, placed in the document (the claims read them). */
function codeSpans(context: BuildContext, base: number, node: YamlNode, value: string): Span[] {
  const [start, end] = node.range!;
  const source = context.text.slice(base + start, base + end);
  if (source.includes('\n') || !source.includes(value)) return [];
  const offset = base + start + source.indexOf(value);
  return [...value.matchAll(/`([^`\n]+)`/g)].map((match) => {
    // Like a list item's code spans, the range takes in the backticks.
    const at = offset + (match.index ?? 0);
    return { text: match[1], range: context.lines.range(at, at + match[0].length) };
  });
}

function todoStage(context: BuildContext, number: string, title: string, item: ListItem, start: number, end: number, titleRange: Range): Stage {
  const { lines } = context;
  const lineStart = lines.positionAt(start).line;
  return workStage({
    label: 'Todo',
    number,
    numberParts: [Number(number)],
    numberRange: titleRange,
    title,
    heading: { level: 0, text: title, range: lines.lineRange(lineStart), textRange: titleRange, pseudo: true },
    range: lines.range(start, end),
    headingMark: null,
    changes: [item],
    workUnit: true,
    source: 'front-matter',
  });
}
