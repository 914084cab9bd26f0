// The families with work items in a real VS Code, as a seed plan is read: an agent task plan (CodeLens on the
// task, Test Explorer), a spec-driven task list (phases of T-items in the tree, CodeLens on its Independent
// Test, Test Explorer, a run of the phase), a requirements/tasks triple's numbered tasks and an editor plan's
// YAML todos (stages with their progress in the tree).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunSummary } from '../../../client/src/runManager';
import type { TreeSnapshot } from '../../../client/src/tree';
import { docplanApi, openInEditor, waitFor, workspaceUri } from './util';

const AGENT_PLAN = 'docs/plans/2026-03-02-greeter-shout.md';
const SPEC_TASKS = 'specs/001-loud-greeting/tasks.md';
const SPEC_COMMAND = 'node --test test/greeting.test.js';
const KIRO_TASKS = '.kiro/specs/loud-greeting/tasks.md';
const EDITOR_PLAN = '.cursor/plans/loud-greeting.plan.md';

async function lensTitles(uri: vscode.Uri): Promise<{ line: number; title: string }[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return lenses.filter((lens) => lens.command?.command === 'docplan.runStage').map((lens) => ({ line: lens.range.start.line, title: lens.command!.title }));
}

function docNode(label: string, stages: number): TreeSnapshot | undefined {
  return docplanTree().find((node) => node.type === 'doc' && node.label === label && node.children.length === stages);
}

let docplanTree: () => TreeSnapshot[] = () => [];

suite('DocPlan on every family with work items in a real VS Code', () => {
  suiteSetup(async () => {
    const api = await docplanApi();
    docplanTree = () => api.stageTree();
  });

  test('an agent task plan: a Run validation lens on its task heading, and its commands in the Test Explorer', async () => {
    const api = await docplanApi();
    const uri = workspaceUri(AGENT_PLAN);
    const { document } = await openInEditor(uri);
    await waitFor('the agent task plan in the tree', () => docNode('Greeter Shout Implementation Plan', 1));
    const heading = document.getText().split('\n').indexOf('### Task 1: Add shout');
    const lenses = await waitFor('the run lens of Task 1', async () => {
      const found = await lensTitles(uri);
      return found.length > 0 ? found : undefined;
    });
    assert.deepEqual(lenses.map((lens) => lens.line), [heading]);
    const tests = JSON.stringify(api.testItems());
    assert.ok(tests.includes('Task 1: Add shout') && tests.includes(`process.exit(require('./src/greeting.js').shout ? 0 : 1)`), tests.slice(0, 800));
  });

  test('a spec-driven task list: phases of T-items in the tree, a lens on the Independent Test, the Test Explorer, a run', async () => {
    const api = await docplanApi();
    const uri = workspaceUri(SPEC_TASKS);
    const { document } = await openInEditor(uri);
    const doc = await waitFor('the spec task list in the tree', () => docNode('Tasks: Loud greeting', 2), () => JSON.stringify(docplanTree().map((n) => [n.label, n.children.length])));
    assert.match(doc.description, /^1 of 2 stages · /);
    assert.deepEqual(doc.children.map((stage) => [stage.label, stage.status]), [
      ['Phase 1: Setup', 'done'],
      ['Phase 2: User Story 1 - Greet a person (Priority: P1)', 'not-started'],
    ]);
    assert.deepEqual(doc.children[1].children.map((child) => [child.type, child.label]), [
      ['change', 'T003 [US1] Add greet() to src/greeting.js'],
      ['change', 'T004 [US1] Add a shout option to the greeter'],
      ['command', SPEC_COMMAND],
    ]);
    const independentTest = document.getText().split('\n').findIndex((line) => line.startsWith('**Independent Test**'));
    const lenses = await waitFor('the run lens of Phase 2', async () => {
      const found = await lensTitles(uri);
      return found.length > 0 ? found : undefined;
    });
    assert.deepEqual(lenses.map((lens) => lens.line), [independentTest]);
    const specItem = api.testItems().find((item) => item.label === 'Tasks: Loud greeting');
    assert.ok(specItem && JSON.stringify(specItem).includes(SPEC_COMMAND), JSON.stringify(api.testItems()).slice(0, 800));

    const summary = (await vscode.commands.executeCommand('docplan.runStage', { uri: uri.toString(), stageNumber: '2' })) as RunSummary;
    assert.equal(summary.refused, null);
    assert.deepEqual(summary.results.map((r) => [r.command, r.outcome]), [[SPEC_COMMAND, 'passed']]);
    await waitFor('Phase 2 to show its validation passed', () => {
      const node = docNode('Tasks: Loud greeting', 2)?.children[1];
      return node?.status === 'validation-passed' ? node : undefined;
    }, () => JSON.stringify(docNode('Tasks: Loud greeting', 2)));
  });

  test('a requirements/tasks triple and an editor plan file: numbered tasks and YAML todos are stages with progress', async () => {
    await openInEditor(workspaceUri(KIRO_TASKS));
    const kiro = await waitFor('the numbered tasks in the tree', () => docNode('Implementation Plan', 2), () => JSON.stringify(docplanTree().map((n) => [n.label, n.children.length])));
    assert.match(kiro.description, /^1 of 2 stages · /);
    assert.deepEqual(kiro.children.map((stage) => [stage.label, stage.status]), [
      ['Task 1: Set up the greeter', 'done'],
      ['Task 2: Greet loudly', 'not-started'],
    ]);
    assert.deepEqual(kiro.children[1].children.map((child) => child.label), ['2. Greet loudly', '2.1 Add a shout option to the greeter']);

    await openInEditor(workspaceUri(EDITOR_PLAN));
    const todos = await waitFor('the todos in the tree', () => docNode('Loud greeting', 2), () => JSON.stringify(docplanTree().map((n) => [n.label, n.children.length])));
    assert.match(todos.description, /^1 of 2 stages · /);
    assert.deepEqual(todos.children.map((stage) => [stage.label, stage.status]), [
      ['Todo 1: Write greet() in src/greeting.js', 'done'],
      ['Todo 2: Add a shout option to the greeter', 'not-started'],
    ]);
  });
});
