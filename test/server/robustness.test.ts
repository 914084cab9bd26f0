// Tier 3: bad input and plain clients. Whatever arrives, the built server answers (or returns an error) and
// keeps serving; diagnostics stay inside the document; shutdown + exit ends the process with 0.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ErrorCodes, ResponseError, type CodeAction, type DocumentSymbol } from 'vscode-languageserver-protocol';
import { LspTestClient, REPO_ROOT, SERVER_PATH, tempWorkspace, type TempWorkspace } from '../helpers/lspClient';
import { CONFIG, PLAN } from '../helpers/serverFixtures';
import { SERVER_NODE_FLAGS, type DocumentInfo } from '../../server/src/protocol';

describe('bad input', () => {
  let workspace: TempWorkspace;
  let client: LspTestClient;

  before(async () => {
    workspace = tempWorkspace({ '.docplan.json': CONFIG });
    client = await LspTestClient.start({ folders: [workspace.uri] });
  });

  after(() => {
    const failures = client.failures();
    client.kill();
    workspace.remove();
    assert.deepEqual(failures, [], 'no handler failed');
  });

  /** The server still answers: a real request on a real document. */
  async function stillServing(): Promise<void> {
    const uri = workspace.fileUri('alive.md');
    if (!client.diagnostics.has(uri)) await client.openDocument(uri, PLAN);
    const info = await client.request<DocumentInfo | null>('docplan/documentInfo', { uri });
    assert.equal(info?.kind, 'plan');
    assert.ok(client.running);
  }

  test('a document with NUL bytes is skipped with one log line and no diagnostics', async () => {
    const uri = workspace.fileUri('docs/binary.md');
    const binary = `${PLAN}\u0000\u0001\u0002\uFFFD\u0000PNG`;
    await client.openDocument(uri, binary);
    assert.deepEqual((await client.waitForVersion(uri, 1)).diagnostics, []);
    const line = await client.waitForLog((message) => message.includes(uri) && message.includes('NUL'));
    assert.match(line, /not checking/);
    const info = await client.request<DocumentInfo | null>('docplan/documentInfo', { uri });
    assert.match(info?.skipped ?? '', /NUL/);
    await stillServing();
  });

  test('a document over docplan.maxFileSizeKb (default 5120 KB) is skipped with one log line and no diagnostics', async () => {
    const uri = workspace.fileUri('docs/huge.md');
    const filler = `${'x'.repeat(99)}\n`.repeat(54_000); // ~5.4 MB
    await client.openDocument(uri, PLAN + filler);
    assert.deepEqual((await client.waitForVersion(uri, 1)).diagnostics, []);
    const line = await client.waitForLog((message) => message.includes(uri));
    assert.match(line, /maxFileSizeKb/);
    assert.deepEqual(await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } }), []);
    await stillServing();
  });

  test('odd but valid Markdown (long lines, deep nesting, unterminated fence) gets diagnostics inside the document', async () => {
    const uri = workspace.fileUri('docs/odd.md');
    const text = `${PLAN}\n${'y'.repeat(100_000)}\n${'> '.repeat(500)}deep\n${'- '.repeat(300)}list\n\n\`\`\`bash\nnpm test\n`;
    await client.openDocument(uri, text);
    const published = await client.waitForVersion(uri, 1);
    assert.ok(published.diagnostics.length > 0);
    const document = client.document(uri);
    for (const diagnostic of published.diagnostics) {
      for (const position of [diagnostic.range.start, diagnostic.range.end]) {
        assert.ok(position.line < document.lineCount, `line inside: ${JSON.stringify(diagnostic.range)}`);
        const lineText = document.getText({ start: { line: position.line, character: 0 }, end: { line: position.line + 1, character: 0 } }).replace(/\r?\n$/, '');
        assert.ok(position.character <= lineText.length, `character inside: ${JSON.stringify(diagnostic.range)}`);
      }
    }
    await stillServing();
  });

  test('requests with out-of-range positions and edits with out-of-range ranges are answered', async () => {
    const uri = workspace.fileUri('docs/range.md');
    await client.openDocument(uri, PLAN);
    await client.waitForVersion(uri, 1);
    const far = { line: 1_000_000, character: 1_000_000 };
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: far, end: { line: -5, character: -1 } },
      context: { diagnostics: [], only: ['quickfix'] },
    });
    assert.deepEqual(actions, []);

    const version = await client.changeDocument(uri, [{ range: { start: far, end: far }, text: '\nAppended far away.\n' }]);
    const published = await client.waitForVersion(uri, version);
    assert.ok(published.diagnostics.every((diagnostic) => diagnostic.range.end.line < client.document(uri).lineCount));
    await stillServing();
  });

  test('unknown URIs and bad parameters get empty answers or errors, never a crash', async () => {
    const unknown = workspace.fileUri('nope.md');
    assert.deepEqual(await client.request('textDocument/documentSymbol', { textDocument: { uri: unknown } }), []);
    assert.deepEqual(await client.request('textDocument/foldingRange', { textDocument: { uri: unknown } }), []);
    assert.deepEqual(
      await client.request('textDocument/codeAction', { textDocument: { uri: unknown }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }),
      [],
    );
    assert.equal(await client.request('docplan/stages', { uri: unknown }), null);
    assert.equal(await client.request('docplan/stages', { uri: 'not a uri at all' }), null);

    await assert.rejects(client.request('docplan/documentInfo', {}), (error: unknown) => error instanceof ResponseError && error.code === ErrorCodes.InvalidParams);
    await assert.rejects(client.request('docplan/documentInfo', null), (error: unknown) => error instanceof ResponseError && error.code === ErrorCodes.InvalidParams);
    await assert.rejects(client.request('docplan/noSuchRequest', {}), (error: unknown) => error instanceof ResponseError && error.code === ErrorCodes.MethodNotFound);
    await client.notify('textDocument/didChange', { textDocument: { uri: unknown, version: 7 }, contentChanges: [{ text: 'x' }] });
    await client.notify('textDocument/didClose', { textDocument: { uri: unknown } });
    await stillServing();
  });
});

describe('plain LSP clients and lifecycle', () => {
  test('a client with no capabilities gets diagnostics, symbols and settings from initialization options', async () => {
    const workspace = tempWorkspace({ 'docs/plan.md': PLAN });
    const client = await LspTestClient.start({
      folders: [workspace.uri],
      capabilities: {},
      initializationOptions: { settings: { rules: { 'missing-goals': 'error' } } },
    });
    try {
      const uri = workspace.fileUri('docs/plan.md');
      await client.openDocument(uri, PLAN);
      const published = await client.waitForVersion(uri, 1);
      assert.equal(published.diagnostics.find((diagnostic) => diagnostic.code === 'missing-goals')?.severity, 1, 'error, from the initialization options');
      const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
      assert.equal(symbols[0]?.name, 'Plan: Faster widgets');
      assert.deepEqual(client.registrations, [], 'nothing registered with a client that cannot register');

      await client.notify('workspace/didChangeConfiguration', { settings: { docplan: { rules: { 'missing-goals': 'off' } } } });
      const updated = await client.waitForDiagnostics(uri, (params) => !params.diagnostics.some((diagnostic) => diagnostic.code === 'missing-goals'));
      assert.equal(updated.version, 1, 'the open document was re-checked with the new settings');
      assert.deepEqual(client.failures(), [], 'no handler failed');
    } finally {
      client.kill();
      workspace.remove();
    }
  });

  test('the installed bin starts the server with the flags every launcher passes to Node', async () => {
    const bin = join(REPO_ROOT, 'bin', 'docplan-language-server.js');
    assert.equal(readFileSync(bin, 'utf8').split('\n')[0], `#!/usr/bin/env -S node ${SERVER_NODE_FLAGS.join(' ')}`);
    // Started as an editor starts it: the file itself, through its shebang.
    const client = await LspTestClient.start({ command: [bin] });
    try {
      await client.openDocument('untitled:plan', PLAN);
      await client.waitForVersion('untitled:plan', 1);
      const commandLine = readFileSync(`/proc/${client.process?.pid}/cmdline`, 'utf8').split('\0');
      for (const flag of SERVER_NODE_FLAGS) assert.ok(commandLine.includes(flag), `${flag} in ${commandLine.join(' ')}`);
    } finally {
      client.kill();
    }
  });

  test('a client that never sends initialized still gets a working server', async () => {
    const client = await LspTestClient.start({ skipInitialized: true });
    try {
      // The entry answered initialize without its checking core; the core loads on initialized or, failing
      // that, a second after the answer. The didOpen waits in the queue until then.
      await client.openDocument('untitled:plan', PLAN);
      const published = await client.waitForVersion('untitled:plan', 1);
      assert.ok(published.diagnostics.some((diagnostic) => diagnostic.code === 'missing-goals'), 'missing-goals expected');
    } finally {
      client.kill();
    }
  });

  test('a server whose checking core is missing says so and exits with status 1', async () => {
    // The entry bundle alone, as a broken install would have it.
    const dir = mkdtempSync(join(tmpdir(), 'docplan-no-core-'));
    copyFileSync(SERVER_PATH, join(dir, 'server.js'));
    const client = await LspTestClient.start({ command: [process.execPath, join(dir, 'server.js')] });
    try {
      assert.equal(await client.exitCode(), 1);
      assert.ok(client.logs.some((line) => /could not start: .*serverCore\.js/s.test(line)), `the reason is logged to the client; got ${client.logs.join(' | ')}`);
    } finally {
      client.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('shutdown then exit ends the process with code 0', async () => {
    const client = await LspTestClient.start({});
    await client.openDocument('untitled:plan', PLAN);
    await client.waitForVersion('untitled:plan', 1);
    assert.equal(await client.stop(), 0);
  });
});
