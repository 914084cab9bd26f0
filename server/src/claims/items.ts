/**
 * The completion picture of a plan's checklist items: for each item, the claims its words make, how they
 * fare in the workspace, the files it names, and what git says about when it was added and ticked. Built
 * once per model (cached) from what `prepareCompletionMany` loaded; read by the three completion rules,
 * `docplan sync` and `docplan status`.
 */
import { statSync } from 'node:fs';
import { LineIndex } from '../model/text';
import type { DocModel, ListItem, Stage } from '../model/types';
import type { DocWorkspace, FolderWorkspace } from '../workspace/workspace';
import { claimsOfText, namedPathsOfText, taskText, type Claim } from '../model/itemClaims';
import { itemKey, loadItemHistoriesMany, type DocItemHistories, type ItemHistory, type ItemQuestion } from './history';
import { claimPath, verifyClaim, type ClaimVerdict } from './verify';
import { isUnknown, type Unknown } from '../workspace/git';
import { readResults, resultsPath, resultsSignature, type ReadResults } from '../evidence/results';

/** One checklist item with what DocPlan can say about its completion. */
export interface ItemCompletion {
  item: ListItem;
  stage: Stage;
  /** Which list of the stage holds it. */
  part: 'changes' | 'validation' | 'completion-criteria';
  claims: Claim[];
  verdicts: ClaimVerdict[];
  /** Folder-relative files its code spans name (claims or not), inside the folder. */
  files: string[];
  /** What git says, or null (no git, untracked doc, item typed since the last commit). */
  history: ItemHistory | null;
}

interface FolderState {
  results: (ReadResults & { signature: string | null }) | null;
  histories: Map<string, { question: string; at: number; value: DocItemHistories | Unknown }>;
  reportedProblems: Set<string>;
}

const states = new WeakMap<FolderWorkspace, FolderState>();
/** A doc's git answers are reused this long while its questions do not change (typing re-checks often). */
const HISTORY_TTL_MS = 5000;

function stateOf(folder: FolderWorkspace): FolderState {
  let state = states.get(folder);
  if (!state) {
    state = { results: null, histories: new Map(), reportedProblems: new Set() };
    states.set(folder, state);
  }
  return state;
}

/** Each stage's own checkable items (steps' items belong to the steps), with their part. */
export function stageItems(stage: Stage): { item: ListItem; part: ItemCompletion['part'] }[] {
  return [
    ...stage.changes.map((item) => ({ item, part: 'changes' as const })),
    ...stage.validationItems.map((item) => ({ item, part: 'validation' as const })),
    ...stage.completionCriteria.map((item) => ({ item, part: 'completion-criteria' as const })),
  ].filter(({ item }) => item.checked !== null);
}

function allStages(stages: readonly Stage[]): Stage[] {
  return stages.flatMap((stage) => [stage, ...allStages(stage.children)]);
}

interface RawItem {
  item: ListItem;
  stage: Stage;
  part: ItemCompletion['part'];
  key: string | null;
  claims: Claim[];
  files: string[];
}

const rawByModel = new WeakMap<DocModel, { folder: FolderWorkspace; raw: RawItem[] }>();

/** The items of every stage with their words' claims and named files (once per model: prepare and three rules read them). */
function rawItems(model: DocModel, lines: LineIndex | null, folder: FolderWorkspace): RawItem[] {
  const cached = rawByModel.get(model);
  if (cached?.folder === folder) return cached.raw;
  const raw = computeRawItems(model, lines ?? new LineIndex(model.text), folder);
  rawByModel.set(model, { folder, raw });
  return raw;
}

function computeRawItems(model: DocModel, lines: LineIndex, folder: FolderWorkspace): RawItem[] {
  const seen = new Set<ListItem>();
  const raw: RawItem[] = [];
  for (const stage of allStages(model.stages)) {
    for (const { item, part } of stageItems(stage)) {
      if (seen.has(item)) continue;
      seen.add(item);
      // A YAML todo's words are its content value, not the Markdown line it starts on.
      const text = item.sourceText ?? taskText(lines.lineText(item.range.start.line));
      if (text === null) {
        raw.push({ item, stage, part, key: null, claims: [], files: [] });
        continue;
      }
      const files = namedPathsOfText(text)
        .filter((path) => claimPath(folder, path) !== null)
        .map((path) => namedFile(folder, path));
      raw.push({ item, stage, part, key: itemKey(text), claims: claimsOfText(text), files });
    }
  }
  return raw;
}

/**
 * The folder-relative file an item's code span names: a bare name (`ci.yml`) that is not at the root is
 * the one file of that name anywhere in the folder, so that git is asked about the file the item meant.
 */
function namedFile(folder: FolderWorkspace, path: string): string {
  if (path.includes('/') || folder.index.kindOf(path) !== 'none') return path;
  return folder.index.uniqueByBasename(path) ?? path;
}

/** Folder-relative paths the doc's task items claim to create or add symbols to (for the history of missing ones). */
export function claimedPaths(folder: FolderWorkspace, model: DocModel): string[] {
  const paths = new Set<string>();
  for (const entry of rawItems(model, null, folder)) {
    for (const claim of entry.claims) {
      if (claim.kind === 'deletes') continue;
      const resolved = folder.resolver.resolve(claim.path);
      if (resolved.kind === 'inside') paths.add(resolved.relPath);
    }
  }
  return [...paths];
}

/**
 * Loads what the completion rules read for docs: the folder's recorded results, symbols of the files
 * symbol claims name, and git's answers about the docs' items, asked in one batch. Never rejects.
 */
export async function prepareCompletionMany(folder: FolderWorkspace, docs: readonly { model: DocModel; docAbsPath: string }[]): Promise<void> {
  try {
    const state = stateOf(folder);
    const now = Date.now();
    const pending: Promise<unknown>[] = [];
    // One stat per check: the file changes when a run is recorded, by this process or another. Read
    // synchronously, like .docplan.json: it is small, and the read never touches the file.
    const signature = resultsSignature(folder.root);
    if (state.results === null || state.results.signature !== signature) state.results = { ...readResults(folder.root, { setAside: false }), signature };
    const symbolFiles: string[] = [];
    const asks: { docAbsPath: string; questions: ItemQuestion[]; question: string }[] = [];
    for (const { model, docAbsPath } of docs) {
      const raw = rawItems(model, null, folder);
      for (const entry of raw) {
        for (const claim of entry.claims) {
          const path = claim.kind === 'defines' ? claimPath(folder, claim.path) : null;
          if (path !== null) symbolFiles.push(path);
        }
      }
      if (folder.git === null) continue;
      const questions: ItemQuestion[] = raw
        .filter((entry) => entry.key !== null && entry.files.length > 0)
        .map((entry) => ({ key: entry.key!, checked: entry.item.checked === true, files: entry.files }));
      // The named files' stats are part of the question: an edit to one of them (working-tree status) asks
      // git again at once instead of after the reuse delay.
      const stamps = [...new Set(questions.flatMap((entry) => entry.files))].map((path) => fileStamp(claimPath(folder, path)));
      const question = JSON.stringify([questions, stamps]);
      const cached = state.histories.get(docAbsPath);
      if (questions.length > 0 && (!cached || cached.question !== question || now - cached.at > HISTORY_TTL_MS)) asks.push({ docAbsPath, questions, question });
    }
    // Loading tree-sitter costs a few hundred milliseconds once: only when an item claims a symbol.
    if (symbolFiles.length > 0) pending.push(folder.symbols.prepare(symbolFiles));
    if (asks.length > 0) {
      pending.push(
        loadItemHistoriesMany(folder.root, asks).then((answers) => {
          for (const ask of asks) {
            const value = answers.get(ask.docAbsPath);
            if (value) state.histories.set(ask.docAbsPath, { question: ask.question, at: Date.now(), value });
          }
        }),
      );
    }
    await Promise.allSettled(pending);
  } catch {
    // Completion checks then stay silent.
  }
}

/** Size, mtime and inode of a file, or `-` when it is missing (or outside the folder). */
function fileStamp(absPath: string | null): string {
  if (absPath === null) return '-';
  try {
    const stats = statSync(absPath, { throwIfNoEntry: false });
    if (stats === undefined) return '-';
    return `${stats.size}:${stats.mtimeMs}:${stats.ino}`;
  } catch {
    return '-';
  }
}

/** The folder's recorded results as last prepared (empty before), and a problem to report once. */
export function preparedResults(folder: FolderWorkspace): { results: ReadResults['file']['results']; problem: string | null } {
  const state = stateOf(folder);
  folder.files.dependOn(resultsPath(folder.root));
  const read = state.results;
  if (!read) return { results: [], problem: null };
  let problem: string | null = null;
  if (read.problem !== null && !state.reportedProblems.has(`${read.signature}:${read.problem}`)) {
    state.reportedProblems.add(`${read.signature}:${read.problem}`);
    problem = read.problem;
  }
  return { results: read.file.results, problem };
}

const completions = new WeakMap<DocModel, ItemCompletion[]>();

/** The completion picture of a doc's items (cached per model). Null outside a workspace folder. */
export function itemCompletions(model: DocModel, lines: LineIndex, workspace: DocWorkspace | null): ItemCompletion[] | null {
  if (!workspace) return null;
  const folder = workspace.folder;
  const cached = completions.get(model) ?? computeCompletions(model, lines, workspace);
  completions.set(model, cached);
  // Git's answers about the named files (changed in the working tree or not) and the claims' stat calls do
  // not go through the file cache: say that these findings depend on those files, so a cached check (CLI
  // cache, replayed run) is redone when one of them changes.
  for (const entry of cached) {
    for (const path of [...entry.files, ...entry.claims.map((claim) => claim.path)]) {
      const abs = claimPath(folder, path);
      if (abs !== null) folder.files.dependOn(abs);
    }
  }
  return cached;
}

function computeCompletions(model: DocModel, lines: LineIndex, workspace: DocWorkspace): ItemCompletion[] {
  const folder = workspace.folder;
  const histories = stateOf(folder).histories.get(workspace.docAbsPath)?.value;
  const result = rawItems(model, lines, folder).map((entry) => {
    const history = histories && !isUnknown(histories) && entry.key !== null ? (histories.items.get(entry.key) ?? null) : null;
    return { item: entry.item, stage: entry.stage, part: entry.part, claims: entry.claims, verdicts: entry.claims.map((claim) => verifyClaim(folder, claim)), files: entry.files, history };
  });
  return result;
}

/** An edit that sets an item's box to ticked or unticked. */
export function boxEdit(item: ListItem, lines: LineIndex, checked: boolean) {
  // A YAML todo's box is its status value.
  if (item.statusValueRange) return { range: item.statusValueRange, newText: checked ? 'completed' : 'pending' };
  const box = item.checkboxRange!;
  const text = lines.lineText(box.start.line);
  const open = text.indexOf('[', box.start.character);
  const at = open >= 0 ? open + 1 : box.start.character + 1;
  return { range: { start: { line: box.start.line, character: at }, end: { line: box.start.line, character: at + 1 } }, newText: checked ? 'x' : ' ' };
}

/** An edit that removes a stage heading's done marker (`✅`, `COMPLETE`) with the space before it, or null. */
export function removeDoneMarkEdit(stage: Stage, lines: LineIndex) {
  if (stage.headingMark?.mark !== 'done') return null;
  const { range } = stage.headingMark;
  const before = lines.lineText(range.start.line).slice(0, range.start.character);
  const start = before.replace(/\s+$/, '').length;
  return { range: { start: { line: range.start.line, character: start }, end: range.end }, newText: '' };
}
