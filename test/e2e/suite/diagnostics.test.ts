// Smoke test of the whole chain in a real VS Code: the extension activates on Markdown, starts the
// language server, and the server's diagnostics reach VS Code's Problems model.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const DOCPLAN_SOURCE = 'docplan';
const DIAGNOSTICS_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 200;
/** How long an ordinary Markdown file is watched for (unwanted) diagnostics. */
const QUIET_PERIOD_MS = 3_000;

// docs/plan.md has no Goals section and no **Goal**: line, and its Stage 2 has no Validation part.
const PLAN_PATH = 'docs/plan.md';
const EXPECTED_PLAN_RULES = ['missing-goals', 'stage-missing-part'];

suite('DocPlan diagnostics in a real VS Code', () => {
  test('a plan without goals and with an incomplete stage gets the expected docplan diagnostics', async () => {
    const planUri = workspaceUri(PLAN_PATH);
    const plan = await openInEditor(planUri);

    const diagnostics = await waitForDocplanRules(planUri, EXPECTED_PLAN_RULES);
    const rules = new Set(diagnostics.map(ruleId));
    for (const rule of EXPECTED_PLAN_RULES) {
      assert.ok(rules.has(rule), `expected rule ${rule}; got ${formatDiagnostics(diagnostics)}`);
    }

    // Stage 1 is complete, so every stage-missing-part diagnostic must point into Stage 2.
    const stage2 = sectionLines(plan, /^## Stage 2:/);
    for (const diagnostic of diagnostics.filter((d) => ruleId(d) === 'stage-missing-part')) {
      const line = diagnostic.range.start.line;
      assert.ok(
        line >= stage2.start && line < stage2.end,
        `stage-missing-part on line ${line + 1}, expected within Stage 2 (lines ${stage2.start + 1}-${stage2.end})`,
      );
      assert.match(diagnostic.message, /validation/i, 'the message should name the missing part');
    }
  });

  test('an ordinary README gets no docplan diagnostics', async () => {
    // Wait for the plan's diagnostics first: then the server is known to be running and answering.
    const planUri = workspaceUri(PLAN_PATH);
    await openInEditor(planUri);
    await waitForDocplanRules(planUri, EXPECTED_PLAN_RULES);

    const readmeUri = workspaceUri('README.md');
    const readme = await openInEditor(readmeUri);
    assert.match(readme.getText(), /TODO/, 'the fixture README should tempt the placeholder rule');

    // Nothing signals "the server has looked at this file and found nothing", so watch it for a while.
    const deadline = Date.now() + QUIET_PERIOD_MS;
    while (Date.now() < deadline) {
      const found = docplanDiagnostics(readmeUri);
      assert.equal(found.length, 0, `README.md got docplan diagnostics: ${formatDiagnostics(found)}`);
      await sleep(POLL_INTERVAL_MS);
    }
  });

  test('after DocPlan: Restart Language Server, a new server checks documents again', async () => {
    // The restarted server is a new worker thread whose handshake the client answers itself
    // (client/src/workerTransport.ts): a document opened afterwards must still get its diagnostics.
    await vscode.commands.executeCommand('docplan.restartServer');
    const untitled = await vscode.workspace.openTextDocument({
      language: 'markdown',
      content: '# Plan: Restarted\n\n## Stage 1: Start\n\n### Changes\n\n- [ ] Edit the widget\n\n### Validation\n\n- [ ] `npm test`\n',
    });
    await vscode.window.showTextDocument(untitled, { preview: false });
    const diagnostics = await waitForDocplanRules(untitled.uri, ['missing-goals']);
    assert.ok(diagnostics.some((diagnostic) => ruleId(diagnostic) === 'missing-goals'), formatDiagnostics(diagnostics));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});

function workspaceUri(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the e2e run must open the fixture workspace folder');
  return vscode.Uri.joinPath(folder.uri, relativePath);
}

async function openInEditor(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: false });
  assert.equal(document.languageId, 'markdown', `${uri.path} should open as Markdown`);
  return document;
}

function docplanDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === DOCPLAN_SOURCE);
}

/** Polls until docplan diagnostics with all `rules` are present; fails with what was seen. */
async function waitForDocplanRules(uri: vscode.Uri, rules: string[]): Promise<vscode.Diagnostic[]> {
  const deadline = Date.now() + DIAGNOSTICS_TIMEOUT_MS;
  for (;;) {
    const found = docplanDiagnostics(uri);
    const foundRules = new Set(found.map(ruleId));
    if (rules.every((rule) => foundRules.has(rule))) return found;
    if (Date.now() >= deadline) {
      const all = vscode.languages.getDiagnostics(uri);
      assert.fail(
        `waited ${DIAGNOSTICS_TIMEOUT_MS} ms for docplan rules ${rules.join(', ')} on ${uri.path}; ` +
          `diagnostics present (any source): ${formatDiagnostics(all)}`,
      );
    }
    await sleep(POLL_INTERVAL_MS);
  }
}

function ruleId(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** Zero-based [start, end) lines of the `##` section whose heading matches `heading`. */
function sectionLines(document: vscode.TextDocument, heading: RegExp): { start: number; end: number } {
  const lines = document.getText().split(/\r?\n/);
  const start = lines.findIndex((line) => heading.test(line));
  assert.ok(start >= 0, `no heading matching ${heading} in ${document.uri.path}`);
  const next = lines.findIndex((line, index) => index > start && /^## /.test(line));
  return { start, end: next === -1 ? lines.length : next };
}

function formatDiagnostics(diagnostics: readonly vscode.Diagnostic[]): string {
  if (diagnostics.length === 0) return 'none';
  return diagnostics
    .map((d) => `[${d.source ?? '?'}:${ruleId(d) ?? '?'}] line ${d.range.start.line + 1}: ${d.message}`)
    .join('; ');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
