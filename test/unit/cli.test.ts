/**
 * The `docplan` CLI: in-process through `main(argv, io)` for most cases, and end to end through the built
 * bundle (`node dist/cli.js`, `node bin/docplan.js`; run `npm run build` first) for a few.
 *
 * Assertions rely on the rules `missing-goals` and `stage-too-large` (both warnings by default) and on
 * generic shapes, so that rules added later do not break them.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { main, type CliIo } from '../../server/src/cli/main';
import { escapeGithubData, escapeGithubProperty, formatGithub, type FileReport } from '../../server/src/cli/format';
import { ALL_RULES } from '../../server/src/rules/index';
import { threadCount } from '../../server/src/cli/workers';

const REPO = resolve(__dirname, '..', '..');
const FIXTURES = join(REPO, 'test', 'fixtures', 'cli');
const DIST_CLI = join(REPO, 'dist', 'cli.js');
const BIN = join(REPO, 'bin', 'docplan.js');
const ESC = '\u001b';
const NO_GOAL = 'plan-without-goal.md';
const LARGE = 'plan-large-stage.md';

const workspaces: string[] = [];
after(() => {
  for (const dir of workspaces) {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A temp workspace: `files` maps relative paths to contents, or to `@fixture-name` to copy a fixture. */
function workspace(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'docplan-cli-'));
  workspaces.push(root);
  if (!('.docplan.json' in files)) files = { '.docplan.json': '{}\n', ...files };
  for (const [path, content] of Object.entries(files)) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    if (typeof content === 'string' && content.startsWith('@')) copyFileSync(join(FIXTURES, content.slice(1)), target);
    else writeFileSync(target, content);
  }
  return root;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], cwd: string, extra: Partial<CliIo> = {}, isTTY = false): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    cwd,
    env: {},
    stdout: { write: (text: string) => (stdout += text), isTTY },
    stderr: { write: (text: string) => (stderr += text) },
    ...extra,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

function bundle(script: string, args: string[], cwd: string): Run {
  assert.ok(existsSync(script), `${script} is missing: run \`npm run build\` before the unit tests`);
  const result = spawnSync(process.execPath, [script, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', DEBUG: '' }, timeout: 30_000 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

interface JsonEntry {
  file: string;
  kind: string;
  diagnostics: { code: string; severity: string; message: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[];
}

function codes(entries: JsonEntry[], file: string): string[] {
  const entry = entries.find((candidate) => candidate.file === file);
  assert.ok(entry, `no JSON entry for ${file} in ${JSON.stringify(entries.map((candidate) => candidate.file))}`);
  return entry.diagnostics.map((diagnostic) => diagnostic.code);
}

async function checkJson(args: string[], cwd: string): Promise<{ run: Run; entries: JsonEntry[] }> {
  const run = await cli(['check', '--format', 'json', ...args], cwd);
  return { run, entries: JSON.parse(run.stdout) as JsonEntry[] };
}

describe('docplan check: exit status', () => {
  it('is 0 when there are only warnings', async () => {
    const root = workspace({ 'docs/plan.md': `@${NO_GOAL}` });
    const run = await cli(['check'], root);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /missing-goals/);
  });

  it('is 1 when a --rule override makes a finding an error', async () => {
    const root = workspace({ 'docs/plan.md': `@${NO_GOAL}` });
    const run = await cli(['check', '--rule', 'missing-goals=error'], root);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /1:3\s+error\s+Plan has no Goal.*missing-goals/);
  });

  it('checks a file with the .docplan.json of the nearest folder that has one, inside the root', async () => {
    const root = workspace({
      '.docplan.json': '{ "rules": { "stage-too-large": "error" } }',
      'top/plan.md': `@${LARGE}`,
      'team/.docplan.json': '{ "rules": { "stage-too-large": "off" } }',
      'team/docs/plan.md': `@${LARGE}`,
    });
    const run = await cli(['check', '--format', 'json'], root);
    const entries = JSON.parse(run.stdout) as JsonEntry[];
    assert.deepEqual(codes(entries, 'top/plan.md'), ['stage-too-large']);
    assert.deepEqual(codes(entries, 'team/docs/plan.md'), []);
    assert.equal(run.code, 1);
    // --root makes the root's configuration apply everywhere again.
    const rooted = JSON.parse((await cli(['check', '--format', 'json', '--root', '.'], root)).stdout) as JsonEntry[];
    assert.deepEqual(codes(rooted, 'team/docs/plan.md'), ['stage-too-large']);
  });

  it('is 1 when .docplan.json makes a finding an error', async () => {
    const root = workspace({ '.docplan.json': '{ "rules": { "stage-too-large": "error" } }', 'docs/plan.md': `@${LARGE}` });
    const run = await cli(['check'], root);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /13:4\s+error\s+Stage 1 has 11 change items.*stage-too-large/);
  });

  it('is 1 when warnings exceed --max-warnings, 0 when they do not', async () => {
    const root = workspace({ 'a.md': `@${NO_GOAL}`, 'b.md': `@${LARGE}` });
    const over = await cli(['check', '--max-warnings', '1'], root);
    assert.equal(over.code, 1);
    assert.match(over.stderr, /too many warnings \(2; --max-warnings is 1\)/);
    const under = await cli(['check', '--max-warnings', '2'], root);
    assert.equal(under.code, 0, under.stderr);
  });

  it('is 2 for usage errors, with a message and no stack trace', async () => {
    const root = workspace({ 'plan.md': `@${NO_GOAL}` });
    const cases: [string[], RegExp][] = [
      [['check', '--no-such-flag'], /Unknown option '--no-such-flag'/],
      [['check', '--format', 'yaml'], /--format must be one of text, json, sarif, github/],
      [['check', 'missing-dir'], /no such file or directory: missing-dir/],
      [['check', '--rule', 'missing-goals'], /--rule expects rule-id=severity/],
      [['check', '--rule', 'missing-goals=loud'], /--rule expects rule-id=severity/],
      [['check', '--max-warnings', 'many'], /--max-warnings expects a non-negative integer/],
      [['check', '--config', 'nope.json'], /--config: no such file: nope.json/],
      [['check', '--root', 'nope'], /--root: no such directory/],
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['stages'], /stages: name one document/],
      [['stages', 'nope.md'], /no such file: nope.md/],
      [[], /Usage: docplan/],
    ];
    for (const [args, message] of cases) {
      const run = await cli(args, root);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message, args.join(' '));
      assert.doesNotMatch(run.stderr, /\n\s+at /, `stack trace for ${args.join(' ')}`);
      assert.equal(run.stdout, '', args.join(' '));
    }
  });

  it('does not check anything when a path is missing', async () => {
    const root = workspace({ 'plan.md': `@${NO_GOAL}` });
    const run = await cli(['check', 'plan.md', 'missing.md'], root);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
  });
});

describe('docplan check: formats', () => {
  it('text: path header, aligned 1-based rows, summary line, no colour without a TTY', async () => {
    const root = workspace({ 'docs/a.md': `@${NO_GOAL}`, 'docs/b.md': `@${LARGE}` });
    const run = await cli(['check'], root);
    const lines = run.stdout.split('\n');
    const header = lines.indexOf('docs/a.md');
    assert.ok(header >= 0, run.stdout);
    assert.match(lines[header + 1], /^ {2}1:3 {2}warning {2}Plan has no Goal: add a \*\*Goal\*\*: line or a Goals section\. {2}missing-goals$/);
    assert.ok(lines.includes('docs/b.md'), run.stdout);
    assert.match(run.stdout, /^ {2}13:4 {2}warning {2}Stage 1 has 11 change items/m);
    assert.match(run.stdout, /\d+ problems \(\d+ errors?, \d+ warnings?, \d+ infos?, \d+ hints?\) in 2 files\n$/);
    assert.ok(!run.stdout.includes(ESC), 'no ANSI escapes');
  });

  it('text: colours only on a TTY without NO_COLOR', async () => {
    const root = workspace({ 'plan.md': `@${NO_GOAL}` });
    const tty = await cli(['check'], root, {}, true);
    assert.ok(tty.stdout.includes(`${ESC}[33mwarning${ESC}[39m`), JSON.stringify(tty.stdout));
    const noColor = await cli(['check'], root, { env: { NO_COLOR: '1' } }, true);
    assert.ok(!noColor.stdout.includes(ESC), 'NO_COLOR is honoured');
    const forced = await cli(['check', '--no-color'], root, {}, true);
    assert.ok(!forced.stdout.includes(ESC), '--no-color is honoured');
  });

  it('json: one entry per DocPlan doc, LSP ranges, severity names', async () => {
    const root = workspace({ 'docs/a.md': `@${NO_GOAL}`, 'docs/b.md': `@${LARGE}`, 'README.md': '@README.md' });
    const { run, entries } = await checkJson([], root);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(entries.map((entry) => entry.file).sort(), ['docs/a.md', 'docs/b.md']);
    for (const entry of entries) {
      assert.equal(entry.kind, 'plan');
      for (const diagnostic of entry.diagnostics) {
        assert.deepEqual(Object.keys(diagnostic).sort(), ['code', 'message', 'range', 'severity']);
        assert.ok(['error', 'warning', 'info', 'hint'].includes(diagnostic.severity));
      }
    }
    const missing = entries.find((entry) => entry.file === 'docs/a.md')!.diagnostics.find((diagnostic) => diagnostic.code === 'missing-goals');
    assert.deepEqual(missing, {
      code: 'missing-goals',
      severity: 'warning',
      message: 'Plan has no Goal: add a **Goal**: line or a Goals section.',
      range: { start: { line: 0, character: 2 }, end: { line: 0, character: 26 } },
    });
    assert.ok(codes(entries, 'docs/b.md').includes('stage-too-large'));
    assert.ok(!codes(entries, 'docs/b.md').includes('missing-goals'));
  });

  it('sarif: 2.1.0 with every rule described and 1-based regions', async () => {
    const root = workspace({ 'docs/a.md': `@${NO_GOAL}` });
    const run = await cli(['check', '-f', 'sarif'], root);
    assert.equal(run.code, 0, run.stderr);
    const sarif = JSON.parse(run.stdout);
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif-2\.1\.0/);
    assert.equal(sarif.runs.length, 1);
    const [sarifRun] = sarif.runs;
    assert.equal(sarifRun.tool.driver.name, 'docplan');
    const rules = sarifRun.tool.driver.rules as { id: string; shortDescription: { text: string }; defaultConfiguration: { level: string }; helpUri: string }[];
    assert.deepEqual(rules.map((rule) => rule.id), ALL_RULES.map((rule) => rule.id));
    for (const rule of rules) {
      assert.ok(rule.shortDescription.text.length > 0);
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
      assert.ok(rule.helpUri.endsWith(`#${rule.id}`), rule.helpUri);
    }
    assert.equal(rules.find((rule) => rule.id === 'missing-goals')!.defaultConfiguration.level, 'warning');
    assert.match(sarifRun.originalUriBaseIds.SRCROOT.uri, /^file:\/\/.*\/$/);
    const result = sarifRun.results.find((candidate: { ruleId: string }) => candidate.ruleId === 'missing-goals');
    assert.ok(result, run.stdout);
    assert.equal(result.level, 'warning');
    assert.equal(result.message.text, 'Plan has no Goal: add a **Goal**: line or a Goals section.');
    assert.equal(rules[result.ruleIndex].id, 'missing-goals');
    const location = result.locations[0].physicalLocation;
    assert.deepEqual(location.artifactLocation, { uri: 'docs/a.md', uriBaseId: 'SRCROOT' });
    assert.deepEqual(location.region, { startLine: 1, startColumn: 3, endLine: 1, endColumn: 27 });
  });

  it('github: workflow commands with 1-based positions', async () => {
    const root = workspace({ 'docs/a.md': `@${NO_GOAL}` });
    const run = await cli(['check', '--format', 'github', '--rule', 'missing-goals=error'], root);
    assert.equal(run.code, 1);
    const line = run.stdout.split('\n').find((candidate) => candidate.includes('missing-goals'));
    assert.equal(line, '::error file=docs/a.md,line=1,col=3,endLine=1,endColumn=26,title=docplan(missing-goals)::Plan has no Goal: add a **Goal**: line or a Goals section.');
    for (const command of run.stdout.trim().split('\n')) assert.match(command, /^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=docplan\([a-z0-9-]+\)::/);
  });

  it('github: escapes %, CR, LF in messages and also , and : in properties; info and hint are notices', () => {
    assert.equal(escapeGithubData('100% done\r\nnext: a, b'), '100%25 done%0D%0Anext: a, b');
    assert.equal(escapeGithubProperty('a:b,c%d\n'), 'a%3Ab%2Cc%25d%0A');
    const range = { start: { line: 4, character: 0 }, end: { line: 4, character: 6 } };
    const report: FileReport = {
      file: 'docs/odd, name: v2.md',
      display: 'docs/odd, name: v2.md',
      kind: 'plan',
      findings: [
        { ruleId: 'missing-goals', severity: 'info', message: 'Line one\nLine two: 50%', range, fixes: [] },
        { ruleId: 'stage-too-large', severity: 'hint', message: 'Hint', range, fixes: [] },
      ],
    };
    assert.equal(
      formatGithub([report]),
      '::notice file=docs/odd%2C name%3A v2.md,line=5,col=1,endLine=5,endColumn=6,title=docplan(missing-goals)::Line one%0ALine two: 50%25\n' +
        '::notice file=docs/odd%2C name%3A v2.md,line=5,col=1,endLine=5,endColumn=6,title=docplan(stage-too-large)::Hint\n',
    );
  });

  it('--output writes the report to a file and nothing to stdout', async () => {
    const root = workspace({ 'docs/a.md': `@${NO_GOAL}` });
    const run = await cli(['check', '-f', 'json', '-o', 'report.json'], root);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '');
    const entries = JSON.parse(readFileSync(join(root, 'report.json'), 'utf8')) as JsonEntry[];
    assert.ok(codes(entries, 'docs/a.md').includes('missing-goals'));
  });
});

describe('docplan check: configuration', () => {
  it('--rule id=off turns a rule off', async () => {
    const root = workspace({ 'a.md': `@${NO_GOAL}` });
    const { run, entries } = await checkJson(['--rule', 'missing-goals=off'], root);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(!codes(entries, 'a.md').includes('missing-goals'));
  });

  it('--rule with an unknown id warns on stderr and still checks', async () => {
    const root = workspace({ 'a.md': `@${NO_GOAL}` });
    const { run, entries } = await checkJson(['--rule', 'no-such-rule=error'], root);
    assert.equal(run.code, 0);
    assert.match(run.stderr, /warning: .*no-such-rule/);
    assert.ok(codes(entries, 'a.md').includes('missing-goals'));
  });

  it('a malformed .docplan.json is reported and the defaults are used', async () => {
    const root = workspace({ '.docplan.json': '{ "rules": { "missing-goals": "off", } ', 'a.md': `@${NO_GOAL}` });
    const { run, entries } = await checkJson([], root);
    assert.equal(run.code, 0);
    assert.match(run.stderr, /\.docplan\.json(:\d+:\d+)?: .*not valid JSON.*using defaults/);
    assert.deepEqual(entries.find((entry) => entry.file === 'a.md')!.diagnostics.find((diagnostic) => diagnostic.code === 'missing-goals')?.severity, 'warning');
  });

  it('--config reads another file', async () => {
    const root = workspace({ 'strict.json': '{ "rules": { "missing-goals": "error" } }', 'a.md': `@${NO_GOAL}` });
    const run = await cli(['check', '--config', 'strict.json'], root);
    assert.equal(run.code, 1, run.stderr);
  });

  it('finds the root above the cwd and passes root-relative paths (include globs match)', async () => {
    const root = workspace({ '.docplan.json': '{ "include": ["notes/**"] }', 'notes/todo.md': '# Todo\n\nSome notes.\n', 'other/todo.md': '# Todo\n\nSome notes.\n' });
    const { run, entries } = await checkJson([], join(root, 'notes'));
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(entries.map((entry) => entry.file), ['notes/todo.md']);
    assert.ok(codes(entries, 'notes/todo.md').includes('missing-goals'));
    const text = await cli(['check'], join(root, 'notes'));
    assert.match(text.stdout, /^todo\.md$/m, 'text output is relative to the cwd');
  });
});

describe('docplan check: finding files', () => {
  it('honours .gitignore (nested too), skips node_modules and .git, checks explicit paths', async () => {
    const root = workspace({
      '.gitignore': 'build/\n*.draft.md\n',
      'docs/plan.md': `@${NO_GOAL}`,
      'docs/wip.draft.md': `@${NO_GOAL}`,
      'docs/private/.gitignore': 'secret.md\n',
      'docs/private/secret.md': `@${NO_GOAL}`,
      'docs/private/open.md': `@${NO_GOAL}`,
      'build/plan.md': `@${NO_GOAL}`,
      'node_modules/pkg/plan.md': `@${NO_GOAL}`,
      '.git/plan.md': `@${NO_GOAL}`,
      'docs/plan.markdown': `@${NO_GOAL}`,
      'docs/plan.txt': `@${NO_GOAL}`,
    });
    const { entries } = await checkJson([], root);
    assert.deepEqual(entries.map((entry) => entry.file).sort(), ['docs/plan.markdown', 'docs/plan.md', 'docs/private/open.md']);
    const explicit = await checkJson(['build/plan.md', 'docs/plan.txt'], root);
    assert.deepEqual(explicit.entries.map((entry) => entry.file), ['build/plan.md', 'docs/plan.txt']);
  });

  it('walks the folder afresh for each run in the same process: a file created between two runs is found', async () => {
    const plan = readFileSync(join(FIXTURES, NO_GOAL), 'utf8').replace('- The request loop in the server module.', '- The request loop in `src/server/loop.ts`.');
    // src/ exists, so that a path below it that is not there counts as a missing file.
    const root = workspace({ 'docs/plan.md': plan, 'src/main.ts': 'export {};\n' });
    for (const args of [['check', '--format', 'json'], ['check', '--format', 'json', '--no-cache']]) {
      rmSync(join(root, 'src', 'server'), { recursive: true, force: true });
      const before = await cli(args, root);
      assert.match(before.stdout, /missing-file/, `${args.join(' ')}: the file is missing at first`);
      mkdirSync(join(root, 'src', 'server'), { recursive: true });
      writeFileSync(join(root, 'src', 'server', 'loop.ts'), 'export function loop() {}\n');
      const after = await cli(args, root);
      assert.doesNotMatch(after.stdout, /missing-file/, `${args.join(' ')}: the second run sees the new file`);
    }
  });

  it('expands globs, minus ignored files', async () => {
    const root = workspace({ '.gitignore': 'old.md\n', 'docs/a.md': `@${NO_GOAL}`, 'docs/old.md': `@${NO_GOAL}`, 'docs/sub/b.md': `@${LARGE}`, 'c.md': `@${NO_GOAL}` });
    const { entries } = await checkJson(['docs/**/*.md'], root);
    assert.deepEqual(entries.map((entry) => entry.file), ['docs/a.md', 'docs/sub/b.md']);
    const none = await cli(['check', 'nothing/**/*.md'], root);
    assert.equal(none.code, 0);
    assert.match(none.stderr, /No files match the pattern "nothing\/\*\*\/\*\.md"/);
  });

  it('is silent about Markdown that is not a DocPlan doc', async () => {
    const root = workspace({ 'README.md': '@README.md', 'CHANGELOG.md': '# Changelog\n\n## 1.0.0\n\n- First release\n' });
    const text = await cli(['check'], root);
    assert.equal(text.code, 0);
    assert.equal(text.stderr, '');
    assert.equal(text.stdout, '✔ 0 problems (0 errors, 0 warnings, 0 infos, 0 hints) in 0 files\n');
    const { entries } = await checkJson(['README.md'], root);
    assert.deepEqual(entries, []);
    const github = await cli(['check', '-f', 'github'], root);
    assert.equal(github.stdout, '');
  });

  it('skips binary, unreadable, oversized files and symlink loops with a message', async () => {
    const root = workspace({ 'docs/plan.md': `@${NO_GOAL}`, 'docs/image.md': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]), 'docs/big.md': `@${LARGE}` });
    symlinkSync(join(root, 'does-not-exist.md'), join(root, 'docs', 'dangling.md'));
    symlinkSync(root, join(root, 'docs', 'loop'));
    const { run, entries } = await checkJson(['--max-file-size', String(statSync(join(root, 'docs', 'plan.md')).size)], root);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(entries.map((entry) => entry.file), ['docs/plan.md']);
    assert.match(run.stderr, /skipped docs\/image\.md: binary file/);
    assert.match(run.stderr, /skipped docs\/dangling\.md: cannot read/);
    assert.match(run.stderr, /skipped docs\/big\.md: too large/);
    // An explicitly named binary file is skipped the same way.
    const explicit = await cli(['check', 'docs/image.md'], root);
    assert.equal(explicit.code, 0);
    assert.match(explicit.stderr, /skipped docs\/image\.md: binary file/);
  });

  it('--max-file-size accepts K/M suffixes and rejects nonsense', async () => {
    const root = workspace({ 'a.md': `@${NO_GOAL}` });
    assert.equal((await cli(['check', '--max-file-size', '1K'], root)).code, 0);
    assert.match((await cli(['check', '--max-file-size', '0.0001K'], root)).stderr, /too large/);
    assert.equal((await cli(['check', '--max-file-size', 'big'], root)).code, 2);
  });
});

describe('docplan check --fix', () => {
  /** A stand-in for rules' fix-all edits: adds a Goal line after the Background heading, once. */
  const addGoal: CliIo['fixText'] = (text) => {
    if (text.includes('**Goal**:')) return { text, applied: 0 };
    return { text: text.replace('## Background\n', '## Background\n\n**Goal**: Log every request duration within 1 ms.\n'), applied: 1 };
  };

  it('writes fixed files, reports the count, then what remains; a second --fix changes nothing', async () => {
    const root = workspace({ 'a.md': `@${NO_GOAL}`, 'b.md': `@${LARGE}` });
    const first = await cli(['check', '--fix'], root, { fixText: addGoal });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Fixed 1 problem in 1 file\./);
    assert.doesNotMatch(first.stdout, /missing-goals/);
    assert.match(first.stdout, /stage-too-large/);
    const fixed = readFileSync(join(root, 'a.md'), 'utf8');
    assert.match(fixed, /\*\*Goal\*\*: Log every request duration/);
    assert.equal(readFileSync(join(root, 'b.md'), 'utf8'), readFileSync(join(FIXTURES, LARGE), 'utf8'));
    const mtime = statSync(join(root, 'a.md')).mtimeMs;
    const second = await cli(['check', '--fix', '-f', 'json'], root, { fixText: addGoal });
    assert.match(second.stderr, /Fixed 0 problems in 0 files\./);
    assert.equal(readFileSync(join(root, 'a.md'), 'utf8'), fixed);
    assert.equal(statSync(join(root, 'a.md')).mtimeMs, mtime);
  });

  it('keeps a UTF-8 BOM and never rewrites a file that is not valid UTF-8', async () => {
    const plan = readFileSync(join(FIXTURES, NO_GOAL));
    const root = workspace({ 'bom.md': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), plan]), 'latin1.md': Buffer.concat([plan, Buffer.from('caf\xe9\n', 'latin1')]) });
    const run = await cli(['check', '--fix'], root, { fixText: addGoal });
    assert.match(run.stdout, /Fixed 1 problem in 1 file\./);
    const bom = readFileSync(join(root, 'bom.md'));
    assert.deepEqual([...bom.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.match(bom.toString('utf8'), /\*\*Goal\*\*:/);
    assert.match(run.stderr, /not fixed latin1\.md: the file is not valid UTF-8/);
    assert.deepEqual(readFileSync(join(root, 'latin1.md')), Buffer.concat([plan, Buffer.from('caf\xe9\n', 'latin1')]));
  });

  it('with the real fixers (built bundle), the reported count matches the rewrites and a second --fix changes nothing', () => {
    const files = ['a.md', 'b.md', 'drift.md', 'README.md'];
    const root = workspace({ 'a.md': `@${NO_GOAL}`, 'b.md': `@${LARGE}`, 'drift.md': '@tracker-drift.md', 'README.md': '@README.md' });
    const first = bundle(DIST_CLI, ['check', '--fix'], root);
    assert.notEqual(first.code, 2, first.stderr);
    const counts = /Fixed (\d+) problems? in (\d+) files?\./.exec(first.stdout);
    assert.ok(counts, first.stdout);
    const originals = ['plan-without-goal.md', 'plan-large-stage.md', 'tracker-drift.md', 'README.md'].map((name) => readFileSync(join(FIXTURES, name), 'utf8'));
    const afterFirst = files.map((file) => readFileSync(join(root, file), 'utf8'));
    const rewritten = afterFirst.filter((text, index) => text !== originals[index]).length;
    assert.equal(rewritten, Number(counts[2]), first.stdout);
    assert.equal(Number(counts[1]) > 0, rewritten > 0);
    assert.equal(afterFirst[3], originals[3], 'ordinary Markdown is never rewritten');
    const second = bundle(DIST_CLI, ['check', '--fix'], root);
    assert.match(second.stdout, /Fixed 0 problems in 0 files\./);
    assert.deepEqual(files.map((file) => readFileSync(join(root, file), 'utf8')), afterFirst);
  });
});

describe('docplan stages', () => {
  it('--json prints a stable, versioned shape with LSP ranges', async () => {
    const root = workspace({ 'docs/plan.md': `@${LARGE}` });
    const run = await cli(['stages', 'docs/plan.md', '--json'], root);
    assert.equal(run.code, 0, run.stderr);
    const doc = JSON.parse(run.stdout);
    assert.equal(doc.version, 1);
    assert.equal(doc.file, 'docs/plan.md');
    assert.equal(doc.kind, 'plan');
    assert.equal(doc.title, 'Plan: Split the settings page');
    assert.equal(doc.stages.length, 1);
    const [stage] = doc.stages;
    assert.deepEqual(Object.keys(stage).sort(), ['changes', 'children', 'commands', 'completionCriteria', 'dependsOn', 'headingRange', 'label', 'mark', 'number', 'range', 'state', 'title', 'validation', 'validationRange'].sort());
    assert.equal(stage.validationRange.start.line, 32);
    assert.equal(stage.label, 'Stage');
    assert.equal(stage.number, '1');
    assert.equal(stage.title, 'Lazy panels');
    assert.equal(stage.state, 'in-progress');
    assert.equal(stage.headingRange.start.line, 12);
    assert.equal(stage.changes.length, 11);
    assert.deepEqual(stage.changes[0], { text: 'Split the account panel', checked: true, range: stage.changes[0].range });
    assert.equal(stage.changes.filter((change: { checked: boolean }) => change.checked).length, 3);
    assert.equal(stage.commands.length, 1);
    assert.equal(stage.commands[0].text, 'npm run lint');
    assert.equal(stage.commands[0].checked, false);
    assert.deepEqual(Object.keys(stage.commands[0].range.start).sort(), ['character', 'line']);
    assert.deepEqual(stage.children, []);
  });

  it('prints a readable tree, and nothing to fuss about for ordinary Markdown', async () => {
    const root = workspace({ 'docs/plan.md': `@${LARGE}`, 'README.md': '@README.md' });
    const run = await cli(['stages', 'docs/plan.md'], root);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Stage 1: Lazy panels {2}\[in-progress\]/);
    assert.match(run.stdout, /Changes \(3\/11 done\)/);
    assert.match(run.stdout, /\[x\] Split the account panel/);
    assert.match(run.stdout, /\$ npm run lint/);
    const readme = await cli(['stages', 'README.md', '--json'], root);
    assert.equal(readme.code, 0);
    assert.deepEqual(JSON.parse(readme.stdout), { version: 1, file: 'README.md', kind: null, profile: null, title: 'Widgets', stages: [] });
  });
});

describe('docplan rules, --help, --version', () => {
  it('lists every rule with its default severity', async () => {
    const run = await cli(['rules'], tmpdir());
    assert.equal(run.code, 0);
    for (const rule of ALL_RULES) assert.match(run.stdout, new RegExp(`^${rule.id}\\s+${rule.defaultSeverity}\\s+\\S`, 'm'));
    const json = JSON.parse((await cli(['rules', '--json'], tmpdir())).stdout);
    assert.deepEqual(json.map((rule: { id: string }) => rule.id), ALL_RULES.map((rule) => rule.id));
  });

  it('prints help and the version', async () => {
    const version = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version;
    assert.equal((await cli(['--version'], tmpdir())).stdout, `${version}\n`);
    const help = await cli(['--help'], tmpdir());
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: docplan <command>/);
    const checkHelp = await cli(['check', '-h'], tmpdir());
    assert.equal(checkHelp.code, 0);
    assert.match(checkHelp.stdout, /--max-warnings/);
  });
});

describe('the built bundle (node dist/cli.js, bin/docplan.js)', () => {
  it('exits 0, 1 and 2 as the in-process CLI does', () => {
    const root = workspace({ 'docs/a.md': `@${NO_GOAL}`, 'docs/b.md': `@${LARGE}`, 'README.md': '@README.md' });
    const clean = bundle(DIST_CLI, ['check'], root);
    assert.equal(clean.code, 0, clean.stderr);
    assert.match(clean.stdout, /^docs\/a\.md$/m);
    assert.match(clean.stdout, /2 problems \(0 errors, 2 warnings, 0 infos, 0 hints\) in 2 files/);
    const errors = bundle(DIST_CLI, ['check', '--rule', 'stage-too-large=error', '--format', 'json'], root);
    assert.equal(errors.code, 1, errors.stderr);
    const entries = JSON.parse(errors.stdout) as JsonEntry[];
    assert.deepEqual(entries.map((entry) => entry.file).sort(), ['docs/a.md', 'docs/b.md']);
    assert.equal(entries.find((entry) => entry.file === 'docs/b.md')!.diagnostics.find((diagnostic) => diagnostic.code === 'stage-too-large')?.severity, 'error');
    const usage = bundle(DIST_CLI, ['check', '--bogus'], root);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /Unknown option '--bogus'/);
    assert.doesNotMatch(usage.stderr, /\n\s+at /);
  });

  it('globs, sarif and stages --json work from the bundle', () => {
    const root = workspace({ 'docs/a.md': `@${NO_GOAL}`, 'docs/sub/b.md': `@${LARGE}` });
    const sarif = JSON.parse(bundle(DIST_CLI, ['check', 'docs/**/*.md', '-f', 'sarif'], root).stdout);
    const uris = sarif.runs[0].results.map((result: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => result.locations[0].physicalLocation.artifactLocation.uri);
    assert.ok(uris.includes('docs/a.md') && uris.includes('docs/sub/b.md'), JSON.stringify(uris));
    const stages = bundle(DIST_CLI, ['stages', 'docs/sub/b.md', '--json'], root);
    assert.equal(stages.code, 0, stages.stderr);
    assert.equal(JSON.parse(stages.stdout).stages[0].changes.length, 11);
  });

  it('bin/docplan.js runs the bundle', () => {
    const run = bundle(BIN, ['rules'], tmpdir());
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^missing-goals\s+warning/m);
  });
});

describe('docplan check threads', () => {
  it('leaves one core to the collector and git, and gives each thread enough documents', () => {
    assert.equal(threadCount(2000, null, 2), 1, 'two cores: one thread');
    assert.equal(threadCount(2000, null, 4), 3);
    assert.equal(threadCount(400, null, 8), 2, '150 documents or more per thread');
    assert.equal(threadCount(100, null, 8), 1);
    assert.equal(threadCount(2000, null, 1), 1);
    assert.equal(threadCount(2000, 2, 2), 2, '--threads is obeyed');
    assert.equal(threadCount(3, 8, 16), 3, 'never more threads than documents');
  });
});
