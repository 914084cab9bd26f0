// Before a window reload (the first half of afterReload.test.ts): a stage of docs/reload-plan.md is run with
// docplan.run.tickCheckboxes on, so its box is ticked, the evidence line written and the plan saved; the run
// is recorded in .docplan/results.json. The suite's index then has the driver reload the window.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunSummary } from '../../../client/src/runManager';
import { docplanApi, openInEditor, waitFor, workspaceUri } from './util';
import { RELOAD_COMMAND, RELOAD_PLAN, RELOAD_TITLE } from './reloadPlan';

suite('DocPlan before a window reload', () => {
  test('a stage run ticks its box, writes the evidence line, shows the progress, and the plan is saved', async () => {
    const api = await docplanApi();
    const uri = workspaceUri(RELOAD_PLAN);
    const editor = await openInEditor(uri);
    const document = editor.document;
    const docNode = () => api.stageTree().find((node) => node.type === 'doc' && node.label === RELOAD_TITLE);
    await waitFor('the reload plan in the stage tree', () => (docNode()?.children.length === 2 ? docNode() : undefined), () => JSON.stringify(api.stageTree().map((n) => n.label)));
    assert.match(docNode()!.description, /^0 of 2 stages · /);
    const config = vscode.workspace.getConfiguration('docplan', uri);
    try {
      await config.update('run.tickCheckboxes', true, vscode.ConfigurationTarget.WorkspaceFolder);
      const summary = (await vscode.commands.executeCommand('docplan.runStage', { uri: uri.toString(), stageNumber: '1' })) as RunSummary;
      assert.deepEqual(summary.results.map((r) => [r.command, r.outcome]), [[RELOAD_COMMAND, 'passed']]);
    } finally {
      await config.update('run.tickCheckboxes', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    }
    const lines = document.getText().split('\n');
    const item = lines.indexOf(`- [x] \`${RELOAD_COMMAND}\``);
    assert.ok(item > 0, document.getText());
    assert.match(lines[item + 2], /^validated at .+ on \d{4}-\d{2}-\d{2}: 1 of 1 passed$/);
    await waitFor('the plan progress to read 1 of 2 stages', () => (docNode()?.description.startsWith('1 of 2 stages') ? true : undefined), () => docNode()?.description ?? '(no node)');
    assert.ok(await document.save(), 'the plan is saved with its evidence line');
    const resultsUri = workspaceUri('.docplan/results.json');
    await waitFor('the run in .docplan/results.json', async () => {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(resultsUri));
      return text.includes(RELOAD_PLAN) ? true : undefined;
    });
  });
});
