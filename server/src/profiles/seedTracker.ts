/** The seeds' tracker: a `| Stage | Description | Status |` table plus per-stage sections. */
import { seedKindFromContent } from './seedShapes';
import type { Profile } from './types';

export const seedTracker: Profile = {
  id: 'seed-tracker',
  title: 'tracker',
  description: 'Tracker: a stage status table (`| Stage | Description | Status |`) plus per-stage sections.',
  score(signals) {
    return seedKindFromContent(signals).kind === 'tracker' ? 3 : 0;
  },
  kind: () => 'tracker',
  stageLabels: ['Stage', 'Phase', 'Step', 'Milestone', 'Part', ''],
  requiredParts: ['objective', 'changes', 'validation'],
  requiresGoals: false,
  requiresNonGoals: false,
  requiredSections: () => 'config',
  status: 'The status table (`✓ Completed`, `Pending`, `In progress`) and heading marks.',
};
