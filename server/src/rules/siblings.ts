/** Reading a sibling document of a family (requirements.md beside tasks.md) through the workspace. */
import { dirname, join } from 'node:path';
import { buildModel } from '../model/build';
import type { DocModel } from '../model/types';
import type { RuleContext } from './types';

const cache = new Map<string, { signature: string; model: DocModel }>();

/**
 * The model of the file `name` in the checked doc's folder, built by the model builder, or null when there is no
 * workspace or the file cannot be read. Kept per file signature, so unchanged siblings are built once.
 */
export function siblingModel(context: RuleContext, name: string): DocModel | null {
  const workspace = context.workspace;
  if (!workspace) return null;
  const absPath = join(dirname(workspace.docAbsPath), name);
  if (absPath === workspace.docAbsPath) return null;
  const file = workspace.folder.files.text(absPath);
  if (!file.ok) return null;
  const cached = cache.get(absPath);
  if (cached && cached.signature === file.signature) return cached.model;
  const relDir = dirname(workspace.docRelPath);
  const model = buildModel(file.text, { path: relDir === '.' ? name : `${relDir}/${name}` }).model;
  if (cache.size > 64) cache.clear();
  cache.set(absPath, { signature: file.signature, model });
  return model;
}
