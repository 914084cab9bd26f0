// After the window reload that the suite's index asks the driver for (see index.ts): a new extension host,
// a new language client, nothing in memory. The stage run by reload.test.ts must still be there: its ticked
// box and evidence line in the plan, the plan's progress in the stage tree, the command's result in the tree
// and the client's results (read back from .docplan/results.json), and its Test Explorer items.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { docplanApi, openInEditor, waitFor, workspaceUri } from './util';
import { RELOAD_COMMAND, RELOAD_PLAN, RELOAD_TITLE } from './reloadPlan';

interface ResultsJson {
  results: { doc: string; stage: string; command: string; outcome: string }[];
}

suite('DocPlan after a window reload', () => {
  test('the stage run before the reload is still there: evidence in the plan, progress, results', async () => {
    const api = await docplanApi();
    const uri = workspaceUri(RELOAD_PLAN);
    const { document } = await openInEditor(uri);
    const lines = document.getText().split('\n');
    const item = lines.indexOf(`- [x] \`${RELOAD_COMMAND}\``);
    assert.ok(item > 0, document.getText());
    assert.match(lines[item + 2], /^validated at .+ on \d{4}-\d{2}-\d{2}: 1 of 1 passed$/);

    const docNode = await waitFor(
      'the reload plan in the stage tree',
      () => api.stageTree().find((node) => node.type === 'doc' && node.label === RELOAD_TITLE && node.children.length === 2),
      () => JSON.stringify(api.stageTree().map((n) => [n.label, n.description])),
    );
    assert.match(docNode.description, /^1 of 2 stages · /);

    // The client's results come back from the file: the command's last outcome, and the stage's status.
    const stored = await waitFor('the result of the run before the reload', () => Object.values(api.results(uri)).find((r) => r.command === RELOAD_COMMAND), () => JSON.stringify(api.results(uri)));
    assert.equal(stored.outcome, 'passed');
    // Stage 1's boxes are all ticked now: done, with its command's passing result beside it.
    const stage = await waitFor('stage 1 to show done with its result', () => {
      const node = api.stageTree().find((n) => n.label === RELOAD_TITLE)?.children[0];
      return node?.status === 'done' && node.children.some((child) => child.type === 'command' && child.description.includes('✔')) ? node : undefined;
    }, () => JSON.stringify(api.stageTree().find((n) => n.label === RELOAD_TITLE)));
    const command = stage.children.find((child) => child.type === 'command' && child.label === RELOAD_COMMAND);
    assert.ok(command, JSON.stringify(stage));
    assert.match(command.description, /✔/);

    const recorded = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceUri('.docplan/results.json')))) as ResultsJson;
    assert.deepEqual(
      recorded.results.filter((r) => r.doc === RELOAD_PLAN).map((r) => [r.stage, r.command, r.outcome]),
      [['1', RELOAD_COMMAND, 'passed']],
    );
    // The Test Explorer is rebuilt for the plan in the new window.
    const labels = (items: { label: string; children: unknown[] }[]): string[] => items.flatMap((item) => [item.label, ...labels(item.children as { label: string; children: unknown[] }[])]);
    await waitFor('the reload plan and its command in the Test Explorer', () => {
      const plan = api.testItems().find((item) => item.label === RELOAD_TITLE);
      return plan && labels([plan]).includes(RELOAD_COMMAND) ? true : undefined;
    }, () => JSON.stringify(labels(api.testItems())).slice(0, 800));
  });
});
