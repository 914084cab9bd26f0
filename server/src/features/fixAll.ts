/** `source.fixAll.docplan` and `docplan check --fix`: apply every safe fix until nothing changes. */
import type { TextEdit } from 'vscode-languageserver-types';
import { checkText, type CheckOptions } from '../check';
import type { Finding } from '../rules/types';
import { applyEditGroups } from './edits';

/** The edits of each finding's fix-all-safe fix (one group per finding that has one). */
export function fixAllGroups(findings: readonly Finding[]): TextEdit[][] {
  const groups: TextEdit[][] = [];
  for (const finding of findings) {
    const fix = finding.fixes.find((candidate) => candidate.fixAll);
    if (fix) groups.push(fix.edits);
  }
  return groups;
}

const MAX_PASSES = 5;

/**
 * Applies safe fixes, re-checking between passes (a fix may uncover or settle another, and fixes that
 * overlapped wait for the next pass), until a pass changes nothing or `MAX_PASSES` is reached.
 */
export function fixAllText(text: string, options: CheckOptions): { text: string; applied: number } {
  let current = text;
  let applied = 0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const groups = fixAllGroups(checkText(current, options).findings);
    if (groups.length === 0) break;
    const result = applyEditGroups(current, groups);
    if (result.text === current) break;
    current = result.text;
    applied += result.applied;
  }
  return { text: current, applied };
}
