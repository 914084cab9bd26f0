/**
 * The stage tree: plan docs -> stages (icon by status) -> change items, validation commands (inline ▶)
 * and steps. One provider feeds the DocPlan activity-bar view and the Explorer section. It refreshes
 * when the server re-checks a doc (live while typing) and when results arrive.
 */
import * as vscode from 'vscode';
import type { StageChangeNode, StageCommandNode, StageNode } from '../../server/src/protocol';
import { describeResult, formatDuration } from '../../server/src/run/runner';
import { stageOwnTargets, stageTargets, type RunTarget } from '../../server/src/run/targets';
import { isFailure, type ResultStore, type StoredResult } from './results';
import { progressText } from './progress';
import type { PlanDoc, StageStore } from './stageStore';

/** The status a stage's icon shows. */
export type StageStatus = 'running' | 'validation-failed' | 'done' | 'validation-passed' | 'in-progress' | 'not-started';

export type TreeNode =
  | { type: 'doc'; doc: PlanDoc }
  | { type: 'stage'; doc: PlanDoc; stage: StageNode }
  | { type: 'change'; doc: PlanDoc; stage: StageNode; change: StageChangeNode; index: number }
  | { type: 'command'; doc: PlanDoc; stage: StageNode; command: StageCommandNode; target: RunTarget };

/** Arguments the tree, CodeLens and hovers pass to the run commands. */
export interface CommandArgs {
  uri: string;
  stageNumber?: string;
  key?: string;
}

const STATUS_ICON: Record<StageStatus, vscode.ThemeIcon> = {
  running: new vscode.ThemeIcon('loading~spin'),
  'validation-failed': new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  done: new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed')),
  'validation-passed': new vscode.ThemeIcon('check-all', new vscode.ThemeColor('testing.iconPassed')),
  'in-progress': new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('charts.yellow')),
  'not-started': new vscode.ThemeIcon('circle-large-outline'),
};

const STATUS_TEXT: Record<StageStatus, string> = {
  running: 'running',
  'validation-failed': 'validation failed',
  done: 'done',
  'validation-passed': 'validation passed',
  'in-progress': 'in progress',
  'not-started': 'not started',
};

/** A stage's status: a failed or running command wins, then the doc's own state, then passing validation. */
export function stageStatus(uri: vscode.Uri, stage: StageNode, results: ResultStore): StageStatus {
  const targets = stageTargets(stage);
  if (targets.some((t) => results.isRunning(uri, t.key))) return 'running';
  const stored = targets.map((t) => results.get(uri, t.key));
  if (stored.some(isFailure)) return 'validation-failed';
  if (stage.state === 'done') return 'done';
  if (targets.length > 0 && stored.every((r) => r?.outcome === 'passed')) return 'validation-passed';
  return stage.state;
}

export function resultIcon(result: StoredResult | undefined, running: boolean): vscode.ThemeIcon {
  if (running) return new vscode.ThemeIcon('loading~spin');
  switch (result?.outcome) {
    case 'passed':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'failed':
    case 'error':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'timed-out':
      return new vscode.ThemeIcon('watch', new vscode.ThemeColor('testing.iconFailed'));
    case 'cancelled':
      return new vscode.ThemeIcon('circle-slash');
    default:
      return new vscode.ThemeIcon('terminal');
  }
}

/** Short result text for descriptions: `✔ 0.4 s`, `✘ exit 1 · 0.2 s`. */
export function shortResult(result: StoredResult | undefined): string {
  if (!result) return '';
  const duration = formatDuration(result.durationMs);
  switch (result.outcome) {
    case 'passed':
      return `✔ ${duration}`;
    case 'failed':
      return result.exitCode !== null ? `✘ exit ${result.exitCode} · ${duration}` : `✘ ${result.signal ?? 'killed'} · ${duration}`;
    case 'timed-out':
      return `⏱ timed out · ${duration}`;
    case 'cancelled':
      return `■ cancelled`;
    default:
      return `✘ could not run`;
  }
}

/** Markdown describing a command's last result (tree tooltip and hover). */
export function resultMarkdown(command: string, result: StoredResult | undefined, args: CommandArgs): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(undefined, true);
  markdown.isTrusted = { enabledCommands: ['docplan.runCommand', 'docplan.openRunLog', 'docplan.showRunOutput'] };
  markdown.appendMarkdown('**DocPlan validation command**\n\n');
  markdown.appendCodeblock(command, 'sh');
  const run = `command:docplan.runCommand?${encodeURIComponent(JSON.stringify([args]))}`;
  if (!result) {
    markdown.appendMarkdown(`Not run yet. [▶ Run](${run})`);
    return markdown;
  }
  const when = new Date(result.finishedAt).toLocaleString();
  const exit = result.exitCode !== null ? `exit code ${result.exitCode}` : result.signal ? `signal ${result.signal}` : 'no exit code';
  markdown.appendMarkdown(`Last run: **${describeResult(result)}** (${exit}, ${when})`);
  if (result.outputTruncated) markdown.appendMarkdown(' — output was long; the log has all of it');
  markdown.appendMarkdown(`\n\n[▶ Run again](${run})`);
  if (result.outputFile) markdown.appendMarkdown(` · [Open log](command:docplan.openRunLog?${encodeURIComponent(JSON.stringify([args]))})`);
  return markdown;
}

export class StageTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private pending: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly stages: StageStore,
    private readonly results: ResultStore,
  ) {
    // Nodes are rebuilt from the latest stages on every change: refresh the whole tree (debounced).
    this.subscriptions.push(
      this.emitter,
      stages.onDidChange(() => this.refresh()),
      results.onDidChange(() => this.refresh()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh()),
    );
  }

  refresh(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = setTimeout(() => this.emitter.fire(undefined), 50);
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) return this.stages.all().map((doc) => ({ type: 'doc', doc }));
    if (node.type === 'doc') return node.doc.result.stages.map((stage) => ({ type: 'stage', doc: node.doc, stage }));
    if (node.type === 'stage') {
      const { doc, stage } = node;
      const targets = stageOwnTargets(stage);
      return [
        ...stage.changes.map((change, index): TreeNode => ({ type: 'change', doc, stage, change, index })),
        ...stage.commands.map((command, index): TreeNode => ({ type: 'command', doc, stage, command, target: targets[index] })),
        ...stage.children.map((child): TreeNode => ({ type: 'stage', doc, stage: child })),
      ];
    }
    return [];
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const uri = node.doc.uri;
    switch (node.type) {
      case 'doc': {
        const item = new vscode.TreeItem(node.doc.title, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `doc:${uri}`;
        item.description = `${progressText(node.doc.result.stages)} · ${vscode.workspace.asRelativePath(uri)}`;
        item.resourceUri = uri;
        item.iconPath = new vscode.ThemeIcon('checklist');
        const runnable = node.doc.result.stages.some((stage) => stageTargets(stage).length > 0);
        item.contextValue = runnable ? 'docplan.doc.runnable' : 'docplan.doc';
        item.tooltip = `${vscode.workspace.asRelativePath(uri)} (${node.doc.result.kind})`;
        item.command = { command: 'docplan.revealLine', title: 'Open', arguments: [uri.toString(), 0] };
        return item;
      }
      case 'stage': {
        const { stage } = node;
        const status = stageStatus(uri, stage, this.results);
        const hasChildren = stage.changes.length + stage.commands.length + stage.children.length > 0;
        // A numbered heading without a label (`## 1. Implementation`) shows as `1. Implementation`.
        const label = stage.label ? `${stage.label} ${stage.number}${stage.title ? `: ${stage.title}` : ''}` : `${stage.number}. ${stage.title}`;
        const item = new vscode.TreeItem(label, hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = `stage:${uri}#${stage.number}:${stage.headingRange.start.line}`;
        item.iconPath = STATUS_ICON[status];
        const checkable = stage.changes.filter((c) => c.checked !== null);
        const progress = checkable.length > 0 ? `${checkable.filter((c) => c.checked).length}/${checkable.length} · ` : '';
        item.description = `${progress}${STATUS_TEXT[status]}`;
        item.tooltip = `${label}\nStatus: ${STATUS_TEXT[status]}${stage.mark ? ` (marked ${stage.mark})` : ''}\nLine ${stage.headingRange.start.line + 1}`;
        item.contextValue = stageTargets(stage).length > 0 ? 'docplan.stage.runnable' : 'docplan.stage';
        item.command = { command: 'docplan.revealLine', title: 'Go to Stage', arguments: [uri.toString(), stage.headingRange.start.line] };
        return item;
      }
      case 'change': {
        const { change } = node;
        const item = new vscode.TreeItem(change.text, vscode.TreeItemCollapsibleState.None);
        item.id = `change:${uri}#${node.stage.number}:${node.index}:${change.range.start.line}`;
        item.iconPath = new vscode.ThemeIcon(change.checked === true ? 'pass' : change.checked === false ? 'circle-large-outline' : 'dash');
        item.description = change.checked === true ? 'done' : '';
        item.contextValue = 'docplan.change';
        item.tooltip = change.text;
        item.command = { command: 'docplan.revealLine', title: 'Go to Change', arguments: [uri.toString(), change.range.start.line] };
        return item;
      }
      case 'command': {
        const { command, target } = node;
        const result = this.results.get(uri, target.key);
        const running = this.results.isRunning(uri, target.key);
        const item = new vscode.TreeItem(command.text, vscode.TreeItemCollapsibleState.None);
        item.id = `command:${uri}#${target.key}`;
        item.iconPath = resultIcon(result, running);
        item.description = running ? 'running…' : shortResult(result);
        item.contextValue = result?.outputFile ? 'docplan.command.withLog' : 'docplan.command';
        const args: CommandArgs = { uri: uri.toString(), key: target.key };
        item.tooltip = resultMarkdown(command.text, result, args);
        item.command = { command: 'docplan.revealLine', title: 'Go to Command', arguments: [uri.toString(), command.range.start.line, command.range.start.character] };
        return item;
      }
    }
  }

  /** The parent of a node (needed by TreeView.reveal). */
  getParent(node: TreeNode): TreeNode | undefined {
    if (node.type === 'doc') return undefined;
    if (node.type === 'change' || node.type === 'command') return { type: 'stage', doc: node.doc, stage: node.stage };
    const parentOf = (stages: readonly StageNode[], parent: StageNode | undefined): StageNode | undefined | null => {
      for (const stage of stages) {
        if (stage === node.stage) return parent;
        const found = parentOf(stage.children, stage);
        if (found !== null) return found;
      }
      return null;
    };
    const parent = parentOf(node.doc.result.stages, undefined);
    return parent ? { type: 'stage', doc: node.doc, stage: parent } : { type: 'doc', doc: node.doc };
  }

  /** The current node of a stage (by number) of a doc, for reveal. */
  stageNode(uri: vscode.Uri, number: string): TreeNode | undefined {
    const doc = this.stages.get(uri);
    if (!doc) return undefined;
    const find = (stages: readonly StageNode[]): StageNode | undefined => {
      for (const stage of stages) {
        if (stage.number === number) return stage;
        const found = find(stage.children);
        if (found) return found;
      }
      return undefined;
    };
    const stage = find(doc.result.stages);
    return stage ? { type: 'stage', doc, stage } : undefined;
  }

  /** A plain snapshot of the tree as shown (labels, descriptions, icons), for tests and the API. */
  snapshot(node?: TreeNode): TreeSnapshot[] {
    return this.getChildren(node).map((child) => {
      const item = this.getTreeItem(child);
      const icon = item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined;
      const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
      return {
        type: child.type,
        label,
        description: typeof item.description === 'string' ? item.description : '',
        icon,
        contextValue: item.contextValue,
        status: child.type === 'stage' ? stageStatus(child.doc.uri, child.stage, this.results) : undefined,
        children: this.snapshot(child),
      };
    });
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

export interface TreeSnapshot {
  type: TreeNode['type'];
  label: string;
  description: string;
  icon: string | undefined;
  contextValue: string | undefined;
  status: StageStatus | undefined;
  children: TreeSnapshot[];
}
