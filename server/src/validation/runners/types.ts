/**
 * Shared vocabulary of the runner modules: option parsing over located words, verdicts, suggestions.
 *
 * Each runner module (`pytest.ts`, `jest.ts`, `vitest.ts`, `mocha.ts`, `nodeTest.ts`, `go.ts`,
 * `cargo.ts`) exports a `Runner`: it reads its own command-line arguments into selectors (files, node ids,
 * name patterns) and checks them against the tests `TestIndex` discovered, one `Verdict` per selector.
 */
import { distance } from 'fastest-levenshtein';
import type { Invocation, RunnerId, Word } from '../command';
import type { DiscoveredTest } from '../discovery/types';
import type { TestIndex } from '../index';

/** A test as a runner names it. */
export interface TestRef {
  /** Root-relative path of the file that defines it. */
  relPath: string;
  test: DiscoveredTest;
  /** The runner's name for it: pytest node id, jest/vitest full name, Go `TestA/sub`, Rust `mod::name`. */
  id: string;
  /** Where its name is (1-based line, 0-based column). */
  line: number;
  column: number;
}

/** What a failing stub should look like; `stubs.ts` turns it into an edit. */
export interface StubRequest {
  runner: RunnerId;
  /** Root-relative file to put it in. */
  relPath: string;
  /** The file does not exist yet. */
  create: boolean;
  /** Test name (function name, `it` title, `TestFoo`). */
  name: string;
  /** Suites to put it in (pytest classes, describe titles, Rust modules); existing ones are reused. */
  suites: string[];
}

interface VerdictBase {
  /** The word of the command holding the selector (offsets into the command text), or null. */
  word: Word | null;
  /** The option that introduced it (`-k`, `-t`, `-run`, `--grep`), or null for a positional path. */
  flag: string | null;
  /** The selector as written (`tests/x.py::T::test_a`, `adds numbers`, `TestFoo$`). */
  text: string;
}

/** The outcome of checking one selector. */
export type Verdict =
  /** The selector names tests that exist: `matches` (capped), `location` when it names one place. */
  | (VerdictBase & { status: 'ok'; matches: TestRef[]; location: { relPath: string; line: number; column: number } | null })
  /** A file, directory or package the selector names does not exist (rule `test-file-missing`). */
  | (VerdictBase & { status: 'file-missing'; relPath: string; message: string; suggestions: string[]; stub: StubRequest | null })
  /**
   * The file exists but the named test does not, or a name pattern matches no test (rule `test-not-found`).
   * `nameStart`/`nameEnd` are offsets of the unknown name in the command text (to replace it), `name` the
   * unknown name itself, `suggestions` existing names nearest first.
   */
  | (VerdictBase & {
      status: 'test-not-found';
      pattern: boolean;
      relPath: string | null;
      name: string;
      nameStart: number | null;
      nameEnd: number | null;
      message: string;
      suggestions: string[];
      stub: StubRequest | null;
    })
  /** Cannot be judged statically (dynamic names, syntax errors, custom configuration): report nothing, or a hint. */
  | (VerdictBase & { status: 'unknown'; reason: string });

/** A runner module. */
export interface Runner {
  id: RunnerId;
  /** Checks every selector of an invocation. Never throws for bad input. */
  check(invocation: Invocation, index: TestIndex): Verdict[];
  /** Test names offered after `flag` (`::` for pytest node ids is `'::'`), for completion. */
  names(invocation: Invocation, index: TestIndex, flag: string, context: { file?: string; suites?: string[] }): TestRef[];
}

/** Parsed arguments: options by name (each occurrence with its value word) and positionals. */
export interface ParsedArgs {
  options: Map<string, { flag: Word; value: Word | null }[]>;
  positional: Word[];
  /** Words after a bare `--`. */
  rest: Word[];
}

/** Option grammar of a runner: which options take a value, and short-option aliases. */
export interface ArgSpec {
  withValue: ReadonlySet<string>;
  aliases?: Readonly<Record<string, string>>;
  /** Options whose value is optional and only taken with `=` (pytest-cov's `--cov`). */
  optionalValue?: ReadonlySet<string>;
}

/** A sub-word: `--grep=foo` -> the `foo` part, with offsets. */
export function subWord(word: Word, from: number): Word {
  return { value: word.value.slice(from), start: word.start === null ? null : word.start + from, end: word.end, glob: word.glob };
}

/** Parses runner arguments: `--opt value`, `--opt=value`, `-kvalue`, `-vx` clusters, `--`. */
export function parseArgs(args: readonly Word[], spec: ArgSpec): ParsedArgs {
  const options = new Map<string, { flag: Word; value: Word | null }[]>();
  const positional: Word[] = [];
  const add = (name: string, flag: Word, value: Word | null) => {
    const canonical = spec.aliases?.[name] ?? name;
    const list = options.get(canonical) ?? [];
    list.push({ flag, value });
    options.set(canonical, list);
  };
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    const value = word.value;
    if (value === '--') return { options, positional, rest: args.slice(i + 1) };
    if (value.startsWith('-') && value.length > 1 && !word.glob) {
      const eq = value.indexOf('=');
      if (value.startsWith('--') || (eq > 1 && spec.withValue.has(value.slice(0, eq)))) {
        if (eq !== -1) {
          add(value.slice(0, eq), word, subWord(word, eq + 1));
        } else if (spec.withValue.has(value) && !spec.optionalValue?.has(value)) {
          add(value, word, args[i + 1] ?? null);
          i++;
        } else add(value, word, null);
        continue;
      }
      // Single-dash: a known option (`-run`, `-k`), an attached value (`-kfoo`), or a cluster (`-vx`).
      if (spec.withValue.has(value)) {
        add(value, word, args[i + 1] ?? null);
        i++;
        continue;
      }
      const short = value.slice(0, 2);
      if (spec.withValue.has(short) && value.length > 2) {
        add(short, word, subWord(word, value[2] === '=' ? 3 : 2));
        continue;
      }
      add(value, word, null);
      continue;
    }
    positional.push(word);
  }
  return { options, positional, rest: [] };
}

/** Values of an option (all occurrences). */
export function values(parsed: ParsedArgs, ...names: string[]): { flag: Word; value: Word }[] {
  const out: { flag: Word; value: Word }[] = [];
  for (const name of names) for (const entry of parsed.options.get(name) ?? []) if (entry.value) out.push({ flag: entry.flag, value: entry.value });
  return out;
}

export function has(parsed: ParsedArgs, ...names: string[]): boolean {
  return names.some((name) => parsed.options.has(name));
}

/** Existing names nearest to `name` (Levenshtein, case-insensitive), best first, at most `limit`. */
export function nearest(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const wanted = name.toLowerCase();
  const scored: { candidate: string; score: number }[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (seen.has(candidate) || candidate === name) continue;
    seen.add(candidate);
    const lower = candidate.toLowerCase();
    let score = distance(wanted, lower);
    // A candidate that contains the name (or is contained by it) is a good guess whatever its length.
    if (lower.includes(wanted) || wanted.includes(lower)) score = Math.min(score, Math.abs(lower.length - wanted.length) / 4);
    if (score <= Math.max(3, Math.ceil(wanted.length * 0.4))) scored.push({ candidate, score });
  }
  scored.sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate));
  return scored.slice(0, limit).map((entry) => entry.candidate);
}

/** True when a regex source has no metacharacters (a plain name: a stub can be named after it). */
export function isPlainName(pattern: string): boolean {
  return !/[\\^$.|?*+()[\]{}]/.test(pattern);
}

/** Common verdict constructors. */
export function unknown(word: Word | null, flag: string | null, text: string, reason: string): Verdict {
  return { status: 'unknown', word, flag, text, reason };
}

export function ok(word: Word | null, flag: string | null, text: string, matches: TestRef[], single = false): Verdict {
  const first = matches[0];
  return { status: 'ok', word, flag, text, matches: matches.slice(0, 50), location: single && first ? { relPath: first.relPath, line: first.line, column: first.column } : null };
}

/** `a/b/c.py` -> `c.py`. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Joins a cwd and a path (posix, root-relative), '' for the root. */
export function joinRel(cwd: string, path: string): string {
  const parts = cwd === '' ? [] : cwd.split('/');
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/** Rough "looks like a path" test for a positional argument. */
export function looksLikePath(value: string): boolean {
  return value.includes('/') || /\.[A-Za-z0-9]{1,5}(?:$|::)/.test(value) || value === '.';
}
