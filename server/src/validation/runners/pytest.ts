/**
 * pytest: positional paths and node ids (`tests/x.py::TestA::test_b[1-2]`, directories), `-k` expressions
 * (`and`/`or`/`not`/parentheses over case-insensitive substrings of the test's name, its classes, module,
 * directories and markers, as pytest's `KeywordMatcher`), `--deselect`. Test files follow pytest's
 * `python_files`/`python_classes`/`python_functions` (read from pytest.ini, pyproject.toml, tox.ini or
 * setup.cfg in the invocation directory, defaults otherwise); explicitly named files are collected
 * whatever their name, as pytest does.
 */
import { fnmatchPattern } from '../patterns';
import type { Invocation, Word } from '../command';
import type { PytestNaming } from '../discovery/python';
import type { DiscoveredTest, FileTests } from '../discovery/types';
import type { TestIndex } from '../index';
import { evaluateKeyword, identifiers, parseKeywordExpression, type Expr } from './pytestKeyword';
import { type ArgSpec, baseName, type Runner, nearest, ok, parseArgs, type TestRef, unknown, values, type Verdict } from './types';

const SPEC: ArgSpec = {
  withValue: new Set([
    '-k', '-m', '-p', '-c', '-o', '-W', '-n', '-r', '--rootdir', '--basetemp', '--confcutdir', '--deselect', '--ignore', '--ignore-glob', '--junitxml', '--junit-xml',
    '--maxfail', '--tb', '--durations', '--durations-min', '--log-level', '--log-cli-level', '--log-file', '--log-file-level', '--log-format', '--timeout', '--reruns',
    '--color', '--capture', '--import-mode', '--cov-report', '--cov-config', '--cov-fail-under', '--html', '--ds', '--randomly-seed', '--count', '--dist', '--override-ini',
    '--config-file', '--inifile', '--cache-dir', '--show-capture', '--report-log', '--tx', '--max-worker-restart', '--numprocesses', '--markers-file', '--doctest-glob', '--benchmark-json',
  ]),
  optionalValue: new Set(['--cov']),
};

/** pytest's file, class and function naming from its configuration. */
export interface PytestConfig extends PytestNaming {
  files: string[];
  testpaths: string[];
}

const DEFAULT_CONFIG: PytestConfig = { files: ['test_*.py', '*_test.py'], classes: ['Test'], functions: ['test'], testpaths: [] };

function readConfig(index: TestIndex, cwd: string): PytestConfig {
  for (const [file, section] of [['pytest.ini', /\[pytest\]/], ['pyproject.toml', /\[tool\.pytest\.ini_options\]/], ['tox.ini', /\[pytest\]/], ['setup.cfg', /\[tool:pytest\]/]] as const) {
    const relPath = cwd === '' ? file : `${cwd}/${file}`;
    const config = index.config(relPath, (text) => parseConfig(text, section));
    if (config) return config;
  }
  return DEFAULT_CONFIG;
}

function parseConfig(text: string | null, section: RegExp): PytestConfig | null {
  if (text === null) return null;
  const start = text.search(section);
  if (start === -1) return null;
  const body = text.slice(start).split(/\n(?=\[)/)[0];
  const read = (key: string): string[] | null => {
    const match = new RegExp(`^\\s*${key}\\s*=\\s*(\\[[^\\]]*\\]|.*(?:\\n[ \\t]+.*)*)`, 'm').exec(body);
    if (!match) return null;
    const value = match[1];
    if (value.startsWith('[')) return [...value.matchAll(/["']([^"']*)["']/g)].map((m) => m[1]);
    return value.replace(/^["']|["']$/g, '').split(/\s+/).filter((s) => s !== '');
  };
  return {
    files: read('python_files') ?? DEFAULT_CONFIG.files,
    classes: read('python_classes') ?? DEFAULT_CONFIG.classes,
    functions: read('python_functions') ?? DEFAULT_CONFIG.functions,
    testpaths: read('testpaths') ?? [],
  };
}

/** A pytest node id split into path, names and parametrization. */
export interface NodeId {
  path: string;
  names: string[];
  param: string | null;
}

export function parseNodeId(value: string): NodeId {
  const parts = value.split('::');
  const path = parts[0];
  const names = parts.slice(1);
  let param: string | null = null;
  if (names.length > 0) {
    const last = names[names.length - 1];
    const bracket = last.indexOf('[');
    if (bracket !== -1 && last.endsWith(']')) {
      param = last.slice(bracket + 1, -1);
      names[names.length - 1] = last.slice(0, bracket);
    }
  }
  return { path, names, param };
}

function nodeIdOf(relPath: string, cwd: string, test: DiscoveredTest, param: string | null = null): string {
  const path = cwd !== '' && relPath.startsWith(`${cwd}/`) ? relPath.slice(cwd.length + 1) : relPath;
  return [path, ...test.suites, test.name + (param !== null ? `[${param}]` : '')].join('::');
}

function ref(relPath: string, cwd: string, test: DiscoveredTest): TestRef {
  return { relPath, test, id: nodeIdOf(relPath, cwd, test), line: test.line, column: test.column };
}

/** Test files of a directory per `python_files`. */
function testFilesUnder(index: TestIndex, dir: string, config: PytestConfig): { files: string[]; truncated: boolean } {
  const matchers = config.files.map((glob) => fnmatchPattern(glob));
  return index.list(dir, (path) => path.endsWith('.py') && matchers.some((m) => m.test(baseName(path))), true, `pytest:${config.files.join('\0')}`);
}

type Loaded = { status: 'ok'; tests: FileTests } | { status: 'unknown'; reason: string };

function load(index: TestIndex, relPath: string, config: PytestConfig): Loaded {
  const found = index.fileTests(relPath, config);
  if (found === undefined) return { status: 'unknown', reason: 'the Python grammar is still loading' };
  if (!found.ok) return { status: 'unknown', reason: found.message };
  return { status: 'ok', tests: found };
}

export const pytestRunner: Runner = {
  id: 'pytest',
  check(invocation, index) {
    const parsed = parseArgs(invocation.args, SPEC);
    const positional = [...parsed.positional, ...parsed.rest];
    const config = readConfig(index, invocation.cwd);
    const verdicts: Verdict[] = [];
    if (parsed.options.has('--pyargs')) return positional.map((word) => unknown(word, null, word.value, 'with --pyargs the arguments are module names'));
    // Scope for -k: the tests the positional arguments select.
    const scope: TestRef[] = [];
    let scopeComplete = true;
    const scopeNotes: string[] = [];
    const addFile = (relPath: string) => {
      const loaded = load(index, relPath, config);
      if (loaded.status !== 'ok') {
        scopeComplete = false;
        scopeNotes.push(loaded.reason);
        return;
      }
      if (!loaded.tests.complete) {
        scopeComplete = false;
        scopeNotes.push(...loaded.tests.notes.map((note) => `${relPath}: ${note}`));
      }
      for (const test of loaded.tests.tests) scope.push(ref(relPath, invocation.cwd, test));
    };
    const addDir = (relDir: string) => {
      const listing = testFilesUnder(index, relDir, config);
      if (listing.truncated) scopeComplete = false;
      for (const file of listing.files) addFile(file);
    };
    for (const word of positional) {
      if (word.value.startsWith('-')) continue;
      verdicts.push(checkPositional(word, invocation, index, config, scope, addFile, addDir));
    }
    if (positional.filter((w) => !w.value.startsWith('-')).length === 0) {
      if (config.testpaths.length > 0) {
        for (const path of config.testpaths) {
          const resolved = index.resolve(invocation.cwd, path);
          if ('relPath' in resolved) addDir(resolved.relPath);
        }
      } else addDir(invocation.cwd);
    }
    for (const { flag, value } of values(parsed, '--deselect')) {
      const verdict = checkPositional(value, invocation, index, config, [], () => undefined, () => undefined);
      verdicts.push({ ...verdict, flag: flag.value });
    }
    for (const { flag, value } of values(parsed, '-k')) verdicts.push(checkKeyword(value, flag.value, scope, scopeComplete, scopeNotes, invocation));
    return verdicts;
  },
  names(invocation, index, flag, context) {
    const config = readConfig(index, invocation.cwd);
    if (flag === '::' && context.file) {
      const resolved = index.resolve(invocation.cwd, context.file);
      if ('escapes' in resolved) return [];
      const loaded = load(index, resolved.relPath, config);
      if (loaded.status !== 'ok') return [];
      const suites = context.suites ?? [];
      const same = (a: string[]) => a.length === suites.length && a.every((s, i) => s === suites[i]);
      const out: TestRef[] = [];
      for (const suite of loaded.tests.suites) if (same(suite.suites)) out.push({ relPath: resolved.relPath, test: { ...stubTest(suite.name, suite.suites), line: suite.line, column: suite.column }, id: suite.name, line: suite.line, column: suite.column });
      for (const test of loaded.tests.tests) if (same(test.suites)) out.push({ ...ref(resolved.relPath, invocation.cwd, test), id: test.name });
      return out;
    }
    // -k: every test and class name in the invocation's scope.
    const parsed = parseArgs(invocation.args, SPEC);
    const files = new Set<string>();
    for (const word of parsed.positional) {
      const resolved = index.resolve(invocation.cwd, parseNodeId(word.value).path);
      if ('escapes' in resolved) continue;
      const kind = index.kind(resolved.relPath);
      if (kind === 'file') files.add(resolved.relPath);
      if (kind === 'dir') for (const file of testFilesUnder(index, resolved.relPath, config).files) files.add(file);
    }
    if (files.size === 0) for (const file of testFilesUnder(index, invocation.cwd, config).files) files.add(file);
    const out: TestRef[] = [];
    for (const file of files) {
      const loaded = load(index, file, config);
      if (loaded.status !== 'ok') continue;
      for (const suite of loaded.tests.suites) out.push({ relPath: file, test: stubTest(suite.name, suite.suites), id: suite.name, line: suite.line, column: suite.column });
      for (const test of loaded.tests.tests) out.push({ ...ref(file, invocation.cwd, test), id: test.name });
    }
    return out;
  },
};

function stubTest(name: string, suites: string[]): DiscoveredTest {
  return { name, suites, params: null, dynamic: false, namePattern: null, testKind: 'test', markers: [], children: [], dynamicChildren: false, line: 0, column: 0, endLine: 0 };
}

function checkPositional(
  word: Word,
  invocation: Invocation,
  index: TestIndex,
  config: PytestConfig,
  scope: TestRef[],
  addFile: (relPath: string) => void,
  addDir: (relDir: string) => void,
): Verdict {
  const id = parseNodeId(word.value);
  if (word.glob) return unknown(word, null, word.value, 'a glob pattern; the shell expands it');
  const resolved = index.resolve(invocation.cwd, id.path);
  if ('escapes' in resolved) return unknown(word, null, word.value, resolved.escapes);
  const kind = index.kind(resolved.relPath);
  if (kind === null) {
    if (!/\.py$|\/|^\.$/.test(id.path) && id.names.length === 0) return unknown(word, null, word.value, `${id.path} is not a file or directory pytest can find`);
    const name = id.names.at(-1);
    // One listing of the workspace's test files, not one per suggestion.
    const testFiles = testFilesUnder(index, '', config).files;
    return {
      status: 'file-missing',
      word,
      flag: null,
      text: word.value,
      relPath: resolved.relPath,
      message: `${id.path} does not exist`,
      suggestions: nearest(baseName(id.path), testFiles.map(baseName)).map((b) => testFiles.find((f) => baseName(f) === b)!),
      stub: name && id.path.endsWith('.py') ? { runner: 'pytest', relPath: resolved.relPath, create: true, name, suites: id.names.slice(0, -1) } : null,
    };
  }
  if (kind === 'dir') {
    if (id.names.length > 0) return unknown(word, null, word.value, `${id.path} is a directory; a node id names a file`);
    addDir(resolved.relPath);
    return ok(word, null, word.value, []);
  }
  const loaded = load(index, resolved.relPath, config);
  if (loaded.status !== 'ok') return unknown(word, null, word.value, loaded.reason);
  const tests = loaded.tests;
  if (id.names.length === 0) {
    addFile(resolved.relPath);
    return ok(word, null, word.value, tests.tests.map((t) => ref(resolved.relPath, invocation.cwd, t)));
  }
  // Walk `Class::Inner::test` down the suites.
  const wordStart = word.start;
  let offset = id.path.length;
  for (let i = 0; i < id.names.length; i++) {
    const name = id.names[i];
    const parents = id.names.slice(0, i);
    const nameStart = wordStart === null ? null : wordStart + offset + 2;
    offset += 2 + name.length;
    const sameParents = (suites: string[]) => suites.length === parents.length && suites.every((s, k) => s === parents[k]);
    const last = i === id.names.length - 1;
    const suite = tests.suites.find((s) => s.name === name && sameParents(s.suites));
    if (suite && !last) continue;
    if (suite && last && id.param === null) {
      const inside = tests.tests.filter((t) => t.suites.length > i && t.suites.slice(0, i + 1).every((s, k) => s === id.names[k]));
      for (const t of inside) scope.push(ref(resolved.relPath, invocation.cwd, t));
      const verdict = ok(word, null, word.value, inside.map((t) => ref(resolved.relPath, invocation.cwd, t)));
      return { ...verdict, location: { relPath: resolved.relPath, line: suite.line, column: suite.column } } as Verdict;
    }
    const test = last ? tests.tests.find((t) => t.name === name && sameParents(t.suites)) : undefined;
    if (test) {
      scope.push(ref(resolved.relPath, invocation.cwd, test));
      if (id.param !== null && test.params !== null && !test.dynamic && !test.params.includes(id.param)) {
        const paramStart = nameStart === null ? null : nameStart + name.length + 1;
        return {
          status: 'test-not-found',
          word,
          flag: null,
          text: word.value,
          pattern: false,
          relPath: resolved.relPath,
          name: id.param,
          nameStart: paramStart,
          nameEnd: paramStart === null ? null : paramStart + id.param.length,
          message: `${name} has no parameter set [${id.param}] (it has ${test.params.slice(0, 5).map((p) => `[${p}]`).join(', ')}${test.params.length > 5 ? ', ...' : ''})`,
          suggestions: nearest(id.param, test.params),
          stub: null,
        };
      }
      const verdict = ok(word, null, word.value, [ref(resolved.relPath, invocation.cwd, test)], true);
      if (id.param !== null && test.params === null) return unknown(word, null, word.value, `${name} is not parametrized in ${resolved.relPath}; [${id.param}] may come from a parametrized fixture`);
      return verdict;
    }
    if (!tests.complete) return unknown(word, null, word.value, tests.notes.join('; '));
    const candidates = [...tests.suites.filter((s) => sameParents(s.suites)).map((s) => s.name), ...tests.tests.filter((t) => sameParents(t.suites)).map((t) => t.name)];
    const where = parents.length > 0 ? `${parents.join('::')} in ${resolved.relPath}` : resolved.relPath;
    return {
      status: 'test-not-found',
      word,
      flag: null,
      text: word.value,
      pattern: false,
      relPath: resolved.relPath,
      name,
      nameStart,
      nameEnd: nameStart === null ? null : nameStart + name.length,
      message: `${last ? 'test' : 'class'} ${name} not found in ${where}`,
      suggestions: nearest(name, candidates.length > 0 ? candidates : tests.tests.map((t) => t.name)),
      stub: { runner: 'pytest', relPath: resolved.relPath, create: false, name: id.names[id.names.length - 1], suites: id.names.slice(0, -1) },
    };
  }
  return unknown(word, null, word.value, 'empty node id');
}

/** The names pytest's `-k` matches for one test instance. */
function keywordNames(test: TestRef, param: string | null): string[] {
  const dirs = test.relPath.split('/').slice(0, -1);
  return [param === null ? test.test.name : `${test.test.name}[${param}]`, ...test.test.suites, baseName(test.relPath), ...dirs, ...test.test.markers];
}

function checkKeyword(word: Word, flag: string, scope: TestRef[], complete: boolean, notes: string[], invocation: Invocation): Verdict {
  let expr: Expr;
  try {
    expr = parseKeywordExpression(word.value);
  } catch (error) {
    return unknown(word, flag, word.value, error instanceof Error ? error.message : String(error));
  }
  const matches: TestRef[] = [];
  let undecided = false;
  for (const test of scope) {
    const instances = test.test.params && test.test.params.length > 0 ? test.test.params : [null];
    let result: boolean | null = false;
    for (const param of instances) {
      const value = evaluateKeyword(expr, keywordNames(test, param), test.test.dynamic);
      if (value === true) {
        result = true;
        break;
      }
      if (value === null) result = null;
    }
    if (result === true) matches.push(test);
    if (result === null) undecided = true;
  }
  if (matches.length > 0) return ok(word, flag, word.value, matches, matches.length === 1);
  if (undecided) return unknown(word, flag, word.value, 'some tests in scope have parameter ids that are not literal');
  if (!complete) return unknown(word, flag, word.value, notes.join('; ') || 'the tests in scope are not all known');
  if (scope.length === 0) return unknown(word, flag, word.value, `no pytest test files found in ${invocation.cwd || 'the workspace folder'}`);
  // Point at the first identifier that matches nothing, to suggest a replacement for it.
  const all = scope.flatMap((t) => [t.test.name, ...t.test.suites]);
  const lowered = all.map((n) => n.toLowerCase());
  const missing = identifiers(expr).find((id) => !lowered.some((n) => n.includes(id.toLowerCase()))) ?? word.value;
  const inWord = word.value.indexOf(missing);
  const nameStart = word.start === null || inWord === -1 ? null : word.start + inWord;
  return {
    status: 'test-not-found',
    word,
    flag,
    text: word.value,
    pattern: true,
    relPath: null,
    name: missing,
    nameStart,
    nameEnd: nameStart === null ? null : nameStart + missing.length,
    message: `-k "${word.value}" matches no test`,
    suggestions: nearest(missing, all),
    stub: null,
  };
}
