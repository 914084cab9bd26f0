/**
 * The word index the CLI keeps for symbol and line searches: it finds exactly the files whose text holds
 * an identifier, and a search through it finds the same new place of moved code as the bounded scan the
 * server uses (and the same "no answer" when two files hold it); a changed file drops it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { WordIndex } from '../../server/src/workspace/wordIndex';
import { FolderWorkspace } from '../../server/src/workspace/workspace';
import { findLineElsewhere, findSymbolElsewhere } from '../../server/src/workspace/relocate';

describe('word index', () => {
  it('lists the files of one extension that hold a whole identifier', () => {
    const texts: Record<string, string> = {
      'a/one.go': 'func Rebuild() {}\nvar rebuilder = 1\n',
      'a/two.go': 'x := 2Rebuild // not a call\nfunc other() {}\n',
      'b/three.py': 'def Rebuild():\n    pass\n',
      'b/four.go': 'func RebuildAll() {}\n',
    };
    const index = new WordIndex({ allFiles: () => Object.keys(texts), text: (path) => texts[path] ?? null });
    // "2Rebuild" still yields the identifier after the digit: the index may hold more files than a \b test
    // would, never fewer; the search re-tests each file.
    assert.deepEqual(index.filesWith('.go', 'Rebuild'), ['a/one.go', 'a/two.go']);
    assert.deepEqual(index.filesWith('.py', 'Rebuild'), ['b/three.py']);
    assert.deepEqual(index.filesWith('.go', 'RebuildAll'), ['b/four.go']);
    assert.deepEqual(index.filesWith('.rs', 'Rebuild'), []);
  });

  it('finds where a function and a line went exactly as the bounded scan does', async () => {
    const root = mkdtempSync(join(tmpdir(), 'docplan-words-'));
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    try {
      write('internal/index/rebuild.go', 'package index\n\nfunc helper() {}\n');
      write('internal/index/binary_index.go', 'package index\n\nfunc Rebuild(root string) error {\n\tclearCachedEntriesFor(root)\n\treturn nil\n}\n');
      write('internal/other/twice_a.go', 'package other\n\nfunc Twice() {}\n');
      write('internal/other/twice_b.go', 'package other\n\nfunc Twice() {}\n');
      for (let i = 0; i < 30; i++) write(`internal/filler/f${i}.go`, `package filler\n\nfunc F${i}() {}\n`);
      // Python: a method defined in one file and only called in others (the callers are not parsed).
      write('lib/old.py', 'VERSION = 1\n');
      write('lib/store.py', 'class Store:\n    def rebuild_all(self):\n        return 1\n');
      write('lib/caller.py', 'def run(store):\n    return store.rebuild_all()\n');
      write('lib/limits.py', 'MAX_ITEMS: int = 10\n');
      const scan = new FolderWorkspace(root, { validate: 'events', git: false });
      const indexed = new FolderWorkspace(root, { validate: 'events', git: false, wordIndex: true });
      // A check prepares the referenced files, which loads their grammars; the searches then parse synchronously.
      for (const folder of [scan, indexed]) await folder.symbols.prepare([join(root, 'internal/index/rebuild.go'), join(root, 'lib/old.py')]);
      const ask = (folder: FolderWorkspace) => ({
        moved: findSymbolElsewhere(folder, 'internal/index/rebuild.go', 'Rebuild')?.relPath ?? null,
        twice: findSymbolElsewhere(folder, 'internal/other/gone.go', 'Twice'),
        // Asked after the search above (the index keeps what it found per symbol): the doc's own file is left out.
        twiceFromOne: findSymbolElsewhere(folder, 'internal/other/twice_a.go', 'Twice')?.relPath ?? null,
        line: findLineElsewhere(folder, 'internal/index/rebuild.go', '\tclearCachedEntriesFor(root)')?.relPath ?? null,
        method: findSymbolElsewhere(folder, 'lib/old.py', 'Store.rebuild_all')?.relPath ?? null,
        constant: findSymbolElsewhere(folder, 'lib/old.py', 'MAX_ITEMS')?.relPath ?? null,
      });
      const viaScan = ask(scan);
      assert.equal(viaScan.moved, 'internal/index/binary_index.go');
      assert.equal(viaScan.twice, null, 'two definitions: no answer');
      assert.equal(viaScan.twiceFromOne, 'internal/other/twice_b.go');
      assert.equal(viaScan.line, 'internal/index/binary_index.go');
      assert.equal(viaScan.method, 'lib/store.py');
      assert.equal(viaScan.constant, 'lib/limits.py');
      assert.deepEqual(ask(indexed), viaScan);
      // A changed file drops the index: the function moved again is found at its new place.
      write('internal/index/binary_index.go', 'package index\n');
      write('internal/index/store.go', 'package index\n\nfunc Rebuild(root string) error {\n\treturn nil\n}\n');
      indexed.fileChanged(join(root, 'internal/index/binary_index.go'), 'changed');
      indexed.fileChanged(join(root, 'internal/index/store.go'), 'created');
      assert.equal(findSymbolElsewhere(indexed, 'internal/index/rebuild.go', 'Rebuild')?.relPath, 'internal/index/store.go');
      scan.dispose();
      indexed.dispose();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
