/**
 * `placeholder-text`: template text a writer forgot, and nothing wider (formats.md section 4). Template
 * shapes: an instruction in brackets (`[describe the problem]`, `[Your name]`, `[link here]`), a Title
 * Case slot in braces (`{Stage Name}`) or a lone slot in prose (`for {module}`), and the words TODO, TBD,
 * FIXME, XXX in prose outside code.
 *
 * Not placeholders: reference-style links whose definition is anywhere in the document, footnotes
 * `[^1]`, LaTeX inside `$…$`, task boxes, editorial tags in headings (`[Scoped for Beta in 1.36]`,
 * `[optional]`), citations `[1]`, format strings inside quotes (`"score: {score}"`), brace expansion
 * (`{core,graph}`) and naming patterns (`{repo}--{branch}`).
 */
import type { Heading, Range, Span } from '../model/types';
import type { LineIndex } from '../model/text';
import type { Rule } from './types';
import { docStatus, isFinishedStatus } from '../claims/record';

/** `[…]` not followed by `(`, `:` or `[` (links, definitions and full reference links were parsed away). */
const BRACKETED = /(?<!\])\[([^[\]\n^][^[\]\n]*)\](?![(:[])/g;
/** Words that open a template instruction: `[describe …]`, `[add a link]`, `[to be defined]`. */
const INSTRUCTION =
  /^(?:describe|explain|add|insert|list|enter|fill(?: in)?|write|provide|summari[sz]e|specify|state|outline|include|replace(?: with)?|link to|put|give|name of|the name of|short|brief|one[- ]line|to be (?:defined|determined|decided|written|added)|todo|tbd)\b/i;
/** `{Stage Name}`, `{module}` (not `${VAR}`, not `{}`). */
const BRACED = /(?<![$\w{])\{([A-Za-z][\w .'/-]{0,80})\}(?!\})/g;
/** Upper-case markers writers leave behind (not part of a file name: `doc/TODO.md`, `TODO_list`). */
const MARKERS = /(?<![\w/.\\-])(TODO|TBD|FIXME|XXX)(?![\w-]|\.\w|\/)/g;
/** `$…$` and `$$…$$` math (not a lone dollar amount). */
const MATH = /\$\$[^$]+\$\$|\$(?=\S)[^$\n]*?\S\$(?!\d)/g;
/** Quoted strings: format strings and examples live there, not template slots. */
const QUOTED = /"[^"\n]*"|“[^”\n]*”|'[^'\n]*'(?!\w)/g;

interface Placeholder {
  start: number;
  end: number;
  what: string;
}

/** Replaces each match of `pattern` by spaces, so offsets stay where they were. */
function blank(text: string, pattern: RegExp): string {
  return text.replace(pattern, (match) => ' '.repeat(match.length));
}

function bracketed(text: string, definitions: ReadonlySet<string>): Placeholder[] {
  const found: Placeholder[] = [];
  for (const match of text.matchAll(BRACKETED)) {
    const inner = match[1].trim();
    if (definitions.has(normalizeLabel(inner))) continue;
    const words = inner.split(/\s+/).filter((word) => word.length > 0);
    if (words.length < 2 || words.length > 12) continue;
    if (!INSTRUCTION.test(inner) && !/\byour\b/i.test(inner) && !/\bhere$/i.test(inner)) continue;
    const start = match.index ?? 0;
    found.push({ start, end: start + match[0].length, what: match[0] });
  }
  return found;
}

/** A word after or before a braced slot that says the slot itself is the subject: a field of a naming pattern. */
const SLOT_NAMED = /^\s*(?:placeholders?|tokens?|variables?|fields?|substitutions?|patterns?|templates?|syntax)\b/i;
const SLOT_NAMED_BEFORE = /\b(?:placeholders?|tokens?|variables?|fields?|patterns?|substitutes?|substitution)\s+(?:like\s+|such as\s+|of\s+)?$/i;

function braced(text: string): Placeholder[] {
  const found: Placeholder[] = [];
  // `{major}.{minor}.{patch}`: slots joined into a pattern are its fields, wherever else the text names them.
  const fields = new Set<string>();
  for (const join of text.matchAll(/\{([\w-]+)\}[.\-_/:]?(?=\{([\w-]+)\})/g)) {
    fields.add(join[1]);
    fields.add(join[2]);
  }
  for (const match of text.matchAll(BRACED)) {
    const start = match.index ?? 0;
    const end = start + match[0].length;
    if (fields.has(match[1])) continue;
    // A slot stands alone in the sentence: `{repo}--{branch}`, `file_{n}.txt`, `src/{a}` are patterns.
    const before = text[start - 1] ?? ' ';
    const after = text[end] ?? ' ';
    if (!/[\s(]/.test(before) || !/[\s).,;:!?]/.test(after)) continue;
    // "with {index} placeholder", "the {docname} token": a slot the text is about (a naming pattern's field).
    if (SLOT_NAMED.test(text.slice(end, end + 30)) || SLOT_NAMED_BEFORE.test(text.slice(Math.max(0, start - 30), start))) continue;
    found.push({ start, end, what: match[0] });
  }
  return found;
}

function markers(text: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const match of text.matchAll(MARKERS)) {
    const start = match.index ?? 0;
    // "remove any TODO comments", "the FIXME markers": the word named, not left behind.
    if (/^\s*(?:comments?|markers?|items?|lists?|notes?|tags?)\b/i.test(text.slice(start + match[0].length))) continue;
    if (/\b(?:any|no|all|the|remaining|open|those|these)\s+$/i.test(text.slice(Math.max(0, start - 12), start))) continue;
    found.push({ start, end: start + match[0].length, what: match[0] });
  }
  return found;
}

const MARKER_WORD = /^(?:TODO|TBD|FIXME|XXX)$/;
/** "a TODO", "add TODO for later", "left a FIXME": the word named as a thing, in the writer's own sentence. */
const NAMED_BEFORE = /\b(?:a|an|one|each|every|add|adds|adding|added|leave|leaves|leaving|left|mark|marks|marked|file|filed|track|tracked|keep|kept|write|wrote|open|opened)\s+[*_]*$/i;
/** "TODO: separate the two pools", "**FIXME** — retry twice": a label followed by the note itself (three words or more). */
const NOTE_AFTER = /^[*_]*\s*[:\-–—]\s*[*_]*\s*[\p{L}\p{N}`][^\s]*(?:\s+[^\s]+){2,}/u;

/**
 * True when a TODO-like word is a work note rather than template text: named as a thing ("a TODO", "add
 * TODO for later") or used as a label in front of the note it introduces. Reads the source line, so that
 * emphasis around the word (`**TODO**: …`) does not hide what follows it.
 */
function isWorkNote(lines: LineIndex, range: Range): boolean {
  if (range.start.line !== range.end.line) return false;
  const line = lines.lineText(range.start.line).replace(/<!--.*?-->/g, (comment) => ' '.repeat(comment.length));
  return NAMED_BEFORE.test(line.slice(0, range.start.character)) || NOTE_AFTER.test(line.slice(range.end.character));
}

function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Labels of every link definition in the document (`[RFC 192]: https://…`), wherever it sits. */
function linkDefinitions(text: string): Set<string> {
  const labels = new Set<string>();
  for (const match of text.matchAll(/^ {0,3}\[([^\]\n]+)\]:/gm)) labels.add(normalizeLabel(match[1]));
  return labels;
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

/** Sections that can only be written once the work is done: the pull requests, the history. */
const IMPLEMENTATION_RECORD = /\b(?:pull requests?|pull request\(s\)|prs|implementation history)\b/i;

/** The text of the nearest heading above the span ('' when none). */
function enclosingHeading(headings: readonly Heading[], span: Span): string {
  let found = '';
  for (const heading of headings) {
    if (heading.pseudo || heading.range.start.line > span.range.start.line) continue;
    found = heading.text;
  }
  return found;
}

function inHeading(headings: readonly Heading[], span: Span): boolean {
  return headings.some((heading) => !heading.pseudo && heading.range.start.line <= span.range.start.line && span.range.start.line <= heading.range.end.line);
}

/** Template text left in a doc reads as a decision that was never made. */
export const placeholderText: Rule = {
  id: 'placeholder-text',
  description: 'Template text left in prose: [describe the problem], {Stage Name}, TODO, TBD, FIXME, XXX.',
  defaultSeverity: 'warning',
  kinds: ['design', 'plan', 'tracker'],
  check(model, context) {
    // A heading or bold label that is only the word ("### TODO", "**TODO:**") names a list, it is not a gap.
    const definitions = linkDefinitions(model.text);
    // A proposal with a lifecycle status ("proposed", "implemented") leaves questions open on purpose in its
    // sentences ("the default backend is TBD"); only a section left with nothing but the word is a gap.
    const status = docStatus(model, context.lines);
    for (const span of model.prose) {
      if (!/[[{TFX]/.test(span.text)) continue;
      const heading = inHeading(model.headings, span);
      const onlyMarker = /^[\s*_-]*(?:TODO|TBD|FIXME|XXX)[\s*_.:!]*$/.test(span.text);
      if (status !== null && !heading && !onlyMarker && !/[[{]/.test(span.text)) continue;
      if (status !== null && onlyMarker && !isFinishedStatus(status) && IMPLEMENTATION_RECORD.test(enclosingHeading(model.headings, span))) continue;
      const whole = heading ? /^\s*(?:TODO|TBD|FIXME|XXX)\s*:?\s*$/.test(span.text) : /^\s*(?:TODO|TBD|FIXME|XXX)\s*:\s*$/.test(span.text);
      const text = blank(blank(span.text, MATH), QUOTED);
      const inline = status !== null && !heading && !onlyMarker;
      const found = [...(heading ? [] : bracketed(text, definitions)), ...(heading ? [] : braced(text)), ...(whole || inline ? [] : markers(text))];
      found.sort((a, b) => a.start - b.start);
      for (const placeholder of found) {
        const what = span.text.slice(placeholder.start, placeholder.end);
        const range = placeholderRange(span, placeholder, context.lines);
        if (MARKER_WORD.test(what) && (NAMED_BEFORE.test(span.text.slice(Math.max(0, placeholder.start - 20), placeholder.start)) || isWorkNote(context.lines, range))) continue;
        context.report({ message: `Placeholder text left in the document: ${what}. Replace it with the real content.`, range });
      }
    }
  },
};
