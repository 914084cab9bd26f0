/** Enhancement proposals (KEPs): `keps/<sig>/<NNNN-name>/README.md` beside `kep.yaml`, with the KEP template sections. */
import { headingCount, pathIs } from './signals';
import type { Profile } from './types';

const DISTINCT = [
  'release signoff checklist',
  'production readiness review questionnaire',
  'graduation criteria',
  'implementation history',
  'version skew strategy',
  'risks and mitigations',
  'upgrade / downgrade strategy',
  'notes/constraints/caveats',
  'infrastructure needed',
  'design details',
];
const SHARED = ['summary', 'motivation', 'proposal', 'goals', 'non-goals', 'user stories', 'test plan', 'drawbacks', 'alternatives'];

export const enhancementProposal: Profile = {
  id: 'enhancement-proposal',
  title: 'enhancement proposal (KEP)',
  description: 'Enhancement proposal (KEP): Summary, Motivation (Goals, Non-Goals), Proposal, Design Details (Test Plan, Graduation Criteria), Production Readiness Review, Implementation History, Drawbacks, Alternatives.',
  score(signals) {
    const distinct = headingCount(signals, DISTINCT);
    const inKeps = pathIs(signals, /(?:^|\/)keps\/.*\.md$/i);
    if (distinct < 2 && !(inKeps && distinct >= 1)) return 0;
    return distinct * 1.5 + headingCount(signals, SHARED) * 0.5 + (inKeps ? 2 : 0);
  },
  kind: () => 'design',
  stageLabels: [],
  requiredParts: [],
  requiresGoals: true,
  requiresNonGoals: true,
  requiredSections: () => [
    { title: 'Summary', synonyms: ['summary'] },
    { title: 'Motivation', synonyms: ['motivation'], section: 'background' },
    { title: 'Proposal', synonyms: ['proposal'], section: 'proposed-design' },
    { title: 'Design Details', synonyms: ['design details', 'detailed design'] },
  ],
  status: '`status:` in kep.yaml; graduation stages (alpha, beta, GA) are not work stages.',
};
