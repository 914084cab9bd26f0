/**
 * A seeded generator of a repository shaped like a real one, for `npm run bench` and the CLI speed tests:
 * Markdown files of which about 70% are ordinary (READMEs, changelogs, guide pages) and 30% plans and
 * design docs in the shapes of the families DocPlan reads (stage plans, nested phases, agent task plans,
 * plan-mode plans, spec-driven task lists, requirements/design/tasks triples, change proposals, editor plan
 * files, enhancement proposals, RFCs, ADRs), code files the docs reference by `path:line`, and a git history
 * in which code moves under the docs (lines inserted above referenced lines, files renamed) after the docs
 * were committed. All text is generated here. Same seed and sizes, same tree and same commits.
 *
 * The history is written with one `git fast-import` (not a process per commit), then checked out.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { prng, CLASSES, METHODS, NOUNS } from './seeded';

/** Sizes of a generated tree. */
export interface TreeSize {
  docs: number;
  code: number;
  commits: number;
}

/** The issue's tree: 2,000 Markdown files, 20,000 code files, a few hundred commits. */
export const FULL_TREE: TreeSize = { docs: 2000, code: 20_000, commits: 300 };

/** What was generated. */
export interface GeneratedTree {
  root: string;
  docs: string[];
  planDocs: string[];
  codeFiles: number;
  commits: number;
  ms: number;
}

const AREAS = ['ingest', 'ledger', 'scheduler', 'storage', 'auth', 'billing', 'search', 'notify', 'export', 'gateway', 'catalog', 'quota', 'audit', 'render', 'sync', 'relay'];
const PARTS = ['core', 'client', 'worker', 'models', 'handlers', 'config', 'queue', 'retry', 'codec', 'metrics', 'cache', 'routes', 'store', 'policy', 'events', 'schema', 'batch', 'lease', 'index', 'shard'];
const EXTENSIONS = ['py', 'ts', 'go'];
const VERBS = ['Add', 'Move', 'Replace', 'Extract', 'Rename', 'Wire', 'Split', 'Document', 'Remove', 'Cache'];
const PROSE = [
  'keeps the old behaviour behind a flag until the rollout finishes',
  'so that callers no longer reach into the private state',
  'without changing the wire format seen by existing clients',
  'and records the time spent in each phase for the dashboard',
  'which removes the last caller of the deprecated helper',
  'so the change can be reviewed and reverted on its own',
  'because the nightly job spends most of its time there',
  'while the old endpoint keeps answering for one more release',
];
const GUIDE_TOPICS = ['Installation', 'Usage', 'Configuration', 'Troubleshooting', 'Deployment', 'Contributing', 'Architecture overview', 'FAQ', 'Glossary', 'Upgrading'];

class Writer {
  readonly random: () => number;
  constructor(seed: number) {
    this.random = prng(seed);
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
}

/** The code file paths of a tree of `count` files (deterministic, no randomness). */
function codePaths(count: number): string[] {
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const area = AREAS[i % AREAS.length];
    const module = `m${Math.floor(i / AREAS.length) % 40}`;
    const ext = EXTENSIONS[i % EXTENSIONS.length];
    const dir = ext === 'py' ? `services/${area}/${module}` : ext === 'ts' ? `web/${area}/${module}` : `pkg/${area}/${module}`;
    paths.push(`${dir}/${PARTS[Math.floor(i / 640) % PARTS.length]}_${i}.${ext}`);
  }
  return paths;
}

function codeFile(w: Writer, path: string, n: number): string {
  const ext = path.slice(path.lastIndexOf('.') + 1);
  const lines: string[] = [];
  const functions = w.int(3, 7);
  if (ext === 'py') {
    lines.push(`"""Module ${n}: ${w.pick(NOUNS)}."""`, 'import os', 'import time', '');
    const cls = `${w.pick(CLASSES)}${n}`;
    lines.push(`class ${cls}:`, `    """The ${w.pick(NOUNS)}."""`, '');
    for (let f = 0; f < functions; f++) {
      lines.push(`    def ${METHODS[f % METHODS.length]}_${f}(self, value):`, `        started = time.monotonic()`, `        result = value + ${f * n}`, `        return os.path.join(str(result), str(started))`, '');
    }
  } else if (ext === 'ts') {
    lines.push(`// Module ${n}: ${w.pick(NOUNS)}.`, "import { join } from 'node:path';", '');
    lines.push(`export class ${w.pick(CLASSES)}${n} {`);
    for (let f = 0; f < functions; f++) {
      lines.push(`  ${METHODS[f % METHODS.length]}${f}(value: number): string {`, `    const result = value + ${f * n};`, '    return join(String(result), "out");', '  }', '');
    }
    lines.push('}');
  } else {
    lines.push(`// Package ${n}: ${w.pick(NOUNS)}.`, `package m${n % 40}`, '', 'import "fmt"', '');
    for (let f = 0; f < functions; f++) {
      lines.push(`func ${w.pick(CLASSES)}${f}(value int) string {`, `\tresult := value + ${f * n}`, '\treturn fmt.Sprint(result)', '}', '');
    }
  }
  return lines.join('\n') + '\n';
}

type Family = 'stage-plan' | 'phases' | 'task-plan' | 'plan-mode' | 'spec-tasks' | 'kiro' | 'openspec' | 'cursor' | 'kep' | 'rfc' | 'adr';
const FAMILIES: Family[] = ['stage-plan', 'stage-plan', 'phases', 'task-plan', 'task-plan', 'plan-mode', 'spec-tasks', 'kiro', 'openspec', 'cursor', 'kep', 'rfc', 'adr', 'adr'];

interface DocContext {
  w: Writer;
  code: string[];
  /** Current content of the code files, to give line numbers that exist. */
  lineCount: (path: string) => number;
}

function ref(ctx: DocContext): { path: string; line: number } {
  const path = ctx.w.pick(ctx.code);
  return { path, line: ctx.w.int(1, Math.max(1, ctx.lineCount(path))) };
}

function refText(ctx: DocContext, form: number): string {
  const { path, line } = ref(ctx);
  if (form % 4 === 0) return `\`${path}:${line}\``;
  if (form % 4 === 1) return `\`${path}:${line}-${line + ctx.w.int(1, 6)}\``;
  if (form % 4 === 2) return `\`${path}\``;
  return `\`${path}:${line}\` - ${ctx.w.pick(CLASSES)}.${ctx.w.pick(METHODS)}()`;
}

function testCommand(ctx: DocContext): string {
  const area = ctx.w.pick(AREAS);
  return ctx.w.pick([`uv run pytest tests/${area}/test_${ctx.w.pick(PARTS)}.py -v`, `npm test -- ${area}`, `go test ./pkg/${area}/...`, `make check-${area}`]);
}

function planDoc(ctx: DocContext, family: Family, title: string): string {
  const { w } = ctx;
  const out: string[] = [];
  const stages = w.int(3, 9);
  const prose = () => `${w.pick(VERBS)} the ${w.pick(NOUNS)} ${w.pick(PROSE)}.`;
  switch (family) {
    case 'stage-plan':
    case 'phases': {
      out.push(`# Plan: ${title}`, '', '## Background', '', prose(), '', `**Goal**: ${title} with p99 latency under ${w.int(50, 400)} ms.`, '', '### Affected Code', '');
      for (let i = 0; i < w.int(2, 6); i++) out.push(`- ${refText(ctx, i)}`);
      out.push('');
      for (let s = 1; s <= stages; s++) {
        const done = s <= stages / 3;
        const level = family === 'phases' ? '###' : '##';
        if (family === 'phases' && (s === 1 || s % 3 === 1)) out.push(`## Phase ${Math.ceil(s / 3)}: ${w.pick(VERBS)} the ${w.pick(NOUNS)}${done ? ' ✅ COMPLETE' : ''}`, '');
        out.push(`${level} Stage ${s}: ${w.pick(VERBS)} the ${w.pick(NOUNS)}${done ? ' ✅' : ''}`, '');
        out.push(`${level}# Objective`, '', prose(), '', `${level}# Changes`, '');
        for (let i = 0; i < w.int(2, 5); i++) out.push(`- [${done ? 'x' : ' '}] ${w.pick(VERBS)} ${w.pick(NOUNS)} in ${refText(ctx, i + s)}`);
        out.push('', `${level}# Validation`, '', `- [${done ? 'x' : ' '}] \`${testCommand(ctx)}\``, '');
      }
      break;
    }
    case 'task-plan': {
      out.push(`# ${title} Implementation Plan`, '', `**Goal:** ${prose()}`, '', `**Architecture:** ${prose()}`, '');
      for (let s = 1; s <= stages; s++) {
        out.push(`### Task ${s}: ${w.pick(VERBS)} the ${w.pick(NOUNS)}`, '', '**Files:**');
        out.push(`- Modify: ${refText(ctx, 1)}`, `- Test: \`tests/${w.pick(AREAS)}/test_${w.pick(PARTS)}.py\``, '');
        out.push(`- [ ] **Step 1: Write the failing test**`, '', `Run: \`${testCommand(ctx)}\``, 'Expected: FAIL', '');
        out.push(`- [ ] **Step 2: Implement it**`, '', prose(), '');
      }
      break;
    }
    case 'plan-mode': {
      out.push(`# Plan: ${title}`, '', '## Context', '', prose(), `The current code is at ${refText(ctx, 0)}.`, '');
      for (let s = 1; s <= stages; s++) out.push(`## Phase ${s}: ${w.pick(VERBS)} the ${w.pick(NOUNS)}`, '', `1. ${prose()}`, `2. Update ${refText(ctx, s)}`, '');
      out.push('## Verification', '', '```bash', testCommand(ctx), testCommand(ctx), '```', '');
      break;
    }
    case 'spec-tasks': {
      out.push(`# Tasks: ${title}`, '', '## Phase 1: Setup', '');
      let id = 1;
      for (let s = 1; s <= stages; s++) {
        if (s > 1) out.push(`## Phase ${s}: User Story ${s - 1} (Priority: P${Math.min(3, s - 1)})`, '');
        for (let i = 0; i < w.int(2, 4); i++) out.push(`- [${s === 1 ? 'x' : ' '}] T${String(id++).padStart(3, '0')} ${w.chance(0.4) ? '[P] ' : ''}${w.pick(VERBS)} ${w.pick(NOUNS)} in ${ref(ctx).path}`);
        out.push('', `**Checkpoint**: ${prose()}`, '');
      }
      break;
    }
    case 'kiro': {
      out.push('# Implementation Plan', '');
      for (let s = 1; s <= stages; s++) {
        out.push(`- [${s < 2 ? 'x' : ' '}] ${s}. ${w.pick(VERBS)} the ${w.pick(NOUNS)}`);
        out.push(`  - [ ] ${s}.1 ${prose()}`, `    - Touches ${refText(ctx, 2)}`, `    - _Requirements: ${s}.1, ${s}.2_`, '');
      }
      break;
    }
    case 'openspec': {
      out.push(`# Change: ${title}`, '', '## Why', '', prose(), '', '## What Changes', '');
      for (let i = 0; i < w.int(2, 5); i++) out.push(`- ${prose()} (${refText(ctx, i)})`);
      out.push('', '## Impact', '', `- Affected code: ${refText(ctx, 2)}`, '', '## 1. Implementation', '');
      for (let s = 1; s <= stages; s++) out.push(`- [ ] 1.${s} ${w.pick(VERBS)} the ${w.pick(NOUNS)}`);
      out.push('');
      break;
    }
    case 'cursor': {
      out.push('---', `name: ${title}`, `overview: ${prose()}`, 'todos:');
      for (let s = 1; s <= stages; s++) out.push(`  - id: todo-${s}`, `    content: ${w.pick(VERBS)} the ${w.pick(NOUNS)}`, `    status: ${w.pick(['pending', 'in_progress', 'completed'])}`);
      out.push('---', '', `# ${title}`, '', prose(), '', `Start at ${refText(ctx, 0)}.`, '');
      break;
    }
    case 'kep': {
      out.push(`# KEP-${w.int(1000, 4999)}: ${title}`, '', '- [ ] Enhancement issue in release milestone', '- [ ] Design details are appropriately documented', '');
      for (const section of ['Summary', 'Motivation', 'Proposal', 'Design Details', 'Drawbacks', 'Alternatives']) {
        out.push(`## ${section}`, '', prose(), '');
        if (section === 'Motivation') out.push('### Goals', '', `- ${prose()}`, '', '### Non-Goals', '', `- ${prose()}`, '');
        if (section === 'Design Details') out.push(`The change lands in ${refText(ctx, 0)}.`, '', '### Test Plan', '', prose(), '');
      }
      break;
    }
    case 'rfc': {
      out.push(`# RFC: ${title}`, '');
      for (const section of ['Summary', 'Motivation', 'Guide-level explanation', 'Reference-level explanation', 'Drawbacks', 'Rationale and alternatives', 'Prior art', 'Unresolved questions', 'Future possibilities']) {
        out.push(`## ${section}`, '', prose(), '');
      }
      out.push(`See ${refText(ctx, 2)} for the current parser.`, '');
      break;
    }
    case 'adr': {
      out.push(`# ADR ${w.int(1, 99)}: ${title}`, '', '## Status', '', w.pick(['Accepted', 'Proposed', 'Superseded']), '', '## Context', '', prose(), `The code in question: ${refText(ctx, 0)}.`, '');
      out.push('## Decision', '', prose(), '', '## Alternatives', '', `- ${prose()}`, '', '## Consequences', '', prose(), '');
      break;
    }
  }
  return out.join('\n');
}

function planPath(family: Family, n: number, slug: string): string {
  switch (family) {
    case 'stage-plan':
    case 'phases':
      return n % 2 === 0 ? `docs/plans/${slug}-plan.md` : `.agents/docs/${slug}.md`;
    case 'task-plan':
      return `docs/plans/2025-${String((n % 12) + 1).padStart(2, '0')}-${String((n % 28) + 1).padStart(2, '0')}-${slug}.md`;
    case 'plan-mode':
      return `.agents/plans/${slug}.md`;
    case 'spec-tasks':
      return `specs/${String(n).padStart(3, '0')}-${slug}/tasks.md`;
    case 'kiro':
      return `.kiro/specs/${slug}/tasks.md`;
    case 'openspec':
      return `openspec/changes/${slug}/proposal.md`;
    case 'cursor':
      return `.cursor/plans/${slug}.plan.md`;
    case 'kep':
      return `keps/sig-${AREAS[n % AREAS.length]}/${1000 + n}-${slug}/README.md`;
    case 'rfc':
      return `text/${String(n).padStart(4, '0')}-${slug}.md`;
    case 'adr':
      return `docs/adr/${String(n).padStart(4, '0')}-${slug}.md`;
  }
}

function ordinaryDoc(ctx: DocContext, kind: number, title: string): string {
  const { w } = ctx;
  const out: string[] = [];
  if (kind === 0) {
    out.push('# Changelog', '', 'All notable changes are listed here.', '');
    for (let v = w.int(4, 12); v > 0; v--) {
      out.push(`## [1.${v}.0] - 2025-${String((v % 12) + 1).padStart(2, '0')}-01`, '', '### Added', '', `- ${w.pick(VERBS)} the ${w.pick(NOUNS)}`, '', '### Fixed', '', `- The ${w.pick(NOUNS)} ${w.pick(PROSE)}`, '');
    }
  } else if (kind === 1) {
    out.push(`# ${title}`, '', `The ${w.pick(NOUNS)} ${w.pick(PROSE)}.`, '', '## Installation', '', '```sh', `npm install @acme/${w.pick(AREAS)}`, '```', '', '## Usage', '');
    out.push('```ts', `import { ${w.pick(CLASSES)} } from './${w.pick(PARTS)}';`, `new ${w.pick(CLASSES)}().${w.pick(METHODS)}();`, '```', '', `See [the guide](../docs/guide/usage.md) and \`${w.pick(ctx.code)}\`.`, '', '## License', '', 'MIT', '');
  } else {
    out.push(`# ${title}`, '');
    for (let s = 0; s < w.int(2, 6); s++) {
      out.push(`## ${w.pick(GUIDE_TOPICS)}`, '', `The ${w.pick(NOUNS)} ${w.pick(PROSE)}. ${w.pick(VERBS)} it when the ${w.pick(NOUNS)} ${w.pick(PROSE)}.`, '');
      if (w.chance(0.3)) out.push('| Option | Default | Meaning |', '| --- | --- | --- |', `| \`${w.pick(METHODS)}\` | \`${w.int(1, 90)}\` | the ${w.pick(NOUNS)} |`, '');
      if (w.chance(0.3)) out.push(`1. Open the ${w.pick(NOUNS)} settings.`, `2. ${w.pick(VERBS)} the ${w.pick(NOUNS)}.`, '');
      if (w.chance(0.2)) out.push('> **Note**', `> ${w.pick(PROSE)}.`, '');
    }
  }
  return out.join('\n');
}

/** fast-import `data` command: byte length, then the bytes. */
function data(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}\n`;
}

/**
 * Generates the tree in `root` (emptied first): files, then a history of `size.commits` commits through one
 * `git fast-import`, then a checkout of the last commit.
 */
export function generateTree(root: string, size: TreeSize = FULL_TREE, seed = 11): GeneratedTree {
  const started = performance.now();
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const w = new Writer(seed);
  const content = new Map<string, string>();
  let code = codePaths(size.code);
  code.forEach((path, n) => content.set(path, codeFile(w, path, n)));
  const lineCount = (path: string) => (content.get(path) ?? '').split('\n').length - 1;
  const ctx: DocContext = { w, code, lineCount };

  // Docs, each assigned to the commit that adds it: spread over the first two thirds of the history, so
  // that later commits move code under committed references.
  const plans = Math.round(size.docs * 0.3);
  const docs: { path: string; commit: number; text: string; plan: boolean }[] = [];
  const seen = new Set<string>();
  const addDoc = (path: string, text: string, plan: boolean, index: number) => {
    if (seen.has(path)) path = path.replace(/\.md$/, `-${index}.md`);
    seen.add(path);
    docs.push({ path, text, plan, commit: 1 + (index % Math.max(1, Math.floor((size.commits * 2) / 3))) });
  };
  for (let i = 0; i < plans; i++) {
    const family = FAMILIES[i % FAMILIES.length];
    const title = `${w.pick(VERBS)} the ${w.pick(NOUNS)} in ${w.pick(AREAS)}`;
    const slug = `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${i}`;
    addDoc(planPath(family, i, slug), planDoc(ctx, family, title), true, i);
  }
  for (let i = 0; plans + i < size.docs; i++) {
    const kind = i % 10 === 0 ? 0 : i % 3 === 0 ? 1 : 2;
    const area = AREAS[i % AREAS.length];
    const title = kind === 1 ? `${area} ${PARTS[i % PARTS.length]}` : `${w.pick(GUIDE_TOPICS)} for ${area}`;
    const path = kind === 0 ? `${i === 0 ? '' : `services/${area}/m${i % 40}/`}CHANGELOG.md` : kind === 1 ? `services/${area}/m${i % 40}/README.md` : `docs/guide/${area}/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.md`;
    addDoc(path, ordinaryDoc(ctx, kind, title), false, plans + i);
  }

  // The history: commit 0 adds the code; commit c adds the docs assigned to it and moves code (inserts
  // lines at the top of files, renames a few).
  const stream: string[] = [];
  let time = 1_700_000_000;
  const commit = (message: string, body: string) => {
    time += 3600;
    stream.push(`commit refs/heads/main\ncommitter Bench <bench@example.com> ${time} +0000\n${data(message)}${body}`);
  };
  commit('Initial code', code.map((path) => `M 100644 inline ${path}\n${data(content.get(path)!)}`).join(''));
  const docsByCommit = new Map<number, typeof docs>();
  for (const doc of docs) docsByCommit.set(doc.commit, [...(docsByCommit.get(doc.commit) ?? []), doc]);
  for (let c = 1; c < size.commits; c++) {
    const ops: string[] = [];
    for (const doc of docsByCommit.get(c) ?? []) ops.push(`M 100644 inline ${doc.path}\n${data(doc.text)}`);
    const edits = w.int(10, 30);
    for (let e = 0; e < edits; e++) {
      const path = w.pick(code);
      const old = content.get(path)!;
      const insert = Array.from({ length: w.int(1, 8) }, (_, k) => (path.endsWith('.py') ? `# note ${c}.${k}: ${w.pick(PROSE)}` : `// note ${c}.${k}: ${w.pick(PROSE)}`));
      const lines = old.split('\n');
      lines.splice(w.int(1, Math.min(lines.length - 1, 12)), 0, ...insert);
      content.set(path, lines.join('\n'));
      ops.push(`M 100644 inline ${path}\n${data(content.get(path)!)}`);
    }
    if (c % 10 === 0) {
      // A rename: the file moves to a sibling directory.
      const index = w.int(0, code.length - 1);
      const from = code[index];
      const to = from.replace(/\/(m\d+)\//, '/$1_moved/');
      if (to !== from && !content.has(to)) {
        content.set(to, content.get(from)!);
        content.delete(from);
        code = code.map((path) => (path === from ? to : path));
        ctx.code = code;
        ops.push(`R ${from} ${to}\n`);
      }
    }
    commit(`Change ${c}`, ops.join(''));
  }
  const git = (args: string[], input?: string) => {
    const result = spawnSync('git', args, { cwd: root, input, maxBuffer: 1 << 30, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: root } });
    if (result.status !== 0) throw new Error(`git ${args[0]} failed: ${result.stderr?.toString()}`);
  };
  git(['init', '-q', '-b', 'main']);
  git(['fast-import', '--quiet'], stream.join(''));
  git(['-c', 'core.fsmonitor=false', 'reset', '-q', '--hard', 'main']);
  const docPaths = docs.map((doc) => join(root, doc.path)).sort();
  return {
    root,
    docs: docPaths,
    planDocs: docs.filter((doc) => doc.plan).map((doc) => join(root, doc.path)).sort(),
    codeFiles: code.length,
    commits: size.commits,
    ms: performance.now() - started,
  };
}
