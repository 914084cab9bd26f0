/**
 * The only place that parses Markdown. A document is split into chunks at top-level ATX headings (outside
 * front matter and fenced code); each chunk is parsed with unified + remark-parse + GitHub's extensions
 * (see `remarkGfmWithoutLiteralAutolinks`) + remark-frontmatter and reduced to flat "facts" with
 * chunk-relative offsets. Re-parsing after an edit reuses the facts of every chunk whose text did not change, which is what keeps re-checks cheap.
 */
import { unified, type Processor } from 'unified';
import remarkParse from 'remark-parse';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import remarkFrontmatter from 'remark-frontmatter';
import type { Root } from 'mdast';
import { emptyFacts, extractFacts, type ChunkFacts, type Simplification } from './chunkFacts';
import { normalizeLoneCr } from './text';
import { plainTextFacts } from './plainText';

/** A parsed chunk: its text, where it starts, and its facts. */
export interface ParsedChunk {
  text: string;
  start: number;
  facts: ChunkFacts;
}

/** A parsed document: chunks in order. Pass it back to `parseMarkdown` to reuse unchanged chunks. */
export interface ParsedDocument {
  text: string;
  chunks: ParsedChunk[];
}

/**
 * GitHub's block and inline extensions that DocPlan reads (tables, task boxes, strikethrough, footnotes),
 * without literal autolinks: a bare `https://…`, `www.…` or e-mail address stays text. No rule reads an
 * absolute URL, and the literal-autolink tokenizer tried at every letter of every paragraph was a fifth of
 * the parse time.
 */
function remarkGfmWithoutLiteralAutolinks(this: Processor): void {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(gfmFootnote(), gfmStrikethrough(), gfmTable(), gfmTaskListItem());
  (data.fromMarkdownExtensions ??= []).push(gfmFootnoteFromMarkdown(), gfmStrikethroughFromMarkdown(), gfmTableFromMarkdown(), gfmTaskListItemFromMarkdown());
}

const processor = unified().use(remarkParse).use(remarkGfmWithoutLiteralAutolinks).use(remarkFrontmatter, ['yaml']).freeze();

/** Parses one chunk's text. */
export function parseChunkTree(text: string): Root {
  return processor.parse(text);
}

/** Parses Markdown with the full DocPlan pipeline (no chunking, no reuse). Exposed for benchmarks. */
export function parseMdast(text: string): Root {
  return processor.parse(text);
}

/**
 * Parses a document, reusing the facts of chunks that are textually identical to chunks of `previous`.
 * Lone CRs are read as LF (see `normalizeLoneCr`); `text` of the result is the text as given.
 */
export function parseMarkdown(original: string, previous?: ParsedDocument): ParsedDocument {
  const text = normalizeLoneCr(original);
  const reusable = new Map<string, ChunkFacts>();
  if (previous) for (const chunk of previous.chunks) reusable.set(readerKey(chunk.facts.plain === true, chunk.text), chunk.facts);
  const chunks: ParsedChunk[] = [];
  const starts = chunkStarts(text);
  // A stage-dense document is read as plain text after its first chunk (see plainText.ts).
  const plain = starts.length > MAX_PARSED_CHUNKS;
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i];
    const end = i + 1 < starts.length ? starts[i + 1] : text.length;
    const chunkText = text.slice(start, end);
    const plainChunk = plain && i > 0;
    // The first chunk may hold front matter, which only parses at the very start of a document, so it
    // is only reused when it is again the first chunk (the map lookup keeps that: its text starts with ---).
    let facts = reusable.get(readerKey(plainChunk, chunkText)) ?? parseChunk(chunkText, i === 0, plainChunk);
    // One note for the whole plain-text part, on its first chunk, whichever chunk it was reused from.
    const notes = (facts.simplified ?? []).filter((spot) => !spot.what.startsWith(PLAIN_NOTE));
    if (i === 1 && plainChunk) notes.unshift({ line: 0, what: `${PLAIN_NOTE}: ${starts.length} headings, more than ${MAX_PARSED_CHUNKS}` });
    if (notes.length !== (facts.simplified?.length ?? 0)) facts = { ...facts, simplified: notes };
    chunks.push({ text: chunkText, start, facts });
  }
  return { text: original, chunks };
}

/** Documents with more top-level headings than this are read as plain text past their first chunk. */
export const MAX_PARSED_CHUNKS = 2000;
const PLAIN_NOTE = 'the rest of a stage-dense document';

function readerKey(plain: boolean, chunkText: string): string {
  return plain ? `plain\u0000${chunkText}` : chunkText;
}

/**
 * Parses one chunk into facts. The parser and its GFM transforms recurse over the tree, so input nested
 * thousands of levels deep (`- - - - ...`) can overflow the stack: such a chunk yields no facts (and says why)
 * instead of failing the whole document.
 */
function parseChunk(chunkText: string, mayHaveFrontMatter: boolean, plain = false): ChunkFacts {
  if (!chunkText.includes('\r\n')) return parseLfChunk(chunkText, mayHaveFrontMatter, plain);
  // remark reads CRLF a little differently from LF (a text node may start inside a CRLF, with its LF), so
  // the chunk is parsed with LF line ends and the offsets are mapped back: all line ends give one model.
  const lf = chunkText.replace(/\r\n/g, '\n');
  return mapOffsets(parseLfChunk(lf, mayHaveFrontMatter, plain), crlfOffsetMap(lf, chunkText));
}

/** Maps an offset in the LF text to the CRLF original: one more for each CRLF line break before it. */
function crlfOffsetMap(lf: string, original: string): (offset: number) => number {
  const breaks: number[] = [];
  let at = 0;
  for (let i = 0; i < original.length; i++) {
    if (original.charCodeAt(i) === 13 && original.charCodeAt(i + 1) === 10) breaks.push(at);
    else at++;
  }
  // `breaks` holds, in LF coordinates, the offset of each LF that was a CRLF.
  return (offset) => {
    if (offset < 0 || offset > lf.length) return offset;
    let low = 0;
    let high = breaks.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (breaks[mid] < offset) low = mid + 1;
      else high = mid;
    }
    return offset + low;
  };
}

const OFFSET_KEYS = new Set(['start', 'end', 'textStart', 'textEnd', 'checkboxStart', 'checkboxEnd', 'firstLineStart', 'firstLineEnd']);

/** The facts with every offset field mapped (texts are kept: they read as with LF line ends). */
function mapOffsets(facts: ChunkFacts, map: (offset: number) => number): ChunkFacts {
  const stack: unknown[] = [facts];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) stack.push(...(value as unknown[]));
    else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      for (const [key, field] of Object.entries(record)) {
        if (typeof field === 'number' && OFFSET_KEYS.has(key)) record[key] = map(field);
        else if (typeof field === 'object') stack.push(field);
      }
    }
  }
  return facts;
}

/** Parses a chunk whose line ends are LF. */
function parseLfChunk(chunkText: string, mayHaveFrontMatter: boolean, plain: boolean): ChunkFacts {
  const defused = defuse(chunkText);
  try {
    const facts = plain ? { ...plainTextFacts(defused.text), plain: true as const } : extractFacts(parseChunkTree(defused.text), defused.text, mayHaveFrontMatter);
    if (defused.simplified.length > 0) facts.simplified = defused.simplified;
    return facts;
  } catch (error) {
    return { ...emptyFacts(), skipped: error instanceof Error ? error.message : String(error) };
  }
}

/** Leading whitespace kept before the rest of an indentation is neutralised (16 levels of nesting). */
const MAX_INDENT = 64;
/** Lines longer than this have their emphasis and link punctuation neutralised. */
const MAX_LINE = 4000;
const LINE_PUNCTUATION = /[*_[\]!<>~`]/g;

/**
 * remark's parser takes time that grows much faster than the input on some shapes: deep nesting (a list
 * indented a thousand levels takes seconds per hundred lines) and very long lines of `*`, `_` or `[`. Real
 * docs never look like that, and a server must not
 * block on them, so such spots are neutralised before parsing by replacing characters with spaces. The
 * length never changes, so every offset and range stays exact; `simplified` says where and what (the model
 * puts it in its notes and the server logs it).
 */
export function defuse(text: string): { text: string; simplified: Simplification[] } {
  const lines = text.split('\n');
  const simplified: Simplification[] = [];
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    const indent = line.length - line.trimStart().length;
    if (indent > MAX_INDENT) {
      line = line.slice(0, MAX_INDENT) + line.slice(MAX_INDENT).replace(/[^\s]/g, ' ');
      if (simplified.length < 3) simplified.push({ line: i, what: `nesting deeper than ${MAX_INDENT} columns` });
      changed = true;
    } else if (/^(?:\s*(?:[-*+>]|\d{1,9}[.)])[ \t]+){17,}/.test(line)) {
      // Sixteen container markers on one line (`- - - ...`, `> > > ...`) is as deep as nesting goes here.
      const kept = /^(?:\s*(?:[-*+>]|\d{1,9}[.)])[ \t]+){16}/.exec(line)![0].length;
      line = line.slice(0, kept) + line.slice(kept).replace(/[^\s]/g, ' ');
      if (simplified.length < 3) simplified.push({ line: i, what: 'nesting deeper than 16 levels' });
      changed = true;
    }
    if (line.length > MAX_LINE) {
      line = line.replace(LINE_PUNCTUATION, ' ');
      if (simplified.length < 3) simplified.push({ line: i, what: `a ${line.length}-character line` });
      changed = true;
    }
    lines[i] = line;
  }
  return changed ? { text: lines.join('\n'), simplified } : { text, simplified: [] };
}


const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX_HEADING = /^#{1,6}(?:[ \t]|$)/;

/** Offsets where chunks start: 0, then every top-level ATX heading line outside front matter and fences. */
export function chunkStarts(text: string): number[] {
  const starts = [0];
  let offset = 0;
  let fence: string | null = null;
  let inFrontMatter = text.startsWith('---\n') || text.startsWith('---\r\n');
  let lineNumber = 0;
  while (offset < text.length) {
    let next = text.indexOf('\n', offset);
    next = next === -1 ? text.length : next + 1;
    const line = text.slice(offset, next).replace(/\r?\n$/, '');
    if (inFrontMatter) {
      if (lineNumber > 0 && /^(---|\.\.\.)\s*$/.test(line)) inFrontMatter = false;
    } else if (fence !== null) {
      const close = FENCE.exec(line);
      if (close && close[1][0] === fence[0] && close[1].length >= fence.length && line.slice(close[0].length).trim() === '') {
        fence = null;
      }
    } else {
      const open = FENCE.exec(line);
      if (open && !(open[1][0] === '`' && line.slice(open[0].length).includes('`'))) fence = open[1];
      else if (offset > 0 && ATX_HEADING.test(line)) starts.push(offset);
    }
    offset = next;
    lineNumber++;
  }
  return starts;
}
