/**
 * Grammars load per language, when a check first needs them: a pytest plan's check loads Python and
 * nothing else, and still finds the test it names that does not exist; a symbol lookup loads its file's language; a test
 * file asked for before its grammar is loaded is "unknown" (undefined), not "no tests". Grammar state is
 * per process, and `node --test` runs each test file in a process of its own, so this file starts with
 * nothing loaded.
 */
import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkTextPrepared } from '../../server/src/check';
import { defaultConfig } from '../../server/src/config/config';
import { grammarsOfCommands } from '../../server/src/validation/runnerGrammars';
import { TestIndex } from '../../server/src/validation/index';
import { FileCache } from '../../server/src/workspace/fileCache';
import { SymbolIndex } from '../../server/src/workspace/symbols';
import { grammarStatus } from '../../server/src/workspace/treeSitter';
import { FolderWorkspace } from '../../server/src/workspace/workspace';

const FIXTURES = resolve(__dirname, '..', 'fixtures');
const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function copyOf(project: string): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), `docplan-grammars-${project}-`)));
  temps.push(root);
  cpSync(join(FIXTURES, 'validation', project), root, { recursive: true });
  return root;
}

function loadedGrammars(): string[] {
  return Object.entries(grammarStatus())
    .filter(([, status]) => status === 'loaded')
    .map(([id]) => id)
    .sort();
}

describe('grammars load per language', () => {
  it('start with none loaded', () => {
    assert.deepEqual(loadedGrammars(), []);
    assert.equal(grammarStatus().python, 'not needed yet');
  });

  it('a pytest plan loads the Python grammar only, and its check finds the missing test', async () => {
    const root = copyOf('python');
    // The test file is named only inside commands, so nothing but the test rules' preparation loads Python.
    const text = [
      '# Implementation Plan: calculator',
      '',
      '**Goal**: subtraction works.',
      '',
      '## Stage 1: Subtraction ✅',
      '',
      '### Changes',
      '',
      '- [x] Subtract two numbers',
      '',
      '### Validation',
      '',
      '- [x] `pytest tests/test_calc.py::test_add -q`',
      '- [x] `pytest tests/test_calc.py::test_subtract_twice -q`',
      '',
    ].join('\n');
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs', 'plan.md'), text);
    const workspace = new FolderWorkspace(root, { validate: 'stat', git: false });
    const checked = await checkTextPrepared(text, { config: defaultConfig(), path: 'docs/plan.md', workspace: workspace.view(join(root, 'docs', 'plan.md')) });
    const found = checked.findings.filter((finding) => finding.ruleId.startsWith('test-')).map((finding) => `${finding.range.start.line} ${finding.ruleId}`);
    assert.deepEqual(found, ['13 test-not-found']);
    assert.deepEqual(loadedGrammars(), ['python']);
  });

  it('a test file whose grammar is not loaded is unknown until the commands are prepared', async () => {
    const root = copyOf('rust');
    const index = new TestIndex(root);
    assert.equal(index.fileTests('src/lib.rs'), undefined);
    await index.prepareFor(['cargo test --lib']);
    const tests = index.fileTests('src/lib.rs');
    assert.ok(tests?.ok && tests.tests.length > 0, 'tests of src/lib.rs after loading the Rust grammar');
    assert.deepEqual(loadedGrammars(), ['python', 'rust']);
  });

  it('a symbol lookup loads the grammar of its file', async () => {
    const root = copyOf('go');
    const symbols = new SymbolIndex(new FileCache());
    const file = join(root, 'pkg', 'calc', 'calc.go');
    await symbols.prepare([file]);
    const found = symbols.get(file);
    assert.ok(found?.ok && found.parser === 'tree-sitter', 'parsed with tree-sitter');
    assert.deepEqual(loadedGrammars(), ['go', 'python', 'rust']);
  });
});

describe('grammarsOfCommands', () => {
  const scripts: Record<string, string> = { test: 'vitest run' };
  const readScript = (_cwd: string, name: string) => scripts[name] ?? null;
  const cases: [string[], string[]][] = [
    [['uv run pytest tests/x.py::test_a -q'], ['python']],
    [['cd api && go test ./... -run TestA'], ['go']],
    [['cargo test parser::'], ['rust']],
    [['npm test -- -t "adds"'], ['javascript', 'tsx', 'typescript']],
    [['make lint', 'echo $(date)'], []],
    [['pytest', 'go test ./...'], ['go', 'python']],
  ];
  for (const [commands, grammars] of cases) {
    it(`${commands.join(' ; ')} -> ${grammars.join(', ') || 'none'}`, () => {
      assert.deepEqual([...grammarsOfCommands(commands, { readScript })].sort(), grammars);
    });
  }
});
