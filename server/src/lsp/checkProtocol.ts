/**
 * The messages between the server's main thread and its check workers (structured-clone-able data only).
 */
import type { DocPlanConfig } from '../config/config';
import type { DocKind } from '../model/types';
import type { Finding } from '../rules/types';
import type { FileChange } from '../workspace/fileIndex';

/** Check one document's text. */
export interface CheckJob {
  type: 'check';
  id: number;
  uri: string;
  text: string;
  config: DocPlanConfig;
  /** Folder-relative path (forward slashes), or null outside any folder. */
  path: string | null;
  /** The document's file-system folder (its services live in the worker), or null. */
  folder: { root: string; git: boolean; docAbsPath: string } | null;
  maxDocMs: number;
  /** Keep this parse for the next check of the same document (open documents, not the workspace check). */
  keepParse: boolean;
  /** `check`: the findings; `fixAll`: the text with every safe fix applied (`source.fixAll.docplan`). */
  mode: 'check' | 'fixAll';
}

/** Files changed on disk: the workers' folder services forget what they cached about them. */
export interface FilesChangedMessage {
  type: 'filesChanged';
  changes: { absPath: string; change: FileChange }[];
}

/** A document closed: its kept parse is dropped. */
export interface ForgetMessage {
  type: 'forget';
  uri: string;
}

export type WorkerMessage = CheckJob | FilesChangedMessage | ForgetMessage;

/** What the main thread reads of a model without parsing it. */
export interface ModelSummary {
  kind: DocKind | null;
  disabled: boolean;
  stageCount: number;
  notes: string[];
}

/**
 * A finished check: the findings, sent as soon as the rules are done so that diagnostics are published
 * without waiting for the model; a `ModelReply` with the same id follows.
 */
export interface CheckedReply {
  type: 'checked';
  id: number;
  summary: ModelSummary;
  findings: Finding[];
  ruleErrors: string[];
  notes: string[];
  skipped: string | null;
}

/** A check that threw (the worker itself is fine). */
export interface FailedReply {
  type: 'failed';
  id: number;
  message: string;
}

/** The text of a `fixAll` job with every safe fix applied. */
export interface FixedReply {
  type: 'fixed';
  id: number;
  text: string;
}

/**
 * The model of a finished check as JSON (without its text when that is the document's), which the main
 * thread parses only when a request needs it: a large plan's model is many times its text, and copying it
 * as objects would hold the main thread for as long as a request may wait.
 */
export interface ModelReply {
  type: 'model';
  id: number;
  modelJson: string;
  /** The model's `text` is the job's text (left out of `modelJson`). */
  textIsDocument: boolean;
}

export type CheckReply = CheckedReply | ModelReply | FixedReply | FailedReply;
