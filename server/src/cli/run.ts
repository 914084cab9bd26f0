/**
 * `docplan run <doc> [--stage N]...`: runs a doc's validation commands headless (for CI), one after the
 * other, in the doc's workspace root, with the same runner as the VS Code extension (time limit that
 * kills the process tree, no standard input, whole output in log files). Exit status: 0 when every
 * command passed, 1 when one failed, timed out or could not run (or there was nothing to run),
 * 2 usage or internal error.
 */
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkText } from '../check';
import { resolveConfig, readConfigFile } from '../config/load';
import type { Stage } from '../model/types';
import { describeResult, formatDuration, runCommand, runRecord, type CommandRunResult, type RunRecord } from '../run/runner';
import { expectationNote, judgedResult, meetsExpectation } from '../run/expectation';
import { documentTargets, findStage, logFileName, stageTargets, type RunTarget } from '../run/targets';
import { DEFAULT_MAX_FILE_SIZE, findWorkspaceRoot, readDocument, rootRelative } from '../workspace/files';
import { recordAndTick } from './runEvidence';
import { parseSize, UsageError, type CliIo } from './invocation';

export const RUN_HELP = `Usage: docplan run <doc> [options]

Runs the validation commands of a plan or design doc, one after the other, in the doc's workspace root
(the nearest ancestor with .docplan.json or .git), through the shell, with no standard input.

Options:
  -s, --stage <n>        Run only this stage (and its steps); repeatable. Numbers as written: 2, 1.5
  -t, --timeout <secs>   Time limit per command; the command and its children are killed (default 600)
      --log-dir <dir>    Where the whole output of each command is written (default: a new temp folder)
      --max-output <n>   Output shown per command (bytes, or with a K/M suffix; default 1M); the log has all
      --bail             Stop at the first command that does not pass
      --no-record        Do not record the results in <root>/.docplan/results.json
      --tick             Tick the Validation boxes of the stages whose commands all passed and write a
                         "validated at <commit> on <date>: N of N passed" line under their Validation part
      --json             Print the results as JSON instead of the commands' output
      --root <dir>       Working directory and workspace root (default: found from the doc's folder)
  -h, --help             Show this help

A step that expects its command to fail (\`Expected: FAIL\`, a test written before its code) passes when it fails.

Exit status: 0 every command passed, 1 a command failed (or nothing to run), 2 usage or internal error.
`;

const RUN_OPTIONS = {
  stage: { type: 'string', short: 's', multiple: true },
  timeout: { type: 'string', short: 't' },
  'log-dir': { type: 'string' },
  'max-output': { type: 'string' },
  bail: { type: 'boolean' },
  'no-record': { type: 'boolean' },
  tick: { type: 'boolean' },
  json: { type: 'boolean' },
  root: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** One entry of `--json` output. */
export interface RunJsonEntry extends RunRecord {
  stage: string;
  /** What the doc expects of the command (`fail` for a test-first step), or null (success). */
  expectedOutcome: 'pass' | 'fail' | null;
  /** Whether the run ended as the doc expects: what counts as passed. */
  asExpected: boolean;
}

const ICON: Record<CommandRunResult['outcome'], string> = { passed: '✔', failed: '✘', 'timed-out': '⏱', cancelled: '■', error: '✘' };

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** `docplan run`. `signal` stops the current command (the real CLI wires it to Ctrl-C). */
export async function runRun(args: readonly string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: RUN_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split('. ')[0].replace(/\.$/, '') : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(RUN_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'run: name one document' : 'run: name exactly one document');
  const docPath = resolve(io.cwd, positionals[0]);
  if (!existsSync(docPath)) throw new UsageError(`no such file: ${positionals[0]}`);
  let timeoutMs = 600_000;
  if (values.timeout !== undefined) {
    const seconds = Number(values.timeout);
    if (!/^\d+(\.\d+)?$/.test(values.timeout.trim()) || !Number.isFinite(seconds)) throw new UsageError(`--timeout expects seconds, got '${values.timeout}'`);
    timeoutMs = Math.round(seconds * 1000);
  }
  const maxOutputBytes = values['max-output'] === undefined ? 1024 * 1024 : parseSize(values['max-output']);
  let root: string;
  if (values.root !== undefined) {
    root = resolve(io.cwd, values.root);
    if (!isDirectory(root)) throw new UsageError(`--root: no such directory: ${values.root}`);
  } else {
    root = findWorkspaceRoot(dirname(docPath));
  }

  const read = readDocument(docPath, DEFAULT_MAX_FILE_SIZE);
  if (!read.ok) throw new UsageError(`cannot use ${positionals[0]}: ${read.reason}`);
  const { config } = resolveConfig(readConfigFile(root));
  const checked = checkText(read.text, { config, path: rootRelative(root, docPath) });
  const { model } = checked.built;
  const display = relative(io.cwd, docPath) || docPath;
  if (model.kind === null || model.disabled) {
    io.stderr.write(`docplan: ${display} is not a design doc, plan or tracker: nothing to run\n`);
    return 1;
  }

  let targets: RunTarget[];
  if (values.stage && values.stage.length > 0) {
    targets = [];
    for (const number of values.stage) {
      const stage = findStage<Stage>(model.stages, number);
      if (!stage) {
        const known = model.stages.map((s) => s.number).join(', ') || 'none';
        throw new UsageError(`${display} has no stage ${number} (stages: ${known})`);
      }
      targets.push(...stageTargets(stage));
    }
  } else {
    targets = documentTargets<Stage>(model.stages);
  }
  if (targets.length === 0) {
    io.stderr.write(`docplan: no validation commands to run in ${display}${values.stage ? ` (stage ${values.stage.join(', ')})` : ''}\n`);
    return 1;
  }

  const logDir = values['log-dir'] !== undefined ? resolve(io.cwd, values['log-dir']) : mkdtempSync(join(tmpdir(), 'docplan-run-'));
  const results: { target: RunTarget; result: CommandRunResult }[] = [];
  const started = Date.now();
  let sequence = 0;
  for (const target of targets) {
    if (signal?.aborted) break;
    const where = `${target.stageLabel} ${target.stageNumber}`;
    if (!values.json) io.stdout.write(`\n▶ [${where}] $ ${target.text}\n`);
    const startedAt = Date.now();
    const result = await runCommand({
      command: target.text,
      cwd: root,
      timeoutMs,
      maxOutputBytes,
      logFile: join(logDir, logFileName(target.text, startedAt, sequence++)),
      signal,
      onOutput: values.json ? undefined : (text) => io.stdout.write(text),
    });
    results.push({ target, result });
    const asExpected = meetsExpectation(result.outcome, target.expectedOutcome);
    if (!values.json) {
      if (result.output && !result.output.endsWith('\n')) io.stdout.write('\n');
      const icon = asExpected ? ICON.passed : result.outcome === 'passed' ? ICON.failed : ICON[result.outcome];
      const note = expectationNote(result.outcome, target.expectedOutcome);
      io.stdout.write(`${icon} ${describeResult(result)}${note}${asExpected ? '' : `  (log: ${result.outputFile ?? 'none'})`}\n`);
    }
    if (values.bail && !asExpected) break;
  }

  // The record keeps each result judged against the doc's expectation, as the client's store does: a step
  // that expects FAIL and failed is evidence that the stage's validation went as planned.
  const evidence = await recordAndTick(
    { root, docPath, display, text: read.text, bom: read.bom, built: { model, lines: checked.built.lines } },
    results.map(({ target, result }) => ({ target, result: judgedResult(result, target.expectedOutcome) })),
    { record: !values['no-record'], tick: values.tick === true },
  );
  for (const line of evidence.messages) io.stderr.write(`docplan: ${line}
`);

  const passed = results.filter(({ target, result }) => meetsExpectation(result.outcome, target.expectedOutcome)).length;
  const notPassed = results.length - passed;
  const skipped = targets.length - results.length;
  if (values.json) {
    const entries: RunJsonEntry[] = results.map(({ target, result }) => ({
      stage: target.stageNumber,
      ...runRecord(result),
      expectedOutcome: target.expectedOutcome,
      asExpected: meetsExpectation(result.outcome, target.expectedOutcome),
    }));
    io.stdout.write(JSON.stringify({ version: 1, file: display, cwd: root, logDir, passed, failed: notPassed, skipped, results: entries }, null, 2) + '\n');
  } else {
    const skippedText = skipped > 0 ? `, ${skipped} not run` : '';
    io.stdout.write(`\n${passed} passed, ${notPassed} failed${skippedText} in ${formatDuration(Date.now() - started)}. Logs: ${logDir}\n`);
  }
  return notPassed === 0 && skipped === 0 && !evidence.failed ? 0 : 1;
}
