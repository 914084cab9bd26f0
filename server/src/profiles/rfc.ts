/** RFCs in the template of language and tool RFC repositories (`text/NNNN-*.md`, `rfcs/`). */
import { headingCount, pathIs } from './signals';
import type { Profile } from './types';

const DISTINCT = ['guide-level explanation', 'reference-level explanation', 'rationale and alternatives', 'prior art', 'unresolved questions', 'future possibilities', 'detailed design'];
const SHARED = ['summary', 'motivation', 'drawbacks', 'alternatives', 'how we teach this'];

export const rfc: Profile = {
  id: 'rfc',
  title: 'RFC',
  description: 'RFC: Summary, Motivation, Guide-level and Reference-level explanation (or Detailed design), Drawbacks, Rationale and alternatives, Prior art, Unresolved questions, Future possibilities.',
  score(signals) {
    const distinct = headingCount(signals, DISTINCT);
    const inRfcs = pathIs(signals, /(?:^|\/)(?:text\/\d{4}-[^/]+|rfcs?\/[^/]+)\.md$/i);
    if (distinct < 2 && !(inRfcs && distinct >= 1)) return 0;
    return distinct * 1.5 + headingCount(signals, SHARED) * 0.5 + (inRfcs ? 2 : 0);
  },
  kind: () => 'design',
  stageLabels: [],
  requiredParts: [],
  requiresGoals: false,
  requiresNonGoals: false,
  requiredSections: () => [
    { title: 'Summary', synonyms: ['summary'] },
    { title: 'Motivation', synonyms: ['motivation'], section: 'background' },
    { title: 'Guide-level or Reference-level explanation', synonyms: ['guide-level explanation', 'reference-level explanation', 'detailed design', 'design'] },
    { title: 'Drawbacks', synonyms: ['drawbacks'], section: 'trade-offs' },
    { title: 'Rationale and alternatives', synonyms: ['rationale and alternatives', 'alternatives', 'alternatives considered'] },
  ],
  status: 'none (an RFC has no work stages).',
};
