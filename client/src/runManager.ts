/**
 * Runs validation commands from the editor: only after an explicit user action, only in a trusted
 * workspace, one run at a time (later requests wait their turn), in the doc's workspace folder, with
 * progress and cancellation, the configured time limit, output streamed to the "DocPlan Validation"
 * output channel (capped) and kept whole in a log file per command. Results go to the ResultStore,
 * attached to the command by identity; a command that changed or disappeared while it ran gets none.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeResult, runCommand, type CommandRunResult } from '../../server/src/run/runner';
import { judgedResult } from '../../server/src/run/expectation';
import { allStages, findStage, findTarget, logFileName, stageOwnTargets, type RunTarget } from '../../server/src/run/targets';
import type { StageNode } from '../../server/src/protocol';
import { isFailure, type ResultStore } from './results';
import { addEvidenceLine, evidenceText } from './evidenceLine';
import type { StageStore } from './stageStore';

export const RESTRICTED_MESSAGE =
  'DocPlan does not run validation commands in Restricted Mode: this workspace is not trusted, and a command written in a doc can do anything your shell can. Trust the workspace to run them; checking docs keeps working either way.';

/** Receives the progress of a run (the Test Explorer's TestRun is one). */
export interface RunObserver {
  started(target: RunTarget): void;
  output(target: RunTarget, text: string): void;
  finished(target: RunTarget, result: CommandRunResult, attached: boolean): void;
  skipped(target: RunTarget, reason: string): void;
  refused(targets: readonly RunTarget[], reason: string): void;
  end(): void;
}

/** What a run did, returned by the run commands (tests read it). */
export interface RunSummary {
  /** Why nothing ran (Restricted Mode, no folder), or null. */
  refused: string | null;
  cancelled: boolean;
  results: { key: string; stage: string; command: string; outcome: CommandRunResult['outcome']; exitCode: number | null; durationMs: number; attached: boolean; outputFile: string | null }[];
}

export interface RunOptions {
  title: string;
  token?: vscode.CancellationToken;
  observer?: RunObserver;
}

export class RunManager implements vscode.Disposable {
  readonly output = vscode.window.createOutputChannel('DocPlan Validation');
  private queue: Promise<unknown> = Promise.resolve();
  private readonly active = new Set<AbortController>();
  private sequence = 0;
  /** Called for runs not started by the Test Explorer, so their results show there as well. */
  defaultObserver: ((uri: vscode.Uri, targets: readonly RunTarget[]) => RunObserver) | undefined;

  constructor(
    private readonly stages: StageStore,
    private readonly results: ResultStore,
    private readonly logDir: vscode.Uri,
  ) {}

  get isRunning(): boolean {
    return this.active.size > 0;
  }

  /** Stops every run in progress (and the commands waiting in the queue). */
  stopAll(): void {
    for (const controller of this.active) controller.abort();
  }

  /** Runs some commands of one doc. Resolves when they are done (or refused). */
  run(uri: vscode.Uri, targets: readonly RunTarget[], options: RunOptions): Promise<RunSummary> {
    const observer = options.observer ?? this.defaultObserver?.(uri, targets);
    if (!vscode.workspace.isTrusted) {
      observer?.refused(targets, RESTRICTED_MESSAGE);
      observer?.end();
      void this.explainRestricted();
      return Promise.resolve({ refused: RESTRICTED_MESSAGE, cancelled: false, results: [] });
    }
    const cwd = workingDirectory(uri);
    if (!cwd) {
      const reason = 'Save the doc in a folder first: validation commands run in the workspace folder that holds the doc.';
      observer?.refused(targets, reason);
      observer?.end();
      void vscode.window.showWarningMessage(`DocPlan: ${reason}`);
      return Promise.resolve({ refused: reason, cancelled: false, results: [] });
    }
    const controller = new AbortController();
    this.active.add(controller);
    void this.updateContext();
    options.token?.onCancellationRequested(() => controller.abort());
    const next = this.queue.then(() => this.execute(uri, cwd, targets, options.title, controller, observer));
    this.queue = next.catch(() => undefined);
    return next.finally(() => {
      this.active.delete(controller);
      void this.updateContext();
    });
  }

  private async execute(uri: vscode.Uri, cwd: string, targets: readonly RunTarget[], title: string, controller: AbortController, observer: RunObserver | undefined): Promise<RunSummary> {
    const summary: RunSummary = { refused: null, cancelled: false, results: [] };
    const config = vscode.workspace.getConfiguration('docplan', uri);
    const timeoutMs = Math.max(1, config.get<number>('run.timeoutSeconds', 600)) * 1000;
    const maxOutputBytes = Math.max(1, config.get<number>('run.outputLimitKb', 1024)) * 1024;
    const docName = vscode.workspace.asRelativePath(uri);
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `DocPlan: ${title}`, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          this.output.appendLine(`━━ ${new Date().toLocaleString()}  ${title}  (${docName}, in ${cwd})`);
          for (const [index, target] of targets.entries()) {
            if (controller.signal.aborted) {
              observer?.skipped(target, 'the run was stopped');
              continue;
            }
            // The doc may have changed since the run was asked for: run what it says now.
            const current = await this.stages.current(uri);
            const found = current ? findTarget(current.result.stages, target.key) : undefined;
            if (!found) {
              const reason = 'the command is no longer in the doc';
              this.output.appendLine(`■ skipped $ ${target.text}: ${reason}`);
              observer?.skipped(target, reason);
              continue;
            }
            progress.report({ message: `${index + 1}/${targets.length}: ${target.text}`, increment: 100 / targets.length });
            const result = await this.runOne(uri, cwd, target, timeoutMs, maxOutputBytes, controller.signal, observer);
            const attached = await this.attach(uri, target, result);
            summary.results.push({
              key: target.key,
              stage: target.stageNumber,
              command: target.text,
              outcome: result.outcome,
              exitCode: result.exitCode,
              durationMs: result.durationMs,
              attached,
              outputFile: result.outputFile,
            });
            observer?.finished(target, result, attached);
          }
        },
      );
      summary.cancelled = controller.signal.aborted;
      const passed = summary.results.filter((r) => r.outcome === 'passed').length;
      this.output.appendLine(`━━ ${passed} passed, ${summary.results.length - passed} not passed${summary.cancelled ? ' (stopped)' : ''}\n`);
      if (!summary.cancelled) await this.maybeTick(uri, targets);
      if (summary.results.some((r) => r.outcome !== 'passed' && r.outcome !== 'cancelled')) {
        void vscode.window
          .showWarningMessage(`DocPlan: ${summary.results.length - passed} of ${summary.results.length} validation command(s) did not pass (${title}).`, 'Show Output')
          .then((choice) => {
            if (choice) this.output.show(true);
          });
      }
    } finally {
      observer?.end();
    }
    return summary;
  }

  private async runOne(uri: vscode.Uri, cwd: string, target: RunTarget, timeoutMs: number, maxOutputBytes: number, signal: AbortSignal, observer: RunObserver | undefined): Promise<CommandRunResult> {
    this.output.appendLine(`▶ [${target.stageLabel} ${target.stageNumber}] $ ${target.text}`);
    this.results.setRunning(uri, target.key, true);
    observer?.started(target);
    const startedAt = Date.now();
    try {
      const raw = await runCommand({
        command: target.text,
        cwd,
        timeoutMs,
        maxOutputBytes,
        signal,
        logFile: vscode.Uri.joinPath(this.logDir, logFileName(target.text, startedAt, this.sequence++)).fsPath,
        onOutput: (text) => {
          this.output.append(text);
          observer?.output(target, text);
        },
      });
      if (raw.output && !raw.output.endsWith('\n')) this.output.appendLine('');
      // A test-first step (`Expected: FAIL`) passes when its command fails: judge before storing or showing.
      const result = judgedResult(raw, target.expectedOutcome);
      const icon = result.outcome === 'passed' ? '✔' : result.outcome === 'cancelled' ? '■' : '✘';
      const note = result === raw ? '' : ` — ${result.error}`;
      this.output.appendLine(`${icon} ${describeResult(raw)}${note}${result.outputFile ? `  (log: ${result.outputFile})` : ''}`);
      return result;
    } finally {
      this.results.setRunning(uri, target.key, false);
    }
  }

  /** Stores the result when the doc still has the command; otherwise drops it (never a wrong line). */
  private async attach(uri: vscode.Uri, target: RunTarget, result: CommandRunResult): Promise<boolean> {
    if (result.outcome === 'cancelled') return false;
    const current = await this.stages.current(uri);
    const found = current ? findTarget(current.result.stages, target.key) : undefined;
    if (!found) {
      this.output.appendLine(`  (result not recorded: the command changed while it ran)`);
      return false;
    }
    await this.results.set(uri, target.key, result, found.stage.commands[found.target.index]?.expected ?? null);
    return true;
  }

  /** With `docplan.run.tickCheckboxes`, ticks the Validation checkboxes of stages whose commands all passed. */
  private async maybeTick(uri: vscode.Uri, targets: readonly RunTarget[]): Promise<void> {
    if (!vscode.workspace.getConfiguration('docplan', uri).get<boolean>('run.tickCheckboxes', false)) return;
    const stageNumbers = [...new Set(targets.map((t) => t.stageNumber))];
    for (let attempt = 0; attempt < 3; attempt++) {
      const document = await vscode.workspace.openTextDocument(uri);
      const current = await this.stages.current(uri);
      if (!current || current.result.version !== document.version) continue;
      const edit = new vscode.WorkspaceEdit();
      for (const number of stageNumbers) {
        const stage = findStage(current.result.stages, number);
        if (!stage) continue;
        const own = stageOwnTargets(stage);
        if (own.length === 0 || !own.every((t) => this.results.get(uri, t.key)?.outcome === 'passed')) continue;
        for (const range of uncheckedBoxes(document, stage)) edit.replace(uri, range, 'x');
        const evidence = evidenceText(uri, stage, this.results);
        if (evidence) addEvidenceLine(edit, document, stage, evidence);
      }
      if (edit.size === 0) return;
      // Against the version the ranges were computed from: if the user typed meanwhile, compute again.
      if (document.version !== current.result.version) continue;
      if (await vscode.workspace.applyEdit(edit)) return;
    }
  }

  /** Explains Restricted Mode, with a way to change it. */
  async explainRestricted(): Promise<void> {
    const choice = await vscode.window.showWarningMessage(RESTRICTED_MESSAGE, 'Manage Workspace Trust');
    if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
  }

  private async updateContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'docplan.running', this.active.size > 0);
  }

  dispose(): void {
    this.stopAll();
    this.output.dispose();
  }
}

/** The folder commands run in: the doc's workspace folder, else (a file outside any folder) its directory. */
export function workingDirectory(uri: vscode.Uri): string | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (folder && folder.uri.scheme === 'file') return folder.uri.fsPath;
  if (uri.scheme === 'file') return path.dirname(uri.fsPath);
  return undefined;
}

/**
 * The `[ ]` boxes (the space inside them) of the checklist items that hold a stage's commands, each box
 * once: commands sharing an item share its box, and a WorkspaceEdit with the same range twice is refused.
 */
function uncheckedBoxes(document: vscode.TextDocument, stage: StageNode): vscode.Range[] {
  const ranges: vscode.Range[] = [];
  const lines = new Set<number>();
  for (const command of stage.commands) {
    if (command.checked !== false || command.source !== 'inline-code') continue;
    const line = command.range.start.line;
    if (line >= document.lineCount || lines.has(line)) continue;
    lines.add(line);
    const text = document.lineAt(line).text;
    const match = /^(\s*(?:>\s*)*(?:[-*+]|\d+[.)])\s+\[) \]/.exec(text);
    if (match && match[0].length <= command.range.start.character) ranges.push(new vscode.Range(line, match[1].length, line, match[1].length + 1));
  }
  return ranges;
}

/** Every failed command of a doc, as targets (for "re-run failed"). */
export function failedTargets(stages: readonly StageNode[], results: ResultStore, uri: vscode.Uri): RunTarget[] {
  return allStages(stages).flatMap((stage) => stageOwnTargets(stage).filter((target) => isFailure(results.get(uri, target.key))));
}
