/**
 * The file index of each folder for the whole of one CLI run. A run reads a snapshot of the tree, so the
 * check's workspace and the cache's listing hash share one walk of the folder instead of making two.
 * Each run starts with `forgetSnapshotIndexes` (a process may run several: the tests, an embedding);
 * each worker thread has its own (module state is per thread, and a run starts its workers afresh).
 */
import { resolve } from 'node:path';
import { FileIndex } from '../workspace/fileIndex';

const indexes = new Map<string, FileIndex>();

/** The index of the folder at `root`, walked on first use in this process (or thread). */
export function snapshotIndex(root: string): FileIndex {
  const key = resolve(root);
  let index = indexes.get(key);
  if (!index) {
    index = FileIndex.build(key);
    indexes.set(key, index);
  }
  return index;
}

/** Forgets every index: the next run walks its folders again. */
export function forgetSnapshotIndexes(): void {
  indexes.clear();
}
