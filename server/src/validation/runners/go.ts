/**
 * go test: packages (`./...`, `./pkg/...`, `./pkg/foo`, `.`, import paths under the module in go.mod,
 * `_test.go` files), `-run` (and `--run`, `-test.run`, `-run=...`): a regular expression split at
 * unbracketed `/` into one pattern per subtest level, each matched unanchored against the (rewritten)
 * names of that level, as `go test` does, on re2js (Go's own RE2 syntax and linear-time matching).
 */
import type { Word } from '../command';
import type { DiscoveredTest } from '../discovery/types';
import type { TestIndex } from '../index';
import { goPattern, type LinearPattern } from '../patterns';
import { type ArgSpec, baseName, isPlainName, joinRel, nearest, ok, parseArgs, type Runner, type StubRequest, type TestRef, unknown, values, type Verdict } from './types';

const SPEC: ArgSpec = {
  withValue: new Set([
    '-run', '-skip', '-bench', '-count', '-timeout', '-tags', '-coverprofile', '-covermode', '-coverpkg', '-p', '-parallel', '-cpu', '-shuffle', '-list', '-o', '-exec',
    '-ldflags', '-gcflags', '-asmflags', '-mod', '-modfile', '-C', '-benchtime', '-blockprofile', '-cpuprofile', '-memprofile', '-mutexprofile', '-outputdir', '-trace',
    '-fuzz', '-fuzztime', '-fuzzminimizetime', '-vet', '-pkgdir', '-toolexec', '-overlay', '-pgo', '-benchmem.x',
  ]),
  aliases: { '--run': '-run', '-test.run': '-run', '--C': '-C', '--skip': '-skip', '--list': '-list', '--bench': '-bench' },
};
for (const option of [...SPEC.withValue]) (SPEC.withValue as Set<string>).add(`-${option}`);

/** Go's splitRegexp: `/` outside brackets and parentheses separates subtest levels. */
export function splitGoPattern(pattern: string): string[] {
  const out: string[] = [];
  let current = '';
  let brackets = 0;
  let parens = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      current += c + pattern[++i];
      continue;
    }
    if (c === '[') brackets++;
    else if (c === ']' && brackets > 0) brackets--;
    else if (c === '(' && brackets === 0) parens++;
    else if (c === ')' && brackets === 0) parens--;
    else if (c === '/' && brackets === 0 && parens === 0) {
      out.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  out.push(current);
  return out;
}

interface GoPackage {
  relDir: string;
  files: string[];
}

/** The module root (root-relative dir holding go.mod) and module path, searching up from `cwd`. */
function goModule(index: TestIndex, cwd: string): { dir: string; path: string } | null {
  let dir = cwd;
  for (;;) {
    const module = index.config(dir === '' ? 'go.mod' : `${dir}/go.mod`, (text) => (text === null ? null : /^\s*module\s+("?)([^\s"]+)\1/m.exec(text)?.[2] ?? null));
    if (module) return { dir, path: module };
    if (dir === '') return null;
    dir = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
  }
}

const isTestFile = (path: string) => path.endsWith('_test.go');

function packagesOf(index: TestIndex, relDir: string, recursive: boolean): GoPackage[] {
  const files = index.list(relDir, (path) => isTestFile(path) && !/(?:^|\/)(?:testdata|_[^/]*|vendor)\//.test(path.slice(relDir.length)), recursive).files;
  const byDir = new Map<string, string[]>();
  for (const file of files) {
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
    byDir.set(dir, [...(byDir.get(dir) ?? []), file]);
  }
  return [...byDir].map(([dir, list]) => ({ relDir: dir, files: list }));
}

function loadTests(index: TestIndex, files: string[]): { tests: DiscoveredTest[]; refs: Map<DiscoveredTest, string>; complete: boolean; notes: string[] } {
  const tests: DiscoveredTest[] = [];
  const refs = new Map<DiscoveredTest, string>();
  let complete = true;
  const notes: string[] = [];
  for (const file of files) {
    const found = index.fileTests(file);
    if (found === undefined || !found.ok) {
      complete = false;
      notes.push(found === undefined ? 'the Go grammar is still loading' : found.message);
      continue;
    }
    if (!found.complete) {
      complete = false;
      notes.push(...found.notes.map((note) => `${file}: ${note}`));
    }
    for (const test of found.tests) {
      tests.push(test);
      refs.set(test, file);
    }
  }
  return { tests, refs, complete, notes };
}

/** Whether a test (with its subtests) matches the split `-run` levels: true, false, or null (unknown). */
function matchLevels(test: DiscoveredTest, levels: LinearPattern[], depth: number): boolean | null {
  if (!levels[depth].test(test.name)) return false;
  if (depth === levels.length - 1) return true;
  let undecided = test.dynamicChildren;
  for (const child of test.children) {
    const result = matchLevels(child, levels, depth + 1);
    if (result === true) return true;
    if (result === null) undecided = true;
  }
  return undecided ? null : false;
}

export const goRunner: Runner = {
  id: 'go',
  check(invocation, index) {
    const parsed = parseArgs(argsBeforeArgs(invocation.args), SPEC);
    const chdir = values(parsed, '-C')[0]?.value.value;
    const cwd = chdir ? joinRel(invocation.cwd, chdir) : invocation.cwd;
    const verdicts: Verdict[] = [];
    const packages: GoPackage[] = [];
    let scopeComplete = true;
    const positional = parsed.positional.length > 0 ? parsed.positional : [{ value: '.', start: null, end: null } as Word];
    const goFiles = positional.filter((word) => word.value.endsWith('.go'));
    if (goFiles.length > 0) {
      const files: string[] = [];
      for (const word of goFiles) {
        const resolved = index.resolve(cwd, word.value);
        if ('escapes' in resolved) {
          verdicts.push(unknown(word, null, word.value, resolved.escapes));
          scopeComplete = false;
        } else if (index.kind(resolved.relPath) !== 'file') {
          verdicts.push({ status: 'file-missing', word, flag: null, text: word.value, relPath: resolved.relPath, message: `${word.value} does not exist`, suggestions: [], stub: null });
        } else {
          files.push(resolved.relPath);
          verdicts.push({ ...ok(word, null, word.value, []), location: { relPath: resolved.relPath, line: 1, column: 0 } } as Verdict);
        }
      }
      packages.push({ relDir: cwd, files: files.filter(isTestFile) });
    }
    for (const word of positional.filter((w) => !w.value.endsWith('.go'))) {
      let pattern = word.value;
      const module = goModule(index, cwd);
      if (!pattern.startsWith('.') && !pattern.startsWith('/')) {
        if (module && (pattern === module.path || pattern.startsWith(`${module.path}/`))) {
          pattern = `./${joinRel(module.dir, pattern.slice(module.path.length + 1))}`;
        } else {
          verdicts.push(unknown(word, null, word.value, `${word.value} is not a package of this module`));
          scopeComplete = false;
          continue;
        }
      }
      const recursive = pattern === '...' || pattern.endsWith('/...');
      const dirPart = recursive ? pattern.replace(/\/?\.\.\.$/, '') || '.' : pattern;
      const base = module && !word.value.startsWith('.') ? '' : cwd;
      const resolved = index.resolve(base, dirPart);
      if ('escapes' in resolved) {
        verdicts.push(unknown(word, null, word.value, resolved.escapes));
        scopeComplete = false;
        continue;
      }
      if (index.kind(resolved.relPath) !== 'dir') {
        verdicts.push({ status: 'file-missing', word, flag: null, text: word.value, relPath: resolved.relPath, message: `package directory ${dirPart} does not exist`, suggestions: [], stub: null });
        continue;
      }
      const found = packagesOf(index, resolved.relPath, recursive);
      packages.push(...found);
      if (word.start !== null) verdicts.push(ok(word, null, word.value, []));
    }
    for (const { flag, value } of values(parsed, '-run')) {
      verdicts.push(checkRun(index, value, flag.value, packages, scopeComplete));
    }
    return verdicts;
  },
  names(invocation, index) {
    const parsed = parseArgs(argsBeforeArgs(invocation.args), SPEC);
    const dirs = parsed.positional.length > 0 ? parsed.positional.map((w) => w.value) : ['.'];
    const out: TestRef[] = [];
    for (const dir of dirs) {
      const recursive = dir.endsWith('...');
      const resolved = index.resolve(invocation.cwd, dir.replace(/\/?\.\.\.$/, '') || '.');
      if ('escapes' in resolved) continue;
      for (const pkg of packagesOf(index, resolved.relPath, recursive)) {
        const { tests, refs } = loadTests(index, pkg.files);
        for (const test of tests) {
          if (test.testKind === 'benchmark') continue;
          out.push({ relPath: refs.get(test)!, test, id: test.name, line: test.line, column: test.column });
          for (const child of test.children) out.push({ relPath: refs.get(test)!, test: child, id: `${test.name}/${child.name}`, line: child.line, column: child.column });
        }
      }
    }
    return out;
  },
};

function argsBeforeArgs(args: Word[]): Word[] {
  const at = args.findIndex((word) => word.value === '-args' || word.value === '--args');
  return at === -1 ? args : args.slice(0, at);
}

function checkRun(index: TestIndex, word: Word, flag: string, packages: GoPackage[], scopeComplete: boolean): Verdict {
  const parts = splitGoPattern(word.value);
  const levels: LinearPattern[] = [];
  for (const part of parts) {
    const compiled = goPattern(part);
    if ('unknown' in compiled) return unknown(word, flag, word.value, compiled.unknown);
    levels.push(compiled.pattern);
  }
  const files = packages.flatMap((pkg) => pkg.files);
  const { tests, refs, complete, notes } = loadTests(index, files);
  const runnable = tests.filter((test) => test.testKind !== 'benchmark');
  const matches: TestRef[] = [];
  let undecided = false;
  for (const test of runnable) {
    const result = matchLevels(test, levels, 0);
    if (result === true) matches.push({ relPath: refs.get(test)!, test, id: test.name, line: test.line, column: test.column });
    if (result === null) undecided = true;
  }
  if (matches.length > 0) return ok(word, flag, word.value, matches, matches.length === 1);
  if (undecided) return unknown(word, flag, word.value, 'some subtests have names that are only known at run time');
  if (!complete || !scopeComplete) return unknown(word, flag, word.value, notes.join('; ') || 'the packages in scope are not all known');
  if (files.length === 0) return unknown(word, flag, word.value, 'no _test.go files in the selected packages');
  // Which level failed? Suggest names at that level.
  const top = runnable.filter((test) => levels[0].test(test.name));
  const failedLevel = top.length > 0 ? 1 : 0;
  const candidates = failedLevel === 0 ? runnable.map((t) => t.name) : top.flatMap((t) => t.children.map((c) => c.name));
  const missing = parts[failedLevel] ?? word.value;
  const offsetInWord = parts.slice(0, failedLevel).reduce((sum, part) => sum + part.length + 1, 0);
  const nameStart = word.start === null ? null : word.start + offsetInWord;
  const plain = missing.replace(/^\^/, '').replace(/\$$/, '');
  let stub: StubRequest | null = null;
  if (failedLevel === 0 && isPlainName(plain) && /^Test[A-Z_0-9]/.test(plain) && packages.length === 1) {
    const pkg = packages[0];
    stub = { runner: 'go', relPath: pkg.files[0] ?? `${pkg.relDir}/${baseName(pkg.relDir) || 'main'}_test.go`, create: pkg.files.length === 0, name: plain, suites: [] };
  }
  return {
    status: 'test-not-found',
    word,
    flag,
    text: word.value,
    pattern: true,
    relPath: packages.length === 1 && packages[0].files.length === 1 ? packages[0].files[0] : null,
    name: missing,
    nameStart,
    nameEnd: nameStart === null ? null : nameStart + missing.length,
    message: failedLevel === 0 ? `-run "${word.value}" matches no test` : `-run "${word.value}": ${top.map((t) => t.name).join(', ')} has no subtest matching "${missing}"`,
    suggestions: nearest(plain, candidates),
    stub,
  };
}
