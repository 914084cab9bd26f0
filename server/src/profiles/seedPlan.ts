/** The seeds' implementation plan: `## Stage N: Title` with Objective / Changes / Validation / Completion Criteria. */
import { seedKindFromContent } from './seedShapes';
import type { Profile } from './types';

export const seedPlan: Profile = {
  id: 'seed-plan',
  title: 'plan',
  description: 'Plan in the seeds\' style: `## Stage N: Title` stages with Objective, Changes, Validation and Completion Criteria.',
  score(signals) {
    if (seedKindFromContent(signals).kind !== 'plan') return 0;
    const topWithParts = signals.stages.filter(
      (stage) => stage.parentNumber === null && (['objective', 'changes', 'validation'] as const).filter((part) => stage.parts[part]).length >= 2,
    ).length;
    return 3 + Math.min(topWithParts, 3) / 2 + (signals.stages.some((stage) => stage.label === 'Stage') ? 0.5 : 0);
  },
  kind: () => 'plan',
  stageLabels: ['Stage', 'Phase', 'Step', 'Milestone', 'Part', ''],
  requiredParts: ['objective', 'changes', 'validation'],
  requiresGoals: true,
  requiresNonGoals: false,
  requiredSections: () => 'config',
  status: '`✅`, `COMPLETE` or `(done)` in a stage heading, `[x]` checklists, a `| Stage | … | Status |` table.',
};
