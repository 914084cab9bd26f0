/**
 * Missing paths a reader would not call rot, whatever git says: an example ("e.g. `x`"), a file of the
 * user's own project that the doc describes ("the repository's local `x`", "its own `x`"), a file written
 * into another tree ("Write `x` to the worktree"), a file in a folder the repository partly keeps out of
 * git, and a data file a running program appends to (a `.jsonl` among others of its kind).
 */
import type { Reference } from '../model/types';
import type { DocWorkspace } from '../workspace/workspace';
import type { RuleContext } from './types';
import { docDirOf } from '../workspace/paths';

/** "e.g. `x`", "for example `x`", "such as `x`": an illustration, not a file the doc depends on. */
const EXAMPLE_BEFORE = /(?:\be\.g\.|\beg\.|\bfor (?:example|instance)|\bsuch as|\bformat\s*:|\blike)\s*[:,]?\s*`?$/i;
/** "the repository's local `x`", "its own `x`", "Repository-specific `x`": a file of any project the tool serves. */
const USERS_OWN_BEFORE =
  /(?:\b(?:the|a|each|every|any)\s+(?:user'?s|repository'?s|repo'?s|project'?s|package'?s|workspace'?s)\s+(?:own\s+|local\s+)*|\b(?:its|their|your) own\s+(?:local\s+)?|\b(?:repository|repo|project|package|workspace)-specific\s+|\bper-(?:repo|repository|project|package)\s+)`?$/i;
/** "Write `x` to the worktree", "copied into each worktree": a file of another tree the tool creates. */
const WRITTEN_ELSEWHERE = /\b(?:write|writes|written|copy|copies|copied|generate|generates|generated)\b.*\b(?:to|into|in)\s+(?:the\s+|a\s+|each\s+|every\s+|new\s+|created\s+|target\s+)*(?:worktrees?|target (?:repo|repository|project|directory))\b/i;
/** Files a program appends records to: their names change with every run. */
const DATA_RECORD = /\.(?:jsonl|ndjson|csv|tsv|log)$/i;

/** The part of a rule context the shapes read: the doc's lines and the check's shared memo. */
type ShapeContext = Pick<RuleContext, 'lines' | 'shared'>;

/** Why the missing `relPath` named by `reference` is not rot, or null when it may be. */
export function notRotShape(context: ShapeContext, workspace: DocWorkspace, reference: Reference, relPath: string): string | null {
  const { lines } = context;
  const line = lines.lineText(reference.range.start.line);
  const before = line.slice(0, reference.range.start.character);
  if (EXAMPLE_BEFORE.test(before.replace(/\(\s*`?$/, ''))) return 'an example';
  if (USERS_OWN_BEFORE.test(before)) return "a file of the user's own project";
  if (WRITTEN_ELSEWHERE.test(line)) return 'a file written into another tree';
  if (plannedBeside(context, workspace, relPath)) return 'planned by an open task beside the doc';
  if (listKinPlanned(context, workspace, reference.range.start.line)) return 'listed with files open tasks beside the doc plan';
  if (inSubmodule(context, workspace, relPath)) return 'inside a git submodule';
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

/** What the shapes read once per doc and check: the open-task lines beside it and the submodule paths. */
interface ShapeFacts {
  docAbsPath: string;
  /** Lines of the `tasks.md` beside the doc, null when there is none (or the doc is that file). */
  tasks: readonly string[] | null;
  submodules: readonly string[];
}

/** The facts for this doc, read once per check (every rule of the check shares them). */
function factsOf(context: ShapeContext, workspace: DocWorkspace): ShapeFacts {
  return context.shared(`missing-path-shapes\u0000${workspace.docAbsPath}`, () => readFacts(workspace));
}

function readFacts(workspace: DocWorkspace): ShapeFacts {
  const read = (relPath: string): readonly string[] | null => {
    const resolved = workspace.folder.resolver.resolve(relPath);
    if (resolved.kind !== 'inside') return null;
    const file = workspace.folder.files.text(resolved.absPath);
    return file.ok ? file.lines : null;
  };
  const dir = docDirOf(workspace.docRelPath);
  const tasks = /(?:^|\/)tasks\.md$/i.test(workspace.docRelPath) ? null : read(dir === '' ? 'tasks.md' : `${dir}/tasks.md`);
  const submodules = (read('.gitmodules') ?? [])
    .map((line) => /^\s*path\s*=\s*(.+?)\s*$/.exec(line)?.[1].replace(/^\.\//, '').replace(/\/+$/, '') ?? '')
    .filter((path) => path !== '');
  return { docAbsPath: workspace.docAbsPath, tasks, submodules };
}

/**
 * True when the `tasks.md` beside the doc (a design or requirements doc of a triple or feature folder) has
 * an open task naming the path: the file is planned work, not rot.
 */
function plannedBeside(context: ShapeContext, workspace: DocWorkspace, relPath: string): boolean {
  const tasks = factsOf(context, workspace).tasks;
  if (tasks === null) return false;
  // The line naming it, or a sub-bullet of it ("  - Create `x`"): the nearest task box at or above decides.
  return tasks.some((line, at) => {
    if (!line.includes(relPath)) return false;
    for (let up = at; up >= 0 && up >= at - 10; up--) {
      const box = /^\s*(?:[-*+]|\d+[.)])\s+\[([ xX])\]/.exec(tasks[up]);
      if (box) return box[1] === ' ';
    }
    return false;
  });
}

const LIST_ITEM = /^(\s*)(?:[-*+]|\d+[.)])\s/;

/**
 * True when the list item at `line` sits among items (the same list, same indent) whose files an open task
 * beside the doc plans: a design's "Property test files:" list whose tasks were written for most of them.
 */
function listKinPlanned(context: ShapeContext, workspace: DocWorkspace, line: number): boolean {
  const { lines } = context;
  if (factsOf(context, workspace).tasks === null) return false;
  const indent = LIST_ITEM.exec(lines.lineText(line))?.[1];
  if (indent === undefined) return false;
  const kin = (at: number) => {
    const item = LIST_ITEM.exec(lines.lineText(at));
    return item !== null && item[1] === indent;
  };
  for (const step of [-1, 1]) {
    for (let at = line + step; at >= 0 && at < lines.lineCount && at >= line - 30 && at <= line + 30 && kin(at); at += step) {
      for (const match of lines.lineText(at).matchAll(/`([^`\s]+\/[^`\s]+)`/g)) if (plannedBeside(context, workspace, match[1])) return true;
    }
  }
  return false;
}

/** True when the path lies inside a git submodule of the folder (`.gitmodules`): its files are not in this checkout. */
export function inSubmodule(context: ShapeContext, workspace: DocWorkspace, relPath: string): boolean {
  return factsOf(context, workspace).submodules.some((path) => relPath === path || relPath.startsWith(`${path}/`));
}
