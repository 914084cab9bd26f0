/**
 * Checks an item's claims against a workspace folder: files by `stat`, symbols through the folder's
 * tree-sitter symbol index (the one stale lines use). A claim is `holds`, `fails` (with where DocPlan
 * looked) or `unknown` (outside the folder, symbols not loaded, a file too large to parse): only the first
 * two ever lead to a finding.
 */
import { statSync } from 'node:fs';
import { findDefinitions } from '../workspace/symbols';
import type { FolderWorkspace } from '../workspace/workspace';
import type { Claim } from '../model/itemClaims';

/** The verdict on one claim. */
export type ClaimVerdict = { claim: Claim; status: 'holds' } | { claim: Claim; status: 'fails'; why: string } | { claim: Claim; status: 'unknown' };

/** `file`, `dir` or null (missing). */
function kindOf(absPath: string): 'file' | 'dir' | null {
  try {
    const stats = statSync(absPath, { throwIfNoEntry: false });
    if (stats === undefined) return null;
    return stats.isDirectory() ? 'dir' : 'file';
  } catch {
    return null;
  }
}

/** The absolute path of a claim's path inside the folder, or null when it escapes the folder. */
export function claimPath(folder: FolderWorkspace, path: string): string | null {
  const resolved = folder.resolver.resolve(path);
  return resolved.kind === 'inside' ? resolved.absPath : null;
}

/** Checks one claim. Symbols must have been prepared (`folder.symbols.prepare`) or the answer is unknown. */
export function verifyClaim(folder: FolderWorkspace, claim: Claim): ClaimVerdict {
  const abs = claimPath(folder, claim.path);
  if (abs === null) return { claim, status: 'unknown' };
  const kind = kindOf(abs);
  let never = false;
  if (kind === null && claim.kind !== 'deletes') {
    // A claimed file that a commit once had was made and then moved or removed by a later change: the
    // ticked item records finished work, not a phantom completion. Without git, a file of its name living
    // elsewhere says the same.
    const resolved = folder.resolver.resolve(claim.path);
    const past = resolved.kind === 'inside' ? folder.pathHistory?.past(resolved.relPath) : undefined;
    if (past?.kind === 'existed' || movedElsewhere(folder, claim.path)) return { claim, status: 'unknown' };
    // The work landed beside it under a neighbouring name (`og-image.svg` for `og-image.png`): not a phantom.
    if (claim.kind === 'creates' && resolved.kind === 'inside' && landedAs(folder, resolved.relPath) !== null) return { claim, status: 'unknown' };
    never = past?.kind === 'never';
  }
  const gone = `\`${claim.path}\` does not exist in the workspace folder${never ? ' and no commit ever had it' : ''}`;
  if (claim.kind === 'creates') return kind !== null ? { claim, status: 'holds' } : { claim, status: 'fails', why: gone };
  if (claim.kind === 'deletes') return kind === null ? { claim, status: 'holds' } : { claim, status: 'fails', why: `\`${claim.path}\` is still in the workspace folder` };
  if (kind === null) return { claim, status: 'fails', why: gone };
  if (kind === 'dir') return { claim, status: 'unknown' };
  const symbols = folder.symbols.get(abs);
  if (symbols === undefined || !symbols.ok) return { claim, status: 'unknown' };
  const found = findDefinitions(symbols, claim.symbol);
  if (found.match === 'exact') return { claim, status: 'holds' };
  // A text scan can miss a definition (macros, generated code): only a real parser's "not there" is a finding.
  if (found.match === 'name' || symbols.parser !== 'tree-sitter') return { claim, status: 'unknown' };
  return { claim, status: 'fails', why: `\`${claim.path}\` defines no \`${claim.symbol}\` (read with tree-sitter)` };
}

/** True when the workspace holds a file with `path`'s name in another folder. */
function movedElsewhere(folder: FolderWorkspace, path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name !== '' && folder.index.byBasename(name).length > 0;
}

/**
 * The file a finished task's work most likely landed as, when the named one never existed: the same name
 * with another extension beside it (`og-image.svg` for `og-image.png`), or a file with the same extension
 * whose name starts with the same word, in the same folder or one below it (`scripts/rollback-batch.sh` for
 * `scripts/rollback-recipe.sh`, only with `sameStemOnly` false). Null when the folder is gone or nothing is near.
 */
export function landedAs(folder: FolderWorkspace, relPath: string, sameStemOnly = true): string | null {
  const index = folder.index;
  const slash = relPath.lastIndexOf('/');
  const dir = slash === -1 ? '' : relPath.slice(0, slash);
  if (dir !== '' && index.kindOf(dir) !== 'dir') return null;
  const name = relPath.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return null;
  const stem = name.slice(0, dot);
  const extension = name.slice(dot);
  const prefix = dir === '' ? '' : `${dir}/`;
  const children = index.childrenOf(dir);
  const sameStem = children.find((child) => !child.endsWith('/') && child !== name && child.startsWith(`${stem}.`));
  if (sameStem) return `${prefix}${sameStem}`;
  // The same first word is looser (`invoice_pdf.py` beside `invoice_csv.py` is another module): only asked for designs.
  if (sameStemOnly) return null;
  const word = /^[A-Za-z]{3,}/.exec(stem)?.[0];
  if (!word || word === stem) return null;
  const near = (child: string) => !child.endsWith('/') && child !== name && child.endsWith(extension) && child.startsWith(word) && /^[^A-Za-z0-9]/.test(child.slice(word.length));
  const here = children.find(near);
  if (here) return `${prefix}${here}`;
  for (const sub of children.filter((child) => child.endsWith('/'))) {
    const below = index.childrenOf(`${prefix}${sub.slice(0, -1)}`).find(near);
    if (below) return `${prefix}${sub}${below}`;
  }
  return null;
}
