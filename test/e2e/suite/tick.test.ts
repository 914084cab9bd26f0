// `docplan.run.tickCheckboxes` in a real VS Code: off (the default), a run changes nothing; on, a run in
// which every validation command of a stage passed ticks exactly that stage's Validation boxes, and a
// stage with a failing command keeps its boxes. Uses its own fixture (docs/tick-plan.md), reverted at
// the end together with the setting, so the other suites never see the edits.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunSummary } from '../../../client/src/runManager';
import { docplanApi, openInEditor, waitFor, workspaceUri } from './util';

const TICK_PLAN = 'docs/tick-plan.md';
const TICK_PLAN_TITLE = 'Plan: Tick passing validation';
const STAGE1_COMMANDS = [`node -e "console.log('tick one passes')"`, `node -e "console.log('tick two passes')"`];
const STAGE2_COMMANDS = [`node -e "console.log('tick three passes')"`, `node -e "console.error('tick four fails'); process.exit(4)"`];
const STAGE3_COMMANDS = [`node -e "console.log('tick five passes')"`, `node -e "console.log('tick six passes')"`, `node -e "console.log('tick seven was ticked already')"`];

/** `text` with the checklist items holding these commands ticked (`- [ ] \`cmd\`` -> `- [x] \`cmd\``), nothing else. */
function ticked(text: string, commands: readonly string[]): string {
  let result = text;
  for (const command of commands) {
    const item = `- [ ] \`${command}\``;
    assert.equal(result.split(item).length, 2, `exactly one unticked item for ${command}`);
    result = result.replace(item, `- [x] \`${command}\``);
  }
  return result;
}

/** `text` with the evidence line a passing stage gets written after the line holding `lastCommand`. */
function withEvidence(text: string, lastCommand: string, count: number): string {
  const lines = text.split('\n');
  const at = lines.findIndex((line) => line.includes(lastCommand));
  assert.ok(at >= 0, `a line holds ${lastCommand}`);
  // The e2e workspace is a temporary copy outside any git repository: no commit to name.
  lines.splice(at + 1, 0, '', `validated at an uncommitted tree on ${new Date().toISOString().slice(0, 10)}: ${count} of ${count} passed`);
  return lines.join('\n');
}

async function runStage(uri: vscode.Uri, stageNumber: string): Promise<RunSummary> {
  return (await vscode.commands.executeCommand('docplan.runStage', { uri: uri.toString(), stageNumber })) as RunSummary;
}

suite('DocPlan ticks Validation checkboxes in a real VS Code', () => {
  test('docplan.run.tickCheckboxes ticks the boxes of a stage whose commands all passed, and only those', async () => {
    const api = await docplanApi();
    const uri = workspaceUri(TICK_PLAN);
    const editor = await openInEditor(uri);
    const document = editor.document;
    await waitFor('the tick plan in the stage tree', () => {
      const node = api.stageTree().find((n) => n.type === 'doc' && n.label === TICK_PLAN_TITLE);
      return node && node.children.length === 3 ? node : undefined;
    }, () => JSON.stringify(api.stageTree().map((n) => n.label)));
    const original = document.getText();
    assert.ok(!document.isDirty);
    const onDisk = await vscode.workspace.fs.readFile(uri);
    const config = vscode.workspace.getConfiguration('docplan', uri);
    try {
      // Off (the default): a passing run leaves the doc as it is.
      assert.equal(config.get('run.tickCheckboxes'), false);
      const untouched = await runStage(uri, '1');
      assert.deepEqual(untouched.results.map((r) => [r.command, r.outcome]), STAGE1_COMMANDS.map((c) => [c, 'passed']));
      assert.equal(document.getText(), original, 'with the setting off nothing is ticked');
      assert.ok(!document.isDirty);

      await config.update('run.tickCheckboxes', true, vscode.ConfigurationTarget.WorkspaceFolder);
      assert.equal(vscode.workspace.getConfiguration('docplan', uri).get('run.tickCheckboxes'), true);

      // Every command of stage 1 passes: its two Validation boxes are ticked and the evidence line is written
      // under them; its Changes and Completion Criteria boxes and everything of stage 2 are not.
      const passing = await runStage(uri, '1');
      assert.equal(passing.refused, null);
      assert.deepEqual(passing.results.map((r) => [r.command, r.outcome, r.attached]), STAGE1_COMMANDS.map((c) => [c, 'passed', true]));
      const afterStage1 = withEvidence(ticked(original, STAGE1_COMMANDS), STAGE1_COMMANDS[1], 2);
      // The edit is applied before the run command resolves.
      assert.equal(document.getText(), afterStage1);
      assert.ok(document.isDirty, 'the tick is an unsaved edit the user can undo');

      // Stage 2 has a failing command: none of its boxes are ticked (not even the passing command's).
      const failing = await runStage(uri, '2');
      assert.deepEqual(failing.results.map((r) => [r.command, r.outcome, r.exitCode]), [
        [STAGE2_COMMANDS[0], 'passed', 0],
        [STAGE2_COMMANDS[1], 'failed', 4],
      ]);
      assert.equal(document.getText(), afterStage1, 'a stage with a failing command keeps its boxes');
      for (const command of STAGE2_COMMANDS) assert.ok(document.getText().includes(`- [ ] \`${command}\``), command);

      // Running stage 1 again with its boxes ticked already changes nothing more.
      await runStage(uri, '1');
      assert.equal(document.getText(), afterStage1);

      // Two commands in one item share its box, which is ticked once; a ticked box stays as it is.
      const shared = await runStage(uri, '3');
      assert.deepEqual(shared.results.map((r) => [r.command, r.outcome]), STAGE3_COMMANDS.map((c) => [c, 'passed']));
      const afterStage3 = withEvidence(afterStage1.replace(`- [ ] \`${STAGE3_COMMANDS[0]}\` then`, `- [x] \`${STAGE3_COMMANDS[0]}\` then`), STAGE3_COMMANDS[2], 3);
      assert.notEqual(afterStage3, afterStage1);
      assert.equal(document.getText(), afterStage3);

      // Each tick is one undoable edit.
      await vscode.window.showTextDocument(document, { preview: false });
      await vscode.commands.executeCommand('undo');
      await waitFor('undo to take back the tick of stage 3', () => (document.getText() === afterStage1 ? true : undefined), () => document.getText());
      await vscode.commands.executeCommand('undo');
      await waitFor('undo to restore the original text', () => (document.getText() === original ? true : undefined), () => document.getText());
    } finally {
      await config.update('run.tickCheckboxes', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      // Put the fixture's bytes back before reverting: an editor may have saved the ticked text meanwhile
      // (auto save differs between workbench setups), and revert alone would then load the ticks from disk.
      await vscode.workspace.fs.writeFile(uri, onDisk);
      await vscode.window.showTextDocument(document, { preview: false });
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    assert.equal(vscode.workspace.getConfiguration('docplan', uri).get('run.tickCheckboxes'), false);
    assert.equal(document.getText(), original);
    assert.ok(!document.isDirty, 'the fixture is left as it was on disk');
  });
});
