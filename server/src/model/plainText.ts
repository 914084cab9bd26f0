/**
 * The plain-text reader: facts of a chunk from a single pass over its lines, without remark. remark costs
 * about a millisecond per chunk whatever its size, so a document of tens of thousands of headings (a 5 MB
 * plan of 12,000 small stages) would take minutes; such documents are read this way past their first
 * chunks. It knows the block shapes DocPlan reads (ATX headings, bold pseudo-headings, list items with
 * checkboxes, fenced code, HTML comments, paragraphs, code spans and inline links) and nothing else: tables,
 * setext headings and indented code read as paragraphs. Time is linear in the chunk (lines are at most
 * `MAX_LINE` long after `defuse`).
 */
import type { ChunkFacts, InlineCodeFact, ListItemFact, OffsetSpan } from './chunkFacts';

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+|$)/;
const FENCE_OPEN = /^([ \t]*)(`{3,}|~{3,})[ \t]*([^`\s]*)/;
const LIST_ITEM = /^([ \t]*)([-*+]|\d{1,9}[.)])(?:[ \t]+|$)/;
const CHECKBOX = /^\[([ xX])\](?=[ \t]|$)/;
const LINK = /\[([^\]\n]*)\]\(([^)\s]*)(?:\s+"[^"\n]*")?\)/g;

interface OpenItem {
  fact: ListItemFact;
  indent: number;
  contentIndent: number;
  /** Still reading the first paragraph (its text is the item's text). */
  firstParagraph: boolean;
}

interface Paragraph {
  start: number;
  end: number;
  lines: string[];
  context: InlineCodeFact['context'];
}

/** Facts of one chunk (LF line ends), all offsets relative to the chunk. */
export function plainTextFacts(text: string): ChunkFacts {
  const facts: ChunkFacts = { frontMatter: null, headings: [], listItems: [], codeBlocks: [], tables: [], comments: [], paragraphs: [], prose: [], inlineCode: [], links: [] };
  const items: OpenItem[] = [];
  let paragraph: Paragraph | null = null;
  let fence: { marker: string; start: number; lang: string | null; indent: number; lines: string[]; firstLineStart: number; firstLineEnd: number } | null = null;
  let comment: { start: number } | null = null;
  let blankBefore = false;

  const closeParagraph = () => {
    if (!paragraph) return;
    const item = items.at(-1);
    const text = paragraph.lines.map((line) => inlineText(line)).join('\n');
    facts.paragraphs.push({ text, start: paragraph.start, end: paragraph.end });
    if (item?.firstParagraph && paragraph.context === 'list-item') item.fact.text = text.trim();
    if (item) item.firstParagraph = false;
    paragraph = null;
  };
  const closeItems = (indent: number) => {
    while (items.length > 0 && items[items.length - 1].indent >= indent) items.pop();
  };

  let offset = 0;
  while (offset < text.length) {
    const newline = text.indexOf('\n', offset);
    const lineEnd = newline === -1 ? text.length : newline;
    const line = text.slice(offset, lineEnd);
    const next = newline === -1 ? text.length : newline + 1;
    const lineStart = offset;
    offset = next;

    if (comment) {
      if (line.includes('-->')) {
        facts.comments.push({ text: text.slice(comment.start, lineStart + line.indexOf('-->') + 3), start: comment.start, end: lineStart + line.indexOf('-->') + 3 });
        comment = null;
      }
      continue;
    }
    if (fence) {
      const close = /^[ \t]*(`{3,}|~{3,})[ \t]*$/.exec(line);
      if (close && close[1][0] === fence.marker[0] && close[1].length >= fence.marker.length) {
        facts.codeBlocks.push({ lang: fence.lang, value: fence.lines.join('\n'), start: fence.start, end: lineEnd, firstLineStart: fence.firstLineStart, firstLineEnd: fence.firstLineEnd, fenced: true });
        fence = null;
      } else {
        if (fence.lines.length === 0 && line.length > 0) {
          fence.firstLineStart = lineStart;
          fence.firstLineEnd = lineEnd;
        }
        fence.lines.push(line.slice(Math.min(fence.indent, line.length - line.trimStart().length)));
      }
      continue;
    }
    if (line.trim() === '') {
      closeParagraph();
      blankBefore = true;
      continue;
    }
    const indent = line.length - line.trimStart().length;
    const heading = ATX.exec(line);
    const fenceOpen = FENCE_OPEN.exec(line);
    const listItem = LIST_ITEM.exec(line);
    if (heading) {
      closeParagraph();
      closeItems(0);
      const textStart = lineStart + heading[0].length;
      const raw = line.slice(heading[0].length).replace(/(?:^|[ \t]+)#+[ \t]*$/, '').trimEnd();
      facts.headings.push({ level: heading[1].length, text: inlineText(raw).trim(), start: lineStart, end: lineEnd, textStart, textEnd: textStart + raw.length, pseudo: false, inlineText: '' });
      inlineFacts(raw, textStart, 'heading', facts, null);
    } else if (fenceOpen && !(fenceOpen[2][0] === '`' && line.slice(fenceOpen[0].length).includes('`'))) {
      closeParagraph();
      if (indent < (items.at(-1)?.contentIndent ?? 0)) closeItems(indent);
      fence = { marker: fenceOpen[2], start: lineStart + fenceOpen[1].length, lang: fenceOpen[3] || null, indent, lines: [], firstLineStart: -1, firstLineEnd: -1 };
    } else if (line.trimStart().startsWith('<!--') && !paragraph) {
      const at = lineStart + indent;
      const close = line.indexOf('-->', indent + 4);
      if (close === -1) comment = { start: at };
      else facts.comments.push({ text: text.slice(at, lineStart + close + 3), start: at, end: lineStart + close + 3 });
    } else if (listItem && !(paragraph && !blankBefore && /^\d/.test(listItem[2]) && items.length === 0)) {
      closeParagraph();
      closeItems(indent);
      const afterMarker = listItem[0].length;
      const box = CHECKBOX.exec(line.slice(afterMarker));
      const contentStart = afterMarker + (box ? box[0].length + 1 : 0);
      const fact: ListItemFact = {
        start: lineStart + indent,
        end: lineEnd,
        text: '',
        checked: box ? box[1] !== ' ' : null,
        checkboxStart: box ? lineStart + afterMarker : -1,
        checkboxEnd: box ? lineStart + afterMarker + 3 : -1,
        codeSpans: [],
        depth: items.length,
      };
      facts.listItems.push(fact);
      items.push({ fact, indent, contentIndent: afterMarker, firstParagraph: true });
      for (const item of items) item.fact.end = lineEnd;
      // remark starts a task item's paragraph after its checkbox when plain text follows, else at the box.
      const paragraphStart = box && /^[`*_[<!]/.test(line.slice(contentStart)) ? afterMarker : contentStart;
      if (contentStart < line.length) paragraph = { start: lineStart + paragraphStart, end: lineEnd, lines: [line.slice(contentStart)], context: 'list-item' };
      inlineFacts(line.slice(contentStart), lineStart + contentStart, 'list-item', facts, fact);
    } else {
      // A line indented under the open item belongs to it; after a blank line, a line that is not ends it.
      if (blankBefore) closeItems(items.length > 0 && indent >= items[items.length - 1].contentIndent ? Number.MAX_SAFE_INTEGER : indent + 1);
      const item = items.at(-1);
      if (!paragraph) {
        paragraph = { start: lineStart + indent, end: lineEnd, lines: [], context: item ? 'list-item' : 'paragraph' };
        if (!item) pseudoHeading(line.slice(indent), lineStart + indent, text, lineEnd, facts);
      } else if (paragraph.context === 'paragraph') {
        // A later line of a header block (`**Status:** Accepted` / `**Context:** …`), as remark's reading does.
        pseudoHeading(line.slice(indent), lineStart + indent, text, lineEnd, facts, true);
      }
      paragraph.lines.push(line.slice(indent));
      paragraph.end = lineEnd;
      for (const open of items) open.fact.end = lineEnd;
      inlineFacts(line.slice(indent), lineStart + indent, paragraph.context, facts, item?.firstParagraph ? item.fact : null);
    }
    blankBefore = false;
  }
  closeParagraph();
  if (fence) facts.codeBlocks.push({ lang: fence.lang, value: fence.lines.join('\n'), start: fence.start, end: text.length, firstLineStart: fence.firstLineStart, firstLineEnd: fence.firstLineEnd, fenced: true });
  return facts;
}

/** Code spans, links and prose of one line of inline content starting at `base`. */
function inlineFacts(line: string, base: number, context: InlineCodeFact['context'], facts: ChunkFacts, item: ListItemFact | null): void {
  const spans = codeSpans(line);
  let proseFrom = 0;
  for (const span of spans) {
    const fact: OffsetSpan = { text: span.text, start: base + span.start, end: base + span.end };
    facts.inlineCode.push({ ...fact, context });
    item?.codeSpans.push(fact);
    if (span.start > proseFrom) facts.prose.push({ text: line.slice(proseFrom, span.start), start: base + proseFrom, end: base + span.start });
    proseFrom = span.end;
  }
  if (proseFrom < line.length) facts.prose.push({ text: line.slice(proseFrom), start: base + proseFrom, end: base + line.length });
  for (const link of line.matchAll(LINK)) {
    const at = link.index ?? 0;
    if (spans.some((span) => span.start <= at && at < span.end)) continue;
    facts.links.push({ url: link[2], start: base + at, end: base + at + link[0].length, text: link[1] });
  }
}

/** Code spans of a line: a run of backticks up to the next run of the same length. */
function codeSpans(line: string): { text: string; start: number; end: number }[] {
  const out: { text: string; start: number; end: number }[] = [];
  let i = line.indexOf('`');
  while (i !== -1 && i < line.length) {
    let run = 1;
    while (line[i + run] === '`') run++;
    const fence = '`'.repeat(run);
    let close = line.indexOf(fence, i + run);
    while (close !== -1 && line[close + run] === '`') {
      let skip = close;
      while (line[skip] === '`') skip++;
      close = line.indexOf(fence, skip);
    }
    if (close === -1) {
      i = line.indexOf('`', i + run);
      continue;
    }
    let content = line.slice(i + run, close);
    if (content.length > 2 && content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '') content = content.slice(1, -1);
    out.push({ text: content, start: i, end: close + run });
    i = line.indexOf('`', close + run);
  }
  return out;
}

/** Text of inline Markdown as a reader sees it: code spans' content, link text, no emphasis markers. */
function inlineText(line: string): string {
  return line
    .replace(/`+([^`]*)`+/g, '$1')
    .replace(/!?\[([^\]\n]*)\]\([^)\s]*\)/g, '$1')
    .replace(/(\*\*|__)(?=\S)([^*_]*?\S)\1/g, '$2')
    .replace(/(^|[^*\w])[*_](?=\S)([^*_]*?\S)[*_](?![*\w])/g, '$1$2');
}

/**
 * `**Label**:` opening a paragraph, or a bold line on its own: a pseudo-heading (level 7). On a later line of
 * a paragraph (`laterLine`) only the `**Label**:` form counts.
 */
function pseudoHeading(line: string, start: number, text: string, lineEnd: number, facts: ChunkFacts, laterLine = false): void {
  const bold = /^\*\*([^*\n]{1,80})\*\*(:?)/.exec(line);
  if (!bold) return;
  const label = bold[1].trim();
  const rest = line.slice(bold[0].length);
  const colon = label.endsWith(':') || bold[2] === ':';
  if (!colon && (laterLine || rest.trim() !== '')) return;
  const name = label.replace(/:$/, '').trim();
  const textStart = start + 2;
  facts.headings.push({
    level: 7,
    text: name,
    start,
    end: Math.min(start + bold[0].length, lineEnd, text.length),
    textStart,
    textEnd: textStart + name.length,
    pseudo: true,
    inlineText: colon ? inlineText(rest).trim() : '',
  });
}
