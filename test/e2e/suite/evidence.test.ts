// Evidence of validation runs in a real VS Code: running a stage (with docplan.run.tickCheckboxes on) ticks
// it, writes "validated at ... N of N passed" under its Validation part and shows the plan's progress in the
// stage tree; the run is recorded in .docplan/results.json, and results written there by `docplan run` (the
// same file the extension reads at start-up, so after a window reload) show up in the editor. Uses its own
// fixture (docs/evidence-plan.md), restored at the end.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunSummary } from '../../../client/src/runManager';
import { docplanApi, openInEditor, waitFor, workspaceUri } from './util';

const PLAN = 'docs/evidence-plan.md';
const TITLE = 'Plan: Keep the evidence of a run';
const STAGE1_COMMAND = `node -e "console.log('evidence passes')"`;
const STAGE2_COMMAND = `node -e "console.log('evidence from the CLI')"`;

interface ResultsJson {
  version: 1;
  results: { doc: string; stage: string; command: string; occurrence: number; outcome: string; exitCode: number | null; expected: string | null; commit: string | null; finishedAt: string; durationMs: number }[];
}

suite('DocPlan keeps the evidence of validation runs in a real VS Code', () => {
  test('a stage run ticks it with an evidence line, shows progress, and is recorded in .docplan/results.json shared with the CLI', async () => {
    const api = await docplanApi();
    const uri = workspaceUri(PLAN);
    const resultsUri = workspaceUri('.docplan/results.json');
    const editor = await openInEditor(uri);
    const document = editor.document;
    const docNode = () => api.stageTree().find((node) => node.type === 'doc' && node.label === TITLE);
    await waitFor('the evidence plan in the stage tree', () => (docNode()?.children.length === 2 ? docNode() : undefined), () => JSON.stringify(api.stageTree().map((n) => n.label)));
    assert.match(docNode()!.description, /^0 of 2 stages · /);
    const onDisk = await vscode.workspace.fs.readFile(uri);
    const config = vscode.workspace.getConfiguration('docplan', uri);
    try {
      await config.update('run.tickCheckboxes', true, vscode.ConfigurationTarget.WorkspaceFolder);
      const summary = (await vscode.commands.executeCommand('docplan.runStage', { uri: uri.toString(), stageNumber: '1' })) as RunSummary;
      assert.deepEqual(summary.results.map((r) => [r.command, r.outcome]), [[STAGE1_COMMAND, 'passed']]);

      // The box is ticked and the evidence line written under the Validation part, in the editor.
      const lines = document.getText().split('\n');
      const item = lines.indexOf(`- [x] \`${STAGE1_COMMAND}\``);
      assert.ok(item > 0, document.getText());
      assert.deepEqual(lines.slice(item + 1, item + 3), ['', `validated at an uncommitted tree on ${new Date().toISOString().slice(0, 10)}: 1 of 1 passed`]);

      // The stage is done now: the tree says so for the plan.
      await waitFor('the plan progress to read 1 of 2 stages', () => (docNode()?.description.startsWith('1 of 2 stages') ? true : undefined), () => docNode()?.description ?? '(no node)');

      // The run is in the results file, in its documented shape.
      const recorded = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(resultsUri))) as ResultsJson;
      const entry = recorded.results.find((r) => r.doc === PLAN && r.command === STAGE1_COMMAND);
      assert.ok(entry, JSON.stringify(recorded));
      assert.deepEqual([entry.stage, entry.occurrence, entry.outcome, entry.exitCode, entry.commit], ['1', 0, 'passed', 0, null]);

      // `docplan run` records stage 2 in the same file (another process): the editor shows that result too.
      recorded.results.push({ doc: PLAN, stage: '2', command: STAGE2_COMMAND, occurrence: 0, outcome: 'failed', exitCode: 7, expected: null, commit: null, finishedAt: new Date().toISOString(), durationMs: 5 });
      await vscode.workspace.fs.writeFile(resultsUri, new TextEncoder().encode(JSON.stringify(recorded, null, 2) + '\n'));
      const fromCli = await waitFor('the CLI result in the editor', () => Object.values(api.results(uri)).find((r) => r.command === STAGE2_COMMAND), () => JSON.stringify(api.results(uri)));
      assert.deepEqual([fromCli.outcome, fromCli.exitCode], ['failed', 7]);
    } finally {
      await config.update('run.tickCheckboxes', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      await vscode.workspace.fs.writeFile(uri, onDisk);
      await vscode.window.showTextDocument(document, { preview: false });
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    assert.ok(!document.isDirty, 'the fixture is left as it was on disk');
  });
});
