/**
 * Name filters taken from a document (`-t`, `--grep`, `-run`) are patterns an attacker controls. They run
 * on a linear-time engine: a catastrophic-backtracking pattern next to a test whose name would make
 * JavaScript's engine take minutes checks at once, through the built CLI, with no finding for it. A
 * filter that simply matches nothing still gets its finding (the filters are really checked). Run
 * `npm run build` first.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { backtrackingRisk, fnmatchPattern, goPattern, jsPattern, slashFormPattern } from '../../server/src/validation/patterns';

const BIN = resolve(__dirname, '..', '..', 'bin', 'docplan.js');
// 30 characters that almost match `^(a+)+$`: JavaScript's engine needs about 2^30 steps to give up.
const NEAR_MISS = `${'a'.repeat(29)}!`;
const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'docplan-hostile-'));
  roots.push(root);
  for (const [path, text] of Object.entries({ '.docplan.json': '{}\n', ...files })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function plan(commands: string[]): string {
  return [
    '# Plan: Names',
    '',
    '**Goal**: the name tests pass.',
    '',
    '## Stage 1: Names',
    '',
    '### Objective',
    '',
    'Check names.',
    '',
    '### Changes',
    '',
    '- [ ] Write the tests',
    '',
    '### Validation',
    '',
    ...commands.map((command) => `- [ ] \`${command}\``),
    '',
  ].join('\n');
}

interface JsonFinding {
  code: string;
  message: string;
  range: { start: { line: number } };
}

/** `docplan check --format json` as a child process; a 10 s timeout catches exponential matching. */
function check(root: string): JsonFinding[] {
  const result = spawnSync(process.execPath, [BIN, 'check', '--format', 'json', 'PLAN.md'], { cwd: root, encoding: 'utf8', timeout: 10_000 });
  assert.equal(result.error, undefined, `docplan check did not finish: ${String(result.error)}`);
  assert.ok(result.status === 0 || result.status === 1, result.stderr);
  const report = JSON.parse(result.stdout) as { diagnostics: JsonFinding[] }[];
  return report.flatMap((file) => file.diagnostics);
}

function testFindingsOn(findings: JsonFinding[], text: string, command: string): JsonFinding[] {
  const line = text.split('\n').findIndex((l) => l.includes(command));
  assert.notEqual(line, -1);
  return findings.filter((finding) => finding.range.start.line === line && finding.code.startsWith('test-'));
}

describe('hostile name filters through the CLI', () => {
  const cases: { runner: string; files: Record<string, string>; hostile: string; missing: string }[] = [
    {
      runner: 'vitest',
      files: { 'tests/names.test.ts': `import { it } from 'vitest';\nit('${NEAR_MISS}', () => {});\n` },
      hostile: 'npx vitest run tests/names.test.ts -t "^(a+)+$"',
      missing: 'npx vitest run tests/names.test.ts -t "^no such name$"',
    },
    {
      runner: 'jest',
      files: { 'tests/names.test.js': `test('${'x'.repeat(29)}y', () => {});\n` },
      hostile: 'npx jest tests/names.test.js -t "^(x|xx)+$"',
      missing: 'npx jest tests/names.test.js -t "^no such name$"',
    },
    {
      runner: 'mocha',
      files: { 'test/names.spec.js': `it('${'b'.repeat(29)}c', () => {});\n` },
      hostile: 'npx mocha test/names.spec.js --grep "/^(b*)*$/"',
      missing: 'npx mocha test/names.spec.js --grep "/^no such name$/"',
    },
    {
      runner: 'go',
      files: {
        'go.mod': 'module example.com/names\n\ngo 1.22\n',
        'names_test.go': `package names\n\nimport "testing"\n\nfunc TestNames(t *testing.T) {\n\tt.Run("${'a'.repeat(29)}!", func(t *testing.T) {})\n}\n`,
      },
      // Go's engine cannot run a backreference: DocPlan cannot either, so it does not guess.
      hostile: 'go test ./... -run "^TestNames$/^(a+)\\1(a+)+$"',
      missing: 'go test ./... -run "^TestNames$/^nothing$"',
    },
  ];
  for (const { runner, files, hostile, missing } of cases) {
    it(`${runner}: a backtracking bomb gives no finding, and the check finishes`, () => {
      const text = plan([hostile, missing]);
      const findings = check(workspace({ ...files, 'PLAN.md': text }));
      assert.deepEqual(testFindingsOn(findings, text, hostile), []);
      assert.deepEqual(testFindingsOn(findings, text, missing).map((f) => f.code), ['test-not-found']);
    });
  }

  it('node --test: a glob with many wildcards next to a long file name gives no finding', () => {
    // picomatch's backtracking regex for 8 stars takes tens of seconds on a 60-character name.
    const bomb = `node --test "tests/${'a*'.repeat(8)}b.test.js"`;
    const text = plan([bomb]);
    const findings = check(workspace({ [`tests/${'a'.repeat(60)}.test.js`]: "test('x', () => {});\n", 'PLAN.md': text }));
    assert.deepEqual(testFindingsOn(findings, text, bomb), []);
  });

  it('jest: a backtracking path pattern that selects no file gives no finding; a plain one does', () => {
    const bomb = `npx jest "^tests/(a+)+$"`;
    const plain = 'npx jest tests/no_such_dir/';
    const text = plan([bomb, plain]);
    const findings = check(workspace({ [`tests/${'a'.repeat(29)}!.test.js`]: "test('x', () => {});\n", 'PLAN.md': text }));
    assert.deepEqual(testFindingsOn(findings, text, bomb), []);
    assert.deepEqual(testFindingsOn(findings, text, plain).map((f) => f.code), ['test-file-missing']);
  });

  it('go: a backtracking bomb that Go itself runs in linear time gives the miss Go would give', () => {
    // `go test` matches with RE2 too, so it would select nothing at once: the finding is right.
    const bomb = 'go test ./... -run "^TestNames$/^(a+)+$"';
    const text = plan([bomb]);
    const findings = check(workspace({ ...cases[3].files, 'PLAN.md': text }));
    assert.deepEqual(testFindingsOn(findings, text, bomb).map((f) => f.code), ['test-not-found']);
  });
});

describe('linear-time patterns keep the runners\' semantics', () => {
  const compiled = (result: ReturnType<typeof jsPattern>) => {
    assert.ok('pattern' in result, 'unknown' in result ? result.unknown : '');
    return result.pattern;
  };
  it('JavaScript syntax: unanchored, case flag, `.` stops at line ends, \\u escapes, named groups', () => {
    assert.ok(compiled(jsPattern('add')).test('math adds'));
    assert.ok(!compiled(jsPattern('^add')).test('math adds'));
    assert.ok(compiled(jsPattern('ADDS', 'i')).test('math adds'));
    assert.ok(!compiled(jsPattern('ADDS')).test('math adds'));
    assert.ok(!compiled(jsPattern('a.b')).test('a\nb'));
    assert.ok(compiled(jsPattern('a.b', 's')).test('a\nb'));
    assert.ok(compiled(jsPattern('\\u0041\\u{42}')).test('AB'));
    assert.ok(compiled(jsPattern('(?<word>\\w+) \\d')).test('case 1'));
    assert.ok(compiled(jsPattern('a\\sb')).test('a\u00a0b'));
    assert.ok(compiled(jsPattern('[^]x')).test('\nx'));
    assert.ok(compiled(slashFormPattern('/ADDS$/i')).test('math adds'));
  });
  it('backreferences and lookaround are unknown, invalid syntax says so', () => {
    for (const source of ['(a)\\1', '(?<n>a)\\k<n>', 'a(?=b)', 'a(?!b)', '(?<=a)b', '(?<!a)b']) {
      const result = jsPattern(source);
      assert.ok('unknown' in result && /linear|backreference|lookaround/.test(result.unknown), source);
    }
    const invalid = jsPattern('(unclosed');
    assert.ok('unknown' in invalid && invalid.unknown.includes('not a valid regular expression'));
  });
  it('patterns a backtracking engine may never finish are told apart from ordinary ones', () => {
    for (const risky of ['^(a+)+$', '(x|xx)*y', '/^(b*)*$/', '(?:\\w+\\s?){2,}$', '((ab)*c)+']) assert.ok(backtrackingRisk(risky), risky);
    for (const plain of ['^adds (one|two)$', 'a+b*c?', '(abc)+', '[(a+)]+', '\\(a+\\)+', '(a+){1,1}']) assert.ok(!backtrackingRisk(plain), plain);
  });
  it('pytest naming globs are fnmatch patterns, anchored', () => {
    assert.ok(fnmatchPattern('check_*.py').test('check_add.py'));
    assert.ok(!fnmatchPattern('check_*.py').test('a_check_add.py'));
    assert.ok(fnmatchPattern('t[!x]st_?.py').test('test_1.py'));
    assert.ok(!fnmatchPattern('t[!x]st_?.py').test('txst_1.py'));
    assert.ok(!fnmatchPattern(`${'a*'.repeat(20)}b`).test('a'.repeat(5000)));
  });
  it('Go syntax is read as Go reads it', () => {
    assert.ok(compiled(goPattern('(?i)^testadd$')).test('TestAdd'));
    assert.ok(compiled(goPattern('Add\\z')).test('TestAdd'));
    assert.ok('unknown' in goPattern('(a)\\1'));
  });
});
