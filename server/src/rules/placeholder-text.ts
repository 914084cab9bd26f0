import type { Range, Span } from '../model/types';
import type { LineIndex } from '../model/text';
import type { Rule } from './types';

/** `[describe the problem]`: 2 to 9 words in brackets (links and references were already parsed away). */
const BRACKETED = /\[([^[\]\n]+)\](?![(:[])/g;
/** `{Stage Name}`, `{module}`, `{N}` in prose (not `${VAR}` and not `{}`). */
const BRACED = /(?<![$\w{])\{([A-Za-z][\w .,'/-]{0,80})\}(?!\})/g;
/** Upper-case markers writers leave behind. */
const MARKERS = /(?<![\w-])(TODO|TBD|FIXME|XXX)(?![\w-])/g;

interface Placeholder {
  start: number;
  end: number;
  what: string;
}

function bracketed(text: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const match of text.matchAll(BRACKETED)) {
    const inner = match[1].trim();
    const words = inner.split(/\s+/).filter((word) => word.length > 0);
    if (words.length < 2 || words.length > 9 || !/\p{L}/u.test(inner)) continue;
    // Citations and footnote-like lists: `[1, 2]`, `[x] done`.
    if (/^[\d\s,;-]+$/.test(inner)) continue;
    const start = match.index ?? 0;
    found.push({ start, end: start + match[0].length, what: match[0] });
  }
  return found;
}

function braced(text: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const match of text.matchAll(BRACED)) {
    const start = match.index ?? 0;
    found.push({ start, end: start + match[0].length, what: match[0] });
  }
  return found;
}

function markers(text: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const match of text.matchAll(MARKERS)) {
    const start = match.index ?? 0;
    found.push({ start, end: start + match[0].length, what: match[0] });
  }
  return found;
}

/** Range of a placeholder inside a prose span; the whole span when the span's text is not its source text. */
function placeholderRange(span: Span, placeholder: Placeholder, lines: LineIndex): Range {
  const start = lines.offsetAt(span.range.start);
  const end = lines.offsetAt(span.range.end);
  const source = lines.text.slice(start, end);
  if (source === span.text) return lines.range(start + placeholder.start, start + placeholder.end);
  // The parser gives CRLF line ends as LF in text: count the CRs back in.
  if (source.replace(/\r\n/g, '\n') !== span.text) return span.range;
  const crsBefore = (offset: number) => span.text.slice(0, offset).split('\n').length - 1;
  return lines.range(start + placeholder.start + crsBefore(placeholder.start), start + placeholder.end + crsBefore(placeholder.end));
}

/** Template text left in a doc reads as a decision that was never made. */
export const placeholderText: Rule = {
  id: 'placeholder-text',
  description: 'Template text left in prose: [describe the problem], {Stage Name}, TODO, TBD, FIXME, XXX.',
  defaultSeverity: 'warning',
  kinds: ['design', 'plan', 'tracker'],
  check(model, context) {
    // A heading that is only the word ("### TODO" as a task list's title) names a section, it is not a gap.
    const headingTexts = new Set(model.headings.filter((heading) => /^[A-Z]+$/.test(heading.text)).map((heading) => `${heading.textRange.start.line}:${heading.text}`));
    for (const span of model.prose) {
      if (!/[[{TFX]/.test(span.text)) continue;
      const wholeHeading = headingTexts.has(`${span.range.start.line}:${span.text.trim()}`);
      const found = [...bracketed(span.text), ...braced(span.text), ...(wholeHeading ? [] : markers(span.text))];
      found.sort((a, b) => a.start - b.start);
      for (const placeholder of found) {
        context.report({
          message: `Placeholder text left in the document: ${placeholder.what}. Replace it with the real content.`,
          range: placeholderRange(span, placeholder, context.lines),
        });
      }
    }
  },
};
