/**
 * Validation commands checked against the real tests: command parsing (shell-quote, wrappers, chains),
 * discovery per language (tree-sitter), each runner's selectors (found, file missing, name missing,
 * pattern matching nothing, parametrized and nested names), severities, stubs, completion, hover/links,
 * caching. Then cross-checks: where our discovery and the real runner (pytest, vitest, jest, mocha,
 * node --test, go test, cargo test) must agree on the fixture projects. A missing runner FAILS its
 * cross-check with a message saying what to install; nothing is skipped.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Command, Stage } from '../../server/src/model/types';
import { analyzeCommand, type Invocation } from '../../server/src/validation/command';
import { TestIndex } from '../../server/src/validation/index';
import { loadAllGrammars } from '../../server/src/workspace/treeSitter';
import { evaluateKeyword, parseKeywordExpression } from '../../server/src/validation/runners/pytestKeyword';
import { splitGoPattern } from '../../server/src/validation/runners/go';
import { goPattern } from '../../server/src/validation/patterns';
import { modulePath } from '../../server/src/validation/runners/cargo';
import {
  checkCommand,
  commandOffsetRange,
  completeTestName,
  findingSeverity,
  planStub,
  verdictAt,
  verdictHover,
  verdictLinks,
  type Verdict,
} from '../../server/src/validation/runners/index';
import type { FileTests } from '../../server/src/validation/discovery/types';

const FIXTURES = resolve(__dirname, '..', 'fixtures', 'validation');
const REPO = resolve(__dirname, '..', '..');
const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function tempTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'docplan-val-'));
  temps.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const indexes = new Map<string, TestIndex>();
function indexFor(name: string): TestIndex {
  let index = indexes.get(name);
  if (!index) {
    index = new TestIndex(join(FIXTURES, name));
    indexes.set(name, index);
  }
  return index;
}

before(async () => {
  await loadAllGrammars();
});

/** All verdicts of a command, flattened. */
function verdicts(index: TestIndex, command: string): Verdict[] {
  const check = checkCommand(command, index);
  assert.equal(check.analysis.status, 'ok', `not understood: ${command}: ${check.analysis.status === 'unsupported' ? check.analysis.reason : ''}`);
  return check.results.flatMap((result) => result.verdicts);
}

function only(index: TestIndex, command: string, status: Verdict['status']): Verdict {
  const list = verdicts(index, command).filter((verdict) => verdict.status !== 'ok' || status === 'ok');
  const found = list.find((verdict) => verdict.status === status);
  assert.ok(found, `${command}: expected a ${status} verdict, got ${JSON.stringify(list.map((v) => [v.status, v.text, 'reason' in v ? v.reason : '']))}`);
  return found;
}

function allOk(index: TestIndex, command: string): void {
  const bad = verdicts(index, command).filter((verdict) => verdict.status !== 'ok');
  assert.deepEqual(bad.map((v) => [v.status, v.text, 'reason' in v ? v.reason : 'message' in v ? v.message : '']), [], command);
}

function tests(index: TestIndex, relPath: string): FileTests {
  const found = index.fileTests(relPath);
  assert.ok(found && found.ok, `${relPath} not discovered`);
  return found;
}

// -------------------------------------------------------------------------------------------------------
describe('command: shell parsing to a runner invocation', () => {
  const one = (text: string, readScript?: (cwd: string, name: string) => string | null): Invocation => {
    const analysis = analyzeCommand(text, { readScript });
    assert.equal(analysis.status, 'ok', analysis.status === 'unsupported' ? analysis.reason : '');
    assert.equal(analysis.status === 'ok' && analysis.invocations.length, 1);
    return (analysis as { invocations: Invocation[] }).invocations[0];
  };
  it('strips wrappers, env and finds the runner', () => {
    const inv = one('cd api && FOO=1 uv run --with pytest-xdist pytest "tests/x.py::TestA::test_b[a-1]" -k "a and not b" | tee log.txt');
    assert.equal(inv.runner, 'pytest');
    assert.equal(inv.cwd, 'api');
    assert.deepEqual(inv.env, { FOO: '1' });
    assert.deepEqual(inv.args.map((w) => w.value), ['tests/x.py::TestA::test_b[a-1]', '-k', 'a and not b']);
    const text = 'cd api && FOO=1 uv run --with pytest-xdist pytest "tests/x.py::TestA::test_b[a-1]" -k "a and not b" | tee log.txt';
    const word = inv.args[0];
    assert.equal(text.slice(word.start!, word.end!), 'tests/x.py::TestA::test_b[a-1]');
    assert.equal(text.slice(inv.args[2].start!, inv.args[2].end!), 'a and not b');
  });
  it('knows the wrappers of each ecosystem', () => {
    assert.equal(one('poetry run python -m pytest tests').runner, 'pytest');
    assert.equal(one('python3 -m pytest -x').runner, 'pytest');
    assert.equal(one('npx vitest run src/sum.test.ts -t "adds numbers"').runner, 'vitest');
    assert.equal(one('pnpm exec jest -t x').runner, 'jest');
    assert.equal(one('yarn mocha --grep x').runner, 'mocha');
    assert.equal(one('node --import tsx --test test/unit/*.test.ts').runner, 'node-test');
    assert.equal(one('go test ./pkg/... -run TestFoo').runner, 'go');
    assert.equal(one('cargo test --test integration end_to_end -- --exact').runner, 'cargo');
    assert.equal(one('env CI=1 time go test .').runner, 'go');
    assert.equal(one('./node_modules/.bin/jest x').runner, 'jest');
    assert.equal(one('go test ./... 2>&1 | grep FAIL').runner, 'go');
  });
  it('resolves npm/pnpm/yarn scripts and appends the extra arguments', () => {
    const scripts: Record<string, string> = { test: 'vitest run', unit: 'cross-env CI=1 jest', 'test:node': 'node --test' };
    const read = (_cwd: string, name: string) => scripts[name] ?? null;
    const inv = one('npm test -- src/sum.test.ts -t "adds numbers"', read);
    assert.equal(inv.runner, 'vitest');
    assert.deepEqual(inv.args.map((w) => w.value), ['src/sum.test.ts', '-t', 'adds numbers']);
    assert.notEqual(inv.args[0].start, null, 'extra arguments keep their offsets');
    assert.equal(one('yarn test -t x', read).runner, 'vitest');
    assert.equal(one('npm run test:node', read).runner, 'node-test');
    const unknownScript = analyzeCommand('npm run unit -- -t x', { readScript: read });
    assert.equal(unknownScript.status, 'unsupported', 'cross-env is not a known wrapper: unsupported, not a crash');
    assert.equal(analyzeCommand('npm test').status, 'unsupported');
  });
  it('answers unsupported, with a reason, for what it cannot know', () => {
    const cases: [string, string][] = [
      ['pytest $(git diff --name-only)', 'substitution'],
      ['pytest `ls tests`', 'substitution'],
      ['pytest "$TEST_FILE"', 'variable'],
      ['cd $ROOT && pytest', 'variable'],
      ['make test', 'unknown-runner'],
      ['pytest "unterminated', 'syntax'],
      ['', 'empty'],
      ['(cd x && pytest)', 'subshell'],
      ['python -m unittest discover', 'unknown-runner'],
      ['cd /tmp && pytest', 'syntax'],
    ];
    for (const [text, kind] of cases) {
      const analysis = analyzeCommand(text);
      assert.equal(analysis.status, 'unsupported', text);
      assert.equal(analysis.status === 'unsupported' && analysis.kind, kind, text);
      assert.ok(analysis.status === 'unsupported' && analysis.reason.length > 10);
    }
    // A variable in an environment value is harmless.
    assert.equal(analyzeCommand('PYTHONPATH=$PWD pytest tests').status, 'ok');
  });
  it('never throws on hostile input', () => {
    for (const text of ['&&', '|||', ';;;', '\\', '"', "'", 'pytest \0', '$((', 'x'.repeat(20000), 'pytest ' + '"a" '.repeat(2000), '>>', 'cd .. && pytest', 'a=b', '# comment']) {
      const analysis = analyzeCommand(text);
      assert.ok(analysis.status === 'ok' || analysis.status === 'unsupported');
      checkCommand(text, indexFor('python'));
    }
  });
  it('maps word offsets to document ranges for one-line commands only', () => {
    const command = { text: 'pytest a.py', range: { start: { line: 3, character: 5 }, end: { line: 3, character: 16 } } } as Command;
    assert.deepEqual(commandOffsetRange(command, 7, 11), { start: { line: 3, character: 12 }, end: { line: 3, character: 16 } });
    assert.equal(commandOffsetRange({ ...command, range: { start: { line: 3, character: 5 }, end: { line: 4, character: 2 } } }, 7, 11), null);
    assert.equal(commandOffsetRange(command, null, 3), null);
  });
});

// -------------------------------------------------------------------------------------------------------
describe('discovery: tree-sitter per language', () => {
  it('python: functions, classes, nested classes, unittest, markers, parametrize ids', () => {
    const found = tests(indexFor('python'), 'tests/test_calc.py');
    assert.equal(found.complete, true);
    const byName = new Map(found.tests.map((t) => [[...t.suites, t.name].join('::'), t]));
    assert.ok(byName.has('test_add'));
    assert.ok(byName.has('TestCalc::test_sub'));
    assert.ok(byName.has('TestCalc::TestNested::test_deep'));
    assert.ok(!byName.has('TestCalc::helper'));
    assert.ok(!byName.has('TestWithInit::test_never_collected'), 'classes with __init__ are not collected');
    assert.deepEqual(byName.get('test_add_params')!.params, ['1-2-3', '-1-1-0', '0.5-0.5-1.0']);
    assert.deepEqual(byName.get('test_stacked')!.params!.sort(), ['a-0', 'a-1', 'b-0', 'b-1']);
    assert.deepEqual(byName.get('test_param_ids')!.params, ['one', 'two', '3', 'True', 'None']);
    assert.deepEqual(byName.get('test_explicit_ids')!.params, ['dict', 'case1']);
    assert.equal(byName.get('test_dynamic')!.dynamic, true);
    assert.deepEqual(byName.get('TestParamClass::test_mul')!.params!.sort(), ['10-1', '10-2']);
    assert.deepEqual(byName.get('test_add_large')!.markers, ['slow']);
    const strings = tests(indexFor('python'), 'tests/unit/test_strings.py');
    assert.deepEqual(strings.tests.map((t) => [...t.suites, t.name].join('::')), ['StringCase::test_upper', 'test_join']);
  });
  it('javascript/typescript: nested describes, modifiers, .each templates, node subtests', () => {
    const sum = tests(indexFor('vitest'), 'src/sum.test.ts');
    assert.deepEqual(sum.tests.map((t) => [...t.suites, t.name].join(' > ')), ['adds numbers', 'sum > handles negatives', 'sum > with floats > adds halves', 'sum > with floats > rounds "exactly"']);
    assert.deepEqual(sum.imports, [{ source: 'vitest', names: ['describe', 'expect', 'it', 'test'] }, { source: './sum', names: ['sum'] }]);
    const table = tests(indexFor('vitest'), 'src/table.test.ts');
    assert.equal(table.tests[0].dynamic, true);
    assert.ok(table.tests[0].namePattern!.test('adds 1 + 1'));
    const queue = tests(indexFor('node-test'), 'test/queue.test.mjs');
    const top = queue.tests.find((t) => t.name === 'top level with subtests')!;
    assert.deepEqual(top.children.map((c) => c.name), ['first sub', 'second sub']);
  });
  it('go: Test/Fuzz/Example/Benchmark rules and literal subtests', () => {
    const calc = tests(indexFor('go'), 'pkg/calc/calc_test.go');
    assert.equal(calc.packageName, 'calc');
    assert.deepEqual(calc.tests.map((t) => `${t.testKind}:${t.name}`), ['test:TestAdd', 'test:TestAddCases', 'test:TestTable', 'benchmark:BenchmarkAdd', 'example:ExampleAdd']);
    const cases = calc.tests[1];
    assert.deepEqual(cases.children.map((c) => c.name), ['small_numbers', 'negative']);
    assert.deepEqual(cases.children[0].children.map((c) => c.name), ['zero']);
    assert.equal(calc.tests[2].dynamicChildren, true);
  });
  it('rust: #[test] functions inside inline modules', () => {
    const lib = tests(indexFor('rust'), 'src/lib.rs');
    assert.deepEqual(lib.tests.map((t) => [...t.suites, t.name].join('::')), ['tests::it_adds', 'tests::slow_add', 'tests::nested::deep']);
    assert.deepEqual(modulePath('', 'src/ops/mul.rs'), ['ops', 'mul']);
    assert.deepEqual(modulePath('', 'src/ops/mod.rs'), ['ops']);
    assert.deepEqual(modulePath('crates/a', 'crates/a/tests/it.rs'), []);
  });
  it('files with syntax errors degrade gracefully and say so', () => {
    const root = tempTree({
      'tests/test_broken.py': 'def test_ok():\n    pass\n\ndef test_broken(:\n    pass\n',
      'src/broken.test.ts': "test('fine', () => {});\ndescribe('x', () => { it('y', ( => {}); });\n",
      'x_test.go': 'package x\nimport "testing"\nfunc TestA(t *testing.T) {\n',
    });
    const index = new TestIndex(root);
    for (const file of ['tests/test_broken.py', 'src/broken.test.ts', 'x_test.go']) {
      const found = index.fileTests(file);
      assert.ok(found && found.ok);
      assert.equal(found.complete, false, file);
      assert.match(found.notes.join(' '), /syntax errors/);
    }
    // A name missing from a broken file is "unknown", never "not found".
    const verdict = only(index, 'pytest tests/test_broken.py::test_missing', 'unknown');
    assert.match((verdict as { reason: string }).reason, /syntax errors/);
    allOk(index, 'pytest tests/test_broken.py::test_ok');
  });
});

// -------------------------------------------------------------------------------------------------------
describe('pytest', () => {
  const index = () => indexFor('python');
  it('finds node ids: functions, classes, nested classes, parameters, directories', () => {
    allOk(index(), 'uv run pytest tests/test_calc.py::test_add -v');
    allOk(index(), 'pytest tests/test_calc.py::TestCalc::test_sub tests/test_calc.py::TestCalc::TestNested::test_deep');
    allOk(index(), 'pytest "tests/test_calc.py::test_add_params[-1-1-0]" tests/test_calc.py::TestCalc tests/unit');
    allOk(index(), 'pytest tests/unit/test_strings.py::StringCase::test_upper');
    allOk(index(), 'cd tests && python -m pytest test_calc.py::test_add');
  });
  it('reports a missing file', () => {
    const verdict = only(index(), 'pytest tests/test_calc2.py::test_add', 'file-missing');
    assert.equal(verdict.status === 'file-missing' && verdict.relPath, 'tests/test_calc2.py');
    assert.deepEqual(verdict.status === 'file-missing' && verdict.stub, { runner: 'pytest', relPath: 'tests/test_calc2.py', create: true, name: 'test_add', suites: [] });
  });
  it('reports a missing test with the nearest names and the offsets to replace', () => {
    const command = 'pytest tests/test_calc.py::TestCalc::test_subtract -v';
    const verdict = only(index(), command, 'test-not-found');
    assert.ok(verdict.status === 'test-not-found');
    assert.equal(verdict.name, 'test_subtract');
    assert.equal(command.slice(verdict.nameStart!, verdict.nameEnd!), 'test_subtract');
    assert.equal(verdict.suggestions[0], 'test_sub');
    assert.match(verdict.message, /TestCalc in tests\/test_calc\.py/);
    const missingClass = only(index(), 'pytest tests/test_calc.py::TestCalcs::test_sub', 'test-not-found');
    assert.ok(missingClass.status === 'test-not-found' && missingClass.suggestions.includes('TestCalc'));
  });
  it('reports an unknown parameter id, and leaves non-literal ids alone', () => {
    const verdict = only(index(), 'pytest "tests/test_calc.py::test_add_params[9-9-18]"', 'test-not-found');
    assert.match(verdict.status === 'test-not-found' ? verdict.message : '', /no parameter set \[9-9-18\]/);
    allOk(index(), 'pytest "tests/test_calc.py::test_stacked[b-1]"');
    only(index(), 'pytest "tests/test_calc.py::test_dynamic[obj7]"', 'ok');
    only(index(), 'pytest "tests/test_calc.py::test_add[x]"', 'unknown');
  });
  it('evaluates -k expressions (and/or/not/parentheses, classes, markers, params)', () => {
    allOk(index(), 'pytest tests -k "add and not large"');
    allOk(index(), 'pytest -k "TestCalc and deep"');
    allOk(index(), 'pytest -k "(sub or join) and not nothing"');
    allOk(index(), 'pytest -k slow');
    allOk(index(), 'pytest -k "test_stacked and b-1"');
    const verdict = only(index(), 'pytest tests/test_calc.py -k "test_multiply"', 'test-not-found');
    assert.ok(verdict.status === 'test-not-found' && verdict.pattern);
    const none = only(index(), 'pytest tests/unit -k "add"', 'test-not-found');
    assert.match(none.status === 'test-not-found' ? none.message : '', /matches no test/);
    only(index(), 'pytest tests -k "obj9"', 'unknown');
    only(index(), 'pytest -k "and or"', 'unknown');
  });
  it('-k grammar: three-valued logic', () => {
    const expr = parseKeywordExpression('a and not (b or c)');
    assert.equal(evaluateKeyword(expr, ['xa'], false), true);
    assert.equal(evaluateKeyword(expr, ['ab'], false), false);
    assert.equal(evaluateKeyword(parseKeywordExpression('zz'), ['a'], true), null);
    assert.equal(evaluateKeyword(parseKeywordExpression('not zz'), ['a'], true), null);
    assert.throws(() => parseKeywordExpression('a and'));
  });
  it('reads python_files from the configuration', () => {
    const root = tempTree({ 'pytest.ini': '[pytest]\npython_files = check_*.py\n', 'suite/check_x.py': 'def test_x():\n    pass\n', 'suite/test_y.py': 'def test_y():\n    pass\n' });
    const index = new TestIndex(root);
    allOk(index, 'pytest -k test_x');
    only(index, 'pytest -k test_y', 'test-not-found');
  });
});

describe('jest and vitest', () => {
  it('vitest: file filters and -t against the full name', () => {
    const index = indexFor('vitest');
    allOk(index, 'npx vitest run src/sum.test.ts -t "adds numbers"');
    allOk(index, 'vitest run sum -t "sum with floats rounds"');
    allOk(index, 'vitest run -t "^sum handles negatives$"');
    allOk(index, 'vitest src/sum.test.ts:4');
    only(index, 'vitest run src/sum.test.ts -t "Adds Numbers"', 'test-not-found');
    // With a `.each` table in scope, a miss may be one of its run-time names: unknown, not an error.
    only(index, 'vitest run -t "Adds Numbers"', 'unknown');
    const missing = only(index, 'vitest run src/product.test.ts -t "multiplies"', 'file-missing');
    assert.deepEqual(missing.status === 'file-missing' && missing.stub, { runner: 'vitest', relPath: 'src/product.test.ts', create: true, name: 'multiplies', suites: [] });
    const verdict = only(index, 'vitest run src/sum.test.ts -t "handles negative numbers"', 'test-not-found');
    assert.ok(verdict.status === 'test-not-found');
    assert.ok(verdict.suggestions.includes('handles negatives') || verdict.suggestions.includes('sum handles negatives'), verdict.suggestions.join());
    // `.each` names are only known at run time: no verdict against them.
    only(index, 'vitest run src/table.test.ts -t "adds 3 \\+ 3"', 'unknown');
  });
  it('jest: regex path filters, case-insensitive -t', () => {
    const index = indexFor('jest');
    allOk(index, 'npx jest __tests__/math -t "double edge cases handles zero"');
    allOk(index, 'jest math -t "DOUBLE DOUBLES"');
    allOk(index, 'jest --testNamePattern="top level"');
    only(index, 'jest -t "triples"', 'test-not-found');
    only(index, 'jest __tests__/geometry.test.js', 'file-missing');
    only(index, 'jest -t "(unclosed"', 'unknown');
  });
});

describe('mocha and node --test', () => {
  it('mocha: --grep over full titles, files', () => {
    const index = indexFor('mocha');
    allOk(index, 'npx mocha test/parser.spec.js --grep "with strings keeps"');
    allOk(index, 'mocha -g "/PRINTER/i"');
    allOk(index, 'mocha --fgrep "parser parses"');
    only(index, 'mocha --grep "serializer"', 'test-not-found');
    only(index, 'mocha test/lexer.spec.js', 'file-missing');
    only(index, 'mocha --grep serializer --invert', 'unknown');
  });
  it('node --test: files, globs, --test-name-pattern against names, suites and subtests', () => {
    const index = indexFor('node-test');
    allOk(index, 'node --test test/queue.test.mjs --test-name-pattern="adds at the end"');
    allOk(index, 'node --test --test-name-pattern "^push$" test/*.test.mjs');
    allOk(index, 'node --test --test-name-pattern="second sub"');
    only(index, 'node --test --test-name-pattern="pops"', 'test-not-found');
    only(index, 'node --test test/stack.test.mjs', 'file-missing');
  });
});

describe('go test', () => {
  const index = () => indexFor('go');
  it('packages, -run levels and subtests', () => {
    allOk(index(), 'go test ./pkg/... -run TestAdd');
    allOk(index(), 'go test ./pkg/calc -run "^TestAddCases$/small_numbers/zero"');
    allOk(index(), "go test ./... -run 'TestAddCases/negative'");
    allOk(index(), 'go test example.com/fixture/pkg/strutil -run=TestReverse');
    allOk(index(), 'cd pkg/calc && go test -run ExampleAdd');
    only(index(), 'go test ./pkg/calc -run "TestTable/anything"', 'unknown');
    allOk(index(), 'go test ./pkg/calc -run "(?i)testadd$"');
  });
  it('reports missing packages, tests and subtests', () => {
    only(index(), 'go test ./pkg/missing -run TestAdd', 'file-missing');
    const verdict = only(index(), 'go test ./pkg/calc -run TestSubtract', 'test-not-found');
    assert.ok(verdict.status === 'test-not-found');
    assert.deepEqual(verdict.stub, { runner: 'go', relPath: 'pkg/calc/calc_test.go', create: false, name: 'TestSubtract', suites: [] });
    const sub = only(index(), 'go test ./pkg/calc -run "TestAddCases/big numbers"', 'test-not-found');
    assert.ok(sub.status === 'test-not-found' && sub.name === 'big numbers');
    only(index(), 'go test ./pkg/calc -run Testlowercase', 'test-not-found');
    only(index(), 'go test ./pkg/calc -run BenchmarkAdd', 'test-not-found');
  });
  it('splits -run like go and translates RE2', () => {
    assert.deepEqual(splitGoPattern('TestA/b[/]c/(x/y)'), ['TestA', 'b[/]c', '(x/y)']);
    const compiled = (source: string) => {
      const result = goPattern(source);
      assert.ok('pattern' in result, source);
      return result.pattern;
    };
    assert.ok(compiled('(?i)^testa$').test('TestA'));
    // Go's own syntax, which JavaScript reads differently, runs as Go reads it.
    assert.ok(compiled('^Test[[:alpha:]]+$').test('TestAbc'));
    assert.ok(!compiled('^Test[[:alpha:]]+$').test('Test1'));
    assert.ok(compiled(String.raw`^\QTest.x\E\z`).test('Test.x'));
    assert.ok(!compiled(String.raw`^\QTest.x\E\z`).test('TestAx'));
  });
});

describe('cargo test', () => {
  const index = () => indexFor('rust');
  it('name filters over module paths, --exact, --test targets', () => {
    allOk(index(), 'cargo test it_adds');
    allOk(index(), 'cargo test tests::nested::deep');
    allOk(index(), 'cargo test ops::mul -- --nocapture');
    allOk(index(), 'cargo test --test integration end_to_end');
    allOk(index(), 'cargo test -- --exact tests::slow_add');
    allOk(index(), 'cargo test group::grouped');
  });
  it('reports missing targets and names', () => {
    only(index(), 'cargo test --test missing_target', 'file-missing');
    const verdict = only(index(), 'cargo test it_subtracts', 'test-not-found');
    assert.ok(verdict.status === 'test-not-found');
    assert.deepEqual(verdict.stub, { runner: 'cargo', relPath: 'src/lib.rs', create: false, name: 'it_subtracts', suites: [] });
    only(index(), 'cargo test -- --exact it_adds', 'test-not-found');
    only(index(), 'cargo test --test integration it_adds', 'test-not-found');
  });
});

// -------------------------------------------------------------------------------------------------------
describe('severity, stubs, completion, hover and links', () => {
  const stage = (state: Stage['state'], mark: Stage['mark'], changes: string[]): Stage =>
    ({ state, mark, changes: changes.map((text) => ({ text })), parts: {} }) as unknown as Stage;
  it('severity follows the stage', () => {
    const verdict = only(indexFor('python'), 'pytest tests/test_calc.py::test_divide', 'test-not-found');
    assert.equal(findingSeverity(stage('done', 'done', []), verdict), 'error');
    assert.equal(findingSeverity(stage('not-started', null, ['Add `test_divide` to tests/test_calc.py']), verdict), 'info');
    assert.equal(findingSeverity(stage('not-started', null, ['Refactor the parser']), verdict), 'warning');
    assert.equal(findingSeverity(stage('in-progress', null, ['Add test_divide']), verdict), 'warning');
    assert.equal(findingSeverity(null, verdict), 'warning');
    const file = only(indexFor('python'), 'pytest tests/test_div.py', 'file-missing');
    assert.equal(findingSeverity(stage('not-started', null, ['Create `tests/test_div.py`']), file), 'info');
  });
  it('plans failing stubs in each runner style', () => {
    const root = tempTree({
      'tests/test_a.py': 'import pytest\n\n\nclass TestA:\n    def test_one(self):\n        pass\n\n\ndef test_top():\n    pass\n',
      'src/a.test.ts': "import { describe, it } from 'vitest';\n\ndescribe('a', () => {\n  it('works', () => {});\n});\n",
      'go.mod': 'module example.com/x\n\ngo 1.19\n',
      'pkg/a_test.go': 'package pkg\n\nimport "testing"\n\nfunc TestA(t *testing.T) {}\n',
      'Cargo.toml': '[package]\nname = "x"\nversion = "0.1.0"\nedition = "2021"\n',
      'src/lib.rs': '#[cfg(test)]\nmod tests {\n    #[test]\n    fn a() {}\n}\n',
    });
    const index = new TestIndex(root);
    const apply = (relPath: string, command: string): string => {
      const verdict = verdicts(index, command).find((v) => v.status === 'test-not-found' || v.status === 'file-missing');
      assert.ok(verdict && (verdict.status === 'test-not-found' || verdict.status === 'file-missing') && verdict.stub, `no stub for ${command}`);
      const edit = planStub(verdict.stub!, index)!;
      assert.equal(edit.relPath, relPath);
      if (edit.create) return edit.text;
      const lines = index.files.text(index.abs(relPath));
      assert.ok(lines.ok);
      const all = lines.lines.slice();
      const line = all[edit.line];
      all[edit.line] = line.slice(0, edit.character) + edit.text + line.slice(edit.character);
      return all.join('\n') + '\n';
    };
    const python = apply('tests/test_a.py', 'pytest tests/test_a.py::TestA::test_two');
    assert.match(python, /class TestA:\n {4}def test_one\(self\):\n {8}pass\n\n {4}def test_two\(self\):\n {8}raise NotImplementedError\("not written yet"\)\n/);
    assert.match(apply('tests/test_a.py', 'pytest tests/test_a.py::test_bottom'), /def test_top\(\):\n {4}pass\n\n\ndef test_bottom\(\):\n {4}raise NotImplementedError/);
    assert.match(apply('tests/test_b.py', 'pytest tests/test_b.py::TestB::test_x'), /^class TestB:\n {4}def test_x\(self\):/);
    assert.match(apply('src/a.test.ts', 'vitest run src/a.test.ts -t "does more"'), /\n\nit\('does more', \(\) => \{\n {2}throw new Error\('not written yet'\);\n\}\);\n$/);
    assert.match(apply('src/new.test.ts', 'vitest run src/new.test.ts -t "fresh"'), /^import \{ test \} from 'vitest';\n\ntest\('fresh'/);
    assert.match(apply('pkg/a_test.go', 'go test ./pkg -run TestB'), /func TestB\(t \*testing\.T\) \{\n\tt\.Fatal\("not written yet"\)\n\}/);
    assert.match(apply('src/lib.rs', 'cargo test tests::b'), /mod tests \{\n {4}#\[test\]\n {4}fn a\(\) \{\}\n {4}#\[test\]\n {4}fn b\(\) \{\n {8}todo!\("not written yet"\);\n {4}\}\n\}/);
  });
  it('completes test names after ::, -k, -t, -run', () => {
    const py = indexFor('python');
    const afterColons = completeTestName('pytest tests/test_calc.py::', 'pytest tests/test_calc.py::'.length, py)!;
    assert.ok(afterColons.items.some((i) => i.label === 'test_add'));
    assert.ok(afterColons.items.some((i) => i.label === 'TestCalc'));
    const inClass = completeTestName('pytest tests/test_calc.py::TestCalc::te', 39, py)!;
    assert.deepEqual(inClass.items.map((i) => i.label), ['TestNested', 'test_sub']);
    assert.equal(inClass.start, 'pytest tests/test_calc.py::TestCalc::'.length);
    const k = completeTestName('pytest tests/unit -k ', 21, py)!;
    assert.ok(k.items.some((i) => i.label === 'test_join'));
    const t = completeTestName('vitest run -t ', 14, indexFor('vitest'))!;
    const adds = t.items.find((i) => i.label === 'adds numbers')!;
    assert.equal(adds.insertText, '"adds numbers"');
    const run = completeTestName('go test ./pkg/calc -run TestA', 29, indexFor('go'))!;
    assert.ok(run.items.some((i) => i.label === 'TestAddCases/small_numbers'));
    assert.equal(completeTestName('make test', 5, py), null);
  });
  it('hover and document links point at the test', () => {
    const command = 'pytest tests/test_calc.py::TestCalc::test_sub && pytest -k "add and not large"';
    const check = checkCommand(command, indexFor('python'));
    const links = verdictLinks(check);
    assert.deepEqual(links[0], { start: 7, end: 45, relPath: 'tests/test_calc.py', line: 50, column: 8 });
    const at = verdictAt(check, 30)!;
    assert.match(verdictHover(at.verdict), /tests\/test_calc\.py:50/);
    const k = verdictAt(check, command.indexOf('not'))!;
    assert.match(verdictHover(k.verdict), /selects \d+ tests/);
    const missing = checkCommand('pytest tests/test_calc.py::test_ad', indexFor('python'));
    assert.match(verdictHover(missing.results[0].verdicts[0]), /Did you mean `test_add`/);
  });
});

describe('TestIndex caching', () => {
  it('re-discovers a changed file, sees new files, and invalidates', () => {
    const root = tempTree({ 'tests/test_x.py': 'def test_one():\n    pass\n' });
    const index = new TestIndex(root);
    const first = index.fileTests('tests/test_x.py');
    assert.strictEqual(index.fileTests('tests/test_x.py'), first, 'cached while unchanged');
    only(index, 'pytest -k two', 'test-not-found');
    writeFileSync(join(root, 'tests/test_x.py'), 'def test_one():\n    pass\n\n\ndef test_two():\n    pass\n');
    const future = new Date(Date.now() + 5000);
    utimesSync(join(root, 'tests/test_x.py'), future, future);
    assert.notStrictEqual(index.fileTests('tests/test_x.py'), first);
    allOk(index, 'pytest tests/test_x.py::test_two');
    writeFileSync(join(root, 'tests/test_new.py'), 'def test_three():\n    pass\n');
    utimesSync(join(root, 'tests'), future, future);
    allOk(index, 'pytest -k three');
    index.invalidate('tests/test_new.py');
    index.invalidate();
    allOk(index, 'pytest -k three');
  });
  it('never reads outside the folder', () => {
    const index = indexFor('python');
    only(index, 'pytest ../../../etc/passwd::x', 'unknown');
    only(index, 'pytest /etc/hosts', 'unknown');
  });
});

// -------------------------------------------------------------------------------------------------------
// Cross-checks against the real runners. Each must run; a missing runner fails with what to install.

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): { stdout: string; stderr: string; status: number | null; error?: Error } {
  // A child `node --test` must not think it is a subprocess of this test run.
  const base = { ...process.env };
  delete base.NODE_TEST_CONTEXT;
  const result = spawnSync(command, args, { cwd, env: { ...base, ...env }, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
  return { stdout: result.stdout ?? '', stderr: result.stderr ?? '', status: result.status, error: result.error };
}

function requireRunner(ok: boolean, what: string, install: string): void {
  assert.ok(ok, `${what} is not available on this machine; the cross-check cannot run. Install it: ${install}`);
}

function copyFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `docplan-xc-${name}-`));
  temps.push(dir);
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

describe('cross-check: discovery agrees with the real runners', { timeout: 600_000 }, () => {
  it('pytest --collect-only -q', () => {
    const pythons = ['/usr/bin/python3', 'python3'];
    const python = pythons.find((p) => run(p, ['-m', 'pytest', '--version'], REPO).status === 0);
    requireRunner(python !== undefined, 'pytest (python3 -m pytest)', 'apt-get install -y python3-pytest');
    const dir = copyFixture('python');
    const result = run(python!, ['-m', 'pytest', '--collect-only', '-q', '-p', 'no:cacheprovider'], dir, { PYTHONDONTWRITEBYTECODE: '1' });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const theirs = result.stdout.split('\n').filter((line) => line.includes('::')).map((line) => line.trim());
    const index = new TestIndex(dir);
    const ours: string[] = [];
    const dynamic = new Set<string>();
    for (const file of ['tests/test_calc.py', 'tests/unit/test_strings.py']) {
      for (const test of tests(index, file).tests) {
        const id = [file, ...test.suites, test.name].join('::');
        if (test.dynamic) dynamic.add(id);
        else if (test.params) ours.push(...test.params.map((p) => `${id}[${p}]`));
        else ours.push(id);
      }
    }
    const theirsStatic = theirs.filter((id) => !dynamic.has(id.replace(/\[.*\]$/, '')));
    assert.deepEqual(sorted(ours), sorted(theirsStatic));
    assert.deepEqual(sorted(dynamic), sorted(theirs.filter((id) => dynamic.has(id.replace(/\[.*\]$/, ''))).map((id) => id.replace(/\[.*\]$/, ''))));
    // -k: the same tests selected.
    for (const expression of ['add and not large', 'TestCalc or join', 'slow', 'test_stacked and b-1']) {
      const selected = run(python!, ['-m', 'pytest', '--collect-only', '-q', '-p', 'no:cacheprovider', '-k', expression], dir, { PYTHONDONTWRITEBYTECODE: '1' });
      const theirsK = sorted(selected.stdout.split('\n').filter((l) => l.includes('::')).map((l) => l.trim().replace(/\[.*\]$/, '')));
      const verdict = checkCommand(`pytest -k "${expression}"`, index).results[0].verdicts[0];
      assert.equal(verdict.status, 'ok', expression);
      assert.deepEqual(sorted(verdict.status === 'ok' ? verdict.matches.map((m) => m.id) : []), theirsK, expression);
    }
  });

  it('vitest list', () => {
    const bin = join(REPO, 'node_modules', '.bin', 'vitest');
    requireRunner(run(bin, ['--version'], REPO).status === 0, 'vitest', 'npm install --save-dev --save-exact vitest (a devDependency)');
    const dir = join(FIXTURES, 'vitest');
    const listed = (extra: string[]) => {
      const result = run(bin, ['list', '--json', ...extra], dir, { CI: '1' });
      assert.equal(result.status, 0, result.stderr);
      return (JSON.parse(result.stdout) as { name: string; file: string }[]).map((t) => `${t.file.slice(dir.length + 1)} > ${t.name}`);
    };
    const index = indexFor('vitest');
    const ours: string[] = [];
    for (const file of ['src/sum.test.ts', 'src/table.test.ts']) for (const test of tests(index, file).tests) if (!test.dynamic) ours.push([file, ...test.suites, test.name].join(' > '));
    const theirs = listed([]);
    assert.deepEqual(sorted(ours), sorted(theirs.filter((name) => !name.includes('table.test.ts'))));
    assert.equal(theirs.filter((name) => name.includes('table.test.ts')).length, 2);
    for (const pattern of ['sum with floats', 'adds numbers', '^sum handles']) {
      const theirsT = listed(['-t', pattern]).map((name) => name.split(' > ').slice(1).join(' '));
      const verdict = checkCommand(`vitest run -t "${pattern}"`, index).results[0].verdicts[0];
      assert.equal(verdict.status, 'ok');
      assert.deepEqual(sorted(verdict.status === 'ok' ? verdict.matches.map((m) => m.id) : []), sorted(theirsT), pattern);
    }
  });

  it('jest --json', () => {
    const bin = join(REPO, 'node_modules', '.bin', 'jest');
    requireRunner(run(bin, ['--version'], REPO).status === 0, 'jest', 'npm install --save-dev --save-exact jest (a devDependency)');
    const dir = copyFixture('jest');
    const result = run(bin, ['--rootDir', dir, '--config', '{}', '--json', '--ci', '--cacheDirectory', join(dir, '.jest-cache')], dir);
    assert.equal(result.status, 0, result.stderr);
    const theirs = (JSON.parse(result.stdout) as { testResults: { assertionResults: { fullName: string }[] }[] }).testResults.flatMap((r) => r.assertionResults.map((a) => a.fullName));
    const ours = tests(new TestIndex(dir), '__tests__/math.test.js').tests.map((t) => [...t.suites, t.name].join(' '));
    assert.deepEqual(sorted(ours), sorted(theirs));
  });

  it('mocha --dry-run', () => {
    const bin = join(REPO, 'node_modules', '.bin', 'mocha');
    requireRunner(run(bin, ['--version'], REPO).status === 0, 'mocha', 'npm install --save-dev --save-exact mocha (a devDependency)');
    const dir = join(FIXTURES, 'mocha');
    const result = run(bin, ['--dry-run', '--reporter', 'json', '--no-config', '--no-package'], dir);
    assert.equal(result.status, 0, result.stderr);
    const theirs = (JSON.parse(result.stdout) as { tests: { fullTitle: string }[] }).tests.map((t) => t.fullTitle);
    const ours = tests(indexFor('mocha'), 'test/parser.spec.js').tests.map((t) => [...t.suites, t.name].join(' '));
    assert.deepEqual(sorted(ours), sorted(theirs));
  });

  it('node --test', () => {
    const dir = copyFixture('node-test');
    const reporter = join(dir, 'names-reporter.mjs');
    writeFileSync(reporter, "export default async function* reporter(source) {\n  for await (const event of source) if (event.type === 'test:start') yield JSON.stringify({ name: event.data.name, nesting: event.data.nesting }) + '\\n';\n}\n");
    const result = run(process.execPath, ['--test', `--test-reporter=${reporter}`, 'test/queue.test.mjs'], dir);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const stack: string[] = [];
    const theirs: string[] = [];
    for (const line of result.stdout.split('\n').filter((l) => l.startsWith('{'))) {
      const { name, nesting } = JSON.parse(line) as { name: string; nesting: number };
      stack.length = nesting;
      stack.push(name);
      theirs.push(stack.join(' '));
    }
    const found = tests(new TestIndex(dir), 'test/queue.test.mjs');
    const ours = [...found.suites.map((s) => [...s.suites, s.name].join(' '))];
    const visit = (test: (typeof found.tests)[number], parents: string[]) => {
      const path = [...parents, test.name];
      ours.push(path.join(' '));
      for (const child of test.children) visit(child, path);
    };
    for (const test of found.tests) visit(test, test.suites);
    assert.deepEqual(sorted(ours), sorted(theirs));
  });

  it('go test -list and -v -run', () => {
    requireRunner(run('go', ['version'], REPO).status === 0, 'go', 'apt-get install -y golang-go');
    const dir = copyFixture('go');
    const env = { GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOPROXY: 'off', GOCACHE: join(dir, '.gocache'), GOPATH: join(dir, '.gopath') };
    const listed = run('go', ['test', '-list', '.*', './...'], dir, env);
    assert.equal(listed.status, 0, listed.stdout + listed.stderr);
    const theirsTop = listed.stdout.split('\n').filter((l) => /^(?:Test|Benchmark|Example|Fuzz)/.test(l));
    const index = new TestIndex(dir);
    const files = ['pkg/calc/calc_test.go', 'pkg/strutil/strutil_test.go'];
    const oursTop = files.flatMap((f) => tests(index, f).tests.map((t) => t.name));
    assert.deepEqual(sorted(oursTop), sorted(theirsTop));
    const ran = run('go', ['test', '-v', '-run', '.', './...'], dir, env);
    assert.equal(ran.status, 0, ran.stdout + ran.stderr);
    const theirsRun = ran.stdout.split('\n').filter((l) => l.startsWith('=== RUN')).map((l) => l.slice('=== RUN'.length).trim());
    const oursRun: string[] = [];
    let dynamicParents = new Set<string>();
    const visit = (test: FileTests['tests'][number], prefix: string) => {
      const name = prefix ? `${prefix}/${test.name}` : test.name;
      oursRun.push(name);
      if (test.dynamicChildren) dynamicParents = new Set([...dynamicParents, name]);
      for (const child of test.children) visit(child, name);
    };
    for (const f of files) for (const t of tests(index, f).tests) if (t.testKind !== 'benchmark') visit(t, '');
    const theirsStatic = theirsRun.filter((name) => !dynamicParents.has(name.split('/').slice(0, -1).join('/')));
    assert.deepEqual(sorted(oursRun), sorted(theirsStatic));
  });

  it('cargo test -- --list', () => {
    requireRunner(run('cargo', ['--version'], REPO).status === 0, 'cargo', 'install a Rust toolchain (rustup, or apt-get install -y cargo)');
    const dir = copyFixture('rust');
    const result = run('cargo', ['test', '--offline', '-q', '--', '--list'], dir, { CARGO_TARGET_DIR: join(dir, 'target') });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const theirs = result.stdout.split('\n').filter((l) => l.endsWith(': test')).map((l) => l.slice(0, -': test'.length));
    const index = new TestIndex(dir);
    const names: string[] = [];
    for (const file of ['src/lib.rs', 'src/ops/mul.rs', 'tests/integration.rs']) {
      for (const test of tests(index, file).tests) names.push([...modulePath('', file), ...test.suites, test.name].join('::'));
    }
    assert.deepEqual(sorted(names), sorted(theirs));
  });
});
