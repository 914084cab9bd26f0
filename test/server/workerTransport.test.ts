// Tier 3: the built server as VS Code runs it, a worker thread of the extension host speaking over its
// message port through the client's transport (client/src/workerTransport.ts, which answers initialize
// itself), against the same expectations as over stdio.
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { ErrorCodes, ResponseError, type DocumentSymbol, type InitializeResult } from 'vscode-languageserver-protocol';
import { createProtocolConnection } from 'vscode-languageserver-protocol/node';
import { workerTransport } from '../../client/src/workerTransport';
import { LspTestClient, tempWorkspace, type TempWorkspace } from '../helpers/lspClient';
import { CONFIG, PLAN } from '../helpers/serverFixtures';

describe('the server as a worker thread', () => {
  let workspace: TempWorkspace;
  let client: LspTestClient;

  before(async () => {
    workspace = tempWorkspace({ '.docplan.json': CONFIG, 'docs/plan.md': PLAN });
    client = await LspTestClient.start({ folders: [workspace.uri], worker: true });
  });

  after(() => {
    client.kill();
    workspace.remove();
  });

  test('the client\'s own initialize answer is the one the server gives, for full and bare clients', async () => {
    assert.ok(client.serverAnswered, 'a worker run reports the server\'s answer');
    assert.deepEqual(client.initializeResult, await client.serverAnswered);
    const bare = await LspTestClient.start({ worker: true, capabilities: {} });
    try {
      assert.deepEqual(bare.initializeResult, await bare.serverAnswered);
      assert.equal(bare.initializeResult?.capabilities.diagnosticProvider, undefined, 'no pull diagnostics for a client without them');
      assert.notDeepEqual(bare.initializeResult, client.initializeResult);
    } finally {
      bare.kill();
    }
  });

  test('the client is answered without waiting for the thread; the server\'s own answer fails when the thread ends', async () => {
    // A thread that reads its messages and never answers.
    const silent = new Worker('require("node:worker_threads").parentPort.on("message", () => {});', { eval: true });
    const transport = workerTransport(silent);
    const connection = createProtocolConnection(transport.reader, transport.writer);
    connection.listen();
    try {
      const answer = await connection.sendRequest<InitializeResult>('initialize', { processId: null, rootUri: null, capabilities: {} });
      assert.equal(answer.capabilities.hoverProvider, true);
      assert.equal(answer.serverInfo?.name, 'docplan-language-server');
    } finally {
      await silent.terminate();
      connection.dispose();
    }
    await assert.rejects(transport.serverAnswered, /stopped before answering initialize/);
  });

  test('publishes a plan\'s problems and answers requests over the message port', async () => {
    const uri = workspace.fileUri('docs/plan.md');
    await client.openDocument(uri, PLAN);
    const published = await client.waitForVersion(uri, 1);
    const codes = published.diagnostics.map((diagnostic) => String(diagnostic.code));
    assert.ok(codes.includes('missing-goals'), `missing-goals expected; got ${codes.join(', ')}`);
    assert.ok(codes.includes('stage-too-large'), `the folder's .docplan.json applies; got ${codes.join(', ')}`);

    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    const names = symbols.flatMap((symbol) => [symbol.name, ...(symbol.children ?? []).map((child) => child.name)]);
    assert.ok(names.some((name) => /Stage 1/.test(name)), `a Stage 1 symbol; got ${names.join(', ')}`);
  });

  test('errors keep their codes across the port', async () => {
    await assert.rejects(client.request('docplan/documentInfo', {}), (error: unknown) => error instanceof ResponseError && error.code === ErrorCodes.InvalidParams);
    await assert.rejects(client.request('docplan/noSuchRequest', {}), (error: unknown) => error instanceof ResponseError && error.code === ErrorCodes.MethodNotFound);
    assert.equal(client.failures().length, 0, client.failures().join('\n'));
  });

  test('shutdown then exit ends the thread (not this process) with code 0', async () => {
    assert.equal(await client.stop(), 0);
    assert.equal(client.running, false);
  });

  test('without the initialized notification the core still starts, a second after initialize was answered', async () => {
    const late = await LspTestClient.start({ worker: true, skipInitialized: true });
    try {
      // Until the core loads, the worker only holds the connection (a client that keeps to the protocol
      // sends initialized first); past the fallback delay it serves as usual.
      await new Promise((resolveWait) => setTimeout(resolveWait, 2000));
      await late.openDocument('untitled:late', PLAN);
      const published = await late.waitForVersion('untitled:late', 1);
      assert.ok(published.diagnostics.some((diagnostic) => diagnostic.code === 'missing-goals'), 'missing-goals expected');
    } finally {
      late.kill();
    }
  });
});
