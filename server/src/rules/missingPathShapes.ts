/**
 * Missing paths a reader would not call rot, whatever git says: an example ("e.g. `x`"), a file of the
 * user's own project that the doc describes ("the repository's local `x`", "its own `x`"), a file written
 * into another tree ("Write `x` to the worktree"), a file in a folder the repository partly keeps out of
 * git, and a data file a running program appends to (a `.jsonl` among others of its kind).
 */
import type { Reference } from '../model/types';
import type { LineIndex } from '../model/text';
import type { DocWorkspace } from '../workspace/workspace';
import { docDirOf } from '../workspace/paths';

/** "e.g. `x`", "for example `x`", "such as `x`": an illustration, not a file the doc depends on. */
const EXAMPLE_BEFORE = /(?:\be\.g\.|\beg\.|\bfor (?:example|instance)|\bsuch as)\s*[:,]?\s*`?$/i;
/** "the repository's local `x`", "its own `x`", "Repository-specific `x`": a file of any project the tool serves. */
const USERS_OWN_BEFORE =
  /(?:\b(?:the|a|each|every|any)\s+(?:user'?s|repository'?s|repo'?s|project'?s|package'?s|workspace'?s)\s+(?:own\s+|local\s+)*|\b(?:its|their|your) own\s+(?:local\s+)?|\b(?:repository|repo|project|package|workspace)-specific\s+|\bper-(?:repo|repository|project|package)\s+)`?$/i;
/** "Write `x` to the worktree", "copied into each worktree": a file of another tree the tool creates. */
const WRITTEN_ELSEWHERE = /\b(?:write|writes|written|copy|copies|copied|generate|generates|generated)\b.*\b(?:to|into|in)\s+(?:the\s+|a\s+|each\s+|every\s+|new\s+|created\s+|target\s+)*(?:worktrees?|target (?:repo|repository|project|directory))\b/i;
/** Files a program appends records to: their names change with every run. */
const DATA_RECORD = /\.(?:jsonl|ndjson|csv|tsv|log)$/i;

/** Why the missing `relPath` named by `reference` is not rot, or null when it may be. */
export function notRotShape(workspace: DocWorkspace, lines: LineIndex, reference: Reference, relPath: string): string | null {
  const line = lines.lineText(reference.range.start.line);
  const before = line.slice(0, reference.range.start.character);
  if (EXAMPLE_BEFORE.test(before.replace(/\(\s*`?$/, ''))) return 'an example';
  if (USERS_OWN_BEFORE.test(before)) return "a file of the user's own project";
  if (WRITTEN_ELSEWHERE.test(line)) return 'a file written into another tree';
  const index = workspace.folder.index;
  const dir = docDirOf(relPath);
  if (dir !== '' && index.partlyIgnored(dir)) return 'in a folder the repository partly keeps out of git';
  if (DATA_RECORD.test(relPath) && dir !== '' && index.kindOf(dir) === 'dir') {
    const extension = /\.[^.]+$/.exec(relPath)![0].toLowerCase();
    const kin = index.childrenOf(dir).filter((name) => name.toLowerCase().endsWith(extension));
    if (kin.length >= 2) return 'a data file a program writes';
  }
  return null;
}
