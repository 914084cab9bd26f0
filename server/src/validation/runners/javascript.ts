/**
 * The JavaScript runners (jest, vitest, mocha, node --test) differ in how they pick files and how they
 * match names; the rest is shared here: the file scope, full names (describe titles and the test title
 * joined by spaces), name-pattern checks with dynamic names treated as unknown, and completion names.
 */
import picomatch from 'picomatch';
import type { Invocation, RunnerId, Word } from '../command';
import type { DiscoveredTest } from '../discovery/types';
import type { TestIndex } from '../index';
import { backtrackingRisk, type CompiledPattern, globTooComplex, jsPattern } from '../patterns';
import { baseName, isPlainName, joinRel, looksLikePath, nearest, ok, type StubRequest, type TestRef, unknown, type Verdict } from './types';

const JS_FILE = /\.(?:[cm]?[jt]sx?)$/;

/** A test and its runner-facing full name (subtests flattened, parents first). */
export interface JsTest {
  ref: TestRef;
  /** Names of the suites, the test and (for subtests) its parent tests. */
  path: string[];
  fullName: string;
  dynamic: boolean;
}

/** Flattens the tests of a file with full names. */
export function jsTests(index: TestIndex, relPath: string): { tests: JsTest[]; complete: boolean; notes: string[]; dynamicSuites: boolean } | { unknown: string } {
  const found = index.fileTests(relPath);
  if (found === undefined) return { unknown: 'the JavaScript/TypeScript grammar is still loading' };
  if (!found.ok) return { unknown: found.message };
  const tests: JsTest[] = [];
  const visit = (test: DiscoveredTest, parents: string[]) => {
    const path = [...parents, test.name];
    const fullName = path.join(' ');
    tests.push({ ref: { relPath, test, id: fullName, line: test.line, column: test.column }, path, fullName, dynamic: test.dynamic || test.dynamicChildren });
    for (const child of test.children) visit(child, path);
  };
  for (const test of found.tests) visit(test, test.suites);
  return { tests, complete: found.complete, notes: found.notes, dynamicSuites: found.suites.some((s) => s.dynamic) };
}

/** How a runner picks its files and matches names. */
export interface JsRunnerConfig {
  id: RunnerId;
  /** Default test files (root-relative path of a file under the invocation directory). */
  isDefaultTestFile(relPath: string, cwdRelPath: string): boolean;
  /** How positional arguments select files. */
  fileFilter: 'regex' | 'substring' | 'path';
  /** Directories named on the command line are searched recursively. */
  recursiveDirs: boolean;
  /** Config files whose presence means the default file set may differ (scope then counts as incomplete). */
  configFiles: string[];
}

/** Files selected by the positional arguments, with one verdict per argument. */
export function selectFiles(
  config: JsRunnerConfig,
  invocation: Invocation,
  index: TestIndex,
  positional: Word[],
  stubName: string | null,
): { files: string[]; verdicts: Verdict[]; scopeComplete: boolean } {
  const cwd = invocation.cwd;
  const inCwd = (relPath: string) => (cwd === '' ? relPath : relPath.slice(cwd.length + 1));
  const defaults = () => index.list(cwd, (path) => JS_FILE.test(path) && config.isDefaultTestFile(path, inCwd(path)));
  const hasConfig = config.configFiles.some((file) => index.kind(joinRel(cwd, file)) === 'file');
  const verdicts: Verdict[] = [];
  if (positional.length === 0) {
    const listing = defaults();
    return { files: listing.files, verdicts, scopeComplete: !listing.truncated && !hasConfig };
  }
  const files = new Set<string>();
  let scopeComplete = true;
  for (const word of positional) {
    // vitest `file:line` and `file:line:column`.
    const value = config.fileFilter === 'substring' ? word.value.replace(/:\d+(?::\d+)?$/, '') : word.value;
    const selected: string[] = [];
    const direct = index.resolve(cwd, value);
    if ('escapes' in direct) {
      verdicts.push(unknown(word, null, word.value, direct.escapes));
      scopeComplete = false;
      continue;
    }
    const kind = word.glob ? null : index.kind(direct.relPath);
    if (kind === 'file') selected.push(direct.relPath);
    else if (kind === 'dir') selected.push(...index.list(direct.relPath, (path) => JS_FILE.test(path) && (config.fileFilter === 'path' ? true : config.isDefaultTestFile(path, inCwd(path))), config.recursiveDirs).files);
    else if (word.glob || config.fileFilter === 'path') {
      if (word.glob || /[*?{]/.test(value)) {
        const tooComplex = globTooComplex(value);
        if (tooComplex) {
          verdicts.push(unknown(word, null, word.value, tooComplex));
          scopeComplete = false;
          continue;
        }
        const matcher = picomatch(joinRel(cwd, value.replace(/^\.\//, '')), { dot: false });
        selected.push(...index.list(globBase(joinRel(cwd, value.replace(/^\.\//, ''))), (path) => matcher(path)).files);
      }
    } else if (config.fileFilter === 'regex') {
      const compiled = jsPattern(value);
      if ('unknown' in compiled) {
        verdicts.push(unknown(word, null, word.value, compiled.unknown));
        scopeComplete = false;
        continue;
      }
      const regex = compiled.pattern;
      selected.push(...defaults().files.filter((path) => regex.test(path) || regex.test(index.abs(path))));
    } else {
      selected.push(...defaults().files.filter((path) => index.abs(path).includes(value.replace(/^\.\//, '')) || path.includes(value.replace(/^\.\//, ''))));
    }
    if (selected.length === 0 && config.fileFilter === 'regex' && backtrackingRisk(value)) {
      verdicts.push(unknown(word, null, word.value, `the runner matches "${value}" with a backtracking engine, which can take exponential time on paths that almost match`));
      scopeComplete = false;
      continue;
    }
    if (selected.length === 0) {
      if (hasConfig && !looksLikePath(value)) {
        verdicts.push(unknown(word, null, word.value, 'the runner configuration may select other files'));
        scopeComplete = false;
        continue;
      }
      const candidates = defaults().files;
      const suggestions = nearest(baseName(value), candidates.map(baseName)).map((b) => candidates.find((f) => baseName(f) === b)!);
      const stub: StubRequest | null = stubName !== null && JS_FILE.test(value) && !word.glob ? { runner: config.id, relPath: direct.relPath, create: true, name: stubName, suites: [] } : null;
      verdicts.push({
        status: 'file-missing',
        word,
        flag: null,
        text: word.value,
        relPath: direct.relPath,
        message: looksLikePath(value) && !word.glob ? `${value} does not exist` : `no test file matches "${value}"`,
        suggestions,
        stub,
      });
      continue;
    }
    for (const file of selected) files.add(file);
    verdicts.push(ok(word, null, word.value, [], false));
    if (kind === 'file') {
      const last = verdicts[verdicts.length - 1];
      if (last.status === 'ok') last.location = { relPath: direct.relPath, line: 1, column: 0 };
    }
  }
  return { files: [...files].sort(), verdicts, scopeComplete };
}

function globBase(pattern: string): string {
  const parts = pattern.split('/');
  const base: string[] = [];
  for (const part of parts) {
    if (/[*?{[]/.test(part)) break;
    base.push(part);
  }
  if (base.length === parts.length) base.pop();
  return base.join('/');
}

/** Escapes a name for a regex option. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Checks each regular-expression name filter (`-t`, `--testNamePattern`, `--grep`) against the full names of
 * the tests of `files`; `toPattern` compiles one with the runner's own syntax on a linear-time engine, and
 * one that does not compile there is "unknown".
 */
export function checkRegexFilters(
  runner: RunnerId,
  index: TestIndex,
  selection: { files: string[]; scopeComplete: boolean },
  filters: readonly { flag: Word; value: Word }[],
  toPattern: (source: string) => CompiledPattern,
): Verdict[] {
  return filters.map(({ flag, value }) => {
    const compiled = toPattern(value.value);
    if ('unknown' in compiled) return unknown(value, flag.value, value.value, compiled.unknown);
    const verdict = checkNames(runner, index, selection.files, selection.scopeComplete, value, flag.value, (test) => compiled.pattern.test(test.fullName), true);
    return backtrackingMiss(verdict, value, flag.value);
  });
}

/** A miss of a pattern the runner's own engine may never finish matching is no evidence: "unknown". */
export function backtrackingMiss(verdict: Verdict, value: Word, flag: string): Verdict {
  if (verdict.status !== 'test-not-found' || !backtrackingRisk(value.value)) return verdict;
  return unknown(value, flag, value.value, `the runner matches "${value.value}" with a backtracking engine, which can take exponential time on names that almost match, so what it selects is not predicted`);
}

/**
 * Checks a name pattern against the tests of `files`. `matches(test)` decides one test; dynamic names,
 * dynamic suites and incomplete files make a miss "unknown".
 */
export function checkNames(
  runner: RunnerId,
  index: TestIndex,
  files: string[],
  scopeComplete: boolean,
  word: Word,
  flag: string,
  matches: (test: JsTest) => boolean,
  regexSuggestions: boolean,
): Verdict {
  const found: TestRef[] = [];
  const all: JsTest[] = [];
  let complete = scopeComplete;
  const notes: string[] = [];
  let dynamic = false;
  for (const file of files) {
    const tests = jsTests(index, file);
    if ('unknown' in tests) {
      complete = false;
      notes.push(tests.unknown);
      continue;
    }
    if (!tests.complete) {
      complete = false;
      notes.push(...tests.notes.map((note) => `${file}: ${note}`));
    }
    if (tests.dynamicSuites) dynamic = true;
    for (const test of tests.tests) {
      all.push(test);
      if (test.dynamic) dynamic = true;
      if (!test.ref.test.dynamic && matches(test)) found.push(test.ref);
    }
  }
  if (found.length > 0) return ok(word, flag, word.value, found, found.length === 1);
  if (dynamic) return unknown(word, flag, word.value, 'some tests in scope have names that are only known at run time');
  if (!complete) return unknown(word, flag, word.value, notes.join('; ') || 'the test files in scope are not all known');
  if (files.length === 0) return unknown(word, flag, word.value, 'no test files found');
  const names = all.map((test) => test.fullName);
  const suggestions = nearest(word.value, [...names, ...all.map((test) => test.ref.test.name)]).map((name) => (regexSuggestions ? escapeRegExp(name) : name));
  const plain = isPlainName(word.value) ? word.value : null;
  const target = files.length === 1 ? files[0] : null;
  return {
    status: 'test-not-found',
    word,
    flag,
    text: word.value,
    pattern: true,
    relPath: target,
    name: word.value,
    nameStart: word.start,
    nameEnd: word.end,
    message: `${flag} "${word.value}" matches no test${files.length === 1 ? ` in ${files[0]}` : ` in ${files.length} test files`}`,
    suggestions,
    stub: plain !== null && target !== null ? { runner, relPath: target, create: false, name: plain, suites: [] } : null,
  };
}

/** Completion names for a name-pattern flag: full names of every test in scope. */
export function completionNames(index: TestIndex, files: string[]): TestRef[] {
  const out: TestRef[] = [];
  for (const file of files) {
    const tests = jsTests(index, file);
    if ('unknown' in tests) continue;
    for (const test of tests.tests) if (!test.ref.test.dynamic) out.push(test.ref);
  }
  return out;
}
