/** The seeds' implementation plan: `## Stage N: Title` with Objective / Changes / Validation / Completion Criteria. */
import { seedKindFromContent } from './seedShapes';
import type { Profile, ProfileSignals } from './types';

/**
 * A plan named as one (title or file name) with two or more labelled stages but without the seeds' parts:
 * just enough to be read as a staged plan. Other families often fit as well, and then only what holds in
 * all of them is reported.
 */
function looseStagedPlan(signals: ProfileSignals): number {
  const named = /\bplan\b/i.test(signals.title ?? '') || /plan[^/]*\.md$/i.test(signals.path ?? '');
  const staged = signals.stages.filter((stage) => ['Stage', 'Phase', 'Step', 'Milestone'].includes(stage.label)).length;
  return named && staged >= 2 ? 3 : 0;
}

export const seedPlan: Profile = {
  id: 'seed-plan',
  title: 'plan',
  description: 'Plan in the seeds\' style: `## Stage N: Title` stages with Objective, Changes, Validation and Completion Criteria.',
  score(signals) {
    if (seedKindFromContent(signals).kind !== 'plan') return looseStagedPlan(signals);
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
