/**
 * The workspace layer under the reference rules: path resolution and escapes, the file index, the file
 * cache, symbols (tree-sitter and the text fallback) and git drift. Everything runs against real temp
 * directories and real git repositories (user name and e-mail passed with -c, so a fresh machine works).
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { git } from '../helpers/git';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FileCache } from '../../server/src/workspace/fileCache';
import { FileIndex } from '../../server/src/workspace/fileIndex';
import { FolderWorkspace } from '../../server/src/workspace/workspace';
import { GitRepo, isUnknown } from '../../server/src/workspace/git';
import { GitHistory, referenceWasCommitted } from '../../server/src/workspace/gitHistory';
import { diffLines, mapLines } from '../../server/src/workspace/lineMap';
import { grammarForPath, locateWasm, WASM_ASSETS } from '../../server/src/workspace/grammars';
import { decodeLinkPath, docDirOf, folderRootFor, PathResolver, resolveLexical } from '../../server/src/workspace/paths';
import {
  checkSymbolAtLine,
  definitionsAt,
  extractTextSymbols,
  type FileSymbols,
  findDefinitions,
  normalizeSymbol,
  SymbolIndex,
} from '../../server/src/workspace/symbols';
import { loadAllGrammars, simulateGrammarFailure } from '../../server/src/workspace/treeSitter';

const FIXTURES = resolve(__dirname, '..', 'fixtures', 'workspace');
const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A temp directory with `files` (relative path -> content) written into it. */
function tempTree(files: Record<string, string | Buffer> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'docplan-ws-'));
  temps.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

function fixture(name: string): string {
  return readFileSync(join(FIXTURES, 'src', name), 'utf8');
}

describe('paths: resolving references inside the folder', () => {
  it('normalises paths relative to the root, and links relative to the doc', () => {
    assert.deepEqual(resolveLexical('./src/../src/x.py'), { kind: 'inside', relPath: 'src/x.py' });
    assert.deepEqual(resolveLexical('src\\win\\x.py'), { kind: 'inside', relPath: 'src/win/x.py' });
    assert.deepEqual(resolveLexical('../other.md', { docDir: 'docs/plans' }), { kind: 'inside', relPath: 'docs/other.md' });
    assert.deepEqual(resolveLexical('/docs/a.md', { docDir: 'docs/plans', leadingSlashIsRoot: true }), { kind: 'inside', relPath: 'docs/a.md' });
    assert.equal(decodeLinkPath('my%20doc.md'), 'my doc.md');
    assert.equal(decodeLinkPath('bad%zz.md'), 'bad%zz.md');
    assert.equal(docDirOf('docs/plans/p.md'), 'docs/plans');
    assert.equal(docDirOf('p.md'), '');
  });

  it('refuses `..` out, absolute, drive, UNC and home paths', () => {
    for (const path of ['../../etc/passwd', 'src/../../x.py', '/etc/passwd', 'C:\\Windows\\x.ini', 'C:/x.py', '\\\\server\\share\\x', '~/secrets.txt']) {
      const result = resolveLexical(path);
      assert.equal(result.kind, 'escapes', `${path} should escape`);
    }
    assert.equal(resolveLexical('../../x.md', { docDir: 'docs' }).kind, 'escapes');
    assert.equal(resolveLexical('a\0b').kind, 'unresolvable');
    const resolver = new PathResolver(tempTree());
    const escaped = resolver.resolve('../../etc/passwd');
    assert.equal(escaped.kind, 'escapes');
    assert.match(escaped.kind === 'escapes' ? escaped.reason : '', /outside the workspace folder/);
  });

  it('refuses symlinks that lead outside (file, directory, dangling) and survives symlink loops', () => {
    const outside = tempTree({ 'secret.txt': 'secret\n', 'dir/inner.py': 'x = 1\n' });
    const root = tempTree({ 'src/ok.py': 'ok\n' });
    symlinkSync(join(outside, 'secret.txt'), join(root, 'src', 'secret-link.txt'));
    symlinkSync(join(outside, 'dir'), join(root, 'linked-dir'));
    symlinkSync(join(outside, 'nothing-here.txt'), join(root, 'dangling.txt'));
    symlinkSync('ok.py', join(root, 'src', 'inside-link.py'));
    symlinkSync('loop-b', join(root, 'loop-a'));
    symlinkSync('loop-a', join(root, 'loop-b'));
    const resolver = new PathResolver(root);
    assert.equal(resolver.resolve('src/secret-link.txt').kind, 'escapes');
    assert.equal(resolver.resolve('linked-dir/inner.py').kind, 'escapes');
    assert.equal(resolver.resolve('linked-dir/missing.py').kind, 'escapes', 'a missing file under a symlinked-out directory still escapes');
    assert.equal(resolver.resolve('dangling.txt').kind, 'escapes');
    assert.equal(resolver.resolve('src/inside-link.py').kind, 'inside');
    assert.equal(resolver.resolve('src/missing.py').kind, 'inside');
    const loop = resolver.resolve('loop-a/x.py');
    assert.equal(loop.kind, 'unresolvable');
    assert.match(loop.kind === 'unresolvable' ? loop.reason : '', /symlink loop/);
    // With an index, walked paths skip realpath; links are still checked.
    const indexed = new PathResolver(root, FileIndex.build(root));
    assert.equal(indexed.resolve('src/ok.py').kind, 'inside');
    assert.equal(indexed.resolve('src/secret-link.txt').kind, 'escapes');
  });

  it('picks the innermost workspace folder of several', () => {
    assert.equal(folderRootFor('/ws/a/inner/doc.md', ['/ws/a', '/ws/a/inner', '/ws/b']), resolve('/ws/a/inner'));
    assert.equal(folderRootFor('/ws/ab/doc.md', ['/ws/a']), null);
  });
});

describe('file index', () => {
  it('honours .gitignore, skips node_modules/.git, never follows directory symlinks', () => {
    const root = tempTree({
      '.gitignore': 'build/\n*.log\n!keep.log\n',
      'src/a.py': '',
      'src/pkg/.gitignore': 'generated.py\n',
      'src/pkg/generated.py': '',
      'src/pkg/util.py': '',
      'build/out.js': '',
      'debug.log': '',
      'keep.log': '',
      'node_modules/x/index.js': '',
      'docs/util.py': '',
    });
    symlinkSync(root, join(root, 'src', 'self-loop'));
    const index = FileIndex.build(root);
    assert.ok(index.exists('src/a.py'));
    assert.ok(index.exists('keep.log'));
    assert.ok(index.isKnownReal('src/a.py'));
    assert.equal(index.isKnownReal('src/self-loop'), false);
    const all = [...index.allFiles()];
    assert.ok(!all.some((path) => path.startsWith('build/') || path.startsWith('node_modules/') || path === 'debug.log' || path === 'src/pkg/generated.py'), all.join(','));
    assert.ok(!all.some((path) => path.startsWith('src/self-loop/')), 'directory symlink was walked');
    // Ignored files still exist (confirmed on disk), missing ones do not.
    assert.ok(index.exists('build/out.js'));
    assert.ok(!index.exists('src/nope.py'));
    assert.equal(index.uniqueByBasename('a.py'), 'src/a.py');
    assert.equal(index.uniqueByBasename('util.py'), null, 'two util.py files: no unique match');
    assert.deepEqual(index.childrenOf('src'), ['a.py', 'pkg/', 'self-loop']);
  });

  it('matches anchored, basename and ** rules as git does (fast path without `!` rules)', () => {
    const root = tempTree({
      '.gitignore': '# comment\n/dist\nsrc/gen/\n**/cache/\n*.tmp\nlib/*.js\n',
      'dist/a.js': '',
      'src/dist/kept.js': '',
      'src/gen/x.py': '',
      'gen/kept.py': '',
      'deep/er/cache/x': '',
      'a/b.tmp': '',
      'lib/x.js': '',
      'lib/sub/y.js': '',
      'src/ok.py': '',
    });
    const index = FileIndex.build(root);
    const all = new Set(index.allFiles());
    for (const kept of ['src/dist/kept.js', 'gen/kept.py', 'lib/sub/y.js', 'src/ok.py', '.gitignore']) assert.ok(all.has(kept), `${kept} kept`);
    for (const ignored of ['dist/a.js', 'src/gen/x.py', 'deep/er/cache/x', 'a/b.tmp', 'lib/x.js']) assert.ok(!all.has(ignored), `${ignored} ignored`);
  });

  it('updates incrementally: created and deleted files and directories, .gitignore changes', () => {
    const root = tempTree({ 'src/a.py': '', '.gitignore': '' });
    const index = FileIndex.build(root);
    // Listed before the changes, so that a kept listing would show them stale.
    assert.deepEqual(index.childrenOf('src'), ['a.py']);
    mkdirSync(join(root, 'src', 'new'), { recursive: true });
    writeFileSync(join(root, 'src', 'new', 'b.py'), '');
    index.update('src/new', 'created');
    assert.ok(index.exists('src/new/b.py'));
    assert.equal(index.uniqueByBasename('b.py'), 'src/new/b.py');
    assert.deepEqual(index.childrenOf('src'), ['a.py', 'new/']);
    assert.deepEqual(index.childrenOf('src/new'), ['b.py']);
    writeFileSync(join(root, 'src', 'c.py'), '');
    index.update('src/c.py', 'created');
    assert.deepEqual(index.childrenOf('src'), ['a.py', 'c.py', 'new/']);
    rmSync(join(root, 'src', 'new'), { recursive: true });
    index.update('src/new', 'deleted');
    assert.ok(!index.exists('src/new/b.py'));
    assert.equal(index.uniqueByBasename('b.py'), null);
    assert.deepEqual(index.childrenOf('src'), ['a.py', 'c.py']);
    assert.deepEqual(index.childrenOf('src/new'), []);
    writeFileSync(join(root, '.gitignore'), 'src/\n');
    index.update('.gitignore', 'changed');
    assert.equal([...index.allFiles()].filter((path) => path.startsWith('src/')).length, 0);
  });
});

describe('reference targets', () => {
  it('are remembered between checks and follow file events', () => {
    const root = tempTree({ 'src/a.py': 'x = 1\n', 'docs/plan.md': '' });
    const workspace = new FolderWorkspace(root, { validate: 'events', git: false });
    const reference = { path: 'src/b.py', line: 3, context: 'code-span' as const };
    assert.equal(workspace.referenceTarget(reference, 'docs/plan.md').kind, 'missing');
    // On disk, but no event yet: the index (and so the target) still says missing, as it did before memoising.
    writeFileSync(join(root, 'src', 'b.py'), 'y = 2\n');
    assert.equal(workspace.referenceTarget(reference, 'docs/plan.md').kind, 'missing');
    workspace.fileChanged(join(root, 'src', 'b.py'), 'created');
    const found = workspace.referenceTarget(reference, 'docs/plan.md');
    assert.equal(found.kind, 'found');
    assert.equal(found.kind === 'found' ? found.relPath : null, 'src/b.py');
    rmSync(join(root, 'src', 'b.py'));
    workspace.fileChanged(join(root, 'src', 'b.py'), 'deleted');
    assert.equal(workspace.referenceTarget(reference, 'docs/plan.md').kind, 'missing');
    workspace.dispose();
  });
});

describe('file cache', () => {
  it('counts lines, reads lines, and follows changes', () => {
    const root = tempTree({ 'a.txt': 'one\r\ntwo\nthree\n', 'b.txt': 'no newline', 'empty.txt': '' });
    const cache = new FileCache();
    const info = cache.info(join(root, 'a.txt'));
    assert.ok(info.ok && info.lineCount === 3);
    assert.deepEqual(cache.line(join(root, 'a.txt'), 1), { ok: true, text: 'one' });
    assert.deepEqual(cache.line(join(root, 'a.txt'), 4), { ok: true, text: null });
    const b = cache.info(join(root, 'b.txt'));
    assert.ok(b.ok && b.lineCount === 1);
    const empty = cache.info(join(root, 'empty.txt'));
    assert.ok(empty.ok && empty.lineCount === 0);
    writeFileSync(join(root, 'a.txt'), 'one\ntwo\nthree\nfour\nfive\n');
    const changed = cache.info(join(root, 'a.txt'));
    assert.ok(changed.ok && changed.lineCount === 5, 'stat validation sees the change');
  });

  it('tells the stat and content id it read a file with, without reading it again', () => {
    const root = tempTree({ 'a.txt': 'one\ntwo\n' });
    const path = join(root, 'a.txt');
    const cache = new FileCache({ validate: 'events' });
    assert.equal(cache.readStamp(path), null, 'nothing before the file is read');
    assert.ok(cache.text(path).ok);
    const stats = statSync(path);
    // git's blob id of the same bytes, and the file's size, mtime and inode.
    const blob = execFileSync('git', ['hash-object', path], { encoding: 'utf8' }).trim();
    assert.deepEqual(cache.readStamp(path), { stat: `${stats.size}:${stats.mtimeMs}:${stats.ino}`, contentId: blob });
    writeFileSync(path, 'changed since\n');
    assert.deepEqual(cache.readStamp(path), { stat: `${stats.size}:${stats.mtimeMs}:${stats.ino}`, contentId: blob }, 'what was read, not what is there now');
    cache.info(join(root, 'missing.txt'));
    assert.equal(cache.readStamp(join(root, 'missing.txt')), null, 'a missing file has no stamp');
  });

  it('skips binary files, directories, FIFOs and missing files with a reason', () => {
    const root = tempTree({ 'image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]), 'dir/x': '' });
    const cache = new FileCache();
    const binary = cache.info(join(root, 'image.png'));
    assert.ok(!binary.ok && binary.reason === 'binary');
    assert.match(!binary.ok ? binary.message : '', /binary file; skipped/);
    const dir = cache.info(join(root, 'dir'));
    assert.ok(!dir.ok && dir.reason === 'not-a-file');
    const missing = cache.info(join(root, 'nope.txt'));
    assert.ok(!missing.ok && missing.reason === 'missing');
    if (process.platform !== 'win32') {
      execFileSync('mkfifo', [join(root, 'pipe')]);
      const fifo = cache.text(join(root, 'pipe'));
      assert.ok(!fifo.ok && fifo.reason === 'not-a-file', 'a FIFO is never opened for reading');
    }
  });

  it('reads huge files only as far as needed and reports why text is not kept', () => {
    const lines = Array.from({ length: 120_000 }, (_, i) => `line ${i + 1} ${'x'.repeat(20)}`);
    const root = tempTree({ 'huge.txt': lines.join('\n') + '\n' });
    const path = join(root, 'huge.txt');
    const cache = new FileCache({ maxTextBytes: 1024 * 1024 });
    const info = cache.info(path);
    assert.ok(info.ok && info.lineCount === 120_000 && !info.textAvailable);
    assert.deepEqual(cache.line(path, 100_000), { ok: true, text: lines[99_999] });
    assert.deepEqual(cache.line(path, 120_001), { ok: true, text: null });
    const text = cache.text(path);
    assert.ok(!text.ok && text.reason === 'too-large');
    const tooBig = new FileCache({ maxTextBytes: 1024, maxScanBytes: 4096 }).info(path);
    assert.ok(!tooBig.ok && tooBig.reason === 'too-large');
    assert.match(!tooBig.ok ? tooBig.message : '', /over the 4 KiB limit; skipped/);
  });

  it('skips unreadable files', () => {
    const root = tempTree({ 'locked.txt': 'x\n' });
    chmodSync(root, 0o755);
    chmodSync(join(root, 'locked.txt'), 0o000);
    if (process.getuid?.() !== 0) {
      const info = new FileCache().info(join(root, 'locked.txt'));
      assert.ok(!info.ok && info.reason === 'unreadable');
      return;
    }
    // Root reads everything, so ask as an unprivileged user (nobody) in a child process.
    const probe = `const { FileCache } = require(${JSON.stringify(join(process.cwd(), 'server/src/workspace/fileCache.ts'))});
      const info = new FileCache().info(${JSON.stringify(join(root, 'locked.txt'))});
      process.stdout.write(info.ok ? 'ok' : info.reason);`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', probe], {
      uid: 65534,
      gid: 65534,
      encoding: 'utf8',
      env: { ...process.env, TSX_TSCONFIG_PATH: undefined, HOME: tmpdir() },
    });
    assert.equal(child.stdout, 'unreadable', child.stderr);
  });

  it('keeps line counts but evicts text beyond its byte budget', () => {
    const root = tempTree({ 'a.txt': 'a\n'.repeat(1000), 'b.txt': 'b\n'.repeat(1000) });
    const cache = new FileCache({ maxCachedBytes: 2500 });
    assert.ok(cache.text(join(root, 'a.txt')).ok);
    assert.ok(cache.text(join(root, 'b.txt')).ok);
    assert.ok(cache.keptBytes <= 2500);
    const again = cache.text(join(root, 'a.txt'));
    assert.ok(again.ok && again.lines.length === 1000, 'evicted text is read again');
  });
});

describe('symbols', () => {
  let index: SymbolIndex;
  let root: string;
  const symbolsOf = (name: string): FileSymbols => {
    const result = index.get(join(root, 'src', name));
    assert.ok(result && result.ok, `symbols of ${name}`);
    return result;
  };

  before(async () => {
    root = tempTree();
    mkdirSync(join(root, 'src'));
    for (const name of ['context.py', 'service.ts', 'server.go', 'lib.rs', 'Worker.java', 'tasks.rb']) copyFileSync(join(FIXTURES, 'src', name), join(root, 'src', name));
    index = new SymbolIndex(new FileCache());
    await loadAllGrammars();
  });

  it('loads every grammar from the published packages', () => {
    assert.deepEqual(index.status(), { python: 'loaded', javascript: 'loaded', typescript: 'loaded', tsx: 'loaded', go: 'loaded', rust: 'loaded' });
    for (const asset of WASM_ASSETS) assert.ok(locateWasm(asset), `${asset.file} located`);
    assert.equal(grammarForPath('a/b.tsx'), 'tsx');
    assert.equal(grammarForPath('a.b/c'), null);
  });

  it('Python: classes, methods, nested functions and classes, decorators, constants', () => {
    const symbols = symbolsOf('context.py');
    assert.equal(symbols.parser, 'tree-sitter');
    const run = findDefinitions(symbols, 'FrayContext.run()');
    assert.equal(run.match, 'exact');
    assert.deepEqual(run.definitions.map((def) => [def.qualifiedName, def.kind, def.line]), [['FrayContext.run', 'method', 27]]);
    assert.equal(findDefinitions(symbols, 'FrayContext.Options.validate').definitions[0].line, 34);
    assert.equal(findDefinitions(symbols, 'FrayContext.run.inner').definitions[0].line, 28);
    assert.equal(findDefinitions(symbols, 'DEFAULT_TIMEOUT').definitions[0].line, 7);
    assert.equal(findDefinitions(symbols, 'FrayContext.max_workers').definitions[0].line, 18);
    const label = findDefinitions(symbols, 'label').definitions[0];
    assert.deepEqual([label.startLine, label.line], [23, 24], 'the decorator starts the definition');
    assert.equal(findDefinitions(symbols, 'context.FrayContext.run').match, 'exact', 'a module prefix is dropped');
    assert.equal(findDefinitions(symbols, 'Other.run').match, 'name');
    assert.equal(findDefinitions(symbols, 'not_a_definition').match, 'none', 'docstrings are not code');
    assert.deepEqual(definitionsAt(symbols, 14).map((def) => def.qualifiedName), ['FrayContext']);
  });

  it('TypeScript: interfaces, classes, methods, arrow functions, namespaces', () => {
    const symbols = symbolsOf('service.ts');
    const names = new Map(symbols.definitions.map((def) => [def.qualifiedName, def.line]));
    assert.equal(names.get('Service.load'), 22);
    assert.equal(names.get('Service.create'), 18);
    assert.equal(names.get('Service.count'), 26);
    assert.equal(names.get('Store.get'), 4);
    assert.equal(names.get('makeHandler'), 31);
    assert.equal(names.get('Internal.secret'), 41);
    assert.equal(names.get('Mode'), 10);
    assert.ok(!names.has('local') && !names.has('makeHandler.local'), 'locals are not definitions');
  });

  it('Go: functions, methods by receiver (pointer, value, generic), structs, interfaces', () => {
    const symbols = symbolsOf('server.go');
    const names = new Map(symbols.definitions.map((def) => [def.qualifiedName, def.line]));
    assert.equal(names.get('Server.Start'), 20);
    assert.equal(names.get('Server.Name'), 25);
    assert.equal(names.get('Cache.Get'), 33);
    assert.equal(names.get('Handler.Serve'), 8);
    assert.equal(names.get('New'), 16);
    assert.equal(findDefinitions(symbols, 'Server::Start').definitions[0].line, 20);
  });

  it('Rust: impl blocks (inherent and trait impls), traits, modules, attributes, macros', () => {
    const symbols = symbolsOf('lib.rs');
    const names = new Map(symbols.definitions.map((def) => [def.qualifiedName, def]));
    assert.equal(names.get('Registry.new')?.line, 10);
    assert.equal(names.get('Registry.insert')?.line, 14);
    assert.equal(names.get('Registry.name')?.line, 25, 'impl Plugin for Registry<u8>');
    assert.equal(names.get('Plugin.init')?.line, 21);
    assert.equal(names.get('nested.Kind')?.line, 31);
    assert.deepEqual([names.get('nested.build')?.startLine, names.get('nested.build')?.line], [36, 37]);
    assert.equal(names.get('square')?.kind, 'macro');
  });

  it('checks a symbol at a line: ok, moved (with where it is now), not found', () => {
    const symbols = symbolsOf('context.py');
    assert.equal(checkSymbolAtLine(symbols, 'FrayContext.run', 27).status, 'ok');
    assert.equal(checkSymbolAtLine(symbols, 'FrayContext.run', 30).status, 'ok', 'a body line holds the symbol');
    const moved = checkSymbolAtLine(symbols, 'FrayContext.run', 10);
    assert.equal(moved.status, 'moved');
    assert.equal(moved.status === 'moved' ? moved.definitions[0].line : 0, 27);
    assert.equal(checkSymbolAtLine(symbols, 'FrayContext.stop', 27).status, 'not-found');
    assert.equal(normalizeSymbol('self.run()'), 'run');
    assert.equal(normalizeSymbol('Foo#bar'), 'Foo.bar');
  });

  it('falls back to text patterns for other languages (Java, Ruby), skipping comments', () => {
    const java = symbolsOf('Worker.java');
    assert.equal(java.parser, 'text');
    const names = new Map(java.definitions.map((def) => [def.qualifiedName, def.line]));
    assert.equal(names.get('Worker.process'), 11);
    assert.equal(names.get('Worker.helper'), 15);
    assert.ok(!names.has('commentedOut'));
    const ruby = symbolsOf('tasks.rb');
    const rubyNames = new Map(ruby.definitions.map((def) => [def.qualifiedName, def.line]));
    assert.equal(rubyNames.get('Tasks.Runner.run!'), 11);
    assert.equal(rubyNames.get('Tasks.Runner.build'), 7);
  });

  it('the text fallback finds Python, Go, Rust and C-family definitions with nesting', () => {
    const python = extractTextSymbols(fixture('context.py').split('\n'));
    const names = new Map(python.map((def) => [def.qualifiedName, def.line]));
    assert.equal(names.get('FrayContext.run'), 27);
    assert.equal(names.get('FrayContext.Options.validate'), 34);
    assert.ok(!names.has('not_a_definition'));
    const go = new Map(extractTextSymbols(fixture('server.go').split('\n')).map((def) => [def.qualifiedName, def.line]));
    assert.equal(go.get('Server.Start'), 20);
    assert.equal(go.get('Cache.Get'), 33);
    const rust = new Map(extractTextSymbols(fixture('lib.rs').split('\n')).map((def) => [def.qualifiedName, def.line]));
    assert.equal(rust.get('Registry.insert'), 14);
    assert.equal(rust.get('nested.build'), 37);
    const cpp = new Map(extractTextSymbols(['int Parser::parse(const char* s) {', '  return helper(s);', '}', 'static void helper(int x)', '{'].map(String)).map((def) => [def.qualifiedName, def.line]));
    assert.equal(cpp.get('Parser.parse'), 1);
    assert.equal(cpp.get('helper'), 4);
    assert.ok(!cpp.has('return'));
  });

  it('uses the text fallback, with a note, when a grammar fails to load', () => {
    const restore = simulateGrammarFailure('python', 'tree-sitter-python.wasm failed to load: simulated');
    try {
      index.invalidate();
      const symbols = symbolsOf('context.py');
      assert.equal(symbols.parser, 'text');
      assert.match(symbols.note ?? '', /simulated; used the text fallback/);
      assert.equal(checkSymbolAtLine(symbols, 'FrayContext.run', 27).status, 'ok');
    } finally {
      restore();
      index.invalidate();
    }
    assert.equal(symbolsOf('context.py').parser, 'tree-sitter');
  });

  it('re-parses a changed file and skips binary ones', () => {
    const path = join(root, 'src', 'moving.py');
    writeFileSync(path, 'def run():\n    pass\n');
    assert.equal(checkSymbolAtLine(index.get(path) as FileSymbols, 'run', 1).status, 'ok');
    writeFileSync(path, '\n\n\ndef run():\n    pass\n');
    const moved = checkSymbolAtLine(index.get(path) as FileSymbols, 'run', 1);
    assert.equal(moved.status === 'moved' ? moved.definitions[0].line : 0, 4);
    writeFileSync(join(root, 'src', 'blob.py'), Buffer.from([0x64, 0x65, 0x66, 0x00]));
    const binary = index.get(join(root, 'src', 'blob.py'));
    assert.ok(binary && !binary.ok && binary.reason === 'binary');
  });
});

describe('line diff', () => {
  it('maps lines through insertions, deletions and edits', () => {
    const old = ['a', 'b', 'c', 'd', 'e'];
    const map = diffLines(old, ['x', 'a', 'b', 'C', 'd', 'y', 'e']);
    assert.deepEqual([...map].slice(1), [2, 3, 0, 5, 7]);
    assert.deepEqual(mapLines(map, 1), { status: 'moved', line: 2, endLine: null });
    assert.deepEqual(mapLines(map, 3), { status: 'changed' });
    assert.deepEqual(mapLines(map, 4, 5), { status: 'moved', line: 5, endLine: 7 });
    assert.ok(isUnknown(mapLines(map, 9)), 'a line past the old end is unknown');
    assert.deepEqual(mapLines(diffLines(old, old), 2), { status: 'same' });
  });

  it('finds a shortest edit script (matches a brute-force LCS length) on random inputs', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    for (let round = 0; round < 200; round++) {
      const a = Array.from({ length: Math.floor(random() * 12) }, () => 'abcd'[Math.floor(random() * 4)]);
      const b = Array.from({ length: Math.floor(random() * 12) }, () => 'abcd'[Math.floor(random() * 4)]);
      const map = diffLines(a, b);
      const pairs = [...map].slice(1).map((to, from) => [from, to - 1]).filter(([, to]) => to >= 0);
      for (const [from, to] of pairs) assert.equal(a[from], b[to]);
      for (let i = 1; i < pairs.length; i++) assert.ok(pairs[i][1] > pairs[i - 1][1], 'order kept');
      assert.equal(pairs.length, lcsLength(a, b), `${a.join('')} vs ${b.join('')}`);
    }
  });

  it('stays bounded on files that differ almost everywhere (unique-line anchors)', () => {
    const old = Array.from({ length: 6000 }, (_, i) => `line ${i}`);
    const now = old.map((line, i) => (i % 2 === 0 ? `${line} edited` : line));
    now.splice(0, 0, ...Array.from({ length: 100 }, (_, i) => `new ${i}`));
    const started = performance.now();
    const map = diffLines(old, now);
    assert.ok(performance.now() - started < 2000);
    assert.equal(map[2], 102, 'line 2 (index 1) is unique on both sides and moved down 100 + 1');
  });
});

function lcsLength(a: string[], b: string[]): number {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) table[i][j] = a[i - 1] === b[j - 1] ? table[i - 1][j - 1] + 1 : Math.max(table[i - 1][j], table[i][j - 1]);
  return table[a.length][b.length];
}

describe('git: drift, renames, degrading without git', () => {
  const DOC = ['# Plan', '', '## Stage 1: Run', '', '- `src/context.py:27 - FrayContext.run()`', '- `src/other.py:2`', ''].join('\n');

  function repoWithDoc(): string {
    const root = tempTree({ 'docs/plan.md': DOC, 'src/context.py': fixture('context.py'), 'src/other.py': 'a = 1\nb = 2\n' });
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'doc and code');
    return root;
  }

  const insertLines = (path: string, count: number) => {
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, `${Array.from({ length: count }, (_, i) => `# inserted ${i}`).join('\n')}\n${text}`);
  };

  it('maps a reference through lines inserted above it in the working tree', async () => {
    const root = repoWithDoc();
    insertLines(join(root, 'src', 'context.py'), 5);
    const history = new GitHistory(root, new FileCache());
    const doc = join(root, 'docs', 'plan.md');
    assert.equal(history.drift(doc, 'src/context.py', 27), undefined, 'unknown before prepare');
    await history.prepare(doc, ['src/context.py', 'src/other.py']);
    assert.deepEqual(history.drift(doc, 'src/context.py', 27), { status: 'moved', line: 32, endLine: null });
    assert.deepEqual(history.drift(doc, 'src/other.py', 2), { status: 'same' });
    const info = history.history(doc);
    assert.ok(info && !isUnknown(info) && referenceWasCommitted(info, 'src/context.py:27'));
    assert.ok(info && !isUnknown(info) && !referenceWasCommitted(info, 'src/context.py:32'));
  });

  it('maps through commits made after the doc was committed, and follows a rename', async () => {
    const root = repoWithDoc();
    insertLines(join(root, 'src', 'context.py'), 3);
    git(root, 'commit', '-q', '-am', 'move code down');
    mkdirSync(join(root, 'src', 'fray'));
    git(root, 'mv', 'src/context.py', 'src/fray/context.py');
    git(root, 'commit', '-q', '-m', 'rename');
    insertLines(join(root, 'src', 'fray', 'context.py'), 2);
    const history = new GitHistory(root, new FileCache());
    const doc = join(root, 'docs', 'plan.md');
    await history.prepare(doc, ['src/context.py']);
    assert.equal(history.renamedTo(doc, 'src/context.py'), 'src/fray/context.py');
    assert.deepEqual(history.drift(doc, 'src/context.py', 27), { status: 'moved', line: 32, endLine: null });
  });

  it('sees a doc commit made later (HEAD moved) and a staged rename', async () => {
    const root = repoWithDoc();
    insertLines(join(root, 'src', 'other.py'), 1);
    const history = new GitHistory(root, new FileCache(), { headCheckMs: 0 });
    const doc = join(root, 'docs', 'plan.md');
    await history.prepare(doc, ['src/other.py']);
    assert.deepEqual(history.drift(doc, 'src/other.py', 2), { status: 'moved', line: 3, endLine: null });
    writeFileSync(doc, DOC.replace('src/other.py:2', 'src/other.py:3'));
    git(root, 'commit', '-q', '-am', 'update doc and code');
    await history.prepare(doc, ['src/other.py']);
    assert.deepEqual(history.drift(doc, 'src/other.py', 3), { status: 'same' });
    git(root, 'mv', 'src/other.py', 'src/renamed.py');
    history.invalidate(doc);
    await history.prepare(doc, ['src/other.py']);
    assert.equal(history.renamedTo(doc, 'src/other.py'), 'src/renamed.py');
  });

  it('works in a workspace folder below the repository top level', async () => {
    const root = repoWithDoc();
    const folder = join(root, 'src');
    writeFileSync(join(folder, 'plan.md'), '# Plan\n\n- `context.py:27`\n');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'plan in src');
    insertLines(join(folder, 'context.py'), 4);
    const history = new GitHistory(folder, new FileCache());
    await history.prepare(join(folder, 'plan.md'), ['context.py']);
    assert.deepEqual(history.drift(join(folder, 'plan.md'), 'context.py', 27), { status: 'moved', line: 31, endLine: null });
  });

  it('answers unknown without git, outside a repository, for untracked docs and new files', async () => {
    const plain = tempTree({ 'plan.md': DOC, 'src/context.py': 'x\n' });
    const noRepo = new GitHistory(plain, new FileCache());
    await noRepo.prepare(join(plain, 'plan.md'), ['src/context.py']);
    const outside = noRepo.drift(join(plain, 'plan.md'), 'src/context.py', 1);
    assert.ok(outside && isUnknown(outside));
    assert.equal(noRepo.renamedTo(join(plain, 'plan.md'), 'src/context.py'), null);

    const root = repoWithDoc();
    const noGit = new GitHistory(root, new FileCache(), { git: join(root, 'no-such-git') });
    await noGit.prepare(join(root, 'docs', 'plan.md'), ['src/context.py']);
    const missing = noGit.history(join(root, 'docs', 'plan.md'));
    assert.ok(missing && isUnknown(missing));
    assert.match(missing && isUnknown(missing) ? missing.reason : '', /git is not installed/);
    const opened = await GitRepo.open(root, { git: join(root, 'no-such-git') });
    assert.ok(isUnknown(opened));

    writeFileSync(join(root, 'docs', 'draft.md'), DOC);
    writeFileSync(join(root, 'src', 'brand-new.py'), 'x = 1\n');
    const history = new GitHistory(root, new FileCache());
    await history.prepare(join(root, 'docs', 'draft.md'), ['src/context.py']);
    const untracked = history.history(join(root, 'docs', 'draft.md'));
    assert.ok(untracked && isUnknown(untracked) && /never been committed/.test(untracked.reason));
    await history.prepare(join(root, 'docs', 'plan.md'), ['src/brand-new.py']);
    const fresh = history.drift(join(root, 'docs', 'plan.md'), 'src/brand-new.py', 1);
    assert.ok(fresh && isUnknown(fresh) && /did not exist/.test(fresh.reason));
  });
});
