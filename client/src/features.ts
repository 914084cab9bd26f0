/**
 * Wires the client's validation features together: the stage store, results, the runner, the stage
 * tree (activity bar and Explorer), CodeLens/hover/diagnostics, the Test Explorer controller, and the
 * commands. Returns the extension's API (used by the real-VS-Code tests).
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { State } from 'vscode-languageclient/node';
import { documentTargets, findStage, findTarget, stageTargets, type RunTarget } from '../../server/src/run/targets';
import { registerEditorFeatures } from './editorFeatures';
import { ResultStore, type StoredResult } from './results';
import { registerProgressFeatures } from './progress';
import { failedTargets, RunManager, type RunSummary } from './runManager';
import { stageAtLine, StageStore } from './stageStore';
import { ValidationTests } from './testing';
import { StageTreeProvider, type CommandArgs, type TreeNode, type TreeSnapshot } from './tree';

/** What `vscode.extensions.getExtension('docplan.docplan').exports` gives. */
export interface DocPlanApi {
  /** Resolves when the first scan for plan docs is complete. */
  ready(): Promise<void>;
  /** Re-reads a doc's stages from the server now. */
  refreshStages(uri: vscode.Uri): Promise<void>;
  /** The stage tree as shown. */
  stageTree(): TreeSnapshot[];
  /** Stored results of a doc, by command key. */
  results(uri: vscode.Uri): Readonly<Record<string, StoredResult>>;
  /** The Test Explorer items: id, label and children. */
  testItems(): { id: string; label: string; children: unknown[] }[];
  /** Shows the DocPlan view with a stage selected and expanded. */
  revealStage(uri: vscode.Uri, stageNumber: string): Promise<void>;
  /** Shows a test item (by id) in the Test Explorer. */
  revealTestItem(id: string): Promise<void>;
}

type Resolved = { uri: vscode.Uri; stageNumber?: string; key?: string };

export function registerValidationFeatures(context: vscode.ExtensionContext, client: LanguageClient): DocPlanApi {
  const stages = new StageStore(client);
  const results = new ResultStore(context.workspaceState);
  const logDir = vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'validation-logs');
  const runs = new RunManager(stages, results, logDir);
  const tree = new StageTreeProvider(stages, results);
  const tests = new ValidationTests(stages, runs);
  registerProgressFeatures(context, stages, results, (message) => client.outputChannel.appendLine(`[results] ${message}`));

  const activityView = vscode.window.createTreeView('docplan.stages', { treeDataProvider: tree, showCollapseAll: true });
  const explorerView = vscode.window.createTreeView('docplan.stagesExplorer', { treeDataProvider: tree, showCollapseAll: true });

  /** Where a command applies: a tree node, CodeLens/hover arguments, or the active editor. */
  const resolve = async (arg: unknown, scope: 'command' | 'stage' | 'doc'): Promise<Resolved | undefined> => {
    if (arg && typeof arg === 'object' && 'type' in arg && 'doc' in arg) {
      const node = arg as TreeNode;
      const uri = node.doc.uri;
      if (node.type === 'command') return { uri, key: node.target.key, stageNumber: node.stage.number };
      if (node.type === 'stage' || node.type === 'change') return { uri, stageNumber: node.stage.number };
      return { uri };
    }
    if (arg && typeof arg === 'object' && 'uri' in arg && typeof (arg as CommandArgs).uri === 'string') {
      const args = arg as CommandArgs;
      return { uri: vscode.Uri.parse(args.uri), stageNumber: args.stageNumber, key: args.key };
    }
    if (arg instanceof vscode.Uri) return { uri: arg };
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'markdown') {
      void vscode.window.showInformationMessage('DocPlan: open a plan doc (or use the DocPlan Stages view) to run its validation.');
      return undefined;
    }
    const uri = editor.document.uri;
    if (scope === 'doc') return { uri };
    const doc = await stages.current(uri);
    if (!doc) {
      void vscode.window.showInformationMessage('DocPlan: this Markdown file has no stages.');
      return undefined;
    }
    const line = editor.selection.active.line;
    const stage = stageAtLine(doc.result.stages, line);
    if (scope === 'command') {
      const command = stage?.commands.find((c) => c.range.start.line <= line && line <= c.range.end.line);
      if (stage && command) {
        const target = stageTargets(stage).find((t) => t.text === command.text.trim());
        if (target) return { uri, stageNumber: stage.number, key: target.key };
      }
      const picked = await vscode.window.showQuickPick(
        documentTargets(doc.result.stages).map((target) => ({ label: target.text, description: `${target.stageLabel} ${target.stageNumber}`, target })),
        { placeHolder: 'Validation command to run' },
      );
      return picked ? { uri, stageNumber: picked.target.stageNumber, key: picked.target.key } : undefined;
    }
    if (stage) return { uri, stageNumber: stage.number };
    const picked = await vscode.window.showQuickPick(
      doc.result.stages.map((s) => ({ label: `${s.label} ${s.number}${s.title ? `: ${s.title}` : ''}`, number: s.number })),
      { placeHolder: 'Stage whose validation to run' },
    );
    return picked ? { uri, stageNumber: picked.number } : undefined;
  };

  const runTargets = async (uri: vscode.Uri, pick: (doc: NonNullable<Awaited<ReturnType<StageStore['current']>>>) => RunTarget[], title: string): Promise<RunSummary | undefined> => {
    const doc = await stages.current(uri);
    if (!doc) {
      void vscode.window.showWarningMessage(`DocPlan: ${vscode.workspace.asRelativePath(uri)} has no stages.`);
      return undefined;
    }
    const targets = pick(doc);
    if (targets.length === 0) {
      void vscode.window.showInformationMessage(`DocPlan: nothing to run (${title}).`);
      return { refused: null, cancelled: false, results: [] };
    }
    return runs.run(uri, targets, { title });
  };

  const command = (id: string, handler: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(id, handler);

  context.subscriptions.push(
    stages,
    results,
    runs,
    tree,
    tests,
    activityView,
    explorerView,
    registerEditorFeatures(stages, results),
    command('docplan.runCommand', async (arg) => {
      const where = await resolve(arg, 'command');
      if (!where?.key) return undefined;
      return runTargets(where.uri, (doc) => {
        const found = findTarget(doc.result.stages, where.key!);
        return found ? [found.target] : [];
      }, 'Run validation command');
    }),
    command('docplan.runStage', async (arg) => {
      const where = await resolve(arg, 'stage');
      if (!where?.stageNumber) return undefined;
      return runTargets(where.uri, (doc) => {
        const stage = findStage(doc.result.stages, where.stageNumber!);
        return stage ? stageTargets(stage) : [];
      }, `Run validation of stage ${where.stageNumber}`);
    }),
    command('docplan.runDocument', async (arg) => {
      const where = await resolve(arg, 'doc');
      if (!where) return undefined;
      return runTargets(where.uri, (doc) => documentTargets(doc.result.stages), `Run all validation in ${vscode.workspace.asRelativePath(where.uri)}`);
    }),
    command('docplan.rerunFailed', async (arg) => {
      const where = arg === undefined && !vscode.window.activeTextEditor ? undefined : await resolve(arg, 'doc');
      const uris = where ? [where.uri] : stages.all().map((doc) => doc.uri);
      const summaries: RunSummary[] = [];
      for (const uri of uris) {
        const summary = await runTargets(uri, (doc) => failedTargets(doc.result.stages, results, uri), 'Re-run failed validation');
        if (summary) summaries.push(summary);
      }
      return summaries.length === 1 ? summaries[0] : summaries;
    }),
    command('docplan.stopRun', () => runs.stopAll()),
    command('docplan.showRunOutput', () => runs.output.show(true)),
    command('docplan.openRunLog', async (arg) => {
      const where = await resolve(arg, 'command');
      const file = where?.key ? results.get(where.uri, where.key)?.outputFile : undefined;
      if (!file || !fs.existsSync(file)) {
        void vscode.window.showInformationMessage('DocPlan: no log for this command (it has not run, or the log was removed).');
        return;
      }
      await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
    }),
    command('docplan.clearResults', async (arg) => {
      const where = arg ? await resolve(arg, 'doc') : undefined;
      await results.clear(where?.uri);
    }),
    command('docplan.refreshStages', () => stages.rediscover()),
    command('docplan.explainRestrictedMode', () => runs.explainRestricted()),
    command('docplan.revealLine', async (uriText: unknown, line: unknown, character: unknown) => {
      const uri = vscode.Uri.parse(String(uriText));
      const position = new vscode.Position(Number(line) || 0, Number(character) || 0);
      const editor = await vscode.window.showTextDocument(uri, { preserveFocus: false, preview: true });
      editor.selection = new vscode.Selection(position, position);
      editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }),
    command('docplan.createPlan', () => createPlan(context)),
    client.onDidChangeState((event) => {
      if (event.newState === State.Running) void stages.rediscover();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => tests.sync()),
  );
  if (client.isRunning()) void stages.rediscover();

  return {
    ready: () => stages.ready(),
    refreshStages: async (uri) => {
      await stages.refresh(uri);
    },
    stageTree: () => tree.snapshot(),
    results: (uri) => results.forDoc(uri),
    revealStage: async (uri, stageNumber) => {
      const node = tree.stageNode(uri, stageNumber);
      if (node) await activityView.reveal(node, { select: true, focus: true, expand: true });
    },
    revealTestItem: async (id) => {
      const item = tests.find(id);
      if (item) await vscode.commands.executeCommand('vscode.revealTestInExplorer', item);
    },
    testItems: () => {
      const visit = (collection: vscode.TestItemCollection): { id: string; label: string; children: unknown[] }[] => {
        const out: { id: string; label: string; children: unknown[] }[] = [];
        collection.forEach((item) => out.push({ id: item.id, label: item.label, children: visit(item.children) }));
        return out;
      };
      return visit(tests.controller.items);
    },
  };
}

/** "Create a plan": asks for a path, writes the plan skeleton snippet there and opens it. */
async function createPlan(context: vscode.ExtensionContext): Promise<void> {
  const body = planSnippet(context);
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown' });
    const editor = await vscode.window.showTextDocument(document);
    await editor.insertSnippet(body);
    return;
  }
  const relative = await vscode.window.showInputBox({
    title: 'Create a plan',
    prompt: 'Path of the new plan, relative to the workspace folder',
    value: 'docs/plans/plan.md',
    validateInput: (value) => (/\.(md|markdown)$/i.test(value.trim()) ? undefined : 'A plan is a Markdown file (.md)'),
  });
  if (!relative) return;
  const uri = vscode.Uri.joinPath(folder.uri, relative.trim());
  try {
    await vscode.workspace.fs.stat(uri);
    void vscode.window.showWarningMessage(`DocPlan: ${relative} already exists.`);
    await vscode.window.showTextDocument(uri);
    return;
  } catch {
    // does not exist: create it
  }
  const edit = new vscode.WorkspaceEdit();
  edit.createFile(uri, { ignoreIfExists: true, contents: new Uint8Array() });
  await vscode.workspace.applyEdit(edit);
  const editor = await vscode.window.showTextDocument(uri);
  await editor.insertSnippet(body);
}

/** The plan skeleton from the contributed snippets (one source for both). */
function planSnippet(context: vscode.ExtensionContext): vscode.SnippetString {
  try {
    const snippets = JSON.parse(fs.readFileSync(context.asAbsolutePath('snippets/markdown.code-snippets'), 'utf8')) as Record<string, { body: string | string[] }>;
    const plan = snippets['DocPlan: plan'];
    if (plan) return new vscode.SnippetString(Array.isArray(plan.body) ? plan.body.join('\n') : plan.body);
  } catch {
    // fall through to a minimal skeleton
  }
  return new vscode.SnippetString('# Plan: ${1:Title}\n\n## Stage 1: ${2:First stage}\n\n### Objective\n\n$3\n\n### Changes\n\n- [ ] $4\n\n### Validation\n\n- [ ] `${5:npm test}`\n$0');
}
