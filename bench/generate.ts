/**
 * Deterministic generator of a realistic implementation plan for `npm run bench`: the shapes of real plans
 * (background with a design link and `**Goal**:`, Affected Code as `path:line - Symbol`, many stages with
 * Objective, a Changes checklist, Validation as commands or a shell block, code blocks headed `# path:line`,
 * tables, a Stage Dependencies section and a status table). Same seed, same text.
 */
import { prng, CLASSES, METHODS, NOUNS } from './seeded';

const MODULES = ['ingest', 'ledger', 'scheduler', 'storage', 'auth', 'billing', 'search', 'notify', 'export', 'gateway'];
const FILES = ['core', 'client', 'worker', 'models', 'handlers', 'config', 'queue', 'retry', 'codec', 'metrics'];
const VERBS = ['Add', 'Move', 'Replace', 'Extract', 'Rename', 'Wire', 'Split', 'Document', 'Delete', 'Cache'];
const PROSE = [
  'keeps the old behaviour behind a flag until the rollout finishes',
  'so that callers no longer reach into the private state',
  'without changing the wire format seen by existing clients',
  'and records the time spent in each phase for the dashboard',
  'which removes the last caller of the deprecated helper',
  'so the stage can be reviewed and reverted on its own',
];

export interface GeneratedPlan {
  text: string;
  lines: number;
  stages: number;
}

/** Generates a plan of at least `targetLines` lines. */
export function generatePlan(targetLines: number, seed = 20240611): GeneratedPlan {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const path = () => `src/${pick(MODULES)}/${pick(FILES)}.py`;
  const testPath = () => `tests/${pick(MODULES)}/test_${pick(FILES)}.py`;
  const symbol = () => `${pick(CLASSES)}.${pick(METHODS)}()`;
  const out: string[] = [];
  const push = (...lines: string[]) => out.push(...lines);

  push('# Plan: Move the platform services to the new execution engine', '');
  push('## Background', '');
  push('**Design**: [Execution engine design](../design/execution-engine.md)', '');
  push('**Goal**: Every service runs on the new engine with p99 task latency under 200 ms and no lost tasks.', '');
  push('### Affected Code', '');
  for (let i = 0; i < 40; i++) push(`- \`${path()}:${int(1, 900)}\` - ${symbol()}`);
  push('', '### Dependencies', '', '- The engine client library, version 3 or later', '- Read access to the staging cluster', '');

  let stage = 0;
  const statusRows: string[] = [];
  while (out.length < targetLines - 60) {
    stage++;
    const title = `${pick(VERBS)} the ${pick(NOUNS)} in ${pick(MODULES)}`;
    const done = stage % 7 === 1;
    push(`## Stage ${stage}: ${title}${done ? ' ✅' : ''}`, '');
    push('### Objective', '', `${title} ${pick(PROSE)}; see ${path()}:${int(1, 500)} - ${pick(CLASSES)} for the current code.`, '');
    push('### Changes', '');
    const changes = int(2, 8);
    for (let i = 0; i < changes; i++) {
      const box = done || random() < 0.3 ? '[x]' : '[ ]';
      const change = random() < 0.2 ? `Create \`${path()}\` (new file)` : `${pick(VERBS)} ${pick(NOUNS)} in \`${path()}:${int(1, 900)}\``;
      push(`- ${box} ${change} ${pick(PROSE)}`);
    }
    push('');
    if (random() < 0.35) {
      const file = path();
      push('```python', `# ${file}:${int(10, 600)}`, `class ${pick(CLASSES)}:`, `    def ${pick(METHODS)}(self, batch):`, '        for item in batch:', '            self.queue.put(item)', '        return len(batch)', '```', '');
    }
    if (random() < 0.15) {
      push('| Field | Type | Meaning |', '|-------|------|---------|');
      for (let i = 0; i < int(2, 5); i++) push(`| \`${pick(METHODS)}_at\` | \`float\` | when the ${pick(NOUNS)} finished |`);
      push('');
    }
    push('### Validation', '');
    if (random() < 0.6) {
      for (let i = 0; i < int(1, 3); i++) {
        const box = done ? '[x]' : '[ ]';
        push(`- ${box} \`uv run pytest ${testPath()}::test_${pick(METHODS)}_${pick(FILES)} -v\``);
      }
      if (random() < 0.3) push(`- ${done ? '[x]' : '[ ]'} Manual: the dashboard shows the ${pick(NOUNS)}`);
    } else {
      push('```bash', `# ${pick(PROSE)}`, `uv run pytest ${testPath()} -k "${pick(METHODS)}" -v`, '# Expected: PASSED', `uv run mypy ${path()}`, '```');
    }
    push('', '### Completion Criteria', '', `- [${done ? 'x' : ' '}] All validation commands pass and the ${pick(NOUNS)} is covered by a test`, '');
    statusRows.push(`| ${stage} | ${title} | ${done ? '✓ Completed' : 'Pending'} |`);
  }

  push('## Stage Dependencies', '', '```');
  for (let i = 2; i <= Math.min(stage, 12); i++) push(`Stage ${i - 1} ──► Stage ${i}`);
  push('```', '');
  for (let i = 13; i <= stage; i += 10) push(`Stage ${i} requires Stage ${i - 1}.`);
  push('', '## Status', '', '| Stage | Description | Status |', '|-------|-------------|--------|', ...statusRows, '');
  const text = out.join('\n');
  return { text, lines: out.length, stages: stage };
}
