/**
 * The language server's section of `npm run bench`: the built server (dist/server.js) over stdio, as an
 * editor drives it. Prints, next to the budgets of issue 11:
 * - first diagnostics of a 512 KB plan (and a bare remark-parse of the same text, in this process, for scale);
 * - the longest wait of a request (hover + document symbols on another document) while that plan is checked;
 * - resident memory with 1,000 docs open;
 * - time and resident memory of the background workspace check of a generated tree;
 * - activation time inside real VS Code, as the last `npm run test:vscode` recorded it.
 * Nothing is asserted. `--server-docs N` changes the number of open docs; `--server-part busy,open,...`
 * runs only some of the measurements.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { DocumentSymbol, Hover } from 'vscode-languageserver-protocol';
import { largePlan } from '../test/helpers/largePlan';
import { SERVER_NODE_FLAGS } from '../server/src/protocol';
import { FULL_CAPABILITIES, LspTestClient, REPO_ROOT, SERVER_PATH, tempWorkspace } from '../test/helpers/lspClient';
import { CONFIG, PLAN } from '../test/helpers/serverFixtures';
import { generatePlan } from './generate';

const LONG_WAIT_MS = 600_000;
const OPEN_DOCS = (() => {
  const index = process.argv.indexOf('--server-docs');
  return index >= 0 ? Number(process.argv[index + 1]) : 1000;
})();

/** `--server-profile DIR`: the servers write V8 CPU profiles of their threads there (to find long tasks). */
const SERVER_COMMAND = (() => {
  const index = process.argv.indexOf('--server-profile');
  if (index < 0) return undefined;
  return [process.execPath, '--cpu-prof', `--cpu-prof-dir=${process.argv[index + 1]}`, ...SERVER_NODE_FLAGS, SERVER_PATH];
})();

/** Stops a server: gracefully when it writes a profile (a killed process writes none), else at once. */
async function end(client: LspTestClient): Promise<void> {
  if (SERVER_COMMAND) await client.stop();
  else client.kill();
}

/** `--server-part busy,open,workspace,activation`: only those measurements. */
const PART = (() => {
  const index = process.argv.indexOf('--server-part');
  return index >= 0 ? process.argv[index + 1] : undefined;
})();

interface Row {
  name: string;
  value: string;
  budget: string;
  met: boolean | null;
}

/** Resident memory of a process, now and at its peak (MB), from /proc. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

/** First diagnostics of a 512 KB plan, and the requests on another document answered meanwhile. */
async function busyServer(rows: Row[]): Promise<void> {
  const text = largePlan(512 * 1024);
  const bareStart = performance.now();
  unified().use(remarkParse).parse(text);
  const bare = performance.now() - bareStart;

  const workspace = tempWorkspace({ '.docplan.json': CONFIG, 'src/cache.ts': 'export class Cache {}\n' });
  const client = await LspTestClient.start({ folders: [workspace.uri], settings: () => ({ checkWorkspace: false }), command: SERVER_COMMAND });
  try {
    const small = workspace.fileUri('docs/small.md');
    await client.openDocument(small, PLAN.replace('Widgets are slow to render.', 'Widgets are slow to render; see `src/cache.ts`.'));
    await client.waitForVersion(small, 1);
    const large = workspace.fileUri('docs/large.md');
    const published = client.waitForVersion(large, 1, LONG_WAIT_MS);
    const opened = performance.now();
    await client.openDocument(large, text);
    let firstDiagnostics = 0;
    void published.then(() => (firstDiagnostics = performance.now() - opened));
    const waits: number[] = [];
    while (firstDiagnostics === 0) {
      const asked = performance.now();
      await Promise.all([
        client.request<Hover | null>('textDocument/hover', { textDocument: { uri: small }, position: { line: 4, character: 35 } }),
        client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: small } }),
      ]);
      waits.push(performance.now() - asked);
      await sleep(20);
    }
    await published;
    waits.sort((a, b) => a - b);
    const longest = waits.at(-1) ?? 0;
    rows.push({ name: `first diagnostics of a ${(text.length / 1024).toFixed(0)} KB plan`, value: `${firstDiagnostics.toFixed(0)} ms`, budget: '<= 1500 ms', met: firstDiagnostics <= 1500 });
    rows.push({ name: '  (bare remark-parse of the same text, in-process)', value: `${bare.toFixed(0)} ms`, budget: '-', met: null });
    rows.push({
      name: `longest wait of a request meanwhile (${waits.length} hover+symbols pairs; median ${waits[Math.floor(waits.length / 2)]?.toFixed(0) ?? '-'} ms)`,
      value: `${longest.toFixed(0)} ms`,
      budget: '<= 100 ms',
      met: longest <= 100,
    });
  } finally {
    await end(client);
    workspace.remove();
  }
}

/** Resident memory with OPEN_DOCS plans open (each checked). */
async function manyOpen(rows: Row[]): Promise<void> {
  const workspace = tempWorkspace({ '.docplan.json': CONFIG });
  const client = await LspTestClient.start({ folders: [workspace.uri], settings: () => ({ checkWorkspace: false }), command: SERVER_COMMAND });
  try {
    const started = performance.now();
    let bytes = 0;
    const uris: string[] = [];
    for (let i = 0; i < OPEN_DOCS; i++) {
      const { text } = generatePlan(120 + (i % 7) * 20, 1000 + i);
      bytes += text.length;
      const uri = workspace.fileUri(`docs/plans/plan-${i}.md`);
      uris.push(uri);
      await client.openDocument(uri, text);
    }
    for (const uri of uris) await client.waitForVersion(uri, 1, LONG_WAIT_MS);
    const seconds = (performance.now() - started) / 1000;
    await sleep(2000);
    const memory = memoryOf(client.process!.pid!);
    const usage = await client.request<NodeJS.MemoryUsage>('docplan/memoryUsage', null);
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
    rows.push({
      name:
        `RSS with ${OPEN_DOCS} docs open (${(bytes / 1024 / 1024).toFixed(1)} MB of plans, all checked in ${seconds.toFixed(1)} s; peak ${memory.peak.toFixed(0)} MB; ` +
        `heap used ${mb(usage.heapUsed)} of ${mb(usage.heapTotal)} MB, external ${mb(usage.external)} MB)`,
      value: `${memory.rss.toFixed(0)} MB`,
      budget: OPEN_DOCS === 1000 ? '< 150 MB' : '-',
      met: OPEN_DOCS === 1000 ? memory.rss < 150 : null,
    });
  } finally {
    await end(client);
    workspace.remove();
  }
}

/** A generated tree: 70% ordinary Markdown, 30% plans referencing the code files, which exist. */
function generatedTree(docs: number): Record<string, string> {
  const files: Record<string, string> = {};
  const modules = ['ingest', 'ledger', 'scheduler', 'storage', 'auth', 'billing', 'search', 'notify', 'export', 'gateway'];
  const names = ['core', 'client', 'worker', 'models', 'handlers', 'config', 'queue', 'retry', 'codec', 'metrics'];
  const code = Array.from({ length: 900 }, (_, line) => `    value_${line} = compute(${line})`).join('\n');
  for (const module of modules) for (const name of names) files[`src/${module}/${name}.py`] = `class Runner:\n${code}\n`;
  for (let i = 0; i < docs; i++) {
    if (i % 10 < 7) {
      const paragraphs = Array.from({ length: 8 + (i % 5) }, (_, p) => `Paragraph ${p} of page ${i} explains how the service behaves when the queue is full, and links to [the index](../README.md).`);
      files[`docs/pages/page-${i}.md`] = `# Page ${i}\n\n${paragraphs.join('\n\n')}\n\n## Usage\n\n- Install it\n- Run \`make serve\`\n`;
    } else {
      files[`docs/plans/plan-${i}.md`] = generatePlan(150 + (i % 5) * 30, 5000 + i).text;
    }
  }
  return files;
}

/** Time and memory of the background check of every doc of a generated tree. */
async function workspaceCheck(rows: Row[]): Promise<void> {
  const docs = 1000;
  const workspace = tempWorkspace(generatedTree(docs));
  const started = performance.now();
  const client = await LspTestClient.start({ folders: [workspace.uri], capabilities: { ...FULL_CAPABILITIES, window: { workDoneProgress: true } }, command: SERVER_COMMAND });
  try {
    let peak = 0;
    const sampler = setInterval(() => {
      try {
        peak = Math.max(peak, memoryOf(client.process!.pid!).rss);
      } catch {
        // The process is gone.
      }
    }, 100);
    await client.waitForNotification('$/progress', (params) => (params as { value: { kind: string } }).value.kind === 'end', LONG_WAIT_MS);
    clearInterval(sampler);
    const seconds = (performance.now() - started) / 1000;
    const atEnd = memoryOf(client.process!.pid!);
    // As with the open docs: what stays resident once the server has gone quiet (its idle collection).
    await sleep(2000);
    const settled = memoryOf(client.process!.pid!);
    const withProblems = [...client.diagnostics.values()].filter((list) => (list.at(-1)?.diagnostics.length ?? 0) > 0).length;
    rows.push({
      name: `workspace check of a generated tree (${docs} Markdown files, 30% plans; ${withProblems} with problems), start to progress end`,
      value: `${seconds.toFixed(1)} s`,
      budget: '-',
      met: null,
    });
    rows.push({ name: `  RSS at the progress end (peak sampled ${peak.toFixed(0)} MB, VmHWM ${atEnd.peak.toFixed(0)} MB)`, value: `${atEnd.rss.toFixed(0)} MB`, budget: '-', met: null });
    rows.push({ name: '  RSS 2 s later, the server quiet', value: `${settled.rss.toFixed(0)} MB`, budget: '< 150 MB', met: settled.rss < 150 });
  } finally {
    await end(client);
    workspace.remove();
  }
}

/** The activation time the last real-VS-Code run recorded. */
function activation(rows: Row[]): void {
  const file = join(REPO_ROOT, 'out', 'e2e', 'activation.json');
  if (!existsSync(file)) {
    rows.push({ name: 'activation in VS Code (run npm run test:vscode to measure)', value: 'not measured', budget: '< 100 ms', met: null });
    return;
  }
  const recorded = JSON.parse(readFileSync(file, 'utf8')) as { activationMs: number; clientReadyMs?: number; serverAnsweredMs?: number; measuredAt: string };
  rows.push({
    name: `activation in VS Code: activate() returns (recorded by test:vscode at ${recorded.measuredAt})`,
    value: `${recorded.activationMs.toFixed(0)} ms`,
    budget: '< 100 ms',
    met: recorded.activationMs < 100,
  });
  if (recorded.clientReadyMs !== undefined) {
    // The client answers its own initialize (client/src/workerTransport.ts); the server's thread boots meanwhile.
    rows.push({ name: 'activation in VS Code: activate() to language client ready', value: `${recorded.clientReadyMs.toFixed(0)} ms`, budget: '< 100 ms', met: recorded.clientReadyMs < 100 });
  }
  if (recorded.serverAnsweredMs !== undefined) {
    // The client answers its own handshake; this is when the server's thread was up and answered it too.
    rows.push({ name: "activation in VS Code: activate() to the server's thread answering initialize", value: `${recorded.serverAnsweredMs.toFixed(0)} ms`, budget: '', met: null });
  }
}

/** Runs the server measurements and prints their table. */
export async function serverBench(): Promise<void> {
  if (!existsSync(SERVER_PATH)) {
    console.log(`\n${SERVER_PATH} is missing: run npm run build first.`);
    return;
  }
  // Memory differs by some 15 MB between the two builds: say which one is measured.
  const development = readFileSync(join(REPO_ROOT, 'dist', 'serverCore.js'), 'utf8').includes('//# sourceMappingURL=');
  const build = development ? 'the development build (npm run build -- --production measures what ships)' : 'the production build, as packaged';
  console.log(`\nLanguage server (built dist/server.js over stdio, ${build}):`);
  const rows: Row[] = [];
  const only = PART === undefined ? null : PART.split(',');
  const parts: [string, (rows: Row[]) => Promise<void> | void][] = [
    ['busy', busyServer],
    ['open', manyOpen],
    ['workspace', workspaceCheck],
    ['activation', activation],
  ];
  for (const [name, part] of parts) if (!only || only.includes(name)) await part(rows);
  const table = rows.map((row) => [row.name, row.value, row.budget, row.met === null ? '-' : row.met ? 'met' : 'NOT met']);
  const header = ['measurement', 'value', 'budget', 'met'];
  const widths = header.map((title, column) => Math.max(title.length, ...table.map((row) => row[column].length)));
  const format = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  console.log(format(header));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const row of table) console.log(format(row));
}

if (require.main === module) void serverBench();
