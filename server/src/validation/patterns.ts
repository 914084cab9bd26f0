/**
 * Linear-time matching for patterns taken from documents and workspaces (`-t`, `--grep`, `-run`, pytest's
 * `python_functions` globs, discovered test-name templates). Anyone who can put a line into a plan controls
 * these patterns, so they never reach JavaScript's backtracking engine: they are compiled by re2js (RE2,
 * time linear in the input), with each runner's syntax translated and its semantics kept. What RE2 cannot
 * run (backreferences, lookaround) is reported as a reason, and the caller gives an "unknown" verdict.
 */
import { RE2JS } from 're2js';

/** A compiled pattern; `test` is unanchored, like `RegExp.prototype.test`, and linear in the input. */
export interface LinearPattern {
  test(text: string): boolean;
}

/** A compiled pattern, or why it cannot be run in linear time (or at all). */
export type CompiledPattern = { pattern: LinearPattern } | { unknown: string };

function compileRe2(source: string, flags: number, original: string): CompiledPattern {
  try {
    return { pattern: RE2JS.compile(source, flags) };
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error);
    return { unknown: `"${original}" cannot be matched in linear time (${detail})` };
  }
}

// JavaScript's `\s` (RE2's is ASCII only) and the characters its `.` does not match without the `s` flag.
const JS_SPACE = String.raw`\t\n\x{0B}\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}`;
const JS_LINE_END = String.raw`\n\r\x{2028}\x{2029}`;

/**
 * A JavaScript regular expression (as `new RegExp(source, flags)` reads it) on RE2. Flags `i`, `s`, `m`
 * are kept; `.`, `\s`, `\uXXXX`, `\u{X}`, `(?<name>`, `[^]` and `[]` are translated; backreferences and
 * lookaround give a reason instead of a pattern. Invalid JavaScript syntax is reported as such.
 */
export function jsPattern(source: string, flags = ''): CompiledPattern {
  try {
    // Compiling (not running) a JavaScript pattern is cheap; it tells invalid syntax from unsupported syntax.
    new RegExp(source, flags.replace(/[gyd]/g, ''));
  } catch {
    return { unknown: `"${source}" is not a valid regular expression` };
  }
  const translated = translateJs(source, flags.includes('s'));
  if ('unknown' in translated) return { unknown: `"${source}" ${translated.unknown}, which DocPlan does not run (it could take exponential time)` };
  let re2Flags = 0;
  if (flags.includes('i')) re2Flags |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('s')) re2Flags |= RE2JS.DOTALL;
  if (flags.includes('m')) re2Flags |= RE2JS.MULTILINE;
  return compileRe2(translated.source, re2Flags, source);
}

/** A runner's `/re/flags` form (mocha `--grep`, `node --test --test-name-pattern`), else `source` as is. */
export function slashFormPattern(pattern: string, flags = ''): CompiledPattern {
  const slash = /^\/(.*)\/([dgimsuyv]*)$/s.exec(pattern);
  if (!slash) return jsPattern(pattern, flags);
  return jsPattern(slash[1], [...new Set(flags + slash[2])].join(''));
}

/** A Go regular expression (RE2 syntax natively, as `regexp.MustCompile` reads it). */
export function goPattern(source: string): CompiledPattern {
  return compileRe2(source, 0, source);
}

/** Python's fnmatch (`*`, `?`, `[seq]`, `[!seq]`), anchored at both ends, as pytest matches naming globs. */
export function fnmatchPattern(glob: string): LinearPattern {
  const known = fnmatchCompiled.get(glob);
  if (known) return known;
  const pattern = compileFnmatch(glob);
  // A runner's few file globs are asked for every command of every doc: compile each once.
  if (fnmatchCompiled.size >= 256) fnmatchCompiled.clear();
  fnmatchCompiled.set(glob, pattern);
  return pattern;
}

const fnmatchCompiled = new Map<string, LinearPattern>();

function compileFnmatch(glob: string): LinearPattern {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) {
        source += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      const negated = body.startsWith('!');
      if (negated) body = body.slice(1);
      source += `[${negated ? '^' : ''}${body.replace(/[\\[\]^]/g, '\\$&')}]`;
      i = close;
    } else source += RE2JS.quote(c);
  }
  const compiled = compileRe2(`^(?:${source})$`, RE2JS.DOTALL, glob);
  return 'pattern' in compiled ? compiled.pattern : { test: (text) => text === glob };
}

/** Matches text made of `parts` in order with anything between them (a template's run-time names). */
export function partsPattern(parts: readonly string[]): LinearPattern {
  const compiled = compileRe2(`^${parts.map((part) => RE2JS.quote(part)).join('.*')}$`, RE2JS.DOTALL, parts.join('*'));
  // Quoted literals always compile; the fallback only keeps the type honest.
  return 'pattern' in compiled ? compiled.pattern : { test: (text) => text === parts.join('') };
}

/** JavaScript pattern syntax rewritten for RE2, or what RE2 cannot express. */
function translateJs(source: string, dotAll: boolean): { source: string } | { unknown: string } {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      const hex4 = /^u([0-9A-Fa-f]{4})/.exec(source.slice(i + 1, i + 6));
      const braced = /^u\{([0-9A-Fa-f]+)\}/.exec(source.slice(i + 1, i + 12));
      if (braced) {
        out += `\\x{${braced[1]}}`;
        i += braced[0].length;
      } else if (hex4) {
        out += `\\x{${hex4[1]}}`;
        i += 5;
      } else if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<')) {
        return { unknown: 'uses a backreference' };
      } else if (next === '0') {
        out += '\\x{0}';
        i += 1;
      } else if (next === 'c' || next === 'u' || next === 'p' || next === 'P') {
        // Control escapes, lone `\u` and Unicode property escapes read differently in RE2.
        if ((next === 'p' || next === 'P') && source[i + 2] === '{') return { unknown: 'uses a Unicode property escape' };
        out += RE2JS.quote(next);
        i += 1;
      } else if (next === 's' || next === 'S') {
        out += inClass ? (next === 's' ? JS_SPACE : '\\S') : `[${next === 'S' ? '^' : ''}${JS_SPACE}]`;
        i += 1;
      } else if (next === 'v') {
        out += '\\x{0B}';
        i += 1;
      } else {
        out += c + next;
        i += 1;
      }
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
      continue;
    }
    if (c === '[') {
      if (source.startsWith('[^]', i)) {
        out += '[\\x{0}-\\x{10FFFF}]';
        i += 2;
      } else if (source.startsWith('[]', i)) {
        out += '[^\\x{0}-\\x{10FFFF}]';
        i += 1;
      } else {
        inClass = true;
        out += c;
        if (source[i + 1] === '^') out += source[++i];
        // A leading `]` closes an empty class in JavaScript; RE2 would read it as a literal.
        if (source[i + 1] === ']') return { unknown: 'uses an empty character class' };
      }
      continue;
    }
    if (c === '(' && source[i + 1] === '?') {
      const rest = source.slice(i + 2, i + 4);
      if (rest.startsWith('=') || rest.startsWith('!') || rest === '<=' || rest === '<!') return { unknown: 'uses lookaround' };
      if (rest.startsWith('<')) {
        out += '(?P<';
        i += 2;
        continue;
      }
    }
    if (c === '.' && !dotAll) {
      out += `[^${JS_LINE_END}]`;
      continue;
    }
    out += c;
  }
  return { source: out };
}

/**
 * True when a JavaScript runner's own (backtracking) engine can take exponential time with `source`: a
 * group repeated without bound that itself holds a quantifier or an alternation (`(a+)+`, `(x|xx)*`).
 * DocPlan still matches such a pattern in linear time, but a miss is no evidence of what the runner will
 * do (it may never finish), so callers report "unknown" instead of "matches no test".
 */
export function backtrackingRisk(source: string): boolean {
  const groups: boolean[] = [];
  let inClass = false;
  let lastGroupRisky = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    const afterGroup = lastGroupRisky;
    lastGroupRisky = false;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') groups.push(false);
    else if (c === ')') lastGroupRisky = groups.pop() ?? false;
    else if (c === '|' && groups.length > 0) groups[groups.length - 1] = true;
    else if (c === '*' || c === '+' || (c === '{' && /^\{\d*,\d*\}/.test(source.slice(i)))) {
      const unbounded = c !== '{' || /^\{\d*,\}/.test(source.slice(i)) || Number(/^\{\d*,(\d+)\}/.exec(source.slice(i))?.[1] ?? 0) > 1;
      if (afterGroup && unbounded) return true;
      if (groups.length > 0) groups[groups.length - 1] = true;
    }
  }
  return false;
}

/** Unbounded wildcards (`*`, `**`, extglob repeats) a document's glob may hold; see `globTooComplex`. */
export const MAX_GLOB_WILDCARDS = 3;

/**
 * Why a glob from a document or configuration is not matched, or null. picomatch compiles globs to
 * backtracking regular expressions whose cost grows as (path length)^(unbounded wildcards): with at most
 * three, a check stays in the milliseconds on any real path; a glob with more is "unknown".
 */
export function globTooComplex(glob: string): string | null {
  const wildcards = glob.match(/\*+|[+@!]\(/g)?.length ?? 0;
  return wildcards > MAX_GLOB_WILDCARDS ? `"${glob}" has ${wildcards} wildcards; DocPlan matches globs with at most ${MAX_GLOB_WILDCARDS}` : null;
}
