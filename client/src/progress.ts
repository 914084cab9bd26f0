/**
 * Where a plan stands, in the editor: "3 of 5 stages" (the stage tree and a status bar item for the active
 * plan), "Go to Next Open Item", and the results file kept in step with the runs (resultsFile.ts).
 */
import * as vscode from 'vscode';
import type { StageNode } from '../../server/src/protocol';
import type { ResultStore } from './results';
import { ResultsFileSync } from './resultsFile';
import type { StageStore } from './stageStore';

/** Top-level stages done, of all. */
export function stagesDone(stages: readonly StageNode[]): { done: number; total: number } {
  return { done: stages.filter((stage) => stage.state === 'done').length, total: stages.length };
}

/** "3 of 5 stages". */
export function progressText(stages: readonly StageNode[]): string {
  const { done, total } = stagesDone(stages);
  return `${done} of ${total} stage${total === 1 ? '' : 's'}`;
}

/** The line of the first open item of the first stage not done (its first unticked change, else command), or its heading. */
export function nextOpenLine(stages: readonly StageNode[]): number | null {
  for (const stage of stages) {
    if (stage.state === 'done') continue;
    const fromChildren = nextOpenLine(stage.children);
    const change = stage.changes.find((item) => item.checked === false);
    if (change) return change.range.start.line;
    const command = stage.commands.find((item) => item.checked === false);
    if (command) return command.range.start.line;
    return fromChildren ?? stage.headingRange.start.line;
  }
  return null;
}

/** The progress status bar item, the next-open-item command and the results file sync. */
export function registerProgressFeatures(context: vscode.ExtensionContext, stages: StageStore, results: ResultStore, log: (message: string) => void): void {
  const file = new ResultsFileSync(results, log);
  void file.loadAll();
  const item = vscode.window.createStatusBarItem('docplan.progress', vscode.StatusBarAlignment.Right, 99);
  item.name = 'DocPlan plan progress';
  item.command = 'docplan.goToNextOpenItem';
  const update = () => {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const doc = uri ? stages.all().find((candidate) => candidate.uri.toString() === uri.toString()) : undefined;
    if (!doc || doc.result.stages.length === 0) {
      item.hide();
      return;
    }
    const { done, total } = stagesDone(doc.result.stages);
    item.text = `$(tasklist) ${done}/${total} stages`;
    item.tooltip = `${doc.title}: ${progressText(doc.result.stages)} done. Click to go to the next open item.`;
    item.show();
  };
  context.subscriptions.push(
    file,
    item,
    stages.onDidChange(update),
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.commands.registerCommand('docplan.goToNextOpenItem', async () => {
      const active = vscode.window.activeTextEditor?.document.uri;
      const docs = stages.all();
      const doc = docs.find((candidate) => candidate.uri.toString() === active?.toString()) ?? docs.find((candidate) => nextOpenLine(candidate.result.stages) !== null);
      const line = doc ? nextOpenLine(doc.result.stages) : null;
      if (!doc || line === null) {
        void vscode.window.showInformationMessage(doc ? `DocPlan: every stage of ${doc.title} is done.` : 'DocPlan: no plan with open items.');
        return;
      }
      await vscode.commands.executeCommand('docplan.revealLine', doc.uri.toString(), line, 0);
    }),
  );
  update();
}
