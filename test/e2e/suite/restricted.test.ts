// Restricted Mode (Workspace Trust on, folder not trusted): checking still works, running does not,
// and nothing runs. Selected by index.ts only when the workspace is untrusted (run.sh's second run).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { RunSummary } from '../../../client/src/runManager';
import { docplanApi, openInEditor, ruleId, sleep, waitFor, workspaceUri } from './util';

suite('DocPlan in Restricted Mode', () => {
  test('the workspace is untrusted in this run', () => {
    assert.equal(vscode.workspace.isTrusted, false, 'run.sh starts this suite with Workspace Trust on');
  });

  test('diagnostics still appear for a plan', async () => {
    const uri = workspaceUri('docs/plan.md');
    await openInEditor(uri);
    await waitFor('missing-goals on docs/plan.md', () =>
      vscode.languages.getDiagnostics(uri).find((d) => d.source === 'docplan' && ruleId(d) === 'missing-goals'),
    );
  });

  test('running validation is refused with a reason, and nothing runs', async () => {
    const api = await docplanApi();
    const uri = workspaceUri('docs/run-plan.md');
    await openInEditor(uri);
    await waitFor('the run plan in the stage tree', () => api.stageTree().find((node) => node.label === 'Plan: Exercise the validation runner'));

    const stage = (await vscode.commands.executeCommand('docplan.runStage', { uri: uri.toString(), stageNumber: '3' })) as RunSummary;
    assert.match(stage.refused ?? '', /Restricted Mode/);
    assert.match(stage.refused ?? '', /not trusted/);
    assert.deepEqual(stage.results, []);
    const doc = (await vscode.commands.executeCommand('docplan.runDocument', uri)) as RunSummary;
    assert.match(doc.refused ?? '', /Restricted Mode/);

    // (The Test Explorer is not exercised here: VS Code itself asks for trust before any test run, a
    // prompt that the test workbench refuses to show; the run profile goes through the same refusal.)
    await sleep(1_000);
    assert.ok(!fs.existsSync(workspaceUri('ran-stage-3.txt').fsPath), 'stage 3 must not have run');
    assert.deepEqual(api.results(uri), {});

    // The CodeLens says why instead of offering to run.
    const lenses = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri)) as vscode.CodeLens[];
    assert.ok(lenses.length > 0);
    for (const lens of lenses) {
      assert.equal(lens.command?.command, 'docplan.explainRestrictedMode');
      assert.match(lens.command?.title ?? '', /Restricted Mode/);
    }
  });
});
