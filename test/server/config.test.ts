// Tier 3: .docplan.json handling in the built server: problems as diagnostics on the file, live reload through
// watched-file events and the open editor, and workspace folders (longest prefix, folder-relative globs).
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient, tempWorkspace } from '../helpers/lspClient';
import { CONFIG, PLAN } from '../helpers/serverFixtures';
import type { DocumentInfo } from '../../server/src/protocol';

const FILE_CHANGED = 2;

function byCode(diagnostics: Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.code === code);
}

describe('.docplan.json', () => {
  test('the server watches .docplan.json and every file (referenced code and tests), and listens for configuration changes', async () => {
    const workspace = tempWorkspace({});
    const client = await LspTestClient.start({ folders: [workspace.uri] });
    try {
      const watcher = await client.waitForRegistration('workspace/didChangeWatchedFiles');
      assert.deepEqual(watcher.registerOptions, { watchers: [{ globPattern: '**/.docplan.json' }, { globPattern: '**/*' }] });
      const configuration = await client.waitForRegistration('workspace/didChangeConfiguration');
      assert.deepEqual(configuration.registerOptions, { section: 'docplan' });
      assert.deepEqual(client.failures(), [], 'no handler failed');
    } finally {
      client.kill();
      workspace.remove();
    }
  });

  test('a file that does not match the schema gets one error naming the field (the schema is compiled on first use)', async () => {
    const workspace = tempWorkspace({ '.docplan.json': '{ "requireValidation": "yes" }' });
    const client = await LspTestClient.start({ folders: [workspace.uri] });
    try {
      const broken = await client.waitForDiagnostics(workspace.fileUri('.docplan.json'));
      assert.equal(broken.diagnostics.length, 1, JSON.stringify(broken.diagnostics));
      assert.equal(broken.diagnostics[0].severity, DiagnosticSeverity.Error);
      assert.match(String(broken.diagnostics[0].message), /does not match its schema: \/requireValidation must be boolean/);
      assert.deepEqual(client.failures(), [], 'no handler failed');
    } finally {
      client.kill();
      workspace.remove();
    }
  });

  test('a malformed file gets one error on its URI (defaults used) which clears once it is fixed', async () => {
    const workspace = tempWorkspace({ '.docplan.json': '{ "rules": { "stage-too-large": ', 'docs/plan.md': PLAN });
    const configUri = workspace.fileUri('.docplan.json');
    const client = await LspTestClient.start({ folders: [workspace.uri] });
    try {
      const broken = await client.waitForDiagnostics(configUri);
      assert.equal(broken.diagnostics.length, 1, JSON.stringify(broken.diagnostics));
      assert.equal(broken.diagnostics[0].severity, DiagnosticSeverity.Error);
      assert.match(String(broken.diagnostics[0].message), /not valid JSON/);

      const uri = workspace.fileUri('docs/plan.md');
      await client.openDocument(uri, PLAN);
      const withDefaults = await client.waitForVersion(uri, 1);
      assert.deepEqual(byCode(withDefaults.diagnostics, 'stage-too-large'), [], 'defaults: 5 changes is not too many');
      assert.ok(byCode(withDefaults.diagnostics, 'missing-goals').length === 1);

      workspace.write('.docplan.json', CONFIG);
      await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: FILE_CHANGED }] });
      const cleared = await client.waitForDiagnostics(configUri, (params) => params.diagnostics.length === 0);
      assert.deepEqual(cleared.diagnostics, []);
      const rechecked = await client.waitForDiagnostics(uri, (params) => byCode(params.diagnostics, 'stage-too-large').length === 1);
      assert.equal(rechecked.version, 1, 're-checked the same version with the new configuration');
      assert.deepEqual(client.failures(), [], 'no handler failed');
    } finally {
      client.kill();
      workspace.remove();
    }
  });

  test('an unknown rule id gets a warning on its key', async () => {
    const text = '{\n  "rules": {\n    "missing-goal": "error"\n  }\n}\n';
    const workspace = tempWorkspace({ '.docplan.json': CONFIG });
    const configUri = workspace.fileUri('.docplan.json');
    const client = await LspTestClient.start({ folders: [workspace.uri] });
    try {
      const uri = workspace.fileUri('plan.md');
      await client.openDocument(uri, PLAN);
      await client.waitForVersion(uri, 1);
      assert.equal(client.diagnostics.get(configUri), undefined, 'a valid file gets no diagnostics');

      workspace.write('.docplan.json', text);
      await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: FILE_CHANGED }] });
      const published = await client.waitForDiagnostics(configUri);
      assert.equal(published.diagnostics.length, 1);
      const [warning] = published.diagnostics;
      assert.equal(warning.severity, DiagnosticSeverity.Warning);
      assert.match(String(warning.message), /Unknown rule id "missing-goal"/);
      assert.deepEqual(warning.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 18 } });
      assert.deepEqual(client.failures(), [], 'no handler failed');
    } finally {
      client.kill();
      workspace.remove();
    }
  });

  test('while .docplan.json is open, its editor text is the configuration and is checked as it is typed', async () => {
    const workspace = tempWorkspace({ '.docplan.json': '{}' });
    const configUri = workspace.fileUri('.docplan.json');
    const client = await LspTestClient.start({ folders: [workspace.uri] });
    try {
      const uri = workspace.fileUri('plan.md');
      await client.openDocument(uri, PLAN);
      assert.deepEqual(byCode((await client.waitForVersion(uri, 1)).diagnostics, 'stage-too-large'), []);

      await client.openDocument(configUri, '{}', 'json');
      const lastLine = { line: 0, character: 2 };
      await client.changeDocument(configUri, [{ range: { start: { line: 0, character: 0 }, end: lastLine }, text: '{ "rules": [' }]);
      const broken = await client.waitForDiagnostics(configUri, (params) => params.diagnostics.length === 1);
      assert.equal(broken.diagnostics[0].severity, DiagnosticSeverity.Error);

      const whole = client.document(configUri);
      await client.changeDocument(configUri, [{ range: { start: { line: 0, character: 0 }, end: whole.positionAt(whole.getText().length) }, text: CONFIG }]);
      await client.waitForDiagnostics(configUri, (params) => params.diagnostics.length === 0);
      const rechecked = await client.waitForDiagnostics(uri, (params) => byCode(params.diagnostics, 'stage-too-large').length === 1);
      assert.equal(rechecked.version, 1);
      assert.deepEqual(client.failures(), [], 'no handler failed');
    } finally {
      client.kill();
      workspace.remove();
    }
  });
});

describe('workspace folders', () => {
  test('a document belongs to the folder with the longest matching prefix; globs match folder-relative paths', async () => {
    const notes = '# Notes\n\nSome thoughts about caching.\n\n## Ideas\n\n- Cache widgets\n';
    const workspace = tempWorkspace({
      '.docplan.json': '{}',
      'sub/.docplan.json': JSON.stringify({ include: ['notes/*.md'] }),
      'notes/a.md': notes,
      'sub/notes/b.md': notes,
    });
    const outer = workspace.uri;
    const inner = workspace.fileUri('sub');
    const client = await LspTestClient.start({ folders: [outer, inner] });
    try {
      const outerDoc = workspace.fileUri('notes/a.md');
      const innerDoc = workspace.fileUri('sub/notes/b.md');
      await client.openDocument(outerDoc, notes);
      await client.openDocument(innerDoc, notes);
      assert.deepEqual((await client.waitForVersion(outerDoc, 1)).diagnostics, [], 'outer folder: ordinary notes');
      const innerDiagnostics = (await client.waitForVersion(innerDoc, 1)).diagnostics;
      assert.ok(byCode(innerDiagnostics, 'missing-goals').length === 1, `inner folder includes notes/*.md: ${JSON.stringify(innerDiagnostics)}`);

      const info = await client.request<DocumentInfo | null>('docplan/documentInfo', { uri: innerDoc });
      assert.equal(info?.kindSource, 'config');

      // An untitled document has no folder and no path: content detection only.
      const untitled = 'untitled:Untitled-1';
      await client.openDocument(untitled, PLAN);
      assert.ok(byCode((await client.waitForVersion(untitled, 1)).diagnostics, 'missing-goals').length === 1);
      assert.deepEqual(client.failures(), [], 'no handler failed');
    } finally {
      client.kill();
      workspace.remove();
    }
  });
});
