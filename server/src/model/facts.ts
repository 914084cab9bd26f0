/**
 * The parsed facts of all chunks in document offsets, and the small offset helpers the builders share:
 * finding facts in a region, trimming ranges, testing containment.
 */
import type { ChunkFacts } from './chunkFacts';
import type { ParsedDocument } from './parse';

/** Absolute-offset view of all chunks' facts. */
export interface Facts extends ChunkFacts {
  /** Sorted start offsets of block content (paragraphs, items, code, tables, comments). */
  contentStarts: number[];
}

function shift<T extends { start: number; end: number }>(items: T[], base: number): T[] {
  return base === 0 ? items : items.map((item) => ({ ...item, start: item.start + base, end: item.end + base }));
}

/** Joins the chunks' facts into one document-offset view. */
export function absoluteFacts(parsed: ParsedDocument): Facts {
  const facts: Facts = {
    frontMatter: null,
    headings: [],
    listItems: [],
    codeBlocks: [],
    tables: [],
    comments: [],
    paragraphs: [],
    prose: [],
    inlineCode: [],
    links: [],
    contentStarts: [],
  };
  for (const { start: base, facts: chunk } of parsed.chunks) {
    if (chunk.frontMatter && base === 0) facts.frontMatter = chunk.frontMatter;
    for (const heading of chunk.headings) {
      facts.headings.push(base === 0 ? heading : { ...heading, start: heading.start + base, end: heading.end + base, textStart: heading.textStart + base, textEnd: heading.textEnd + base });
    }
    for (const item of chunk.listItems) {
      facts.listItems.push(
        base === 0
          ? item
          : {
              ...item,
              start: item.start + base,
              end: item.end + base,
              checkboxStart: item.checkboxStart < 0 ? -1 : item.checkboxStart + base,
              checkboxEnd: item.checkboxEnd < 0 ? -1 : item.checkboxEnd + base,
              codeSpans: shift(item.codeSpans, base),
            },
      );
    }
    for (const code of chunk.codeBlocks) {
      facts.codeBlocks.push(
        base === 0
          ? code
          : {
              ...code,
              start: code.start + base,
              end: code.end + base,
              firstLineStart: code.firstLineStart < 0 ? -1 : code.firstLineStart + base,
              firstLineEnd: code.firstLineEnd < 0 ? -1 : code.firstLineEnd + base,
            },
      );
    }
    for (const table of chunk.tables) {
      facts.tables.push(
        base === 0
          ? table
          : {
              start: table.start + base,
              end: table.end + base,
              header: shift(table.header, base),
              rows: table.rows.map((row) => ({ start: row.start + base, end: row.end + base, cells: shift(row.cells, base) })),
            },
      );
    }
    facts.comments.push(...shift(chunk.comments, base));
    facts.paragraphs.push(...shift(chunk.paragraphs, base));
    facts.prose.push(...shift(chunk.prose, base));
    facts.inlineCode.push(...shift(chunk.inlineCode, base));
    facts.links.push(...shift(chunk.links, base));
  }
  const starts: number[] = [];
  for (const group of [facts.paragraphs, facts.listItems, facts.codeBlocks, facts.tables, facts.comments]) {
    for (const item of group) starts.push(item.start);
  }
  facts.contentStarts = starts.sort((a, b) => a - b);
  return facts;
}

/** Index of the first element of sorted `values` that is >= `target`. */
export function lowerBound(values: number[], target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (values[mid] < target) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Items of a start-sorted list whose start lies in [from, to). */
export function within<T extends { start: number }>(items: T[], from: number, to: number): T[] {
  const result: T[] = [];
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (items[mid].start < from) low = mid + 1;
    else high = mid;
  }
  for (let i = low; i < items.length && items[i].start < to; i++) result.push(items[i]);
  return result;
}

/** Moves `end` back over trailing whitespace so that ranges end at the last character of content. */
export function trimEnd(text: string, start: number, end: number): number {
  let result = end;
  while (result > start && /\s/.test(text[result - 1])) result--;
  return result;
}

/**
 * A predicate "offset lies strictly inside one of these spans", in O(log n): the spans (sorted by start, as
 * stage drafts are) are merged into disjoint ones and searched by bisection.
 */
export function insideSpans(spans: readonly { start: number; end: number }[]): (offset: number) => boolean {
  const merged: { start: number; end: number }[] = [];
  for (const { start, end } of spans) {
    const last = merged.at(-1);
    if (last && start < last.end) last.end = Math.max(last.end, end);
    else merged.push({ start, end });
  }
  return (offset) => {
    let low = 0;
    let high = merged.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (merged[mid].start < offset) low = mid + 1;
      else high = mid;
    }
    return low > 0 && offset < merged[low - 1].end;
  };
}
