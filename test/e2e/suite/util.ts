// Helpers shared by the real-VS-Code tests (bundled into each test file by build.mjs).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DocPlanApi } from '../../../client/src/features';

export const EXTENSION_ID = 'docplan.docplan';
export const WAIT_MS = 30_000;

export function workspaceUri(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the e2e run must open the fixture workspace folder');
  return vscode.Uri.joinPath(folder.uri, relativePath);
}

export async function openInEditor(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { preview: false });
}

/** The activated extension's API. */
export async function docplanApi(): Promise<DocPlanApi> {
  const extension = vscode.extensions.getExtension<DocPlanApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  await api.ready();
  return api;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns a value other than undefined; fails with `describe()` after the limit. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, describe: () => string = () => '', timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) assert.fail(`waited ${timeoutMs} ms for ${what}; ${describe()}`);
    await sleep(200);
  }
}

export function ruleId(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** Zero-based line of the first line containing `text`. */
export function lineOf(document: vscode.TextDocument, text: string): number {
  const line = document.getText().split(/\r?\n/).findIndex((l) => l.includes(text));
  assert.ok(line >= 0, `no line containing ${text} in ${document.uri.path}`);
  return line;
}
