/**
 * Validation in the editor: a `▶ Run validation` CodeLens above each Validation block (with the last
 * outcome beside it), a hover on each command with its last result, and an error diagnostic on the
 * line of each command whose last run failed. All three are computed from the server's latest stages
 * and the stored results, so they follow the command when lines move.
 */
import * as vscode from 'vscode';
import type { StageNode } from '../../server/src/protocol';
import { describeResult } from '../../server/src/run/runner';
import { allStages, stageOwnTargets } from '../../server/src/run/targets';
import { isFailure, type ResultStore } from './results';
import type { StageStore } from './stageStore';
import { resultMarkdown, type CommandArgs } from './tree';

const MARKDOWN: vscode.DocumentSelector = [{ language: 'markdown', scheme: 'file' }, { language: 'markdown', scheme: 'untitled' }];
export const RUN_DIAGNOSTIC_SOURCE = 'docplan run';
export const RUN_DIAGNOSTIC_CODE = 'validation-failed';

function range(r: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export function registerEditorFeatures(stages: StageStore, results: ResultStore): vscode.Disposable {
  const lensesChanged = new vscode.EventEmitter<void>();
  const diagnostics = vscode.languages.createDiagnosticCollection('docplan-run');

  const updateDiagnostics = (uri: vscode.Uri | undefined) => {
    const docs = uri ? [stages.get(uri)].filter((doc) => doc !== undefined) : stages.all();
    if (uri && docs.length === 0) diagnostics.delete(uri);
    if (!uri) diagnostics.clear();
    for (const doc of docs) {
      const found: vscode.Diagnostic[] = [];
      for (const stage of allStages(doc.result.stages)) {
        const targets = stageOwnTargets(stage);
        stage.commands.forEach((command, index) => {
          const result = results.get(doc.uri, targets[index].key);
          if (!isFailure(result)) return;
          const diagnostic = new vscode.Diagnostic(
            range(command.range),
            `Validation command ${describeResult(result!)}.${result!.outputFile ? ` Output: ${result!.outputFile}` : ''}`,
            vscode.DiagnosticSeverity.Error,
          );
          diagnostic.source = RUN_DIAGNOSTIC_SOURCE;
          diagnostic.code = RUN_DIAGNOSTIC_CODE;
          found.push(diagnostic);
        });
      }
      diagnostics.set(doc.uri, found);
    }
  };

  const codeLenses: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: lensesChanged.event,
    provideCodeLenses(document) {
      const doc = stages.get(document.uri);
      if (!doc) return [];
      const lenses: vscode.CodeLens[] = [];
      for (const stage of allStages(doc.result.stages)) {
        if (stage.commands.length === 0) continue;
        // A stage without a Validation part (an agent task's `Run:` step lines) gets its lens on its heading.
        const line = (stage.validationRange ?? stage.headingRange).start.line;
        const at = new vscode.Range(line, 0, line, 0);
        const args: CommandArgs = { uri: document.uri.toString(), stageNumber: stage.number };
        if (!vscode.workspace.isTrusted) {
          lenses.push(new vscode.CodeLens(at, { title: '$(shield) Run validation (disabled in Restricted Mode)', command: 'docplan.explainRestrictedMode', tooltip: 'Why running is disabled' }));
          continue;
        }
        lenses.push(new vscode.CodeLens(at, { title: '▶ Run validation', command: 'docplan.runStage', arguments: [args], tooltip: `Run the ${stage.commands.length} validation command(s) of ${stage.label} ${stage.number}` }));
        const summary = lensSummary(document.uri, stage, results);
        if (summary) lenses.push(new vscode.CodeLens(at, { title: summary, command: 'docplan.showRunOutput', tooltip: 'Show the validation output' }));
      }
      return lenses;
    },
  };

  const hover: vscode.HoverProvider = {
    provideHover(document, position) {
      const doc = stages.get(document.uri);
      if (!doc) return undefined;
      for (const stage of allStages(doc.result.stages)) {
        const targets = stageOwnTargets(stage);
        for (const [index, command] of stage.commands.entries()) {
          const r = range(command.range);
          if (!r.contains(position)) continue;
          const key = targets[index].key;
          return new vscode.Hover(resultMarkdown(command.text, results.get(document.uri, key), { uri: document.uri.toString(), key }), r);
        }
      }
      return undefined;
    },
  };

  return vscode.Disposable.from(
    lensesChanged,
    diagnostics,
    vscode.languages.registerCodeLensProvider(MARKDOWN, codeLenses),
    vscode.languages.registerHoverProvider(MARKDOWN, hover),
    stages.onDidChange((uri) => {
      updateDiagnostics(uri);
      lensesChanged.fire();
    }),
    results.onDidChange((uri) => {
      updateDiagnostics(uri);
      lensesChanged.fire();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => lensesChanged.fire()),
  );
}

/** `✔ 2/2 passed`, `✘ 1 of 2 failed`, or null when none has run. */
function lensSummary(uri: vscode.Uri, stage: StageNode, results: ResultStore): string | null {
  const stored = stageOwnTargets(stage).map((target) => results.get(uri, target.key));
  const ran = stored.filter((result) => result !== undefined);
  if (ran.length === 0) return null;
  const failed = ran.filter(isFailure).length;
  if (failed > 0) return `$(error) ${failed} of ${stored.length} failed`;
  const passed = ran.filter((r) => r!.outcome === 'passed').length;
  return `$(pass) ${passed}/${stored.length} passed`;
}
