/**
 * Shell words of a validation command: shell-quote's tokens with each word's offsets in the command text,
 * and a segment's words with its leading environment assignments and redirections taken off.
 */
import { parse as shellParse, type ParseEntry } from 'shell-quote';

/** A word of the command after shell unquoting, with its offsets in the command text when known. */
export interface Word {
  value: string;
  /** Offset of the word's (unquoted) content in the command text, or null when it could not be located. */
  start: number | null;
  end: number | null;
  /** An unquoted glob (`src/*.test.ts`): shell-quote hands it over unexpanded. */
  glob?: boolean;
}

/** A token of a command: a word, an operator, a variable (`$X`) or a comment. */
export type Token = { kind: 'word'; word: Word } | { kind: 'op'; op: string } | { kind: 'var'; name: string } | { kind: 'comment' };

const REDIRECT_OPS = new Set(['>', '>>', '<', '>&', '<&', '>|', '<<', '<<<', '&>', '&>>']);
/** `NAME=value` before a command. */
export const ENV_ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/** The words of a segment, with leading env assignments and redirections removed. */
export function segmentWords(segment: Token[]): { status: 'ok'; words: Word[]; env: Record<string, string | null> } | { status: 'variable'; name: string } {
  const env: Record<string, string | null> = {};
  const words: Word[] = [];
  let sawCommand = false;
  for (let i = 0; i < segment.length; i++) {
    const token = segment[i];
    if (token.kind === 'op') {
      if (REDIRECT_OPS.has(token.op)) {
        // `2>&1`, `2> out`: drop the fd number before the operator and the target after it.
        const last = words[words.length - 1];
        if (last && /^\d$/.test(last.value)) words.pop();
        i++;
      }
      continue;
    }
    if (token.kind === 'var') {
      const previous = words[words.length - 1];
      // `PYTHONPATH=$PWD pytest`: a variable in an environment value is harmless.
      if (!sawCommand && previous === undefined) {
        const before = segment[i - 1];
        if (before?.kind === 'word' && /^[A-Za-z_]\w*=$/.test(before.word.value)) continue;
      }
      return { status: 'variable', name: token.name || '(...)' };
    }
    if (token.kind !== 'word') continue;
    const assignment = ENV_ASSIGNMENT.exec(token.word.value);
    if (!sawCommand && assignment && !token.word.glob) {
      const next = segment[i + 1];
      env[assignment[1]] = next?.kind === 'var' && assignment[2] === '' ? null : assignment[2];
      continue;
    }
    sawCommand = true;
    words.push(token.word);
  }
  return { status: 'ok', words, env };
}


/** A reason when a quote is never closed (shell-quote silently accepts it). */
export function unbalancedQuote(text: string): string | null {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) return null;
    if (c === '"' || c === "'") quote = c;
  }
  return quote ? `the command has an unterminated ${quote === '"' ? 'double' : 'single'} quote` : null;
}

/** The text with single-quoted parts blanked (backticks inside them are literal). */
export function stripSingleQuoted(text: string): string {
  return text.replace(/'[^']*'/g, "''");
}

/** shell-quote's tokens, with word offsets located in the text. */
export function tokenize(text: string): Token[] {
  // A `$` before a quote or the end is literal in the shell (`-run "^TestA$"`): keep it as text.
  const entries: ParseEntry[] = shellParse(text, (name: string) => (name === '' ? '$' : ({ __docplanVar: name } as unknown as string)));
  const tokens: Token[] = [];
  let cursor = 0;
  for (const entry of entries) {
    if (typeof entry === 'string') {
      const at = locate(text, entry, cursor);
      if (at !== null) cursor = at + entry.length;
      tokens.push({ kind: 'word', word: { value: entry, start: at, end: at === null ? null : at + entry.length } });
    } else if ('__docplanVar' in entry) {
      const name = String((entry as { __docplanVar: string }).__docplanVar);
      const at = text.indexOf('$', cursor);
      if (at !== -1) cursor = at + 1;
      tokens.push({ kind: 'var', name });
    } else if ('comment' in entry) {
      tokens.push({ kind: 'comment' });
    } else if ('op' in entry) {
      if (entry.op === 'glob') {
        const pattern = (entry as { pattern: string }).pattern;
        const at = locate(text, pattern, cursor);
        if (at !== null) cursor = at + pattern.length;
        tokens.push({ kind: 'word', word: { value: pattern, start: at, end: at === null ? null : at + pattern.length, glob: true } });
      } else {
        const at = text.indexOf(entry.op, cursor);
        if (at !== -1) cursor = at + entry.op.length;
        tokens.push({ kind: 'op', op: entry.op });
      }
    }
  }
  return tokens;
}

const BEFORE = /[\s"'=(;|&]/;
const AFTER = /[\s"';|&)<>]/;

/** Where `value` occurs in `text` at or after `from` as a whole word (possibly quoted), or null. */
function locate(text: string, value: string, from: number): number | null {
  if (value === '') {
    const quoted = /""|''/g;
    quoted.lastIndex = from;
    const match = quoted.exec(text);
    return match ? match.index + 1 : null;
  }
  let at = text.indexOf(value, from);
  while (at !== -1) {
    const before = at === 0 ? ' ' : text[at - 1];
    const after = at + value.length >= text.length ? ' ' : text[at + value.length];
    if (BEFORE.test(before) && AFTER.test(after)) {
      // Only trust the match when nothing but whitespace, quotes and operators was skipped to reach it.
      const skipped = text.slice(from, at);
      if (/^[\s"'<>&|;()0-9]*$/.test(skipped) || /^[\s"']*$/.test(skipped.replace(/\\\n/g, ''))) return at;
      return null;
    }
    at = text.indexOf(value, at + 1);
  }
  return null;
}
