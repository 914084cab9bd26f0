/** The seeds' design doc: Background, Goals, Non-Goals, Current Implementation, Proposed Design, phases of steps. */
import { seedKindFromContent } from './seedShapes';
import type { Profile } from './types';

export const seedDesign: Profile = {
  id: 'seed-design',
  title: 'design doc',
  description: 'Design doc in the seeds\' style: Background, Goals, Non-Goals, Current Implementation, Proposed Design, an implementation plan of steps with **Validate**.',
  score(signals) {
    if (seedKindFromContent(signals).kind !== 'design') return 0;
    return 3 + signals.sectionNames.size / 2;
  },
  kind: () => 'design',
  stageLabels: ['Stage', 'Phase', 'Step', 'Milestone', 'Part', ''],
  requiredParts: ['validation'],
  requiresGoals: true,
  requiresNonGoals: true,
  requiredSections: () => 'config',
  status: 'Checkboxes in steps; `✅` in a heading.',
};
