/**
 * Enhancement proposals: Kubernetes KEPs (`keps/<sig>/<NNNN-name>/README.md` beside `kep.yaml`) and the
 * projects that copied the template (Tekton's TEPs in `teps/`, Gateway API's GEPs), with its sections.
 */
import { headingCount, pathIs } from './signals';
import type { Profile, ProfileSignals } from './types';

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
/** A Kubernetes KEP: under `keps/`, or titled `KEP-1234`. */
function isKep(signals: ProfileSignals): boolean {
  return pathIs(signals, /(?:^|\/)keps\/.*\.md$/i) || (signals.title !== null && /^KEP[- ]?\d/.test(signals.title));
}

/** Statuses of a proposal merged before its design: the problem is agreed, the design is to come. */
const EARLY_STATUS = /^\s*(?:proposed|provisional|draft)\s*$/i;
/** A proposal's number in its title: KEP-1234, TEP-0004, GEP-1742. */
const NUMBERED_TITLE = /^[A-Z]{1,4}EP[- ]?\d{1,5}\b/;
const SHARED = ['summary', 'motivation', 'proposal', 'goals', 'non-goals', 'user stories', 'test plan', 'drawbacks', 'alternatives'];

export const enhancementProposal: Profile = {
  id: 'enhancement-proposal',
  title: 'enhancement proposal (KEP)',
  description: 'Enhancement proposal (KEP): Summary, Motivation (Goals, Non-Goals), Proposal, Design Details (Test Plan, Graduation Criteria), Production Readiness Review, Implementation History, Drawbacks, Alternatives.',
  score(signals) {
    const distinct = headingCount(signals, DISTINCT);
    const shared = headingCount(signals, SHARED);
    const inKeps = pathIs(signals, /(?:^|\/)(?:keps|teps|geps)\/.*\.md$/i);
    // "# TEP-0004: Task Results in Final Tasks", or the template's metadata (authors, creation-date, status).
    const numbered = signals.title !== null && NUMBERED_TITLE.test(signals.title);
    const data = signals.frontMatter?.data;
    const metadata = data != null && 'authors' in data && 'status' in data && ('creation-date' in data || 'last-updated' in data);
    const family = inKeps || numbered || metadata;
    if (distinct < 2 && !(family && (distinct >= 1 || shared >= 4))) return 0;
    return distinct * 1.5 + shared * 0.5 + (inKeps ? 2 : 0) + (numbered || metadata ? 3 : 0);
  },
  kind: () => 'design',
  stageLabels: [],
  requiredParts: [],
  // Kubernetes' template asks for Goals and Design Details; the projects that copied it state their goals
  // in the Motivation or a Requirements list and design under Proposal (judged on Tekton's TEPs).
  requiresGoals: (signals) => isKep(signals),
  requiresNonGoals: true,
  // A proposal merged early ("proposed", "provisional") agrees on the problem first: the design comes later.
  requiredSections: (signals) =>
    EARLY_STATUS.test(String(signals.frontMatter?.data?.status ?? ''))
      ? [
          { title: 'Summary', synonyms: ['summary'] },
          { title: 'Motivation', synonyms: ['motivation'], section: 'background' },
        ]
      : [
          { title: 'Summary', synonyms: ['summary'] },
          { title: 'Motivation', synonyms: ['motivation'], section: 'background' },
          { title: 'Proposal', synonyms: ['proposal'], section: 'proposed-design' },
          ...(isKep(signals) ? [{ title: 'Design Details', synonyms: ['design details', 'detailed design', 'design'] }] : []),
        ],
  status: '`status:` in kep.yaml; graduation stages (alpha, beta, GA) are not work stages.',
};
