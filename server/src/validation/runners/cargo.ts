/**
 * cargo test: `cargo test [options] [FILTER] [-- [--exact] [--skip X] [FILTER...]]`. Filters are substrings
 * (or, with `--exact`, whole names) of the test path `module::path::name`, where the module path comes from
 * the file's place in the crate (`src/a/b.rs` -> `a::b`, `src/a/mod.rs` -> `a`, `tests/it.rs` -> root of the
 * `it` target) and inline `mod` blocks. Targets: `--test NAME` (tests/NAME.rs or tests/NAME/main.rs),
 * `--lib`, `--bin NAME`, `--tests`; packages: `-p NAME` / `--package NAME`, `--manifest-path`.
 */
import type { Word } from '../command';
import type { TestIndex } from '../index';
import { type ArgSpec, has, isPlainName, joinRel, nearest, ok, parseArgs, type Runner, type StubRequest, type TestRef, unknown, values, type Verdict } from './types';

const SPEC: ArgSpec = {
  withValue: new Set([
    '-p', '--package', '--test', '--bin', '--example', '--bench', '--features', '-F', '-j', '--jobs', '--target', '--target-dir', '--manifest-path', '--profile', '--color',
    '--message-format', '--exclude', '-Z', '--config', '--lockfile-path',
  ]),
};

const LIBTEST: ArgSpec = { withValue: new Set(['--skip', '--test-threads', '--format', '-Z', '--color', '--logfile', '--shuffle-seed']) };

interface Crate {
  dir: string;
  name: string | null;
}

function packageName(text: string | null): string | null | undefined {
  if (text === null) return undefined;
  const section = /^\s*\[package\]\s*$([\s\S]*?)(?=^\s*\[|(?![\s\S]))/m.exec(text);
  if (!section) return null;
  return /^\s*name\s*=\s*["']([^"']+)["']/m.exec(section[1])?.[1] ?? null;
}

/** Crates (dirs with a Cargo.toml that has [package]) at or under `cwd`. */
function crates(index: TestIndex, cwd: string): Crate[] {
  const manifests = index.list(cwd, (path) => path.endsWith('Cargo.toml') && (path === 'Cargo.toml' || path.endsWith('/Cargo.toml')));
  const out: Crate[] = [];
  for (const manifest of manifests.files) {
    const dir = manifest === 'Cargo.toml' ? '' : manifest.slice(0, -'/Cargo.toml'.length);
    const name = index.config(manifest, packageName);
    if (name !== undefined && index.configText(manifest)?.match(/^\s*\[package\]/m)) out.push({ dir, name });
  }
  return out;
}

/** Module path of a Rust file within its target. */
export function modulePath(crateDir: string, relPath: string): string[] {
  const inCrate = crateDir === '' ? relPath : relPath.slice(crateDir.length + 1);
  const parts = inCrate.replace(/\.rs$/, '').split('/');
  let rest: string[];
  if (parts[0] === 'src' && parts[1] === 'bin') rest = parts.length === 3 ? [] : parts.slice(3);
  else if (parts[0] === 'tests' || parts[0] === 'examples' || parts[0] === 'benches') rest = parts.length === 2 ? [] : parts.slice(2);
  else rest = parts.slice(1);
  if (rest.length === 1 && (rest[0] === 'lib' || rest[0] === 'main')) return [];
  if (rest[rest.length - 1] === 'mod' || rest[rest.length - 1] === 'main') rest = rest.slice(0, -1);
  return rest;
}

export const cargoRunner: Runner = {
  id: 'cargo',
  check(invocation, index) {
    const parsed = parseArgs(invocation.args, SPEC);
    const libtest = parseArgs(parsed.rest, LIBTEST);
    if (has(parsed, '--doc', '--benches', '--examples', '--example', '--bench')) return [];
    const verdicts: Verdict[] = [];
    let cwd = invocation.cwd;
    const manifest = values(parsed, '--manifest-path')[0]?.value.value;
    if (manifest) cwd = joinRel(cwd, manifest.replace(/\/?Cargo\.toml$/, ''));
    let selected = crates(index, cwd);
    const wanted = values(parsed, '-p', '--package').map((v) => v.value.value.replace(/@.*$/, ''));
    if (wanted.length > 0) {
      const all = crates(index, '');
      selected = all.filter((crate) => crate.name !== null && wanted.includes(crate.name));
      if (selected.length === 0) return values(parsed, '-p', '--package').map(({ flag, value }) => unknown(value, flag.value, value.value, `no package named ${value.value} in the workspace folder`));
    }
    if (selected.length === 0) return [];
    // Files per target kind.
    const files: { relPath: string; crate: Crate }[] = [];
    const onlyLib = has(parsed, '--lib');
    const tests = values(parsed, '--test');
    const bins = values(parsed, '--bin');
    const explicitTargets = onlyLib || tests.length > 0 || bins.length > 0;
    for (const crate of selected) {
      const under = (dir: string) => index.list(joinRel(crate.dir, dir), (path) => path.endsWith('.rs')).files;
      if (!explicitTargets || onlyLib || has(parsed, '--tests')) files.push(...under('src').filter((p) => !p.includes('/src/bin/') && !p.startsWith('src/bin/')).map((relPath) => ({ relPath, crate })));
      if (!explicitTargets || has(parsed, '--tests', '--bins')) {
        files.push(...under('src/bin').map((relPath) => ({ relPath, crate })));
        files.push(...under('tests').map((relPath) => ({ relPath, crate })));
      }
      for (const { value } of bins) {
        const candidates = [`src/bin/${value.value}.rs`, `src/bin/${value.value}/main.rs`, 'src/main.rs'].map((p) => joinRel(crate.dir, p));
        for (const candidate of candidates) if (index.kind(candidate) === 'file') files.push({ relPath: candidate, crate });
      }
      for (const { flag, value } of tests) {
        const single = joinRel(crate.dir, `tests/${value.value}.rs`);
        const dir = joinRel(crate.dir, `tests/${value.value}`);
        if (index.kind(single) === 'file') {
          files.push({ relPath: single, crate });
          verdicts.push({ ...ok(value, flag.value, value.value, []), location: { relPath: single, line: 1, column: 0 } } as Verdict);
        } else if (index.kind(`${dir}/main.rs`) === 'file') {
          files.push(...index.list(dir, (p) => p.endsWith('.rs')).files.map((relPath) => ({ relPath, crate })));
          verdicts.push({ ...ok(value, flag.value, value.value, []), location: { relPath: `${dir}/main.rs`, line: 1, column: 0 } } as Verdict);
        } else if (/\[\[test\]\]/.test(index.configText(joinRel(crate.dir, 'Cargo.toml')) ?? '')) {
          verdicts.push(unknown(value, flag.value, value.value, 'Cargo.toml declares [[test]] targets; their paths are not followed'));
        } else {
          const existing = index.list(joinRel(crate.dir, 'tests'), (p) => p.endsWith('.rs'), false).files.map((p) => p.slice(p.lastIndexOf('/') + 1, -3));
          verdicts.push({ status: 'file-missing', word: value, flag: flag.value, text: value.value, relPath: single, message: `no test target ${value.value} (tests/${value.value}.rs does not exist)`, suggestions: nearest(value.value, existing), stub: null });
        }
      }
    }
    const filters: Word[] = [...parsed.positional, ...libtest.positional];
    if (filters.length === 0) return verdicts;
    const exact = has(libtest, '--exact');
    const skips = values(libtest, '--skip').map((v) => v.value.value);
    const all: { ref: TestRef; fullName: string }[] = [];
    let complete = true;
    const notes: string[] = [];
    let dynamic = false;
    for (const { relPath, crate } of files) {
      const found = index.fileTests(relPath);
      if (found === undefined || !found.ok) {
        complete = false;
        notes.push(found === undefined ? 'the Rust grammar is still loading' : found.message);
        continue;
      }
      if (!found.complete) {
        complete = false;
        notes.push(...found.notes.map((note) => `${relPath}: ${note}`));
      }
      const prefix = modulePath(crate.dir, relPath);
      for (const test of found.tests) {
        if (test.dynamic) dynamic = true;
        const fullName = [...prefix, ...test.suites, test.name].join('::');
        all.push({ ref: { relPath, test, id: fullName, line: test.line, column: test.column }, fullName });
      }
    }
    for (const filter of filters) {
      const match = (name: string) => (exact ? name === filter.value : name.includes(filter.value)) && !skips.some((skip) => (exact ? name === skip : name.includes(skip)));
      const matches = all.filter((entry) => match(entry.fullName)).map((entry) => entry.ref);
      if (matches.length > 0) {
        verdicts.push(ok(filter, null, filter.value, matches, matches.length === 1));
        continue;
      }
      if (dynamic) {
        verdicts.push(unknown(filter, null, filter.value, 'some tests are generated (rstest, test_case); their names are only known at run time'));
        continue;
      }
      if (!complete) {
        verdicts.push(unknown(filter, null, filter.value, notes.join('; ')));
        continue;
      }
      if (mayNameDocTest(index, files.map((f) => f.relPath), filter.value)) {
        verdicts.push(unknown(filter, null, filter.value, 'the filter may name a doc test'));
        continue;
      }
      const segments = filter.value.split('::');
      const name = segments[segments.length - 1];
      let stub: StubRequest | null = null;
      if (isPlainName(name) && /^[A-Za-z_]\w*$/.test(name) && selected.length === 1) {
        const crate = selected[0];
        const target = tests.length === 1 ? joinRel(crate.dir, `tests/${tests[0].value.value}.rs`) : ['src/lib.rs', 'src/main.rs'].map((p) => joinRel(crate.dir, p)).find((p) => index.kind(p) === 'file');
        if (target) stub = { runner: 'cargo', relPath: target, create: false, name, suites: segments.slice(0, -1).filter((s) => /^[A-Za-z_]\w*$/.test(s)) };
      }
      verdicts.push({
        status: 'test-not-found',
        word: filter,
        flag: null,
        text: filter.value,
        pattern: !exact,
        relPath: null,
        name: filter.value,
        nameStart: filter.start,
        nameEnd: filter.end,
        message: `cargo test filter "${filter.value}" matches no test`,
        suggestions: nearest(filter.value, [...all.map((entry) => entry.fullName), ...all.map((entry) => entry.ref.test.name)]),
        stub,
      });
    }
    return verdicts;
  },
  names(invocation, index) {
    const out: TestRef[] = [];
    for (const crate of crates(index, invocation.cwd)) {
      for (const relPath of index.list(crate.dir, (p) => p.endsWith('.rs') && /(?:^|\/)(?:src|tests)\//.test(p)).files) {
        const found = index.fileTests(relPath);
        if (!found?.ok) continue;
        const prefix = modulePath(crate.dir, relPath);
        for (const test of found.tests) out.push({ relPath, test, id: [...prefix, ...test.suites, test.name].join('::'), line: test.line, column: test.column });
      }
    }
    return out;
  },
};

/** A doc test's name is `path - item (line N)`: a filter may be aimed at one when the crate has doc examples. */
function mayNameDocTest(index: TestIndex, files: string[], filter: string): boolean {
  if (filter.includes(' - ') || filter.includes('(line')) return true;
  return files.some((file) => /^\s*\/\/[/!]\s*```/m.test(index.configText(file) ?? ''));
}
