/**
 * What a chunk of Markdown says, as flat "facts" with chunk-relative offsets (headings, list items, code,
 * tables, links, pseudo-headings), and the reduction of remark's tree to them. parse.ts parses; this
 * module only reads the tree it gets.
 */
import { toString as mdastToString } from 'mdast-util-to-string';
import type { Nodes, Parents, Root, ListItem as MdListItem, Paragraph, Table, Code } from 'mdast';

/** A span of source text by offsets (relative to its chunk until `ParsedDocument` makes them absolute). */
export interface OffsetSpan {
  text: string;
  start: number;
  end: number;
}

export interface HeadingFact {
  level: number;
  text: string;
  start: number;
  end: number;
  textStart: number;
  textEnd: number;
  /** Bold pseudo-heading (`**Validate**:`), with the text that follows it on its line. */
  pseudo: boolean;
  inlineText: string;
}

export interface ListItemFact {
  start: number;
  end: number;
  text: string;
  checked: boolean | null;
  checkboxStart: number;
  checkboxEnd: number;
  codeSpans: OffsetSpan[];
  depth: number;
}

export interface CodeFact {
  lang: string | null;
  value: string;
  start: number;
  end: number;
  /** Offset of the first content line, or -1 for an empty block. */
  firstLineStart: number;
  firstLineEnd: number;
  fenced: boolean;
}

export type TableCellFact = OffsetSpan;

export interface TableFact {
  start: number;
  end: number;
  header: TableCellFact[];
  rows: { start: number; end: number; cells: TableCellFact[] }[];
}

export interface InlineCodeFact extends OffsetSpan {
  context: 'list-item' | 'paragraph' | 'table' | 'heading';
}

export interface LinkFact {
  url: string;
  start: number;
  end: number;
  text: string;
}

/** Facts of one chunk, all offsets relative to the chunk start. */
export interface ChunkFacts {
  frontMatter: OffsetSpan | null;
  headings: HeadingFact[];
  listItems: ListItemFact[];
  codeBlocks: CodeFact[];
  tables: TableFact[];
  comments: OffsetSpan[];
  paragraphs: OffsetSpan[];
  prose: OffsetSpan[];
  inlineCode: InlineCodeFact[];
  links: LinkFact[];
  /** Set when the parser failed on the chunk (nesting too deep for its recursion): why its content is missing. */
  skipped?: string;
  /** Spots neutralised before parsing (see `defuse`), with chunk-relative 0-based lines. */
  simplified?: Simplification[];
  /** Read by the plain-text reader (plainText.ts), not remark. */
  plain?: true;
}

/** A spot of a chunk parsed as plain text because the parser would take too long on it. */
export interface Simplification {
  line: number;
  what: string;
}

/** Plain text of a node; HTML (such as `<!-- docplan-disable -->` comments) is not part of it. */
function toString(node: Nodes): string {
  return mdastToString(node, { includeHtml: false });
}

/** Facts with nothing in them. */
export function emptyFacts(): ChunkFacts {
  return { frontMatter: null, headings: [], listItems: [], codeBlocks: [], tables: [], comments: [], paragraphs: [], prose: [], inlineCode: [], links: [] };
}

/** Reduces an mdast tree to flat facts. Never throws on odd trees: unknown nodes are walked generically. */
export function extractFacts(tree: Root, source: string, mayHaveFrontMatter: boolean): ChunkFacts {
  const facts = emptyFacts();
  // An explicit stack instead of recursion: deeply nested input must not overflow the call stack.
  const stack: { node: Nodes; listDepth: number; context: InlineCodeFact['context'] }[] = [];
  for (let i = tree.children.length - 1; i >= 0; i--) stack.push({ node: tree.children[i], listDepth: 0, context: 'paragraph' });
  while (stack.length > 0) {
    const { node, listDepth, context } = stack.pop()!;
    const start = node.position?.start.offset ?? 0;
    const end = node.position?.end.offset ?? start;
    let childContext = context;
    switch (node.type) {
      case 'yaml':
        if (mayHaveFrontMatter && start === 0) facts.frontMatter = { text: node.value, start, end };
        break;
      case 'heading': {
        const textStart = node.children[0]?.position?.start.offset ?? end;
        const textEnd = node.children.at(-1)?.position?.end.offset ?? end;
        facts.headings.push({ level: node.depth, text: toString(node).trim(), start, end, textStart, textEnd, pseudo: false, inlineText: '' });
        childContext = 'heading';
        break;
      }
      case 'paragraph':
        facts.paragraphs.push({ text: toString(node), start, end });
        // A bold label opening a list item (`1. **Tests**: ...`) labels the item, it is not a heading.
        if (context !== 'list-item') addPseudoHeading(node, source, facts);
        break;
      case 'listItem':
        facts.listItems.push(listItemFact(node, source, listDepth));
        childContext = 'list-item';
        break;
      case 'code':
        facts.codeBlocks.push(codeFact(node, source));
        break;
      case 'table':
        facts.tables.push(tableFact(node));
        childContext = 'table';
        break;
      case 'html':
        if (node.value.startsWith('<!--')) facts.comments.push({ text: node.value, start, end });
        break;
      case 'text':
        facts.prose.push({ text: node.value, start, end });
        break;
      case 'inlineCode':
        facts.inlineCode.push({ text: node.value, start, end, context });
        break;
      case 'link':
        facts.links.push({ url: node.url, start, end, text: toString(node) });
        break;
      default:
        break;
    }
    if ('children' in node) {
      const children = (node as Parents).children as Nodes[];
      for (let i = children.length - 1; i >= 0; i--) {
        stack.push({ node: children[i], listDepth: node.type === 'listItem' ? listDepth + 1 : listDepth, context: childContext });
      }
    }
  }
  // Children are pushed in reverse, so the walk is a pre-order traversal: facts come out in document order.
  return facts;
}

const CHECKBOX = /^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(\[[ xX]\])/;

function listItemFact(node: MdListItem, source: string, depth: number): ListItemFact {
  const start = node.position?.start.offset ?? 0;
  const end = node.position?.end.offset ?? start;
  let checkboxStart = -1;
  let checkboxEnd = -1;
  const checked = typeof node.checked === 'boolean' ? node.checked : null;
  if (checked !== null) {
    // The item's position starts at its marker; the box follows the marker on the same line.
    const lineEnd = source.indexOf('\n', start);
    const firstLine = source.slice(start, lineEnd === -1 ? end : lineEnd);
    const match = CHECKBOX.exec(firstLine);
    if (match) {
      checkboxStart = start + firstLine.indexOf(match[1]);
      checkboxEnd = checkboxStart + 3;
    }
  }
  const firstParagraph = node.children.find((child): child is Paragraph => child.type === 'paragraph');
  const codeSpans: OffsetSpan[] = [];
  if (firstParagraph) {
    for (const child of firstParagraph.children) collectInlineCode(child, codeSpans);
  }
  return {
    start,
    end,
    text: firstParagraph ? toString(firstParagraph).trim() : '',
    checked,
    checkboxStart,
    checkboxEnd,
    codeSpans,
    depth,
  };
}

function collectInlineCode(node: Nodes, into: OffsetSpan[]): void {
  if (node.type === 'inlineCode') {
    into.push({ text: node.value, start: node.position?.start.offset ?? 0, end: node.position?.end.offset ?? 0 });
  } else if ('children' in node) {
    for (const child of (node as Parents).children as Nodes[]) collectInlineCode(child, into);
  }
}

function codeFact(node: Code, source: string): CodeFact {
  const start = node.position?.start.offset ?? 0;
  const end = node.position?.end.offset ?? start;
  const opening = source.slice(start, start + 4).trimStart();
  const fenced = opening.startsWith('```') || opening.startsWith('~~~');
  let firstLineStart = -1;
  let firstLineEnd = -1;
  if (node.value.length > 0) {
    if (fenced) {
      const afterFence = source.indexOf('\n', start);
      firstLineStart = afterFence === -1 || afterFence + 1 >= end ? -1 : afterFence + 1;
    } else {
      firstLineStart = start;
    }
    if (firstLineStart !== -1) {
      const lineEnd = source.indexOf('\n', firstLineStart);
      firstLineEnd = lineEnd === -1 || lineEnd > end ? end : lineEnd;
      if (source.charCodeAt(firstLineEnd - 1) === 13) firstLineEnd--;
    }
  }
  return { lang: node.lang ?? null, value: node.value, start, end, firstLineStart, firstLineEnd, fenced };
}

function tableFact(node: Table): TableFact {
  const rows = node.children.map((row) => ({
    start: row.position?.start.offset ?? 0,
    end: row.position?.end.offset ?? 0,
    cells: row.children.map((cell) => ({
      text: toString(cell).trim(),
      start: cell.children[0]?.position?.start.offset ?? cell.position?.start.offset ?? 0,
      end: cell.children.at(-1)?.position?.end.offset ?? cell.position?.end.offset ?? 0,
    })),
  }));
  return {
    start: node.position?.start.offset ?? 0,
    end: node.position?.end.offset ?? 0,
    header: rows[0]?.cells ?? [],
    rows: rows.slice(1),
  };
}

/**
 * A paragraph that opens with bold text followed by a colon (`**Validate**:`, `**File**: \`x\``) or that is
 * a bold line on its own is used by writers as a heading; record it as a pseudo-heading. A header block of
 * such lines with no blank line between them (`**Status:** Accepted` / `**Context:** …`) is one paragraph:
 * every line of it that opens with a bold label followed by a colon counts too.
 */
function addPseudoHeading(node: Paragraph, source: string, facts: ChunkFacts): void {
  addPseudoHeadingAt(node, 0, source, facts, true);
  node.children.forEach((child, index) => {
    if (index === 0 || child.type !== 'strong') return;
    const before = node.children[index - 1];
    const atLineStart = before.type === 'break' || (before.type === 'text' && /\n\s*$/.test(before.value));
    if (atLineStart) addPseudoHeadingAt(node, index, source, facts, false);
  });
}

function addPseudoHeadingAt(node: Paragraph, index: number, source: string, facts: ChunkFacts, alone: boolean): void {
  const first = node.children[index];
  if (!first || first.type !== 'strong') return;
  const label = toString(first).trim();
  if (label.length === 0 || label.length > 80) return;
  const second = node.children[index + 1];
  const start = first.position?.start.offset ?? 0;
  let end = first.position?.end.offset ?? start;
  let inlineText = '';
  if (label.endsWith(':')) {
    inlineText = restOfParagraph(node, index + 1);
  } else if (second && second.type === 'text' && second.value.startsWith(':')) {
    end += 1;
    inlineText = restOfParagraph(node, index + 1).replace(/^:/, '');
  } else if (!alone || !(second === undefined || (second.type === 'text' && /^\s*\n/.test(second.value)) || second.type === 'break')) {
    return;
  }
  const text = label.replace(/:$/, '').trim();
  const textStart = start + 2;
  facts.headings.push({
    level: 7,
    text,
    start,
    end: Math.min(end, source.length),
    textStart,
    textEnd: textStart + text.length,
    pseudo: true,
    inlineText: inlineText.split('\n')[0].trim(),
  });
}

function restOfParagraph(node: Paragraph, from: number): string {
  return node.children.slice(from).map((child) => toString(child)).join('');
}
