/** Applying text edits to a string (for fix-all in the CLI and for tests). */
import type { TextEdit } from 'vscode-languageserver-types';
import { LineIndex } from '../model/text';

interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

function overlaps(a: OffsetEdit, b: OffsetEdit): boolean {
  // Two insertions at one point are kept in order; anything else that shares characters overlaps.
  if (a.start === a.end && b.start === b.end) return false;
  return (a.start < b.end && b.start < a.end) || (a.start === b.start && (a.end > a.start || b.end > b.start));
}

/**
 * Applies groups of edits to `text`, each group all or nothing: a group that overlaps one already taken is
 * skipped and counted, so that a caller can run another pass on the result.
 */
export function applyEditGroups(text: string, groups: readonly (readonly TextEdit[])[]): { text: string; applied: number; skipped: number } {
  const lines = new LineIndex(text);
  const taken: OffsetEdit[] = [];
  let applied = 0;
  let skipped = 0;
  for (const group of groups) {
    const resolved = group.map((edit) => ({ start: lines.offsetAt(edit.range.start), end: lines.offsetAt(edit.range.end), newText: edit.newText }));
    const clash = resolved.some((edit, index) => taken.some((other) => overlaps(edit, other)) || resolved.some((other, j) => j !== index && overlaps(edit, other)));
    if (clash) {
      skipped++;
      continue;
    }
    taken.push(...resolved);
    applied++;
  }
  taken.sort((a, b) => a.start - b.start);
  let result = '';
  let cursor = 0;
  for (const edit of taken) {
    result += text.slice(cursor, edit.start) + edit.newText;
    cursor = edit.end;
  }
  return { text: result + text.slice(cursor), applied, skipped };
}

/** Applies one set of edits as a single group. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return applyEditGroups(text, [edits]).text;
}
