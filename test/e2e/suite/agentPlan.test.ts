// An agent task plan in a real VS Code: its `### Task N:` is a stage in the tree with its `Run:` commands,
// and running the task counts the step that expects FAIL as passed when its command fails.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunSummary } from '../../../client/src/runManager';
import type { TreeSnapshot } from '../../../client/src/tree';
import { docplanApi, openInEditor, waitFor, workspaceUri } from './util';

const PLAN = 'docs/plans/2026-03-02-greeter-shout.md';
const TITLE = 'Greeter Shout Implementation Plan';
const EXPECTS_FAIL = `node -e "process.exit(require('./src/greeting.js').shout ? 0 : 1)"`;
const EXPECTS_PASS = 'node --test test/greeting.test.js';

suite('DocPlan on an agent task plan in a real VS Code', () => {
  test('the task and its Run: commands are in the stage tree, and an expected failure passes', async () => {
    const api = await docplanApi();
    const uri = workspaceUri(PLAN);
    await openInEditor(uri);
    const doc = await waitFor(
      'the agent task plan in the stage tree',
      () => api.stageTree().find((node: TreeSnapshot) => node.type === 'doc' && node.label === TITLE && node.children.length === 1),
      () => JSON.stringify(api.stageTree().map((node) => node.label)),
    );
    const task = doc.children[0];
    assert.equal(task.label, 'Task 1: Add shout');
    assert.deepEqual(
      task.children.filter((child) => child.type === 'command').map((child) => child.label),
      [EXPECTS_FAIL, EXPECTS_PASS],
    );

    const summary = (await vscode.commands.executeCommand('docplan.runStage', { uri: uri.toString(), stageNumber: '1' })) as RunSummary;
    assert.equal(summary.refused, null);
    assert.deepEqual(
      summary.results.map((result) => [result.command, result.outcome, result.exitCode]),
      [
        [EXPECTS_FAIL, 'passed', 1],
        [EXPECTS_PASS, 'passed', 0],
      ],
    );
    await waitFor('the task to show its validation passed', () => {
      const node = api.stageTree().find((candidate) => candidate.label === TITLE)?.children[0];
      return node?.status === 'validation-passed' ? node : undefined;
    }, () => JSON.stringify(api.stageTree().find((candidate) => candidate.label === TITLE)));
  });
});
