#!/usr/bin/env node
// The real-docs corpus: where its repositories live on disk, and a check that every document the
// manifest names is there, at the commit it names.
//
// Layout (outside every repository; nothing of it is committed, the texts are not ours):
//   <corpus>/repos/<owner>__<name>/            the repository's tree at one commit
//   <corpus>/repos/<owner>__<name>/.git/       a git directory whose objects come from the fetched
//                                              mirror (objects/info/alternates), so that history,
//                                              blame and line drift work as in a real clone
//   <corpus>/repos/<owner>__<name>/.corpus-commit   the commit the tree was written from
//
// The mirrors come from the search tool's `fetch` (github:<owner>/<name>), which leaves a git
// directory such as /work/.mirror/<owner>+<name>/repo. This script cannot fetch; it writes trees from
// mirrors and checks the result:
//
//   node scripts/gather-corpus.mjs check [<corpus>] [--manifest <file>]   list what is missing (exit 1 if any)
//   node scripts/gather-corpus.mjs materialise <git-dir> <owner/name> [<commit>] [--corpus <dir>]
//   node scripts/gather-corpus.mjs materialise-all [<mirrors-dir>] [--corpus <dir>]
//
// `materialise-all` writes every manifest repository whose mirror is found as
// <mirrors-dir>/<owner>+<name>/repo (default /work/.mirror), at the commit the manifest names.
// Files the snapshot lacks (4 MiB and larger, LFS) are skipped; symbolic links are not written.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const MANIFEST = join(REPO_ROOT, 'test', 'corpus', 'manifest.json');
export const DEFAULT_CORPUS = '/work/corpus';
export const DEFAULT_MIRRORS = '/work/.mirror';

/** The folder name of a repository in the corpus: `owner/name` -> `owner__name`. */
export function repoFolder(repo) {
  return repo.replace('/', '__');
}

/** The git blob id of a file's bytes, as `git hash-object` computes it. */
export function blobId(bytes) {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** Reads the manifest: `{ docs: [{ repo, commit, path, family, blob? }] }`. */
export function readManifest(file = MANIFEST) {
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(manifest.docs)) throw new Error(`${file}: expected { "docs": [...] }`);
  return manifest;
}

/**
 * Checks every manifest entry against a corpus folder. Returns the problems, one per entry that is
 * absent, written from another commit, or whose bytes differ from the blob the manifest recorded.
 */
export function checkCorpus(corpus, manifest) {
  const problems = [];
  const commitOf = new Map();
  for (const doc of manifest.docs) {
    const root = join(corpus, 'repos', repoFolder(doc.repo));
    if (!commitOf.has(root)) {
      const marker = join(root, '.corpus-commit');
      commitOf.set(root, existsSync(marker) ? readFileSync(marker, 'utf8').trim() : undefined);
    }
    const commit = commitOf.get(root);
    const where = `${doc.repo} ${doc.path}`;
    if (commit === undefined) problems.push({ doc, problem: `${where}: repository not materialised (${root})` });
    else if (commit !== doc.commit) problems.push({ doc, problem: `${where}: tree is at ${commit.slice(0, 12)}, manifest wants ${doc.commit.slice(0, 12)}` });
    else if (!existsSync(join(root, doc.path))) problems.push({ doc, problem: `${where}: file missing` });
    else if (doc.blob && blobId(readFileSync(join(root, doc.path))) !== doc.blob) problems.push({ doc, problem: `${where}: content differs from blob ${doc.blob.slice(0, 12)}` });
  }
  return problems;
}

function git(gitDir, args, input) {
  return execFileSync('git', ['--git-dir', gitDir, ...args], { input, maxBuffer: 1 << 30 });
}

/**
 * Writes the tree of `commit` from the git directory `gitDir` into `<corpus>/repos/<owner>__<name>`,
 * then makes that folder a git work tree borrowing the mirror's objects. Returns counts.
 */
export function materialise(gitDir, repo, commit, corpus) {
  const sha = git(gitDir, ['rev-parse', `${commit ?? 'HEAD'}^{commit}`]).toString().trim();
  const out = join(corpus, 'repos', repoFolder(repo));
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const entries = git(gitDir, ['ls-tree', '-r', '-z', sha])
    .toString()
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta, path] = line.split('\t');
      const [mode, type, id] = meta.split(' ');
      return { mode, type, id, path };
    })
    .filter((entry) => entry.type === 'blob' && entry.mode !== '120000');
  // One `cat-file --batch` for the whole tree; a missing object answers "<id> missing".
  const batch = git(gitDir, ['cat-file', '--batch'], entries.map((entry) => entry.id).join('\n') + '\n');
  let offset = 0;
  let written = 0;
  let skipped = 0;
  for (const entry of entries) {
    const headerEnd = batch.indexOf(10, offset);
    const header = batch.subarray(offset, headerEnd).toString();
    offset = headerEnd + 1;
    if (header.endsWith(' missing')) {
      skipped++;
      continue;
    }
    const size = Number(header.split(' ')[2]);
    const target = join(out, entry.path);
    if (!target.startsWith(out + sep)) throw new Error(`refusing path outside the tree: ${entry.path}`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, batch.subarray(offset, offset + size));
    offset += size + 1;
    written++;
  }
  const dotGit = join(out, '.git');
  const run = (args) => {
    const result = spawnSync('git', args, { cwd: out, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  };
  run(['init', '-q']);
  writeFileSync(join(dotGit, 'objects', 'info', 'alternates'), join(resolve(gitDir), 'objects') + '\n');
  run(['update-ref', 'refs/heads/corpus', sha]);
  run(['symbolic-ref', 'HEAD', 'refs/heads/corpus']);
  run(['read-tree', 'HEAD']);
  spawnSync('git', ['update-index', '-q', '--refresh'], { cwd: out });
  writeFileSync(join(out, '.corpus-commit'), sha + '\n');
  writeFileSync(join(dotGit, 'info', 'exclude'), '.corpus-commit\n', { flag: 'a' });
  return { out, commit: sha, written, skipped };
}

function option(args, name, fallback) {
  const index = args.indexOf(name);
  if (index < 0) return fallback;
  const value = args[index + 1];
  args.splice(index, 2);
  return value;
}

function cli(argv) {
  const args = [...argv];
  const corpus = resolve(option(args, '--corpus', DEFAULT_CORPUS));
  const manifestFile = resolve(option(args, '--manifest', MANIFEST));
  const [command = 'check', ...rest] = args;
  if (command === 'check') {
    const dir = resolve(rest[0] ?? corpus);
    const manifest = readManifest(manifestFile);
    const problems = checkCorpus(dir, manifest);
    for (const { problem } of problems) console.log(problem);
    const repos = new Set(manifest.docs.map((doc) => doc.repo));
    console.log(`${manifest.docs.length - problems.length}/${manifest.docs.length} docs present from ${repos.size} repositories in ${dir}`);
    if (problems.length > 0) {
      const missing = [...new Set(problems.map(({ doc }) => doc.repo))];
      console.log(`to restore: fetch ${missing.map((repo) => `github:${repo}`).join(', ')} with the search tool, then`);
      console.log(`  node scripts/gather-corpus.mjs materialise-all ${DEFAULT_MIRRORS} --corpus ${dir}`);
    }
    return problems.length === 0 ? 0 : 1;
  }
  if (command === 'materialise') {
    const [gitDir, repo, commit] = rest;
    if (!gitDir || !repo) throw new Error('usage: materialise <git-dir> <owner/name> [<commit>] [--corpus <dir>]');
    const result = materialise(gitDir, repo, commit, corpus);
    console.log(`${repo}: ${result.written} files at ${result.commit.slice(0, 12)} in ${result.out} (${result.skipped} absent from the snapshot)`);
    return 0;
  }
  if (command === 'materialise-all') {
    const mirrors = resolve(rest[0] ?? DEFAULT_MIRRORS);
    const commits = new Map(readManifest(manifestFile).docs.map((doc) => [doc.repo, doc.commit]));
    let failures = 0;
    for (const [repo, commit] of commits) {
      const gitDir = [join(mirrors, repo.replace('/', '+'), 'repo', '.git'), join(mirrors, repo.replace('/', '+'), 'repo')].find((dir) => existsSync(join(dir, 'HEAD')));
      if (!gitDir) {
        console.log(`${repo}: no mirror under ${mirrors}; fetch github:${repo} first`);
        failures++;
        continue;
      }
      const result = materialise(gitDir, repo, commit, corpus);
      console.log(`${repo}: ${result.written} files at ${result.commit.slice(0, 12)} (${result.skipped} absent from the snapshot)`);
    }
    return failures === 0 ? 0 : 1;
  }
  throw new Error(`unknown command ${command}; use check, materialise or materialise-all`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = cli(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  }
}
