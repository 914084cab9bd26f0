/**
 * The Test Explorer view of validation: a TestController whose items are plan docs, their stages (and
 * steps) and their validation commands. Its Run profile runs the chosen commands through the
 * RunManager; runs started from the tree or a CodeLens are reported to the Test Explorer too.
 */
import * as vscode from 'vscode';
import type { StageNode } from '../../server/src/protocol';
import { describeResult, type CommandRunResult } from '../../server/src/run/runner';
import { stageKey, stageOwnTargets, stageTargets, type RunTarget } from '../../server/src/run/targets';
import type { RunManager, RunObserver } from './runManager';
import type { StageStore } from './stageStore';

function range(r: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** Test item ids: `<doc uri>`, `<doc uri>|stage|<stage key>`, `<doc uri>|command|<command key>`. */
export function commandItemId(uri: string, key: string): string {
  return `${uri}|command|${key}`;
}
function stageItemId(uri: string, number: string): string {
  return `${uri}|stage|${stageKey(number)}`;
}

export class ValidationTests implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController('docplan', 'DocPlan Validation');
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Which targets each stage or doc item stands for. */
  private readonly targetsOf = new Map<string, { uri: vscode.Uri; targets: RunTarget[] }>();

  constructor(
    private readonly stages: StageStore,
    private readonly runs: RunManager,
  ) {
    this.controller.createRunProfile('Run validation', vscode.TestRunProfileKind.Run, (request, token) => this.runHandler(request, token), true);
    this.controller.refreshHandler = async () => {
      await this.stages.rediscover();
    };
    this.subscriptions.push(this.controller, stages.onDidChange(() => this.sync()));
    runs.defaultObserver = (uri, targets) => this.observer(new vscode.TestRunRequest(this.itemsFor(uri, targets)), uri);
    this.sync();
  }

  /** Rebuilds the items from the latest stages (ids are stable, so the Test Explorer keeps results). */
  sync(): void {
    this.targetsOf.clear();
    const docs = this.stages.all().map((doc) => {
      const uri = doc.uri.toString();
      const item = this.controller.createTestItem(uri, doc.title, doc.uri);
      item.range = new vscode.Range(0, 0, 0, 0);
      item.description = vscode.workspace.asRelativePath(doc.uri);
      const stageItems = doc.result.stages.filter((stage) => stageTargets(stage).length > 0).map((stage) => this.stageItem(doc.uri, stage));
      item.children.replace(stageItems);
      this.targetsOf.set(item.id, { uri: doc.uri, targets: doc.result.stages.flatMap((stage) => stageTargets(stage)) });
      return item;
    });
    this.controller.items.replace(docs.filter((item) => item.children.size > 0));
  }

  private stageItem(uri: vscode.Uri, stage: StageNode): vscode.TestItem {
    const id = stageItemId(uri.toString(), stage.number);
    const label = stage.label ? `${stage.label} ${stage.number}${stage.title ? `: ${stage.title}` : ''}` : `${stage.number}. ${stage.title}`;
    const item = this.controller.createTestItem(id, label, uri);
    item.range = range(stage.headingRange);
    const own = stageOwnTargets(stage);
    const commands = stage.commands.map((command, index) => {
      const target = own[index];
      const commandItem = this.controller.createTestItem(commandItemId(uri.toString(), target.key), command.text, uri);
      commandItem.range = range(command.range);
      this.targetsOf.set(commandItem.id, { uri, targets: [target] });
      return commandItem;
    });
    const steps = stage.children.filter((child) => stageTargets(child).length > 0).map((child) => this.stageItem(uri, child));
    item.children.replace([...commands, ...steps]);
    this.targetsOf.set(id, { uri, targets: stageTargets(stage) });
    return item;
  }

  /** The command items of some targets (for reporting runs started elsewhere). */
  private itemsFor(uri: vscode.Uri, targets: readonly RunTarget[]): vscode.TestItem[] {
    return targets.map((target) => this.find(commandItemId(uri.toString(), target.key))).filter((item): item is vscode.TestItem => item !== undefined);
  }

  find(id: string): vscode.TestItem | undefined {
    const visit = (items: vscode.TestItemCollection): vscode.TestItem | undefined => {
      let found: vscode.TestItem | undefined;
      items.forEach((item) => {
        if (found) return;
        if (item.id === id) found = item;
        else found = visit(item.children);
      });
      return found;
    };
    return visit(this.controller.items);
  }

  private async runHandler(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const chosen: vscode.TestItem[] = [];
    if (request.include) chosen.push(...request.include);
    else this.controller.items.forEach((item) => chosen.push(item));
    const excluded = new Set((request.exclude ?? []).map((item) => item.id));
    // Group the chosen commands by doc, keeping document order and dropping duplicates.
    const byDoc = new Map<string, { uri: vscode.Uri; targets: RunTarget[] }>();
    for (const item of chosen) {
      const entry = this.targetsOf.get(item.id);
      if (!entry) continue;
      const group = byDoc.get(entry.uri.toString()) ?? { uri: entry.uri, targets: [] };
      byDoc.set(entry.uri.toString(), group);
      for (const target of entry.targets) {
        if (excluded.has(commandItemId(entry.uri.toString(), target.key)) || group.targets.some((t) => t.key === target.key)) continue;
        group.targets.push(target);
      }
    }
    const testRun = this.controller.createTestRun(request);
    try {
      for (const { uri, targets } of byDoc.values()) {
        if (token.isCancellationRequested) break;
        const observer = this.observer(request, uri, testRun);
        await this.runs.run(uri, targets, { title: `Run validation (${vscode.workspace.asRelativePath(uri)})`, token, observer });
      }
    } finally {
      testRun.end();
    }
  }

  /** Reports a run's progress to a TestRun (created here unless given; ended with the run then). */
  private observer(request: vscode.TestRunRequest, uri: vscode.Uri, given?: vscode.TestRun): RunObserver {
    const run = given ?? this.controller.createTestRun(request, undefined, true);
    const item = (target: RunTarget) => this.find(commandItemId(uri.toString(), target.key));
    return {
      started: (target) => {
        const testItem = item(target);
        if (testItem) run.started(testItem);
      },
      output: (target, text) => {
        const testItem = item(target);
        run.appendOutput(text.replace(/\r?\n/g, '\r\n'), undefined, testItem);
      },
      finished: (target, result: CommandRunResult) => {
        const testItem = item(target);
        if (!testItem) return;
        const message = () => {
          const tail = result.output.length > 4000 ? `…${result.output.slice(-4000)}` : result.output;
          const text = `${describeResult(result)}${result.outputFile ? `\nFull output: ${result.outputFile}` : ''}${tail ? `\n\n${tail}` : ''}`;
          const testMessage = new vscode.TestMessage(text);
          testMessage.location = new vscode.Location(uri, testItem.range ?? new vscode.Range(0, 0, 0, 0));
          return testMessage;
        };
        if (result.outcome === 'passed') run.passed(testItem, result.durationMs);
        else if (result.outcome === 'failed') run.failed(testItem, message(), result.durationMs);
        else if (result.outcome === 'cancelled') run.skipped(testItem);
        else run.errored(testItem, message(), result.durationMs);
      },
      skipped: (target) => {
        const testItem = item(target);
        if (testItem) run.skipped(testItem);
      },
      refused: (targets, reason) => {
        for (const target of targets) {
          const testItem = item(target);
          if (testItem) run.errored(testItem, new vscode.TestMessage(reason));
        }
      },
      end: () => {
        if (!given) run.end();
      },
    };
  }

  dispose(): void {
    if (this.runs.defaultObserver) this.runs.defaultObserver = undefined;
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
