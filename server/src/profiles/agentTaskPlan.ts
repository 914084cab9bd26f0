/**
 * Agent task plans ("writing plans" style): a `**Goal:**` line, `### Task N: Title` blocks with `**Files:**`
 * lists and `- [ ] **Step N: …**` checkboxes whose `Run:` lines carry `Expected: FAIL` / `Expected: PASS`.
 */
import { hasPseudoHeading, itemsMatching, pathIs, stagesLabelled } from './signals';
import type { Profile } from './types';

export const agentTaskPlan: Profile = {
  id: 'agent-task-plan',
  title: 'agent task plan',
  description: 'Agent task plan: `**Goal:**`, `### Task N:` blocks with `**Files:**` (Create/Modify/Test) and `- [ ] **Step N:**` checkboxes with `Run:` / `Expected:` lines.',
  score(signals) {
    const tasks = stagesLabelled(signals, ['Task']);
    if (tasks === 0) return 0;
    let score = 2;
    if (hasPseudoHeading(signals, ['files'])) score += 2;
    if (itemsMatching(signals, /^Step \d+\b/) > 0) score += 1;
    if (signals.runLines > 0) score += 1;
    if (hasPseudoHeading(signals, ['goal']) && hasPseudoHeading(signals, ['architecture', 'tech stack'])) score += 1;
    if (pathIs(signals, /(?:^|\/)plans\/\d{4}-\d{2}-\d{2}-[^/]+\.md$/)) score += 1;
    return score;
  },
  kind: () => 'plan',
  stageLabels: ['Task', 'Phase', 'Part', 'Stage', 'Milestone', 'Chunk'],
  requiredParts: [],
  requiresGoals: false,
  requiresNonGoals: false,
  requiredSections: () => [],
  status: '`- [x]` step checkboxes.',
};
