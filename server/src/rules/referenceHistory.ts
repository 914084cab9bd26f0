/**
 * Is a path that is missing now history where the doc names it, rather than rot? Git's record of the
 * path (workspace/pathHistory.ts) against the doc's own: a record of finished work names the tree of its
 * time, a doc committed with (or written right after) the removal knows the file is gone, and a design
 * that presents the current system or open work is read by someone about to act, so a gone file there is rot.
 */
import type { DocModel, Reference } from '../model/types';
import type { LineIndex } from '../model/text';
import type { DocWorkspace } from '../workspace/workspace';
import { docFinished, docHasOpenWork, presentsCurrentSystem, workStateAt } from '../claims/record';

/**
 * How soon after a removal a doc that came to its path is taken to be written about it (a week: a handoff
 * or a move made in the same piece of work). A doc written long after a file went away and naming it as if
 * it were there is wrong from birth, and still reported.
 */
const AFTERMATH_SECONDS = 7 * 24 * 3600;

/**
 * True when a path missing now is history where the doc names it: a commit once had it (one of `relPaths`,
 * the readings of the reference), and the place is a record of finished work (a ticked task, a done stage,
 * a finished plan), or a plan part marking no progress that was last committed before the path went away.
 * A design that presents the current system and open work are never history: a reader acts on them.
 */
export function isHistory(model: DocModel, workspace: DocWorkspace, lines: LineIndex, reference: Reference, relPaths: readonly string[]): boolean {
  const history = workspace.folder.pathHistory;
  if (!history) return false;
  // Only a removal git has recorded makes history; a file HEAD still has but the working tree lacks was
  // moved or deleted by hand just now, and the doc is not yet behind the code.
  const existed = relPaths.filter((path) => {
    const past = history.past(path);
    return past?.kind === 'existed' && past.removedInHistory;
  });
  if (existed.length === 0) return false;
  const read = (relPath: string) => {
    const resolved = workspace.folder.resolver.resolve(relPath);
    const file = resolved.kind === 'inside' ? workspace.folder.files.text(resolved.absPath) : null;
    return file?.ok ? file.text : null;
  };
  if (presentsCurrentSystem(model, lines, workspace.docRelPath, read)) return false;
  const when = existed.map((path) => history.changeVersusDoc(workspace.docRelPath, path));
  // Committed together with the change that removed the path: the doc describes that change, its own work.
  if (when.includes('same')) return true;
  // Written (or moved here) in the wake of the removal: the doc knows the file is gone.
  if (existed.some((path) => history.docArrivedAfterRemoval(workspace.docRelPath, path, AFTERMATH_SECONDS))) return true;
  const state = workStateAt(model, lines, reference.range.start.line);
  if (state !== 'unmarked') return state === 'finished';
  if (docFinished(model, lines, workspace.docRelPath, read)) return true;
  // A plan that marks no progress at all, last committed before the change that removed the path, names
  // the tree of its time. A plan with open work anywhere is live.
  return !docHasOpenWork(model) && when.includes('after');
}
