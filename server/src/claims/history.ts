/**
 * When was a checklist item added and when was it ticked, and did the files it names change in between?
 * Asked of git with a fixed number of processes per batch of docs, whatever the number of docs and items:
 *
 * 1. `git log -p -U0 -- <docs...>`: every version of each doc's task lines, oldest first. For each item
 *    (keyed by its text after the box) this gives the commit that added it and the commit that ticked it,
 *    and whether the last committed version had it ticked. (One log rather than one blame per item: blame
 *    names only the last commit that touched a line, not the one that added the item unticked.)
 * 2. `git log --name-only -- <docs...> <named files...>`: the commits touching a doc or any named file, in
 *    order, with the files each changed: "did a named file change between adding and ticking".
 * 3. `git status --porcelain -- <named files...>`: files changed in the working tree, for items ticked
 *    there (since the last commit, which had them unticked); past 64 names, one status of the whole folder.
 *
 * Pathspecs go to the logs on stdin (`--stdin`), so no number of docs meets a command-line limit.
 *
 * Paths are relative to the workspace folder; the folder may sit below the repository's top level.
 */
import { resolve } from 'node:path';
import { GitRepo, isUnknown, runGit, type Unknown } from '../workspace/git';
import { runGitWithInput } from '../workspace/gitBatch';
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

/** Parses `git log -p -U0 --reverse --format=%x01%H` output of one doc: task lines added per commit. */
export function parseDocLog(output: string): Map<string, TaskVersion> {
  return parseDocLogs(output, null).get('') ?? new Map();
}

/**
 * Parses `git log -p -U0 --reverse --format=%x01%H -- <docs...>` output: per doc (top-relative, from each
 * patch's `+++ b/` header; `''` for every patch when `byFile` is null), its task lines added per commit.
 */
export function parseDocLogs(output: string, byFile: ReadonlySet<string> | null): Map<string, Map<string, TaskVersion>> {
  const docs = new Map<string, Map<string, TaskVersion>>();
  let commit: string | null = null;
  let tasks: Map<string, TaskVersion> | null = byFile === null ? new Map() : null;
  if (tasks) docs.set('', tasks);
  for (const line of output.split('\n')) {
    if (line.startsWith('\x01')) {
      commit = line.slice(1).trim();
      continue;
    }
    if (line.startsWith('+++ ')) {
      if (byFile !== null) {
        const path = unquotePath(line.slice(4)).replace(/^b\//, '');
        tasks = byFile.has(path) ? (docs.get(path) ?? new Map<string, TaskVersion>()) : null;
        if (tasks) docs.set(path, tasks);
      }
      continue;
    }
    if (commit === null || tasks === null || !line.startsWith('+')) continue;
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
  return docs;
}

/** A path as a patch header or porcelain status line gives it: C-quoted (`"a\\303\\251"`) when it holds unusual bytes. */
export function unquotePath(path: string): string {
  const trimmed = path.trim();
  if (trimmed.length < 2 || !trimmed.startsWith('"') || !trimmed.endsWith('"')) return trimmed;
  const bytes: number[] = [];
  const body = trimmed.slice(1, -1);
  const escapes: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '"': 34, '\\': 92 };
  for (let at = 0; at < body.length; at++) {
    const char = body[at];
    if (char !== '\\') {
      bytes.push(...Buffer.from(char, 'utf8'));
      continue;
    }
    const octal = /^[0-7]{3}/.exec(body.slice(at + 1));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      at += 3;
    } else {
      bytes.push(escapes[body[at + 1]] ?? body.charCodeAt(at + 1));
      at += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Parses `git log --reverse --name-only --format=%x01%H`: commits in order with the paths each changed.
 * With `wanted`, only those paths are kept, and a commit that changed none of them is left out.
 */
export function parseNameLog(output: string, wanted?: ReadonlySet<string>): { order: Map<string, number>; changed: Set<string>[] } {
  const order = new Map<string, number>();
  const changed: Set<string>[] = [];
  let commit: string | null = null;
  let paths: Set<string> | null = null;
  const close = () => {
    if (commit !== null && paths !== null && (wanted === undefined || paths.size > 0)) {
      order.set(commit, changed.length);
      changed.push(paths);
    }
  };
  for (const line of output.split('\n')) {
    if (line.startsWith('\x01')) {
      close();
      commit = line.slice(1).trim();
      paths = new Set();
    } else if (line.trim() !== '' && paths !== null) {
      const path = unquotePath(line);
      if (wanted === undefined || wanted.has(path)) paths.add(path);
    }
  }
  close();
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

async function openRepository(root: string, git: string): Promise<GitRepo | Unknown> {
  const known = repositories.get(root);
  if (known) return known;
  const repo = await GitRepo.open(root, { git });
  // Only a found repository is kept: a folder may become one later (git init).
  if (!isUnknown(repo)) repositories.set(root, repo);
  return repo;
}

/** One doc's questions for `loadItemHistoriesMany`. */
export interface DocQuestions {
  docAbsPath: string;
  questions: readonly ItemQuestion[];
}

/** More pathspecs than this and the name log reads the whole history instead (see below). */
const PATHSPEC_LIMIT = 64;

/**
 * Asks git about the items of many docs of one folder at once: two logs and the working-tree status,
 * whatever the number of docs. Never rejects: each doc's answer is unknown when git cannot give it.
 */
export async function loadItemHistoriesMany(root: string, requests: readonly DocQuestions[], git = 'git'): Promise<Map<string, DocItemHistories | Unknown>> {
  const answers = new Map<string, DocItemHistories | Unknown>();
  const all = (value: Unknown) => {
    for (const request of requests) answers.set(request.docAbsPath, value);
    return answers;
  };
  try {
    if (requests.length === 0) return answers;
    const repo = await openRepository(resolve(root), git);
    if (isUnknown(repo)) return all(repo);
    const prefix = repo.folderPrefix(root);
    if (prefix === null) return all({ kind: 'unknown', reason: 'the folder is outside the git repository' });
    const topOf = (rel: string) => (prefix === '' ? rel : `${prefix}/${rel}`);
    const docs: { request: DocQuestions; top: string }[] = [];
    for (const request of requests) {
      const top = repo.relative(request.docAbsPath);
      if (top === null || /[\n\r\0]/.test(top)) answers.set(request.docAbsPath, { kind: 'unknown', reason: 'the doc is outside the git repository' });
      else docs.push({ request, top });
    }
    if (docs.length === 0) return answers;
    const docTops = [...new Set(docs.map((doc) => doc.top))];
    const files = [...new Set(docs.flatMap((doc) => doc.request.questions.flatMap((question) => question.files)))].filter((path) => !/[\n\r\0]/.test(path)).sort();
    const flags = ['--no-renames', '--no-ext-diff', '--no-textconv', '--no-color', '--no-show-signature'];
    const options = { timeoutMs: 30_000, maxBuffer: 256 * 1024 * 1024 };
    const specs = (paths: readonly string[]) => `--\n${paths.join('\n')}\n`;
    const nameSpecs = [...docTops, ...files.map(topOf)];
    const statusRuns: Promise<{ ok: true; stdout: Buffer } | { ok: false; reason: string }>[] = [];
    const status = (untracked: 'all' | 'normal', paths: readonly string[]) =>
      runGit(['status', '--porcelain=v1', `--untracked-files=${untracked}`, '--no-renames', '--', ...paths], repo.top, { git });
    // Each status compares every file of the index with the disk: past a few dozen paths, one status of the
    // whole folder (filtered here) beats several, which each did that pass again (5 runs of 0.5-0.9 s, 20,000
    // files). It lists an untracked directory whole instead of walking it (see WorkingTreeChanges).
    if (files.length > PATHSPEC_LIMIT) statusRuns.push(status('normal', [prefix === '' ? '.' : prefix]));
    else if (files.length > 0) statusRuns.push(status('all', files.map(topOf)));
    const [docLog, nameLog, ...statuses] = await Promise.all([
      runGitWithInput(git, repo.top, ['log', '--stdin', '--reverse', '-p', '-U0', '--format=%x01%H', ...flags], specs(docTops), options),
      // Git matches every changed path against every pathspec: past a few dozen, one pass over the whole
      // history filtered here is many times faster (2,400 pathspecs over 300 commits: 13 s against 0.2 s).
      nameSpecs.length > PATHSPEC_LIMIT
        ? runGitWithInput(git, repo.top, ['log', '--reverse', '--name-only', '--format=%x01%H', ...flags], '', options)
        : runGitWithInput(git, repo.top, ['log', '--stdin', '--reverse', '--name-only', '--format=%x01%H', ...flags], specs(nameSpecs), options),
      ...statusRuns,
    ]);
    if (!docLog.ok) return all({ kind: 'unknown', reason: docLog.reason });
    if (!nameLog.ok) return all({ kind: 'unknown', reason: nameLog.reason });
    const taskLogs = parseDocLogs(docLog.stdout.toString('utf8'), new Set(docTops));
    const { order, changed } = parseNameLog(nameLog.stdout.toString('utf8'), new Set(nameSpecs));
    const dirty = new WorkingTreeChanges();
    for (const status of statuses) if (status.ok) dirty.add(status.stdout.toString('utf8'));
    for (const { request, top } of docs) answers.set(request.docAbsPath, { items: itemHistories(request.questions, taskLogs.get(top) ?? new Map(), order, changed, dirty, topOf) });
    return answers;
  } catch (error) {
    return all({ kind: 'unknown', reason: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * The paths `git status --porcelain=v1` lists (top-relative). An untracked directory, listed whole as
 * `?? dir/` with `--untracked-files=normal`, holds every path below it.
 */
export class WorkingTreeChanges {
  private readonly paths = new Set<string>();
  private readonly dirs: string[] = [];

  /** Reads one status output. */
  add(porcelain: string): void {
    for (const line of porcelain.split('\n')) {
      if (line.length <= 3) continue;
      const path = unquotePath(line.slice(3));
      if (path.endsWith('/')) this.dirs.push(path);
      else this.paths.add(path);
    }
  }

  /** Whether the working tree changed `path` (top-relative). */
  has(path: string): boolean {
    return this.paths.has(path) || this.dirs.some((dir) => path.startsWith(dir));
  }
}

/** Each question's answer from one doc's task versions and the combined log of the named files. */
function itemHistories(
  questions: readonly ItemQuestion[],
  tasks: Map<string, TaskVersion>,
  order: Map<string, number>,
  changed: Set<string>[],
  dirty: WorkingTreeChanges,
  topOf: (rel: string) => string,
): Map<string, ItemHistory> {
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
  return items;
}

