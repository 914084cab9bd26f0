// The validation features in a real VS Code: the stage tree (statuses, live updates), running a stage
// with one passing and one failing command (results in the tree, the store, diagnostics, log files),
// results that follow their command across edits, the Test Explorer items, and snippets.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { RunSummary } from '../../../client/src/runManager';
import type { TreeSnapshot } from '../../../client/src/tree';
import { docplanApi, lineOf, openInEditor, ruleId, waitFor, workspaceUri } from './util';

const RUN_PLAN = 'docs/run-plan.md';
const RUN_PLAN_TITLE = 'Plan: Exercise the validation runner';
const PASSING = `node -e "console.log('stage two passes')"`;
const FAILING = `node -e "console.error('stage two fails'); process.exit(3)"`;

function docNode(tree: TreeSnapshot[], title: string): TreeSnapshot | undefined {
  return tree.find((node) => node.type === 'doc' && node.label === title);
}

function describeTree(tree: TreeSnapshot[]): string {
  const lines: string[] = [];
  const visit = (nodes: TreeSnapshot[], indent: string) => {
    for (const node of nodes) {
      lines.push(`${indent}${node.type} "${node.label}" [${node.icon}] ${node.description}${node.status ? ` status=${node.status}` : ''}`);
      visit(node.children, `${indent}  `);
    }
  };
  visit(tree, '');
  return lines.join('\n') || '(empty tree)';
}

function runDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'docplan run');
}

suite('DocPlan stage tree and validation runs in a real VS Code', () => {
  test('the tree lists the plan docs with their stages and the right status icons', async () => {
    const api = await docplanApi();
    const doc = await waitFor('the run plan in the stage tree', () => {
      const node = docNode(api.stageTree(), RUN_PLAN_TITLE);
      return node && node.children.length === 3 ? node : undefined;
    }, () => describeTree(api.stageTree()));
    assert.deepEqual(
      doc.children.map((stage) => [stage.label, stage.status, stage.icon]),
      [
        ['Stage 1: Write the greeter', 'done', 'pass-filled'],
        ['Stage 2: Mixed results', 'in-progress', 'circle-filled'],
        ['Stage 3: Leave a marker', 'not-started', 'circle-large-outline'],
      ],
    );
    const stage2 = doc.children[1];
    assert.deepEqual(
      stage2.children.map((child) => [child.type, child.label]),
      [
        ['change', 'Add a check that passes'],
        ['change', 'Add a check that fails'],
        ['command', PASSING],
        ['command', FAILING],
      ],
    );
    assert.equal(stage2.children[2].contextValue, 'docplan.command', 'commands carry the context value the inline ▶ needs');
    // The other plan of the workspace is listed too; the README is not a plan.
    const tree = api.stageTree();
    assert.ok(docNode(tree, 'Plan: Friendlier greetings in the greeter module'), describeTree(tree));
    assert.ok(!tree.some((node) => node.label === 'Greeter'), 'README.md must not be in the tree');
  });

  test('running a stage with one passing and one failing command records both', async () => {
    const api = await docplanApi();
    const uri = workspaceUri(RUN_PLAN);
    const editor = await openInEditor(uri);
    await waitFor('the run plan in the stage tree', () => docNode(api.stageTree(), RUN_PLAN_TITLE));

    const summary = (await vscode.commands.executeCommand('docplan.runStage', { uri: uri.toString(), stageNumber: '2' })) as RunSummary;
    assert.equal(summary.refused, null);
    assert.deepEqual(
      summary.results.map((r) => [r.command, r.outcome, r.exitCode, r.attached]),
      [
        [PASSING, 'passed', 0, true],
        [FAILING, 'failed', 3, true],
      ],
    );
    for (const result of summary.results) {
      assert.ok(result.durationMs >= 0);
      assert.ok(result.outputFile && fs.existsSync(result.outputFile), `log file ${result.outputFile}`);
    }
    assert.match(fs.readFileSync(summary.results[1].outputFile!, 'utf8'), /stage two fails/);

    // Kept in the store (workspace state) by command identity.
    const stored = Object.values(api.results(uri));
    assert.deepEqual(stored.map((r) => [r.command, r.outcome, r.exitCode]).sort(), [
      [FAILING, 'failed', 3],
      [PASSING, 'passed', 0],
    ]);

    // Shown in the tree.
    const stage2 = await waitFor('stage 2 to show its failed validation', () => {
      const node = docNode(api.stageTree(), RUN_PLAN_TITLE)?.children[1];
      return node?.status === 'validation-failed' ? node : undefined;
    }, () => describeTree(api.stageTree()));
    assert.equal(stage2.icon, 'error');
    const commands = stage2.children.filter((child) => child.type === 'command');
    assert.match(commands[0].description, /^✔ /);
    assert.match(commands[1].description, /^✘ exit 3 · /);
    assert.equal(commands[1].contextValue, 'docplan.command.withLog');

    // And as an error diagnostic on the failing command's line, next to the server's diagnostics.
    const failingLine = lineOf(editor.document, 'stage two fails');
    const diagnostic = await waitFor('a run diagnostic', () => runDiagnostics(uri)[0]);
    assert.equal(runDiagnostics(uri).length, 1);
    assert.equal(diagnostic.range.start.line, failingLine);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(ruleId(diagnostic), 'validation-failed');
    assert.match(diagnostic.message, /failed: exit code 3/);

    // Hover on the command shows the last result.
    const hovers = (await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, diagnostic.range.start.translate(0, 3))) as vscode.Hover[];
    const hoverText = hovers.flatMap((hover) => hover.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(hoverText, /failed: exit code 3/);

    // CodeLens above each Validation block.
    const lenses = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri)) as vscode.CodeLens[];
    const runLenses = lenses.filter((lens) => lens.command?.command === 'docplan.runStage');
    assert.equal(runLenses.length, 3, 'one ▶ Run validation per Validation block');
    assert.equal(runLenses[0].command?.title, '▶ Run validation');
    assert.deepEqual(runLenses.map((lens) => lens.range.start.line), validationLines(editor.document));
  });

  test('results follow their command when lines move, and are dropped when its text changes', async () => {
    const api = await docplanApi();
    const uri = workspaceUri(RUN_PLAN);
    const editor = await openInEditor(uri);
    await waitFor('the failed result from the previous test', () => runDiagnostics(uri)[0]);

    // Insert lines above Stage 2: the diagnostic moves with the command.
    const inserted = await editor.edit((edit) => edit.insert(new vscode.Position(lineOf(editor.document, '## Stage 2'), 0), 'Some new context.\n\nMore context.\n\n'));
    assert.ok(inserted);
    const failingLine = lineOf(editor.document, 'stage two fails');
    await waitFor('the run diagnostic to follow its command', () => (runDiagnostics(uri)[0]?.range.start.line === failingLine ? true : undefined), () => `diagnostics at ${runDiagnostics(uri).map((d) => d.range.start.line)} , command at ${failingLine}`);

    // The tree follows live edits: a new stage appears.
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    await editor.edit((edit) => edit.insert(end, '\n## Stage 4: Added while editing\n\n### Objective\n\nShow up in the tree.\n\n### Changes\n\n- [ ] Appear\n\n### Validation\n\n- [ ] `node -e "0"`\n'));
    await waitFor('stage 4 in the tree', () => (docNode(api.stageTree(), RUN_PLAN_TITLE)?.children.some((s) => s.label === 'Stage 4: Added while editing') ? true : undefined), () => describeTree(api.stageTree()));

    // Change the failing command's text: its old result no longer applies to anything.
    const line = lineOf(editor.document, 'stage two fails');
    const lineText = editor.document.lineAt(line).text;
    await editor.edit((edit) => edit.replace(editor.document.lineAt(line).range, lineText.replace('process.exit(3)', 'process.exit(0)')));
    await waitFor('the run diagnostic to go away', () => (runDiagnostics(uri).length === 0 ? true : undefined));
    const stage2 = docNode(api.stageTree(), RUN_PLAN_TITLE)?.children[1];
    assert.notEqual(stage2?.status, 'validation-failed');

    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('the Test Explorer lists docs, stages and commands', async () => {
    const api = await docplanApi();
    const uri = workspaceUri(RUN_PLAN);
    type Item = { id: string; label: string; children: { label: string }[] };
    // The previous test reverted its edits; wait until the items show the doc as saved.
    const doc = await waitFor(
      'the run plan in the Test Explorer',
      () => api.testItems().find((item) => item.id === uri.toString() && (item.children as Item[])[1]?.children[1]?.label === FAILING),
      () => JSON.stringify(api.testItems()),
    );
    assert.equal(doc.label, RUN_PLAN_TITLE);
    const stages = doc.children as Item[];
    assert.deepEqual(stages.map((s) => s.label).slice(0, 3), ['Stage 1: Write the greeter', 'Stage 2: Mixed results', 'Stage 3: Leave a marker']);
    assert.deepEqual(stages[1].children.map((c) => c.label), [PASSING, FAILING]);
  });

  test('the Test Explorer run profile runs a stage', async () => {
    const api = await docplanApi();
    const uri = workspaceUri(RUN_PLAN);
    const marker = workspaceUri('ran-stage-3.txt');
    assert.ok(!fs.existsSync(marker.fsPath), 'stage 3 has not run yet');
    const doc = await waitFor('the run plan in the Test Explorer', () => api.testItems().find((item) => item.id === uri.toString()));
    const stage3 = (doc.children as { id: string; label: string }[]).find((s) => s.label === 'Stage 3: Leave a marker');
    assert.ok(stage3);
    // The Testing view's own command for the tests of the active editor's file (the run plan only).
    await openInEditor(uri);
    await vscode.commands.executeCommand('testing.runCurrentFile');
    await waitFor('the marker written by stage 3', () => (fs.existsSync(marker.fsPath) ? true : undefined), () => JSON.stringify(api.results(uri)));
    await waitFor('stage 3 results in the store', () => Object.values(api.results(uri)).find((r) => r.command.includes('ran-stage-3') && r.outcome === 'passed'));
  });

  test('a hanging, flooding or input-reading command ends with a clear result', async () => {
    const api = await docplanApi();
    const uri = workspaceUri('docs/bad-input-plan.md');
    await waitFor('the bad-input plan in the stage tree', () => docNode(api.stageTree(), 'Plan: Commands that misbehave'), () => describeTree(api.stageTree()));
    const config = vscode.workspace.getConfiguration('docplan', uri);
    await config.update('run.timeoutSeconds', 2, vscode.ConfigurationTarget.Workspace);
    await config.update('run.outputLimitKb', 64, vscode.ConfigurationTarget.Workspace);
    try {
      const started = Date.now();
      const summary = (await vscode.commands.executeCommand('docplan.runStage', { uri: uri.toString(), stageNumber: '1' })) as RunSummary;
      assert.ok(Date.now() - started < 20_000, `the run took ${Date.now() - started} ms`);
      assert.deepEqual(
        summary.results.map((r) => r.outcome),
        ['timed-out', 'passed', 'failed'],
      );
      // The whole output is in the log even though the view was capped at 64 KiB.
      assert.equal(fs.statSync(summary.results[1].outputFile!).size, 3_000_000);
      const stage = await waitFor('the stage to show its failed validation', () => {
        const node = docNode(api.stageTree(), 'Plan: Commands that misbehave')?.children[0];
        return node?.status === 'validation-failed' ? node : undefined;
      }, () => describeTree(api.stageTree()));
      assert.match(stage.children.find((c) => c.label.startsWith('sleep'))!.description, /timed out/);
      assert.equal(runDiagnostics(uri).length, 2, 'the hanging and the input-reading command are marked');
    } finally {
      await config.update('run.timeoutSeconds', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('run.outputLimitKb', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('the plan snippet expands to the plan skeleton', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: '' });
    const editor = await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'markdown', name: 'DocPlan: plan' });
    const text = await waitFor('the snippet to expand', () => (document.getText().length > 0 ? document.getText() : undefined));
    for (const part of ['# Plan: ', '## Background', '**Goal**:', '## Stage 1: ', '### Objective', '### Changes', '### Validation', '### Completion Criteria', '## Stage Dependencies']) {
      assert.ok(text.includes(part), `the plan skeleton should contain "${part}":\n${text}`);
    }
    assert.ok(editor.selection.isEmpty === false || editor.selection.active.line === 0, 'the first tabstop is selected');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});

/** Zero-based lines of the `### Validation` headings. */
function validationLines(document: vscode.TextDocument): number[] {
  return document
    .getText()
    .split(/\r?\n/)
    .map((line, i) => (line.startsWith('### Validation') ? i : -1))
    .filter((i) => i >= 0);
}
