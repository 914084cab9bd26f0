/**
 * When was a checklist item added and when was it ticked, and did the files it names change in between?
 * Asked of git with a fixed number of processes per doc, whatever the number of items:
 *
 * 1. `git log -p -U0 -- <doc>`: every version of the doc's task lines, oldest first. For each item (keyed
 *    by its text after the box) this gives the commit that added it and the commit that ticked it, and
 *    whether the last committed version had it ticked. (One log rather than one blame per item: blame
 *    names only the last commit that touched a line, not the one that added the item unticked.)
 * 2. `git log --name-only -- <doc> <named files...>`: the commits touching the doc or any named file, in
 *    order, with the files each changed: "did a named file change between adding and ticking".
 * 3. `git status --porcelain -- <named files...>`: files changed in the working tree, for items ticked
 *    there (since the last commit, which had them unticked).
 *
 * Paths are relative to the workspace folder; the folder may sit below the repository's top level.
 */
import { relative, resolve, sep } from 'node:path';
import { GitRepo, isUnknown, runGit, type Unknown } from '../workspace/git';
import { TASK_LINE } from '../model/itemClaims';

/** A commit, as much as messages need. */
export interface CommitRef {
  hash: string;
  /** Position in the combined log, oldest = 0. */
  order: number;
}

/** What git says about one item. */
export interface ItemHistory {
  /** The commit that first added the item (ticked or not). */
  added: CommitRef;
  /** The commit that ticked it, or `working-tree` when the last commit had it unticked. */
  ticked: CommitRef | 'working-tree' | null;
  /** True when one of the files changed after `added` and up to the tick (or now, when not ticked), working tree included. */
  filesChanged: boolean;
}

/** Per doc: the history of each item by its text, and what was asked. */
export interface DocItemHistories {
  items: Map<string, ItemHistory>;
}

/** The key of an item in git history: its text after the box, spaces squeezed. */
export function itemKey(text: string): string {
  return text.replace(/<!--.*?-->/g, '').trim().replace(/\s+/g, ' ');
}

interface TaskVersion {
  added: string | null;
  ticked: string | null;
  lastTicked: boolean;
}

/** Parses `git log -p -U0 --reverse --format=%x01%H` output: task lines added per commit. */
export function parseDocLog(output: string): Map<string, TaskVersion> {
  const tasks = new Map<string, TaskVersion>();
  let commit: string | null = null;
  for (const line of output.split('\n')) {
    if (line.startsWith('\x01')) {
      commit = line.slice(1).trim();
      continue;
    }
    if (commit === null || !line.startsWith('+') || line.startsWith('+++')) continue;
    const match = TASK_LINE.exec(line.slice(1));
    if (!match) continue;
    const key = itemKey(match[4]);
    const ticked = match[2] !== ' ';
    const version = tasks.get(key) ?? { added: null, ticked: null, lastTicked: false };
    version.added ??= commit;
    if (ticked && !version.lastTicked) version.ticked = commit;
    version.lastTicked = ticked;
    tasks.set(key, version);
  }
  return tasks;
}

/** Parses `git log --reverse --name-only --format=%x01%H`: commits in order with the paths each changed. */
export function parseNameLog(output: string): { order: Map<string, number>; changed: Set<string>[] } {
  const order = new Map<string, number>();
  const changed: Set<string>[] = [];
  for (const line of output.split('\n')) {
    if (line.startsWith('\x01')) {
      order.set(line.slice(1).trim(), changed.length);
      changed.push(new Set());
    } else if (line.trim() !== '' && changed.length > 0) {
      changed[changed.length - 1].add(line.trim());
    }
  }
  return { order, changed };
}

/** The item questions for one doc: the item's key and the folder-relative files it names. */
export interface ItemQuestion {
  key: string;
  /** Whether the item is ticked in the text being checked. */
  checked: boolean;
  files: string[];
}

/** Repositories already found, by folder: `rev-parse` once per folder and process, not once per doc. */
const repositories = new Map<string, GitRepo>();

async function openRepository(root: string): Promise<GitRepo | Unknown> {
  const known = repositories.get(root);
  if (known) return known;
  const repo = await GitRepo.open(root);
  // Only a found repository is kept: a folder may become one later (git init).
  if (!isUnknown(repo)) repositories.set(root, repo);
  return repo;
}

/** Asks git about a doc's items (three processes). Never rejects: unknown when git cannot answer. */
export async function loadItemHistories(root: string, docAbsPath: string, questions: readonly ItemQuestion[]): Promise<DocItemHistories | Unknown> {
  try {
    const repo = await openRepository(resolve(root));
    if (isUnknown(repo)) return repo;
    const docTop = repo.relative(docAbsPath);
    if (docTop === null) return { kind: 'unknown', reason: 'the doc is outside the git repository' };
    const prefix = folderPrefix(repo, root);
    if (prefix === null) return { kind: 'unknown', reason: 'the folder is outside the git repository' };
    const topOf = (rel: string) => (prefix === '' ? rel : `${prefix}/${rel}`);
    const files = [...new Set(questions.flatMap((question) => question.files))].sort();
    const flags = ['--no-renames', '--no-ext-diff', '--no-textconv', '--no-color', '--no-show-signature'];
    const [docLog, nameLog, status] = await Promise.all([
      runGit(['log', '--reverse', '-p', '-U0', '--format=%x01%H', ...flags, '--', docTop], repo.top),
      runGit(['log', '--reverse', '--name-only', '--format=%x01%H', ...flags, '--', docTop, ...files.map(topOf)], repo.top),
      files.length > 0 ? runGit(['status', '--porcelain=v1', '--untracked-files=all', '--no-renames', '--', ...files.map(topOf)], repo.top) : Promise.resolve({ ok: true as const, stdout: Buffer.from('') }),
    ]);
    if (!docLog.ok) return { kind: 'unknown', reason: docLog.reason };
    if (!nameLog.ok) return { kind: 'unknown', reason: nameLog.reason };
    const tasks = parseDocLog(docLog.stdout.toString('utf8'));
    const { order, changed } = parseNameLog(nameLog.stdout.toString('utf8'));
    const dirty = new Set<string>();
    if (status.ok) {
      for (const line of status.stdout.toString('utf8').split('\n')) if (line.length > 3) dirty.add(line.slice(3).trim().replace(/^"|"$/g, ''));
    }
    const items = new Map<string, ItemHistory>();
    for (const question of questions) {
      const task = tasks.get(question.key);
      if (!task?.added) continue;
      const addedOrder = order.get(task.added);
      if (addedOrder === undefined) continue;
      const tops = new Set(question.files.map(topOf));
      let ticked: ItemHistory['ticked'] = null;
      let until = changed.length - 1;
      let includeDirty = true;
      if (question.checked) {
        if (task.lastTicked && task.ticked !== null && order.has(task.ticked)) {
          ticked = { hash: task.ticked, order: order.get(task.ticked)! };
          until = ticked.order;
          includeDirty = false;
        } else {
          ticked = 'working-tree';
        }
      }
      let filesChanged = includeDirty && [...tops].some((top) => dirty.has(top));
      for (let at = addedOrder + 1; !filesChanged && at <= until; at++) filesChanged = [...tops].some((top) => changed[at].has(top));
      items.set(question.key, { added: { hash: task.added, order: addedOrder }, ticked, filesChanged });
    }
    return { items };
  } catch (error) {
    return { kind: 'unknown', reason: error instanceof Error ? error.message : String(error) };
  }
}

/** The folder's path below the repository top (`''` at the top), or null outside it. */
function folderPrefix(repo: GitRepo, root: string): string | null {
  const rel = repo.relative(resolve(root));
  if (rel !== null) return rel;
  const direct = relative(repo.top, resolve(root));
  if (direct === '') return '';
  return direct.startsWith('..') ? null : direct.split(sep).join('/');
}
