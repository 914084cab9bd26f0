import type { Position, Range } from 'vscode-languageserver-types';

/**
 * `text` with each lone CR (old Mac line ends) turned into LF. The length does not change, so offsets and
 * LSP positions (which count a lone CR as a line break) stay exact, and what reads the text after it sees
 * LF or CRLF only: CR-only, LF and CRLF documents give the same model and findings.
 */
export function normalizeLoneCr(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/**
 * Maps between string offsets (UTF-16 code units) and LSP positions. Lines end at `\n`, `\r\n` or a lone
 * `\r`, as in LSP; `text` holds the document with lone CRs read as LF (`normalizeLoneCr`).
 */
export class LineIndex {
  /** Offset of the first character of each line. */
  readonly lineStarts: number[];
  /** The document, lone CRs as LF (same length and positions as the original). */
  readonly text: string;

  constructor(original: string) {
    const text = normalizeLoneCr(original);
    this.text = text;
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      } else if (ch === 10 /* \n */) {
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /**
   * Position of an offset; offsets outside the text are clamped, and so is an offset between the `\r` and
   * the `\n` of a CRLF (it maps to the end of its line, never past it).
   */
  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    const character = clamped - this.lineStarts[low];
    if (this.text.charCodeAt(clamped) === 10 && this.text.charCodeAt(clamped - 1) === 13) {
      return { line: low, character: character - 1 };
    }
    return { line: low, character };
  }

  /** Offset of a position; positions outside the text are clamped to the nearest valid offset. */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const lineStart = this.lineStarts[position.line];
    const lineEnd = this.lineContentEnd(position.line);
    return Math.max(lineStart, Math.min(lineStart + Math.max(0, position.character), lineEnd));
  }

  /** Range between two offsets. */
  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(Math.max(start, end)) };
  }

  /** Offset just past the last character of a line, before its line break. */
  lineContentEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
    let end = next;
    if (end > this.lineStarts[line] && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > this.lineStarts[line] && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  /** Text of a line without its line break. */
  lineText(line: number): string {
    if (line < 0 || line >= this.lineStarts.length) return '';
    return this.text.slice(this.lineStarts[line], this.lineContentEnd(line));
  }

  /** Range covering a whole line's content. */
  lineRange(line: number): Range {
    const start = this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))];
    return this.range(start, this.lineContentEnd(Math.max(0, Math.min(line, this.lineStarts.length - 1))));
  }
}

/** True when `inner` lies within `outer` (inclusive). */
export function rangeContains(outer: Range, inner: Range): boolean {
  return comparePositions(outer.start, inner.start) <= 0 && comparePositions(inner.end, outer.end) <= 0;
}

/** Orders positions by line, then character. */
export function comparePositions(a: Position, b: Position): number {
  return a.line === b.line ? a.character - b.character : a.line - b.line;
}

/** True when two ranges overlap or touch. */
export function rangesIntersect(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
}

/** Offset where the line holding `offset` ends (its line break, or the text's end); LF, CRLF and a lone CR all end lines. */
export function lineEndAfter(text: string, offset: number): number {
  let at = Math.max(0, offset);
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (code === 10 || code === 13) break;
    at++;
  }
  return at;
}

/** Offset where the line holding `offset` starts; LF, CRLF and a lone CR all end lines. */
export function lineStartBefore(text: string, offset: number): number {
  // Walk back to the nearest line end: two lastIndexOf calls would scan the whole text for a `\r` that an
  // LF document never has, making every call O(text) and a stage-dense plan quadratic.
  let at = Math.min(offset, text.length) - 1;
  while (at >= 0) {
    const code = text.charCodeAt(at);
    if (code === 10 || code === 13) break;
    at--;
  }
  return at + 1;
}
