// Entry point of the real-VS-Code test tier. VS Code loads this module inside the extension host
// (the `extensionTestsPath` contract shared by code-server and @vscode/test-electron) and awaits
// run(). The browser that drives code-server cannot see the outcome, so run() also writes it to the
// JSON file named by DOCPLAN_E2E_RESULTS_FILE, which test/e2e/driver.mjs waits for.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

/** Environment variable (set on the code-server process, inherited by the extension host). */
export const RESULTS_FILE_ENV = 'DOCPLAN_E2E_RESULTS_FILE';

const TEST_TIMEOUT_MS = 60_000;
/** After a failure, how long to keep the workbench as it is for the driver's screenshot. */
const SCREENSHOT_WAIT_MS = 15_000;

export interface TestOutcome {
  fullTitle: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

/** Shape of the results file; driver.mjs reads exactly these fields. */
export interface SuiteResults {
  vscodeVersion: string;
  workspaceTrusted: boolean;
  passed: number;
  failed: number;
  pending: number;
  tests: TestOutcome[];
  failures: { title: string; message: string }[];
}

/**
 * A window reload in the middle of the suite: the first load runs every suite but `afterReload*.test.js`, keeps
 * its results in `<results>.before-reload.json` and asks the driver to reload the page (`<results>.reload.request`);
 * VS Code then starts a new extension host, which calls run() again, and that run sees the kept results and runs
 * only `afterReload*.test.js` (what must survive a reload), then writes the results of both loads.
 */
const BEFORE_RELOAD = '.before-reload.json';
const RELOAD_REQUEST = '.reload.request';

export async function run(): Promise<void> {
  const resultsFileName = process.env[RESULTS_FILE_ENV];
  const afterReload = resultsFileName !== undefined && fs.existsSync(resultsFileName + BEFORE_RELOAD);
  const results: SuiteResults = {
    vscodeVersion: vscode.version,
    workspaceTrusted: vscode.workspace.isTrusted,
    passed: 0,
    failed: 0,
    pending: 0,
    tests: [],
    failures: [],
  };
  let reloadPending = false;
  const recordFailure = (title: string, error: unknown): void => {
    const message = describeError(error);
    results.failed += 1;
    results.failures.push({ title, message });
    results.tests.push({ fullTitle: title, state: 'failed', error: message });
  };

  try {
    const mocha = new Mocha({ ui: 'tdd', timeout: TEST_TIMEOUT_MS, color: false, reporter: 'spec' });
    // The build puts every compiled *.test.js next to this file. restricted*.test.js needs an untrusted
    // workspace (Restricted Mode) and the others a trusted one, so the workspace's trust picks the set;
    // DOCPLAN_E2E_FILES (comma-separated substrings) narrows it further.
    const only = (process.env.DOCPLAN_E2E_FILES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const testFiles = fs
      .readdirSync(__dirname)
      .filter((name) => name.endsWith('.test.js'))
      .filter((name) => name.startsWith('restricted') === !vscode.workspace.isTrusted)
      // screenshots*.test.js only when the driver takes screenshots (--screenshots DIR).
      .filter((name) => name.startsWith('screenshots') === (process.env.DOCPLAN_E2E_SCREENSHOTS === '1'))
      .filter((name) => only.length === 0 || only.some((part) => name.includes(part)))
      // Without a results file there is no driver to reload the window: the after-reload checks cannot run.
      .filter((name) => (resultsFileName === undefined ? !name.startsWith('afterReload') : true))
      .sort();
    const reloadFiles = testFiles.filter((name) => name.startsWith('afterReload'));
    const thisLoad = afterReload ? reloadFiles : testFiles.filter((name) => !name.startsWith('afterReload'));
    testFiles.length = 0;
    testFiles.push(...thisLoad);
    if (!afterReload && reloadFiles.length > 0) reloadPending = true;
    for (const file of testFiles) mocha.addFile(path.join(__dirname, file));

    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (test) => {
        results.passed += 1;
        results.tests.push({ fullTitle: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 });
      });
      // Also fires for failing hooks, whose titles say which hook failed.
      runner.on('fail', (test, error) => recordFailure(test.fullTitle(), error));
      runner.on('pending', (test) => {
        results.pending += 1;
        results.tests.push({ fullTitle: test.fullTitle(), state: 'pending' });
      });
    });
    if (results.passed + results.failed === 0) {
      recordFailure('e2e suite', new Error(`no tests ran (test files found: ${testFiles.join(', ') || 'none'})`));
    }
  } catch (error) {
    // A test file that fails to load throws out of mocha.run(); report it rather than hang the driver.
    recordFailure('loading the e2e suite', error);
  }

  const resultsFile = resultsFileName;
  if (resultsFile && reloadPending) {
    // Keep this load's results and have the driver reload the window; this extension host ends with the page.
    writeResults(resultsFile + BEFORE_RELOAD, results);
    fs.writeFileSync(resultsFile + RELOAD_REQUEST, '');
    await new Promise<never>(() => undefined);
  }
  if (resultsFile && afterReload) {
    const before = JSON.parse(fs.readFileSync(resultsFile + BEFORE_RELOAD, 'utf8')) as SuiteResults;
    results.passed += before.passed;
    results.failed += before.failed;
    results.pending += before.pending;
    results.tests.unshift(...before.tests);
    results.failures.unshift(...before.failures);
  }
  if (resultsFile) {
    writeResults(resultsFile, results);
    // Returning ends the extension host, which clears diagnostics and editors: on failure let the
    // driver take its screenshot of the state the test saw first (it writes <results>.screenshot-taken).
    if (results.failed > 0) await waitForFile(`${resultsFile}.screenshot-taken`, SCREENSHOT_WAIT_MS);
  }
  if (results.failed > 0) {
    throw new Error(`${results.failed} e2e test(s) failed`);
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

// Without DOCPLAN_E2E_RESULTS_FILE (e.g. under @vscode/test-electron) only run()'s outcome counts.
function writeResults(resultsFile: string, results: SuiteResults): void {
  // Write then rename, so the driver never reads a half-written file.
  const partialFile = `${resultsFile}.partial`;
  fs.writeFileSync(partialFile, JSON.stringify(results, null, 2));
  fs.renameSync(partialFile, resultsFile);
}

async function waitForFile(file: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(file) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
