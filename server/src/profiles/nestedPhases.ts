/** Plans in the seeds' format with stages nested under phases (`## Phase 1 … ✅` holding `### Stage 2: …`). */
import type { Profile } from './types';

const WORK_LABELS = ['Stage', 'Phase', 'Milestone', 'Step', 'Task', ''];

export const nestedPhases: Profile = {
  id: 'nested-phases',
  title: 'nested-phases plan',
  description: 'Plan whose phases group stages: `## Phase 1: … ✅ COMPLETE` holding `### Stage 2: …` with `#### Objective` / `#### Changes` / `#### Validation`.',
  score(signals) {
    const nested = signals.stages.filter(
      (stage) =>
        stage.parentNumber !== null &&
        stage.label !== 'Step' &&
        WORK_LABELS.includes(stage.label) &&
        (['objective', 'changes', 'validation'] as const).filter((part) => stage.parts[part]).length >= 2,
    ).length;
    if (nested === 0) return 0;
    return 4 + Math.min(nested, 4) / 2;
  },
  kind: () => 'plan',
  stageLabels: WORK_LABELS,
  requiredParts: ['objective', 'changes', 'validation'],
  requiresGoals: false,
  requiresNonGoals: false,
  // Real nested-phase plans (roadmaps, fix plans) carry no Background or Affected Code sections.
  requiredSections: () => [],
  status: '`✅ COMPLETE` on phase and stage headings, `[x]` checklists, a status table.',
};
