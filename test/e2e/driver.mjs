// Runs DocPlan's real-VS-Code suite: starts code-server (a full VS Code with a Node extension host)
// on 127.0.0.1, opens it in headless Debian Chromium through playwright-core with the extension under
// development and the compiled suite (out/e2e/suite/index.js), then waits for the results file that
// the suite writes from inside the extension host. The browser cannot report the outcome itself.
//
// Options (a flag wins over its environment variable):
//   --extension-path DIR  DOCPLAN_E2E_EXTENSION_PATH   extension to load (default: the repository)
//   --vsix FILE           DOCPLAN_E2E_VSIX             install this package with `code-server --install-extension`
//                                                      and load the installed copy (instead of --extension-path)
//   --tests-path FILE     DOCPLAN_E2E_TESTS_PATH       compiled suite entry (default: out/e2e/suite/index.js)
//   --workspace DIR       DOCPLAN_E2E_WORKSPACE        folder to open; always opened as a fresh temp copy
//                                                      (default: test/e2e/workspace)
//   --workspace-trust     DOCPLAN_E2E_WORKSPACE_TRUST=1  keep Workspace Trust on (Restricted Mode run)
//   --timeout-seconds N   DOCPLAN_E2E_TIMEOUT_SECONDS  overall time limit (default: 420: two window loads)
//   --keep                DOCPLAN_E2E_KEEP=1           keep the user-data-dir and workspace copy
//   --verbose             DOCPLAN_E2E_VERBOSE=1        echo the browser console (includes mocha's output)
//   --screenshots DIR     DOCPLAN_E2E_SCREENSHOTS      run the screenshot suite and save its PNGs in DIR: the
//                                                      suite asks for a shot by writing
//                                                      <results>.shot-<name>.request; the driver answers .done
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, URLSearchParams } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const CODE_SERVER_VERSION = '4.100.3';
const CHROMIUM_PATH = '/usr/bin/chromium';
// The network here is closed: without these flags Chromium keeps trying to reach Google's services.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
/** Name of the variable through which the suite learns where to write its results (see suite/index.ts). */
const RESULTS_FILE_ENV = 'DOCPLAN_E2E_RESULTS_FILE';
const LOG_TAIL_LINES = 60;
/** How long after a reload the old extension host's exit is expected in the log (and is not a failure). */
const RELOAD_GRACE_MS = 15_000;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cacheDir = path.join(repoRoot, '.vscode-test');
const codeServerEntry = path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}`, 'package', 'out', 'node', 'entry.js');
const failureScreenshot = path.join(cacheDir, 'failure.png');

class HarnessError extends Error {}

const options = readOptions();
const runStartedAt = Date.now();
const deadline = runStartedAt + options.timeoutSeconds * 1000;

/** Everything that must be stopped or removed at the end, filled in as the run goes. */
const state = {
  userDataDir: path.join(cacheDir, `udd-${process.pid}`),
  resultsFile: undefined,
  workspaceParent: undefined,
  codeServer: undefined,
  codeServerExit: undefined,
  codeServerLog: [],
  extensionHostExited: false,
  /** When the driver last reloaded the window (answerReloadRequest), or undefined. */
  reloadedAt: undefined,
  browserServer: undefined,
  browser: undefined,
  page: undefined,
  browserConsole: [],
  blockedRequests: [],
  cleanedUp: false,
};

installSignalHandlers();
// Last resort if shutdown itself hangs: kill everything and leave.
setTimeout(() => {
  console.error(`[e2e] shutdown did not finish after the time limit; killing code-server and Chromium`);
  killEverythingNow();
  process.exit(1);
}, options.timeoutSeconds * 1000 + 30_000).unref();

let exitCode = 1;
try {
  exitCode = await runSuite();
} catch (error) {
  const message = error instanceof HarnessError ? error.message : (error?.stack ?? String(error));
  console.error(`[e2e] harness error: ${message}`);
  await reportFailureDetails();
  // The harness failure counts as one failed test, so the closing line still tells the outcome.
  console.log('0 passed, 1 failed');
  exitCode = 1;
} finally {
  await cleanUp(exitCode === 0);
}
process.exit(exitCode);

async function runSuite() {
  checkPrerequisites();
  removeStaleUserDataDirs();

  const workspace = copyWorkspace(options.workspace);
  const resultsFile = path.join(state.userDataDir, 'results.json');
  state.resultsFile = resultsFile;
  writeUserSettings();

  if (options.vsix) options.extensionPath = await installVsix(options.vsix);

  const port = await findFreePort();
  console.log(`[e2e] code-server ${CODE_SERVER_VERSION} on 127.0.0.1:${port}, workspace ${workspace}`);
  startCodeServer(port, workspace, resultsFile);
  await waitForCodeServer(port);

  state.browserServer = await chromium.launchServer({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    // We stop Chromium ourselves, together with code-server.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    timeout: remainingMs(),
    // Chromium's crash reporter and caches would otherwise write under the home folder.
    env: {
      ...process.env,
      XDG_CONFIG_HOME: path.join(state.userDataDir, 'chromium-config'),
      XDG_CACHE_HOME: path.join(state.userDataDir, 'chromium-cache'),
    },
  });
  state.browser = await chromium.connect(state.browserServer.wsEndpoint(), { timeout: remainingMs() });
  const context = await state.browser.newContext({ viewport: { width: 1400, height: 900 } });
  // Keep the page on 127.0.0.1: anything else (gallery, CDNs) is refused at once.
  await context.route(
    (url) => (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '127.0.0.1',
    (route) => {
      state.blockedRequests.push(route.request().url());
      return route.abort('blockedbyclient');
    },
  );
  state.page = await context.newPage();
  if (options.verbose) {
    context.on('request', (request) => console.log(`[browser request] ${request.url()}`));
  }
  state.page.on('console', (message) => {
    const line = `[browser ${message.type()}] ${message.text()}`;
    pushBounded(state.browserConsole, line);
    if (options.verbose) console.log(line);
  });
  state.page.on('pageerror', (error) => pushBounded(state.browserConsole, `[browser pageerror] ${error.message}`));

  const url = workbenchUrl(port, workspace);
  console.log(`[e2e] loading the workbench with extension ${options.extensionPath}`);
  await state.page.goto(url, { waitUntil: 'domcontentloaded', timeout: remainingMs() });

  const results = await waitForResults(resultsFile);
  return reportResults(results);
}

// ---------------------------------------------------------------------------------------------------
// Options and preparation

function readOptions() {
  const { values } = parseArgs({
    options: {
      'extension-path': { type: 'string' },
      vsix: { type: 'string' },
      'tests-path': { type: 'string' },
      workspace: { type: 'string' },
      'workspace-trust': { type: 'boolean' },
      'timeout-seconds': { type: 'string' },
      keep: { type: 'boolean' },
      verbose: { type: 'boolean' },
      screenshots: { type: 'string' },
    },
  });
  const env = process.env;
  const flag = (value, envValue) => value ?? envValue === '1';
  const timeoutSeconds = Number(values['timeout-seconds'] ?? env.DOCPLAN_E2E_TIMEOUT_SECONDS ?? 420);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new Error(`invalid timeout: ${values['timeout-seconds'] ?? env.DOCPLAN_E2E_TIMEOUT_SECONDS}`);
  }
  return {
    extensionPath: path.resolve(values['extension-path'] ?? env.DOCPLAN_E2E_EXTENSION_PATH ?? repoRoot),
    vsix: (values.vsix ?? env.DOCPLAN_E2E_VSIX) ? path.resolve(values.vsix ?? env.DOCPLAN_E2E_VSIX) : undefined,
    testsPath: path.resolve(
      values['tests-path'] ?? env.DOCPLAN_E2E_TESTS_PATH ?? path.join(repoRoot, 'out', 'e2e', 'suite', 'index.js'),
    ),
    workspace: path.resolve(values.workspace ?? env.DOCPLAN_E2E_WORKSPACE ?? path.join(repoRoot, 'test', 'e2e', 'workspace')),
    workspaceTrust: flag(values['workspace-trust'], env.DOCPLAN_E2E_WORKSPACE_TRUST),
    timeoutSeconds,
    keep: flag(values.keep, env.DOCPLAN_E2E_KEEP),
    verbose: flag(values.verbose, env.DOCPLAN_E2E_VERBOSE),
    screenshots: (values.screenshots ?? env.DOCPLAN_E2E_SCREENSHOTS) ? path.resolve(values.screenshots ?? env.DOCPLAN_E2E_SCREENSHOTS) : undefined,
  };
}

function checkPrerequisites() {
  const missing = (file, hint) => {
    if (!fs.existsSync(file)) throw new HarnessError(`missing ${file}: ${hint}`);
  };
  missing(codeServerEntry, 'run bash test/e2e/setup.sh');
  missing(CHROMIUM_PATH, 'run bash test/e2e/setup.sh');
  missing(options.testsPath, 'run node test/e2e/build.mjs');
  missing(options.workspace, 'the fixture workspace is missing');
  if (options.vsix) {
    missing(options.vsix, 'run npm run package');
    return;
  }
  const manifestPath = path.join(options.extensionPath, 'package.json');
  missing(manifestPath, 'not an extension folder');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  if (manifest.main) missing(path.join(options.extensionPath, manifest.main), 'run npm run build');
}

/** Removes user-data-dirs left by earlier runs whose process is gone (kept after failures). */
function removeStaleUserDataDirs() {
  if (!fs.existsSync(cacheDir)) return;
  for (const name of fs.readdirSync(cacheDir)) {
    const match = /^udd-(\d+)$/.exec(name);
    if (match && Number(match[1]) !== process.pid && !isProcessAlive(Number(match[1]))) {
      fs.rmSync(path.join(cacheDir, name), { recursive: true, force: true });
    }
  }
}

function isProcessAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Copies the fixture to a temp folder, so tests may edit files without dirtying the repository. */
function copyWorkspace(source) {
  state.workspaceParent = fs.mkdtempSync(path.join(os.tmpdir(), 'docplan-e2e-'));
  const copy = path.join(state.workspaceParent, 'workspace');
  fs.cpSync(source, copy, { recursive: true });
  return copy;
}

function writeUserSettings() {
  fs.rmSync(state.userDataDir, { recursive: true, force: true });
  fs.mkdirSync(path.join(state.userDataDir, 'User'), { recursive: true });
  const settings = {
    // Off by default so the workspace is trusted without a dialog; --workspace-trust keeps it on.
    'security.workspace.trust.enabled': options.workspaceTrust,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'workbench.enableExperiments': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
  };
  fs.writeFileSync(path.join(state.userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}

function findFreePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Installs the .vsix with code-server's own installer into this run's extensions dir and returns the
 * installed folder: the suite then runs against exactly what the package holds (a file missing from it
 * fails the tests), loaded as the development extension so that the suite can run in its host.
 */
async function installVsix(vsix) {
  const extensionsDir = path.join(state.userDataDir, 'extensions');
  console.log(`[e2e] installing ${path.relative(repoRoot, vsix)} (${(fs.statSync(vsix).size / 1024 / 1024).toFixed(2)} MB)`);
  const output = [];
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [codeServerEntry, '--user-data-dir', state.userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
      env: { ...process.env, XDG_CONFIG_HOME: path.join(state.userDataDir, 'xdg-config'), XDG_DATA_HOME: path.join(state.userDataDir, 'xdg-data'), EXTENSIONS_GALLERY: '{}' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('exit', (exitCode) => resolve(exitCode));
  });
  const text = output.map((chunk) => chunk.toString('utf8')).join('').trim();
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const prefix = `${manifest.publisher}.${manifest.name}-`.toLowerCase();
  const installed = fs.existsSync(extensionsDir) ? fs.readdirSync(extensionsDir).find((name) => name.toLowerCase().startsWith(prefix)) : undefined;
  if (code !== 0 || !installed) throw new HarnessError(`code-server --install-extension failed (exit ${code}): ${text}`);
  console.log(`[e2e] ${text.split('\n').at(-1)}`);
  return path.join(extensionsDir, installed);
}

// ---------------------------------------------------------------------------------------------------
// code-server

function startCodeServer(port, workspace, resultsFile) {
  const env = { ...process.env };
  // Inside a VS Code terminal these make code-server hand the folder to that VS Code instead of starting.
  for (const name of Object.keys(env)) {
    if (name.startsWith('VSCODE_') || name === 'ELECTRON_RUN_AS_NODE') delete env[name];
  }
  Object.assign(env, {
    // Inherited by the extension host, where the suite reads it.
    [RESULTS_FILE_ENV]: resultsFile,
    // Tells the suite to run its screenshot tests (see suite/index.ts and answerScreenshotRequests).
    ...(options.screenshots ? { DOCPLAN_E2E_SCREENSHOTS: '1' } : {}),
    // code-server's own config and logs go into the user-data-dir, not the home folder.
    XDG_CONFIG_HOME: path.join(state.userDataDir, 'xdg-config'),
    XDG_DATA_HOME: path.join(state.userDataDir, 'xdg-data'),
    // An empty gallery disables the extension marketplace (open-vsx.org by default).
    EXTENSIONS_GALLERY: '{}',
  });
  const logFile = fs.createWriteStream(path.join(state.userDataDir, 'code-server.log'));
  state.codeServer = spawn(
    process.execPath,
    [
      codeServerEntry,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--user-data-dir', state.userDataDir,
      '--extensions-dir', path.join(state.userDataDir, 'extensions'),
      workspace,
    ],
    // Its own process group, so the extension host and its other children are stopped with it.
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const capture = (chunk) => {
    logFile.write(chunk);
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      pushBounded(state.codeServerLog, line);
      // The extension host ends once run() settles, or at once when the suite cannot be loaded.
      if (line.includes('Extension Host Process exited')) state.extensionHostExited = true;
    }
  };
  state.codeServer.stdout.on('data', capture);
  state.codeServer.stderr.on('data', capture);
  state.codeServer.on('exit', (code, signal) => {
    state.codeServerExit = signal ?? `exit code ${code}`;
    logFile.end();
  });
}

async function waitForCodeServer(port) {
  while (Date.now() < deadline) {
    if (state.codeServerExit) throw new HarnessError(`code-server stopped while starting (${state.codeServerExit})`);
    if (await answersHealthCheck(port)) return;
    await sleep(200);
  }
  throw new HarnessError(`code-server did not answer on 127.0.0.1:${port} within the time limit`);
}

function answersHealthCheck(port) {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false)); // not listening yet
  });
}

function workbenchUrl(port, workspace) {
  const remote = (absolutePath) => `vscode-remote://127.0.0.1:${port}${absolutePath}`;
  const payload = [
    ['extensionDevelopmentPath', remote(options.extensionPath)],
    ['extensionTestsPath', remote(options.testsPath)],
  ];
  const query = new URLSearchParams({ folder: workspace, payload: JSON.stringify(payload) });
  return `http://127.0.0.1:${port}/?${query}`;
}

// ---------------------------------------------------------------------------------------------------
// Results

/** Takes the screenshots the suite asks for (files `<results>.shot-<name>.request`). */
async function answerScreenshotRequests(resultsFile) {
  if (!options.screenshots || !state.page || state.page.isClosed()) return;
  const dir = path.dirname(resultsFile);
  const prefix = `${path.basename(resultsFile)}.shot-`;
  for (const file of fs.readdirSync(dir)) {
    if (!file.startsWith(prefix) || !file.endsWith('.request')) continue;
    const name = file.slice(prefix.length, -'.request'.length).replace(/[^\w.-]/g, '_');
    fs.mkdirSync(options.screenshots, { recursive: true });
    const target = path.join(options.screenshots, `${name}.png`);
    await state.page.screenshot({ path: target, timeout: 10_000 });
    console.log(`[e2e] screenshot ${path.relative(repoRoot, target)}`);
    fs.renameSync(path.join(dir, file), path.join(dir, `${prefix}${name}.done`));
  }
}

/**
 * Reloads the window when the suite asks (`<results>.reload.request`, see suite/index.ts): the page reload is
 * a window reload, which ends the extension host and starts a new one that runs the after-reload tests.
 */
async function answerReloadRequest(resultsFile) {
  const request = `${resultsFile}.reload.request`;
  if (!fs.existsSync(request) || !state.page || state.page.isClosed()) return;
  fs.rmSync(request);
  console.log('[e2e] reloading the window, as the suite asked');
  state.reloadedAt = Date.now();
  await state.page.reload({ waitUntil: 'domcontentloaded', timeout: remainingMs() });
}

async function waitForResults(resultsFile) {
  while (Date.now() < deadline) {
    await answerScreenshotRequests(resultsFile);
    await answerReloadRequest(resultsFile);
    if (fs.existsSync(resultsFile)) return JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    // The extension host of the page before a reload ends with it: expected, not a failure.
    if (state.extensionHostExited && state.reloadedAt !== undefined && Date.now() - state.reloadedAt < RELOAD_GRACE_MS) state.extensionHostExited = false;
    if (state.extensionHostExited) {
      await sleep(500); // the output line may come just before the file is visible
      if (fs.existsSync(resultsFile)) continue;
      throw new HarnessError('the extension host exited without writing results (did the suite fail to load? see the browser console)');
    }
    if (state.codeServerExit) throw new HarnessError(`code-server stopped before the suite finished (${state.codeServerExit})`);
    if (state.page?.isClosed()) throw new HarnessError('the workbench page closed before the suite finished');
    await sleep(250);
  }
  throw new HarnessError(
    `no results after ${options.timeoutSeconds} s: the suite did not finish (or the extension host never started it)`,
  );
}

/** Prints the activation time the suite recorded (activation.test.ts) and keeps it for `npm run bench`. */
function reportActivation() {
  const file = `${state.resultsFile}.activation.json`;
  if (!fs.existsSync(file)) return;
  const activation = JSON.parse(fs.readFileSync(file, 'utf8'));
  console.log(
    `[e2e] activation: activate() took ${activation.activationMs.toFixed(1)} ms (budget 100 ms); the language client was ready ${activation.clientReadyMs.toFixed(1)} ms after activate() (budget 100 ms), the server's thread answered initialize after ${activation.serverAnsweredMs?.toFixed(1)} ms; extension at ${activation.extensionPath}`,
  );
  const kept = path.join(repoRoot, 'out', 'e2e', options.workspaceTrust ? 'activation-restricted.json' : 'activation.json');
  fs.mkdirSync(path.dirname(kept), { recursive: true });
  fs.writeFileSync(kept, JSON.stringify({ ...activation, measuredAt: new Date().toISOString() }, null, 2));
}

async function reportResults(results) {
  const seconds = ((Date.now() - runStartedAt) / 1000).toFixed(1);
  console.log(`[e2e] ran in VS Code ${results.vscodeVersion} (code-server ${CODE_SERVER_VERSION}), ` +
    `workspace trusted: ${results.workspaceTrusted ? 'yes' : 'no'}, ${seconds} s`);
  for (const test of results.tests) {
    if (test.state === 'passed') {
      console.log(`  passed   ${test.fullTitle} (${test.durationMs ?? 0} ms)`);
    } else if (test.state === 'pending') {
      console.log(`  skipped  ${test.fullTitle}`);
    } else {
      console.log(`  FAILED   ${test.fullTitle}`);
      console.log(indent(firstLines(test.error ?? '', 20), '           '));
    }
  }
  reportActivation();
  const failed = results.failed > 0 || results.passed === 0;
  if (failed) await reportFailureDetails();
  const skipped = results.pending > 0 ? `, ${results.pending} skipped` : '';
  console.log(`${results.passed} passed, ${results.failed} failed${skipped}`);
  return failed ? 1 : 0;
}

/** Screenshot, code-server's log, the extension host's log and the browser console, for diagnosis. */
async function reportFailureDetails() {
  if (state.page && !state.page.isClosed()) {
    try {
      await state.page.screenshot({ path: failureScreenshot, timeout: 10_000 });
      console.error(`[e2e] screenshot: ${path.relative(repoRoot, failureScreenshot)}`);
    } catch (error) {
      console.error(`[e2e] no screenshot: ${error.message}`);
    }
  }
  // The suite keeps the workbench as it is until this file exists (see suite/index.ts).
  if (state.resultsFile && fs.existsSync(state.userDataDir)) fs.writeFileSync(`${state.resultsFile}.screenshot-taken`, '');
  printTail('code-server output', state.codeServerLog);
  for (const logFile of findFiles(path.join(state.userDataDir, 'logs'), /^(remoteexthost|exthost)\.log$/)) {
    printTail(path.relative(repoRoot, logFile), fs.readFileSync(logFile, 'utf8').split('\n'));
  }
  printTail('browser console', state.browserConsole);
  if (state.blockedRequests.length > 0) {
    printTail('requests refused (not 127.0.0.1)', state.blockedRequests);
  }
  if (fs.existsSync(state.userDataDir)) {
    console.error(`[e2e] user-data-dir kept for inspection: ${path.relative(repoRoot, state.userDataDir)}`);
  }
}

function printTail(title, lines) {
  const tail = lines.filter((line) => line.trim()).slice(-LOG_TAIL_LINES);
  if (tail.length === 0) return;
  console.error(`----- ${title} (last ${tail.length} lines) -----`);
  console.error(tail.join('\n'));
}

function findFiles(dir, namePattern) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && namePattern.test(entry.name))
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name));
}

// ---------------------------------------------------------------------------------------------------
// Shutdown

async function cleanUp(succeeded) {
  if (state.cleanedUp) return;
  state.cleanedUp = true;
  await withTimeout(state.browser?.close(), 5_000);
  await withTimeout(state.browserServer?.close(), 5_000);
  killProcessGroup(state.browserServer?.process(), 'SIGKILL');
  await stopCodeServer();
  if (!options.keep) {
    if (state.workspaceParent) fs.rmSync(state.workspaceParent, { recursive: true, force: true });
    if (succeeded) fs.rmSync(state.userDataDir, { recursive: true, force: true });
  }
}

async function stopCodeServer() {
  const child = state.codeServer;
  if (!child || child.pid === undefined) return;
  killProcessGroup(child, 'SIGTERM');
  const stopBy = Date.now() + 5_000;
  while (Date.now() < stopBy && isGroupAlive(child.pid)) await sleep(100);
  killProcessGroup(child, 'SIGKILL');
}

function isGroupAlive(groupId) {
  try {
    process.kill(-groupId, 0);
    return true;
  } catch {
    return false;
  }
}

function killProcessGroup(child, signal) {
  if (!child || child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Synchronous: used from signal handlers and 'exit', where nothing can be awaited. */
function killEverythingNow() {
  killProcessGroup(state.browserServer?.process(), 'SIGKILL');
  killProcessGroup(state.codeServer, 'SIGKILL');
}

function installSignalHandlers() {
  for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]]) {
    process.on(signal, () => {
      console.error(`[e2e] ${signal}: stopping code-server and Chromium`);
      killEverythingNow();
      if (state.workspaceParent && !options.keep) fs.rmSync(state.workspaceParent, { recursive: true, force: true });
      process.exit(128 + number);
    });
  }
  process.on('exit', killEverythingNow);
}

// ---------------------------------------------------------------------------------------------------
// Small helpers

function remainingMs() {
  const remaining = deadline - Date.now();
  if (remaining <= 0) throw new HarnessError(`time limit of ${options.timeoutSeconds} s reached`);
  return remaining;
}

function withTimeout(promise, ms) {
  if (!promise) return Promise.resolve();
  return Promise.race([promise.catch(() => {}), sleep(ms)]);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function pushBounded(lines, line, limit = 500) {
  lines.push(line);
  if (lines.length > limit) lines.shift();
}

function firstLines(text, count) {
  return text.split('\n').slice(0, count).join('\n');
}

function indent(text, prefix) {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}
