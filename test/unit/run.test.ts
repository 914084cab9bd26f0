/**
 * The validation runner shared by the extension and `docplan run`: outcomes, time limits that kill the
 * whole process tree, output capped in memory but whole on disk, no standard input, missing working
 * directories, cancellation; command identities; and the `docplan run` command in process.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main, type CliIo } from '../../server/src/cli/main';
import { describeResult, runCommand, shellInvocation } from '../../server/src/run/runner';
import { commandKey, documentTargets, findStage, findTarget, logFileName, stageTargets, type StageLike } from '../../server/src/run/targets';

const POSIX = process.platform !== 'win32';
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'docplan-run-test-'));
  dirs.push(dir);
  return dir;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

const node = JSON.stringify(process.execPath);

describe('runCommand', () => {
  it('reports a passing command with its output, exit code, duration and a whole log file', async () => {
    const dir = tempDir();
    const logFile = join(dir, 'logs', 'a.log');
    const result = await runCommand({ command: `${node} -e "console.log('hello'); console.error('warn')"`, cwd: dir, timeoutMs: 20_000, logFile });
    assert.equal(result.outcome, 'passed');
    assert.equal(result.exitCode, 0);
    assert.equal(result.signal, null);
    assert.equal(result.timedOut, false);
    assert.match(result.output, /hello/);
    assert.match(result.output, /warn/);
    assert.ok(result.durationMs >= 0);
    assert.equal(result.outputFile, logFile);
    assert.match(readFileSync(logFile, 'utf8'), /hello[\s\S]*warn|warn[\s\S]*hello/);
    assert.match(describeResult(result), /^passed in /);
  });

  it('reports a failing command with its exit code', async () => {
    const result = await runCommand({ command: `${node} -e "process.exit(3)"`, cwd: tempDir(), timeoutMs: 20_000 });
    assert.equal(result.outcome, 'failed');
    assert.equal(result.exitCode, 3);
    assert.match(describeResult(result), /exit code 3/);
  });

  it('runs in the given working directory', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'marker.txt'), 'here');
    const result = await runCommand({ command: `${node} -e "console.log(require('fs').readFileSync('marker.txt','utf8'))"`, cwd: dir, timeoutMs: 20_000 });
    assert.equal(result.outcome, 'passed', result.output);
    assert.match(result.output, /here/);
  });

  it('gives a clear error for a missing working directory, without starting anything', async () => {
    const missing = join(tempDir(), 'no', 'such', 'dir');
    const result = await runCommand({ command: 'echo hi', cwd: missing, timeoutMs: 5_000 });
    assert.equal(result.outcome, 'error');
    assert.equal(result.exitCode, null);
    assert.match(result.error ?? '', /working directory does not exist/);
    assert.match(describeResult(result), /could not run: working directory does not exist/);
  });

  it('kills a hanging command and its children at the time limit', { skip: !POSIX && 'POSIX process tools' }, async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'child.pid');
    const started = Date.now();
    const result = await runCommand({ command: `sleep 30 & echo $! > child.pid; sleep 30; wait`, cwd: dir, timeoutMs: 700, killGraceMs: 500 });
    assert.equal(result.outcome, 'timed-out');
    assert.equal(result.timedOut, true);
    assert.ok(Date.now() - started < 10_000, 'the run ends soon after the time limit');
    assert.match(result.error ?? '', /timed out after/);
    const childPid = Number(readFileSync(pidFile, 'utf8').trim());
    assert.ok(childPid > 0);
    assert.ok(await waitUntil(() => !isAlive(childPid), 5_000), `background child ${childPid} should be killed`);
  });

  it('kills children that left the process group (tree-kill) at the time limit', { skip: process.platform !== 'linux' && 'needs setsid' }, async () => {
    const dir = tempDir();
    // setsid puts the sleeper in a new session and group; only the process tree still leads to it.
    const result = await runCommand({ command: `setsid sh -c 'echo $$ > escaped.pid; exec sleep 30' & sleep 30`, cwd: dir, timeoutMs: 700, killGraceMs: 300 });
    assert.equal(result.outcome, 'timed-out');
    await waitUntil(() => existsSync(join(dir, 'escaped.pid')), 2_000);
    const pid = Number(readFileSync(join(dir, 'escaped.pid'), 'utf8').trim());
    assert.ok(await waitUntil(() => !isAlive(pid), 5_000), `escaped child ${pid} should be killed`);
  });

  it('does not wait forever for a background process that keeps the output pipe open', { skip: !POSIX && 'POSIX shell' }, async () => {
    const dir = tempDir();
    const started = Date.now();
    const result = await runCommand({ command: `sleep 20 & echo $! > bg.pid; echo done`, cwd: dir, timeoutMs: 60_000 });
    assert.equal(result.outcome, 'passed');
    assert.match(result.output, /done/);
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
    process.kill(Number(readFileSync(join(dir, 'bg.pid'), 'utf8').trim()), 'SIGKILL');
  });

  it('caps output in memory and in the stream but keeps it whole in the log file', async () => {
    const dir = tempDir();
    const logFile = join(dir, 'big.log');
    let streamed = '';
    const size = 3 * 1024 * 1024;
    const result = await runCommand({
      command: `${node} -e "process.stdout.write('x'.repeat(${size}))"`,
      cwd: dir,
      timeoutMs: 30_000,
      logFile,
      maxOutputBytes: 64 * 1024,
      onOutput: (text) => (streamed += text),
    });
    assert.equal(result.outcome, 'passed');
    assert.equal(result.outputTruncated, true);
    assert.equal(result.outputBytes, size);
    assert.ok(result.output.length <= 64 * 1024, `kept ${result.output.length} chars`);
    assert.ok(streamed.length < 70 * 1024, `streamed ${streamed.length} chars`);
    assert.match(streamed, /output truncated after 65536 bytes; the whole output is in /);
    assert.equal(statSync(logFile).size, size);
  });

  it('gives a command no standard input, so one that reads it does not hang', { skip: !POSIX && 'POSIX shell' }, async () => {
    const started = Date.now();
    const reads = await runCommand({ command: 'read answer', cwd: tempDir(), timeoutMs: 10_000 });
    assert.equal(reads.outcome, 'failed', 'read gets end-of-file');
    const cat = await runCommand({ command: 'cat', cwd: tempDir(), timeoutMs: 10_000 });
    assert.equal(cat.outcome, 'passed');
    assert.equal(cat.output, '');
    assert.ok(Date.now() - started < 5_000);
  });

  it('stops a command when cancelled', { skip: !POSIX && 'POSIX shell' }, async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const result = await runCommand({ command: 'sleep 30', cwd: tempDir(), timeoutMs: 60_000, signal: controller.signal, killGraceMs: 300 });
    assert.equal(result.outcome, 'cancelled');
    assert.equal(result.cancelled, true);
    assert.ok(result.durationMs < 5_000);
  });

  it('reports a command that the shell cannot find as failed with exit code 127', { skip: !POSIX && 'POSIX shell' }, async () => {
    const result = await runCommand({ command: 'definitely-not-a-command-docplan', cwd: tempDir(), timeoutMs: 10_000 });
    assert.equal(result.outcome, 'failed');
    assert.equal(result.exitCode, 127);
  });

  it('chooses the platform shell', () => {
    assert.deepEqual(shellInvocation('npm test', 'linux').args, ['-c', 'npm test']);
    assert.equal(shellInvocation('npm test', 'linux').file, '/bin/sh');
    const windows = shellInvocation('npm test', 'win32', { ComSpec: 'C:\\Windows\\system32\\cmd.exe' });
    assert.equal(windows.file, 'C:\\Windows\\system32\\cmd.exe');
    assert.deepEqual(windows.args, ['/d', '/s', '/c', '"npm test"']);
  });
});

interface FakeStage extends StageLike<FakeStage> {
  commands: { text: string }[];
}

function stage(number: string, commands: string[], children: FakeStage[] = []): FakeStage {
  return { label: 'Stage', number, title: `Title ${number}`, commands: commands.map((text) => ({ text })), children };
}

describe('run targets', () => {
  const stages = [stage('1', ['npm test', 'npm run lint', 'npm test']), stage('2', ['make'], [stage('2.1', ['make check'])])];

  it('identifies a command by stage, text and occurrence, not by its line', () => {
    const targets = documentTargets(stages);
    assert.deepEqual(
      targets.map((t) => [t.stageNumber, t.text, t.occurrence, t.index]),
      [
        ['1', 'npm test', 0, 0],
        ['1', 'npm run lint', 0, 1],
        ['1', 'npm test', 1, 2],
        ['2', 'make', 0, 0],
        ['2.1', 'make check', 0, 0],
      ],
    );
    assert.equal(targets[2].key, commandKey('1', 'npm test', 1));
    assert.notEqual(targets[0].key, targets[2].key);
  });

  it('finds a command again after edits, and nothing once its text changed', () => {
    const key = commandKey('1', 'npm run lint', 0);
    const edited = [stage('1', ['npm ci', 'npm test', 'npm run lint', 'npm test'])];
    assert.equal(findTarget(edited, key)?.target.index, 2);
    const renamed = [stage('1', ['npm test', 'npm run lint -- --fix', 'npm test'])];
    assert.equal(findTarget(renamed, key), undefined);
  });

  it('runs a stage together with its steps, and finds steps by number', () => {
    assert.deepEqual(stageTargets(stages[1]).map((t) => t.text), ['make', 'make check']);
    assert.equal(findStage(stages, '2.1')?.title, 'Title 2.1');
    assert.equal(findStage(stages, '3'), undefined);
  });

  it('names log files by time and command', () => {
    const name = logFileName('uv run pytest tests/x.py::test_a -v', Date.UTC(2025, 0, 2, 3, 4, 5, 6));
    assert.equal(name, '20250102-030405-006-uv-run-pytest-tests-x-py-test-a-v.log');
  });
});

describe('docplan run', () => {
  const PLAN = `# Plan: Runner test

## Background

**Goal**: Validate the runner.

## Stage 1: Passing

### Objective

Passes.

### Changes

- [ ] Nothing

### Validation

- [ ] \`node -e "console.log('stage one ok')"\`

## Stage 2: Mixed

### Objective

One passes, one fails.

### Changes

- [ ] Nothing

### Validation

- [ ] \`node -e "console.log('fine')"\`
- [ ] \`node -e "process.exit(4)"\`
`;

  function workspace(): string {
    const root = tempDir();
    writeFileSync(join(root, '.docplan.json'), '{}\n');
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs', 'plan.md'), PLAN);
    return root;
  }

  async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const io: CliIo = { cwd, env: {}, stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } };
    const code = await main(args, io);
    return { code, stdout, stderr };
  }

  it('exits 0 when every command of the chosen stage passes, running in the workspace root', async () => {
    const root = workspace();
    const run = await cli(['run', 'docs/plan.md', '--stage', '1', '--log-dir', join(root, 'logs')], root);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /▶ \[Stage 1\] \$ node -e/);
    assert.match(run.stdout, /stage one ok/);
    assert.match(run.stdout, /1 passed, 0 failed/);
  });

  it('exits 1 when a command fails, and reports each result as JSON', async () => {
    const root = workspace();
    const run = await cli(['run', join(root, 'docs', 'plan.md'), '--json', '--log-dir', join(root, 'logs')], dirname(root));
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.passed, 2);
    assert.equal(report.failed, 1);
    assert.deepEqual(
      report.results.map((r: { stage: string; outcome: string; exitCode: number }) => [r.stage, r.outcome, r.exitCode]),
      [
        ['1', 'passed', 0],
        ['2', 'passed', 0],
        ['2', 'failed', 4],
      ],
    );
    for (const entry of report.results) assert.ok(existsSync(entry.outputFile), `log file ${entry.outputFile}`);
  });

  it('stops at the first failure with --bail', async () => {
    const root = workspace();
    writeFileSync(join(root, 'docs', 'plan.md'), PLAN.replace("console.log('fine')", 'process.exit(1)'));
    const run = await cli(['run', 'docs/plan.md', '--stage', '2', '--bail', '--json', '--log-dir', join(root, 'logs')], root);
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout);
    assert.equal(report.results.length, 1);
    assert.equal(report.skipped, 1);
  });

  it('is a usage error (exit 2) for an unknown stage or a missing doc', async () => {
    const root = workspace();
    const unknown = await cli(['run', 'docs/plan.md', '--stage', '9'], root);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /has no stage 9 \(stages: 1, 2\)/);
    const missing = await cli(['run', 'docs/nope.md'], root);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file/);
    const help = await cli(['run', '--help'], root);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: docplan run <doc>/);
  });

  it('exits 1 with a message when there is nothing to run', async () => {
    const root = workspace();
    writeFileSync(join(root, 'README.md'), '# Just notes\n\nHello.\n');
    const run = await cli(['run', 'README.md'], root);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /not a design doc, plan or tracker: nothing to run/);
  });

  it('times out a hanging command with --timeout', { skip: !POSIX && 'POSIX shell' }, async () => {
    const root = workspace();
    writeFileSync(join(root, 'docs', 'plan.md'), PLAN.replace(`node -e "console.log('stage one ok')"`, 'sleep 30'));
    const started = Date.now();
    const run = await cli(['run', 'docs/plan.md', '--stage', '1', '--timeout', '0.5', '--json', '--log-dir', join(root, 'logs')], root);
    assert.equal(run.code, 1);
    assert.equal(JSON.parse(run.stdout).results[0].outcome, 'timed-out');
    assert.ok(Date.now() - started < 10_000);
  });
});
