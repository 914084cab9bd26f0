// Screenshots for the README (docs/images/*.png), taken by the driver's Playwright page when this suite
// asks for them: `npm run screenshots`. Runs only when the driver is started with --screenshots.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { docplanApi, openInEditor, sleep, waitFor, workspaceUri } from './util';

/** Asks the driver for a screenshot of the whole workbench and waits until it is taken. */
async function screenshot(name: string): Promise<void> {
  const results = process.env.DOCPLAN_E2E_RESULTS_FILE;
  if (!results) return;
  await sleep(800); // let the workbench paint
  fs.writeFileSync(`${results}.shot-${name}.request`, '');
  await waitFor(`screenshot ${name}`, () => (fs.existsSync(`${results}.shot-${name}.done`) ? true : undefined), () => '', 20_000);
}

suite('DocPlan screenshots', () => {
  test('tree view, failed validation, Test Explorer', async () => {
    const api = await docplanApi();
    const uri = workspaceUri('docs/run-plan.md');
    const editor = await openInEditor(uri);
    await waitFor('the run plan in the tree', () => api.stageTree().find((node) => node.label === 'Plan: Exercise the validation runner'));
    await vscode.commands.executeCommand('docplan.runStage', { uri: uri.toString(), stageNumber: '1' });
    await vscode.commands.executeCommand('docplan.runStage', { uri: uri.toString(), stageNumber: '2' });
    await vscode.commands.executeCommand('notifications.clearAll');

    // 1. The stage tree with results, next to the plan and its CodeLens.
    await vscode.commands.executeCommand('workbench.view.extension.docplan');
    await api.revealStage(uri, '2');
    await api.revealStage(uri, '1');
    const stage2 = editor.document.getText().split('\n').findIndex((line) => line.startsWith('## Stage 2'));
    editor.revealRange(new vscode.Range(stage2, 0, stage2 + 20, 0), vscode.TextEditorRevealType.AtTop);
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await screenshot('stage-tree');

    // 2. A failed validation: the diagnostic on the command's line, the hover, the output.
    const failing = editor.document.getText().split('\n').findIndex((line) => line.includes('stage two fails'));
    await vscode.window.showTextDocument(editor.document, { selection: new vscode.Range(failing, 8, failing, 8) });
    await vscode.commands.executeCommand('docplan.showRunOutput');
    await vscode.window.showTextDocument(editor.document, { selection: new vscode.Range(failing, 8, failing, 8) });
    await vscode.commands.executeCommand('editor.action.showHover');
    await sleep(1_000);
    await screenshot('failed-validation');

    // 3. The Test Explorer with the same results.
    await vscode.commands.executeCommand('editor.action.hideHover').then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.view.testing.focus');
    const doc = api.testItems().find((item) => item.id === uri.toString()) as { children: { id: string; children: { id: string }[] }[] } | undefined;
    const failingItem = doc?.children[1]?.children[1];
    if (failingItem) await api.revealTestItem(failingItem.id);
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await screenshot('test-explorer');
  });
});
