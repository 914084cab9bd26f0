/**
 * Spec-driven task lists: `specs/NNN-feature/tasks.md` beside `spec.md` and `plan.md`, phases of
 * `- [ ] T012 [P] [US1] …` items with `**Checkpoint**:` and `**Independent Test**:` lines.
 */
import { fileName, headingCount, hasPseudoHeading, itemsMatching, pathIs, stagesLabelled } from './signals';
import type { Profile } from './types';

const FOLDER = /(?:^|\/)specs\/(?:[^/]+\/)*\d{3,}-[^/]+\/(?:spec|plan|tasks|research|data-model|quickstart)\.md$/;

/** Task ids: `T001`, `T012` (not `T005-TEST`, a test task named after its task). */
export const TASK_ID = /^T\d{3,}(?![\w-])/;

export const specTasks: Profile = {
  id: 'spec-tasks',
  title: 'spec-driven task list',
  description: 'Spec-driven task list: `## Phase N: …` of `- [ ] T012 [P] [US1] …` items, `**Checkpoint**:`, `**Independent Test**:`; also its spec.md and plan.md.',
  score(signals) {
    const inFolder = pathIs(signals, FOLDER);
    const ids = itemsMatching(signals, TASK_ID);
    let score = 0;
    if (inFolder) score += fileName(signals) === 'tasks.md' ? 3 : 2;
    if (ids >= 3) score += 3;
    else if (ids > 0) score += 1;
    if (ids > 0 && stagesLabelled(signals, ['Phase']) > 0) score += 1;
    if (hasPseudoHeading(signals, ['checkpoint', 'independent test'])) score += 1;
    if (signals.headings.some((heading) => /^user story \d+\b/.test(heading))) score += 2;
    score += headingCount(signals, ['user scenarios and testing', 'technical context', 'constitution check', 'functional requirements', 'project structure']);
    return score;
  },
  kind: (signals) => (itemsMatching(signals, TASK_ID) > 0 || fileName(signals) === 'tasks.md' ? 'plan' : 'design'),
  stageLabels: ['Phase', 'Stage', ''],
  requiredParts: [],
  requiresGoals: false,
  requiresNonGoals: false,
  requiredSections: () => [],
  status: '`- [x] T012` items.',
};
