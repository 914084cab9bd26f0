/** What the model builders share: the text, its line index, the parsed facts and how to turn facts into model values. */
import { lineStartBefore, type LineIndex } from './text';
import { trimEnd, type Facts } from './facts';
import type { OffsetSpan } from './chunkFacts';
import type { CodeBlock, Heading, ListItem, Span } from './types';

/** The document under construction, read by the section, stage and reference builders. */
export class BuildContext {
  readonly headings: Heading[];

  constructor(
    readonly text: string,
    readonly lines: LineIndex,
    readonly facts: Facts,
  ) {
    this.headings = facts.headings.map((fact) => ({
      level: fact.level,
      text: fact.text,
      range: lines.range(fact.start, fact.end),
      textRange: lines.range(fact.textStart, fact.textEnd),
      pseudo: fact.pseudo,
    }));
  }

  get headingFacts(): Facts['headings'] {
    return this.facts.headings;
  }

  /** End offset of the region owned by the heading at `index`: the next heading of the same or higher level. */
  regionEnd(index: number): number {
    const facts = this.facts.headings;
    const level = facts[index].level;
    for (let i = index + 1; i < facts.length; i++) {
      if (facts[i].level <= level) return facts[i].start;
    }
    return this.text.length;
  }

  span(span: OffsetSpan): Span {
    return { text: span.text, range: this.lines.range(span.start, span.end) };
  }

  listItem(fact: Facts['listItems'][number]): ListItem {
    return {
      text: fact.text,
      range: this.lines.range(fact.start, trimEnd(this.text, fact.start, fact.end)),
      checked: fact.checked,
      checkboxRange: fact.checkboxStart >= 0 ? this.lines.range(fact.checkboxStart, fact.checkboxEnd) : null,
      codeSpans: fact.codeSpans.map((span) => ({ text: span.text, range: this.lines.range(span.start, span.end) })),
      depth: fact.depth,
    };
  }

  codeBlock(fact: Facts['codeBlocks'][number]): CodeBlock {
    return {
      lang: fact.lang,
      value: fact.value,
      range: this.lines.range(fact.start, fact.end),
      firstLineRange: fact.firstLineStart >= 0 ? this.lines.range(fact.firstLineStart, fact.firstLineEnd) : null,
    };
  }

  /**
   * Offsets of a code span's trimmed content inside its source `[start, end)`: without the backticks (one or
   * more) and the padding spaces. Falls back to the whole span when the content is not found verbatim.
   */
  codeSpanInner(start: number, end: number, value: string): [number, number] {
    const trimmed = value.trim();
    const at = trimmed.length > 0 ? this.text.slice(start, end).indexOf(trimmed) : -1;
    return at < 0 ? [start, end] : [start + at, start + at + trimmed.length];
  }

  /** Whether the line holding `offset` is inside a block quote (`> ### Step 2` quoted from elsewhere). */
  inBlockQuote(offset: number): boolean {
    const lineStart = lineStartBefore(this.text, offset);
    return /^\s*>/.test(this.text.slice(lineStart, offset));
  }
}
