/**
 * The rules `test-file-missing` and `test-not-found` over plan fixtures (test/fixtures/testRules/<runner>.md)
 * checked inside temporary copies of the validation fixture projects (test/fixtures/validation/<runner>/):
 * test found, file missing, name missing, pattern matching nothing, parametrized and nested names, with the
 * severity of each stage; the quick fixes applied and re-checked; the code action mapping of fixes that edit
 * other files; the navigation provider; and `docplan check` reporting the same findings.
 */
import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CreateFile, TextDocumentEdit } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { checkText, checkTextPrepared, type CheckedDocument, type CheckOptions } from '../../server/src/check';
import { main, type CliIo } from '../../server/src/cli/main';
import { defaultConfig, mergeConfig } from '../../server/src/config/config';
import { codeActions, fixEdit } from '../../server/src/features/codeActions';
import { applyEdits } from '../../server/src/features/edits';
import { fixAllText } from '../../server/src/features/fixAll';
import { testNavigation } from '../../server/src/features/testNavigation';
import type { Finding, Fix } from '../../server/src/rules/types';
import { FolderWorkspace } from '../../server/src/workspace/workspace';

const FIXTURES = resolve(__dirname, '..', 'fixtures');
const RUNNERS = ['python', 'vitest', 'jest', 'node-test', 'mocha', 'go', 'rust'] as const;
const RULES = new Set(['test-file-missing', 'test-not-found']);
const DOC = 'docs/plan.md';

const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A temporary copy of a validation fixture project with the runner's plan as docs/plan.md. */
function project(runner: string): { root: string; text: string; workspace: FolderWorkspace } {
  const root = realpathSync(mkdtempSync(join(tmpdir(), `docplan-testrules-${runner}-`)));
  temps.push(root);
  cpSync(join(FIXTURES, 'validation', runner), root, { recursive: true });
  const text = readFileSync(join(FIXTURES, 'testRules', `${runner}.md`), 'utf8');
  mkdirSync(join(root, 'docs'), { recursive: true });
  writeFileSync(join(root, DOC), text);
  return { root, text, workspace: new FolderWorkspace(root, { validate: 'stat', git: false }) };
}

function options(root: string, workspace: FolderWorkspace, config = defaultConfig()): CheckOptions {
  return { config, path: DOC, workspace: workspace.view(join(root, DOC)) };
}

function mine(checked: CheckedDocument): Finding[] {
  return checked.findings.filter((finding) => RULES.has(finding.ruleId));
}

/** `line rule (severity)` from the fixture's expect markers. */
function expected(text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, index) => {
    for (const match of line.matchAll(/expect:\s*([a-z-]+)\s*\((\w+)\)/g)) out.push(`${index} ${match[1]} (${match[2]})`);
  });
  return out.sort();
}

function actual(findings: Finding[]): string[] {
  return findings.map((finding) => `${finding.range.start.line} ${finding.ruleId} (${finding.severity})`).sort();
}

function lineOf(text: string, needle: string): number {
  const line = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, `fixture has ${needle}`);
  return line;
}

function findingOn(checked: CheckedDocument, text: string, needle: string): Finding {
  const line = lineOf(text, needle);
  const found = mine(checked).find((finding) => finding.range.start.line === line);
  assert.ok(found, `a finding on the line of ${needle}; got ${actual(mine(checked)).join(', ')}`);
  return found;
}

function fixTitled(finding: Finding, pattern: RegExp): Fix {
  const fix = finding.fixes.find((candidate) => pattern.test(candidate.title));
  assert.ok(fix, `fix ${pattern} expected; got ${finding.fixes.map((f) => f.title).join(' | ')}`);
  return fix;
}

/** Applies a fix's edits of other files to the disk, as an editor would. */
function applyOtherFiles(fix: Fix, workspace: FolderWorkspace): void {
  for (const other of fix.otherFiles ?? []) {
    if (other.create) {
      assert.ok(!existsSync(other.absPath), 'created files did not exist');
      mkdirSync(dirname(other.absPath), { recursive: true });
      writeFileSync(other.absPath, '');
    }
    writeFileSync(other.absPath, applyEdits(readFileSync(other.absPath, 'utf8'), other.edits));
    workspace.fileChanged(other.absPath, other.create ? 'created' : 'changed');
  }
}

before(async () => {
  // Loads tree-sitter once for all the checks below.
  const { root, text, workspace } = project('python');
  await checkTextPrepared(text, options(root, workspace));
});

describe('test rules over a fixture project per runner', () => {
  for (const runner of RUNNERS) {
    it(`${runner}: found, file missing, name missing, pattern matching nothing, parametrized and nested, severity by stage`, async () => {
      const { root, text, workspace } = project(runner);
      const checked = await checkTextPrepared(text, options(root, workspace));
      assert.deepEqual(checked.ruleErrors, []);
      const want = expected(text);
      assert.ok(want.length >= 4, 'the fixture marks findings');
      assert.deepEqual(actual(mine(checked)), want);
      for (const finding of mine(checked)) {
        assert.match(finding.message, finding.ruleId === 'test-file-missing' ? /^Test file missing: / : /^Test not found: /);
        if (finding.severity === 'info') assert.match(finding.message, /not written yet/);
        if (finding.severity === 'error') assert.match(finding.message, /is marked done/);
      }
    });
  }

  it('points at the unknown name itself, and names the nearest tests', async () => {
    const { root, text, workspace } = project('python');
    const checked = await checkTextPrepared(text, options(root, workspace));
    const finding = findingOn(checked, text, 'TestCalc::test_subtract');
    const lineText = text.split('\n')[finding.range.start.line];
    assert.equal(lineText.slice(finding.range.start.character, finding.range.end.character), 'test_subtract');
    assert.match(finding.message, /test test_subtract not found in TestCalc in tests\/test_calc\.py\. Did you mean `test_sub`\?/);
    const param = findingOn(checked, text, '[1-2-4]');
    assert.match(param.message, /no parameter set \[1-2-4\]/);
    const nested = findingOn(checked, text, 'test_deeper');
    assert.equal(lineText.length > 0 && text.split('\n')[nested.range.start.line].slice(nested.range.start.character, nested.range.end.character), 'test_deeper');
  });

  it('reports nothing outside a workspace folder, and nothing for commands it cannot judge', async () => {
    const { root, text, workspace } = project('python');
    const outside = checkText(text, { config: defaultConfig(), path: DOC });
    assert.deepEqual(mine(outside), []);
    const checked = await checkTextPrepared(text, options(root, workspace));
    const stage4 = lineOf(text, '## Stage 4');
    assert.deepEqual(mine(checked).filter((finding) => finding.range.start.line > stage4), []);
  });

  it('a configured severity wins over the stage-dependent one; off silences the rule', async () => {
    const { root, text, workspace } = project('go');
    const config = mergeConfig(defaultConfig(), { rules: { 'test-not-found': 'hint', 'test-file-missing': 'off' } });
    const checked = await checkTextPrepared(text, options(root, workspace, config));
    const found = mine(checked);
    assert.ok(found.length >= 3);
    assert.ok(found.every((finding) => finding.ruleId === 'test-not-found' && finding.severity === 'hint'));
  });

  it('re-checks against the changed test files (the index is refreshed)', async () => {
    const { root, text, workspace } = project('python');
    const before = await checkTextPrepared(text, options(root, workspace));
    findingOn(before, text, 'pytest tests/test_calc2.py::test_add');
    writeFileSync(join(root, 'tests', 'test_calc2.py'), 'def test_add():\n    pass\n');
    workspace.fileChanged(join(root, 'tests', 'test_calc2.py'), 'created');
    const after = await checkTextPrepared(text, options(root, workspace));
    const line = lineOf(text, 'pytest tests/test_calc2.py::test_add');
    assert.deepEqual(mine(after).filter((finding) => finding.range.start.line === line), []);
  });
});

describe('test files that do not parse', () => {
  it('give no finding for a name they may hold, and say so in the check notes (the server logs them)', async () => {
    const { root, workspace } = project('python');
    writeFileSync(join(root, 'tests', 'test_broken.py'), 'def test_one(:\n    pass\n\ndef test_two():\n    pass\n');
    const text = '# Plan: Broken tests\n\n## Stage 1: Check\n\n### Objective\n\nCheck.\n\n### Changes\n\n- [ ] Fix the parser\n\n### Validation\n\n- [ ] `pytest tests/test_broken.py::test_three`\n';
    const checked = await checkTextPrepared(text, options(root, workspace));
    assert.deepEqual(mine(checked), []);
    assert.equal(checked.notes.length, 1, checked.notes.join('\n'));
    assert.match(checked.notes[0], /^`pytest tests\/test_broken.py::test_three` not checked: .*syntax error/);
  });
});

describe('quick fixes', () => {
  it('replace an unknown test name with the nearest one (pytest, vitest, go, cargo): applied, the finding is gone', async () => {
    const cases: [string, string, RegExp][] = [
      ['python', 'TestCalc::test_subtract', /Replace `test_subtract` with `test_sub`/],
      ['python', '[1-2-4]', /Replace `1-2-4` with `1-2-3`/],
      ['vitest', 'handles negative numbers', /Replace `handles negative numbers` with `(sum )?handles negatives`/],
      ['go', '^TestAd$', /Replace `\^TestAd\$` with `\^TestAdd\$`/],
      ['rust', 'cargo test it_ads', /Replace `it_ads` with `it_adds`/],
    ];
    for (const [runner, needle, title] of cases) {
      const { root, text, workspace } = project(runner);
      const checked = await checkTextPrepared(text, options(root, workspace));
      const finding = findingOn(checked, text, needle);
      const fix = fixTitled(finding, title);
      assert.equal(fix.fixAll, false, 'guessing a name is not a safe fix-all');
      const fixed = applyEdits(text, fix.edits);
      const line = lineOf(text, needle);
      const again = await checkTextPrepared(fixed, options(root, workspace));
      assert.deepEqual(
        mine(again).filter((f) => f.range.start.line === line),
        [],
        `${runner}: ${fixed.split('\n')[line]} is fixed`,
      );
    }
  });

  it('replace a missing test file with the nearest one, written from the command’s directory', async () => {
    const { root, text, workspace } = project('python');
    const checked = await checkTextPrepared(text, options(root, workspace));
    const finding = findingOn(checked, text, 'cd tests && pytest test_calcs.py');
    const fix = fixTitled(finding, /Replace `test_calcs\.py` with `test_calc\.py`/);
    const fixed = applyEdits(text, fix.edits);
    assert.ok(fixed.includes('`cd tests && pytest test_calc.py`'));
    const again = await checkTextPrepared(fixed, options(root, workspace));
    assert.deepEqual(mine(again).filter((f) => f.range.start.line === finding.range.start.line), []);
  });

  it('create the missing test as a failing stub, in the right file and style: applied, the finding is gone', async () => {
    const cases: [string, string, string, RegExp][] = [
      ['python', 'pytest tests/test_calc.py::test_divide', 'tests/test_calc.py', / {8}pass\n\n\ndef test_divide\(\):\n {4}raise NotImplementedError\("not written yet"\)\n$/],
      ['python', 'TestCalc::test_subtract', 'tests/test_calc.py', /class TestCalc:[\s\S]*\n {4}def test_subtract\(self\):\n {8}raise NotImplementedError/],
      ['python', 'pytest tests/test_calc2.py::test_add', 'tests/test_calc2.py', /^def test_add\(\):\n {4}raise NotImplementedError\("not written yet"\)\n$/],
      ['vitest', 'src/product.test.ts', 'src/product.test.ts', /^import \{ test \} from 'vitest';\n\ntest\('multiplies', \(\) => \{\n {2}throw new Error\('not written yet'\);\n\}\);\n$/],
      ['jest', '-t "halves"', '__tests__/math.test.js', /\ntest\('halves', \(\) => \{\n {2}throw new Error\('not written yet'\);\n\}\);\n$/],
      ['node-test', '--test-name-pattern="drains"', 'test/queue.test.mjs', /\n(?:test|it)\('drains', \(\) => \{/],
      ['go', '-run TestMultiply', 'pkg/calc/calc_test.go', /\nfunc TestMultiply\(t \*testing\.T\) \{\n\tt\.Fatal\("not written yet"\)\n\}/],
      ['rust', 'cargo test it_divides', 'src/lib.rs', /#\[test\]\n\s*fn it_divides\(\) \{\n\s*todo!\("not written yet"\);/],
    ];
    for (const [runner, needle, file, shape] of cases) {
      const { root, text, workspace } = project(runner);
      const checked = await checkTextPrepared(text, options(root, workspace));
      const finding = findingOn(checked, text, needle);
      const fix = fixTitled(finding, /^Create failing test /);
      assert.equal(fix.fixAll, false, 'a stub is never part of fix-all');
      assert.deepEqual(fix.edits, [], 'the doc itself is not edited');
      assert.equal(fix.otherFiles?.length, 1);
      assert.equal(fix.otherFiles![0].absPath, join(root, ...file.split('/')));
      applyOtherFiles(fix, workspace);
      assert.match(readFileSync(join(root, file), 'utf8'), shape, `${runner}: ${needle}`);
      const again = await checkTextPrepared(text, options(root, workspace));
      assert.deepEqual(
        mine(again).filter((f) => f.range.start.line === finding.range.start.line),
        [],
        `${runner}: after the stub, ${needle} is found`,
      );
    }
  });

  it('fix-all (and so `docplan check --fix`) applies none of them', async () => {
    const { root, text, workspace } = project('python');
    const opts = options(root, workspace);
    await checkTextPrepared(text, opts);
    const before = readFileSync(join(root, 'tests', 'test_calc.py'), 'utf8');
    const { text: fixed } = fixAllText(text, opts);
    for (const needle of ['TestCalc::test_subtract', 'tests/test_calc2.py::test_add', 'pytest tests/test_calc.py::test_divide']) assert.ok(fixed.includes(needle), needle);
    assert.equal(readFileSync(join(root, 'tests', 'test_calc.py'), 'utf8'), before);
    assert.ok(!existsSync(join(root, 'tests', 'test_calc2.py')));
  });

  it('code actions: a stub becomes create + insert with documentChanges, a plain edit without; creation needs documentChanges', async () => {
    const { root, text, workspace } = project('vitest');
    const opts = options(root, workspace);
    const checked = await checkTextPrepared(text, opts);
    const finding = findingOn(checked, text, 'src/product.test.ts');
    const uri = URI.file(join(root, DOC)).toString();
    const actions = codeActions({ uri, version: 3, text, checked, options: opts, range: finding.range, only: ['quickfix'], docsBase: null, documentChanges: true });
    const stub = actions.find((action) => action.title.startsWith('Create failing test multiplies'));
    assert.ok(stub, actions.map((a) => a.title).join(' | '));
    const changes = stub.edit!.documentChanges!;
    const fileUri = URI.file(join(root, 'src', 'product.test.ts')).toString();
    assert.deepEqual(changes[0], { kind: 'create', uri: fileUri, options: { overwrite: false, ignoreIfExists: true } } satisfies CreateFile);
    const insert = changes[1] as TextDocumentEdit;
    assert.equal(insert.textDocument.uri, fileUri);
    assert.equal(insert.textDocument.version, null);
    assert.match(JSON.stringify(insert.edits[0]), /test\('multiplies'/);
    const plain = codeActions({ uri, version: 3, text, checked, options: opts, range: finding.range, only: ['quickfix'], docsBase: null, documentChanges: false });
    assert.ok(!plain.some((action) => action.title.startsWith('Create failing test')), 'no file creation without documentChanges');
    // Editing an existing file works with plain `changes`.
    const existing = findingOn(checked, text, '-t "subtracts"');
    const fix = fixTitled(existing, /^Create failing test subtracts/);
    const edit = fixEdit(uri, 3, fix, false)!;
    assert.deepEqual(Object.keys(edit.changes!), [URI.file(join(root, 'src', 'sum.test.ts')).toString()]);
    const versioned = fixEdit(uri, 3, { title: 'x', edits: [{ range: finding.range, newText: 'y' }], fixAll: false, otherFiles: fix.otherFiles }, true)!;
    assert.deepEqual((versioned.documentChanges![0] as TextDocumentEdit).textDocument, { uri, version: 3 });
  });
});

describe('test navigation: links, hover, completion', () => {
  it('links a node id to its test, hovers with its location or the problem, completes after ::, -k, -t, -run', async () => {
    const { root, text, workspace } = project('python');
    const opts = options(root, workspace);
    const checked = await checkTextPrepared(text, opts);
    const context = { checked, workspace: opts.workspace ?? null };
    const links = testNavigation.links(context);
    const nestedLine = lineOf(text, 'TestNested::test_deep`');
    const link = links.find((l) => l.range.start.line === nestedLine);
    assert.ok(link, 'a link on the nested node id');
    const target = URI.parse(link.target!);
    assert.equal(target.fsPath, join(root, 'tests', 'test_calc.py'));
    assert.match(target.fragment, /^L\d+,\d+$/);
    const line = text.split('\n')[nestedLine];
    const hover = testNavigation.hover(context, { line: nestedLine, character: line.indexOf('test_deep') + 2 });
    assert.ok(hover && typeof hover.contents === 'object' && 'value' in hover.contents);
    assert.match(hover.contents.value, /tests\/test_calc\.py:\d+/);
    const missingLine = lineOf(text, 'TestCalc::test_subtract');
    const missing = testNavigation.hover(context, { line: missingLine, character: text.split('\n')[missingLine].indexOf('test_subtract') });
    assert.match(missing && 'value' in (missing.contents as object) ? (missing.contents as { value: string }).value : '', /Did you mean `test_sub`/);
    const unknownLine = lineOf(text, 'test_dynamic[obj7]');
    assert.equal(testNavigation.completion(context, { line: unknownLine + 100, character: 0 }), null);

    // Completion after `::` in a command being written.
    const typed = text.replace('- [ ] `make test`', '- [ ] `pytest tests/test_calc.py::TestCalc::`');
    const typedChecked = await checkTextPrepared(typed, opts);
    const typedLine = lineOf(typed, 'pytest tests/test_calc.py::TestCalc::`');
    const character = typed.split('\n')[typedLine].indexOf('::`') + 2;
    const items = testNavigation.completion({ checked: typedChecked, workspace: opts.workspace ?? null }, { line: typedLine, character });
    assert.ok(items);
    assert.deepEqual(items.map((item) => item.label).sort(), ['TestNested', 'test_sub']);
    const textEdit = items[0].textEdit as { range: { start: { line: number; character: number } } };
    assert.deepEqual(textEdit.range.start, { line: typedLine, character });
    const k = typed.replace('`pytest tests/test_calc.py::TestCalc::`', '`pytest tests/unit -k `');
    const kChecked = await checkTextPrepared(k, opts);
    const kLine = lineOf(k, 'pytest tests/unit -k `');
    const kItems = testNavigation.completion({ checked: kChecked, workspace: opts.workspace ?? null }, { line: kLine, character: k.split('\n')[kLine].indexOf('-k `') + 3 });
    assert.ok(kItems?.some((item) => item.label === 'test_join'));
  });

  it('-t and -run completion in vitest and go projects', async () => {
    for (const [runner, command, at, label] of [
      ['vitest', 'vitest run -t ', 14, 'adds numbers'],
      ['go', 'go test ./pkg/calc -run TestA', 29, 'TestAddCases/small_numbers'],
    ] as const) {
      const { root, text, workspace } = project(runner);
      const opts = options(root, workspace);
      const typed = text.replace('- [ ] Finish\n', '- [ ] Finish\n').replace(/(### Validation\n\n)(- \[ \])/, `$1- [ ] \`${command}\`\n$2`);
      const checked = await checkTextPrepared(typed, opts);
      const line = lineOf(typed, `\`${command}\``);
      const items = testNavigation.completion({ checked, workspace: opts.workspace ?? null }, { line, character: typed.split('\n')[line].indexOf(command) + at });
      assert.ok(items?.some((item) => item.label === label), `${runner}: ${items?.map((i) => i.label).join(', ')}`);
    }
  });

  it('nothing outside a workspace folder', () => {
    const text = readFileSync(join(FIXTURES, 'testRules', 'python.md'), 'utf8');
    const checked = checkText(text, { config: defaultConfig(), path: null });
    const context = { checked, workspace: null };
    assert.deepEqual(testNavigation.links(context), []);
    assert.equal(testNavigation.hover(context, { line: lineOf(text, 'test_subtract'), character: 30 }), null);
    assert.equal(testNavigation.completion(context, { line: lineOf(text, 'test_subtract'), character: 30 }), null);
  });
});

describe('docplan check reports the same findings', () => {
  async function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const io: CliIo = { cwd, env: {}, stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } };
    const code = await main(args, io);
    return { code, stdout, stderr };
  }

  for (const runner of RUNNERS) {
    it(`${runner}: same lines, rules and severities as the fixture marks`, async () => {
      const { root, text } = project(runner);
      const result = await run(['check', DOC, '--root', root, '--format', 'json'], root);
      assert.equal(result.stderr, '');
      const reports = JSON.parse(result.stdout) as { diagnostics: { code: string; severity: string; range: { start: { line: number } } }[] }[];
      const found = reports.flatMap((report) => report.diagnostics).filter((d) => RULES.has(d.code));
      assert.deepEqual(found.map((d) => `${d.range.start.line} ${d.code} (${d.severity})`).sort(), expected(text));
      assert.equal(result.code, 1, 'a done stage with a missing test is an error');
    });
  }

  it('text output names the rules and the nearest test', async () => {
    const { root } = project('python');
    const result = await run(['check', DOC, '--root', root], root);
    assert.match(result.stdout, /error\s+Test not found: test test_subtract not found in TestCalc in tests\/test_calc\.py\. Did you mean `test_sub`\?.*test-not-found/);
    assert.match(result.stdout, /warning\s+Test file missing: tests\/test_calc2\.py does not exist\..*test-file-missing/);
  });
});
