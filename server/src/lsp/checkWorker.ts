/**
 * The check worker (a worker_threads thread, bundled as dist/checkWorker.js): runs the whole check of a
 * document (parse, model, workspace lookups, every rule) off the server's main thread, so that no check,
 * however large or hostile the document, holds up the editor's requests. It keeps each workspace folder's
 * services (file index, symbols, git, tests) and the last parse of a few documents (to reuse unchanged
 * chunks); the main thread keeps the text and the compact result (model and findings, no syntax tree).
 */
import { parentPort } from 'node:worker_threads';
import { checkTextPrepared, type CheckOptions } from '../check';
import { fixAllText } from '../features/fixAll';
import type { ParsedDocument } from '../model/parse';
import { FolderWorkspace } from '../workspace/workspace';
import type { CheckJob, CheckReply, WorkerMessage } from './checkProtocol';
import { IdleCollector } from './idleCollector';

/** Documents whose last parse is kept for the next check of the same document. */
const KEPT_PARSES = 8;

const workspaces = new Map<string, FolderWorkspace>();
const parses = new Map<string, ParsedDocument>();
/** A burst of checks grows this thread's heap too: collect once it goes quiet. */
const collector = new IdleCollector();

function workspaceOf(root: string, git: boolean): FolderWorkspace {
  const key = `${git ? 'git' : 'nogit'}:${root}`;
  let workspace = workspaces.get(key);
  if (!workspace) {
    workspace = new FolderWorkspace(root, { validate: 'events', git });
    workspaces.set(key, workspace);
  }
  return workspace;
}

function keepParse(uri: string, parsed: ParsedDocument): void {
  parses.delete(uri);
  parses.set(uri, parsed);
  for (const oldest of parses.keys()) {
    if (parses.size <= KEPT_PARSES) break;
    parses.delete(oldest);
  }
}

/** Runs a job and posts its replies: the findings first, then (for a check) the model. */
async function check(job: CheckJob): Promise<void> {
  try {
    const workspace = job.folder ? workspaceOf(job.folder.root, job.folder.git).view(job.folder.docAbsPath) : null;
    const options: CheckOptions = { config: job.config, path: job.path, workspace, maxDocMs: job.maxDocMs, previous: parses.get(job.uri) };
    const checked = await checkTextPrepared(job.text, options);
    // Fix-all re-checks synchronously between passes, against the workspace this check just prepared.
    if (job.mode === 'fixAll') {
      post({ type: 'fixed', id: job.id, text: fixAllText(job.text, { ...options, previous: checked.built.parsed }).text });
      return;
    }
    if (job.keepParse) keepParse(job.uri, checked.built.parsed);
    else parses.delete(job.uri);
    const { findings, ruleErrors, notes, skipped } = checked;
    const { model } = checked.built;
    const summary = { kind: model.kind, disabled: model.disabled, stageCount: model.stages.length, notes: model.notes };
    post({ type: 'checked', id: job.id, summary, findings, ruleErrors, notes, skipped });
    // The diagnostics are on their way; the model (a tenth of a second for a large plan) follows.
    const textIsDocument = model.text === job.text;
    post({ type: 'model', id: job.id, modelJson: JSON.stringify(textIsDocument ? { ...model, text: '' } : model), textIsDocument });
  } catch (error) {
    post({ type: 'failed', id: job.id, message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
}

function post(reply: CheckReply): void {
  parentPort!.postMessage(reply);
}

parentPort?.on('message', (message: WorkerMessage) => {
  switch (message.type) {
    case 'check':
      void check(message).then(() => collector.busy());
      return;
    case 'filesChanged':
      for (const workspace of workspaces.values()) for (const { absPath, change } of message.changes) workspace.fileChanged(absPath, change);
      return;
    case 'forget':
      parses.delete(message.uri);
      return;
  }
});
