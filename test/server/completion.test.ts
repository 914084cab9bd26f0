// Tier 3: "done means done" from the built server over stdio, on the same real git repository as the CLI test
// (test/helpers/completionRepo.ts). The results file written by `docplan run` is read by the server; the
// dishonest and forgotten items are reported with the right commits; fix-all ticks and unticks only what is
// safe, the quick fixes do the rest, and then nothing is left.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { main } from '../../server/src/cli/main';
import { LspTestClient } from '../helpers/lspClient';
import { buildCompletionRepo, EXPECTED, type CompletionRepo } from '../helpers/completionRepo';

const RULES = ['completion-not-in-code', 'completion-without-change', 'done-not-ticked', 'validation-evidence'];

function lines(diagnostics: Diagnostic[], code: string): number[] {
  return diagnostics.filter((diagnostic) => diagnostic.code === code).map((diagnostic) => diagnostic.range.start.line);
}

function completion(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((diagnostic) => RULES.includes(String(diagnostic.code)));
}

describe('done means done, over LSP', () => {
  let repo: CompletionRepo;
  let client: LspTestClient;

  before(async () => {
    repo = buildCompletionRepo();
    const silent = { write: () => true };
    const code = await main(['run', 'docs/plan.md'], { cwd: repo.dir, env: {}, stdout: silent, stderr: silent });
    assert.equal(code, 1, 'the CLI run records one failure');
    client = await LspTestClient.start({ folders: [pathToFileURL(repo.dir).toString()] });
  });

  after(() => {
    const failures = client.failures();
    client.kill();
    repo.remove();
    assert.deepEqual(failures, [], 'no handler failed');
  });

  test('reports the same items as the CLI, with commits; fix-all and quick fixes settle every box', async () => {
    const uri = pathToFileURL(join(repo.dir, 'docs/plan.md')).toString();
    await client.openDocument(uri, readFileSync(join(repo.dir, 'docs/plan.md'), 'utf8'));
    const published = await client.waitForDiagnostics(uri, (params) => completion(params.diagnostics).length >= 6);
    assert.deepEqual(lines(published.diagnostics, 'completion-not-in-code'), EXPECTED.notInCode);
    assert.deepEqual(lines(published.diagnostics, 'completion-without-change'), EXPECTED.withoutChange);
    assert.deepEqual(lines(published.diagnostics, 'done-not-ticked'), EXPECTED.notTicked);
    assert.deepEqual(lines(published.diagnostics, 'validation-evidence'), EXPECTED.validation);
    const withoutChange = published.diagnostics.find((diagnostic) => diagnostic.code === 'completion-without-change')!;
    assert.match(String(withoutChange.message), new RegExp(`ticked in commit ${repo.tickCommit.slice(0, 7)}, but \`src/config\\.py\` did not change between ${repo.planCommit.slice(0, 7)}`));

    // Fix-all: unticks the items whose claims fail and ticks the one whose claims hold; leaves the git-based and validation findings.
    const request = { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } };
    const [fixAll] = await client.request<CodeAction[]>('textDocument/codeAction', request);
    assert.ok(fixAll?.edit);
    const version = await client.applyWorkspaceEdit(fixAll.edit);
    const afterFixAll = await client.waitForVersion(uri, version);
    assert.deepEqual(completion(afterFixAll.diagnostics).map((diagnostic) => `${diagnostic.range.start.line} ${String(diagnostic.code)}`), ['22 completion-without-change', '33 validation-evidence']);
    const text = client.document(uri).getText().split('\n');
    for (const line of EXPECTED.notInCode) assert.match(text[line], /^- \[ \] /);
    assert.match(text[25], /^- \[x\] /);

    // The quick fixes of the other two.
    for (const diagnostic of completion(afterFixAll.diagnostics)) {
      const current = await client.waitForDiagnostics(uri, (params) => params.version === client.document(uri).version);
      const target = current.diagnostics.find((candidate) => candidate.code === diagnostic.code)!;
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: target.range, context: { diagnostics: [target], only: ['quickfix'] } });
      const fix = actions.find((action) => action.diagnostics?.some((d) => d.code === diagnostic.code) && /^Untick/.test(action.title));
      assert.ok(fix?.edit, `a fix for ${String(diagnostic.code)}; got ${actions.map((action) => action.title).join(' | ')}`);
      await client.applyWorkspaceEdit(fix.edit);
    }
    const settled = await client.waitForVersion(uri, client.document(uri).version);
    assert.deepEqual(completion(settled.diagnostics), []);
    assert.equal(client.document(uri).getText().split('\n')[33], '## Stage 2: Export');
  });
});
