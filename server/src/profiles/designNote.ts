/** Design notes and architecture decision records: Context / Problem, Decision, Alternatives, Consequences. */
import { hasHeading, pathIs } from './signals';
import type { Profile } from './types';

const CONTEXT = ['context', 'context and problem statement', 'problem', 'problem statement', 'background'];
const DECISION = ['decision', 'decision outcome', 'proposed design', 'proposal', 'design', 'solution', 'proposed solution'];
const ALTERNATIVES = ['alternatives', 'alternatives considered', 'considered options', 'options considered', 'considered alternatives', 'options'];
const CONSEQUENCES = ['consequences', 'implications', 'pros and cons of the options'];

export const designNote: Profile = {
  id: 'design-note',
  title: 'design note / ADR',
  description: 'Design note or architecture decision record: Context (or Problem), Decision (or Proposed Design), Alternatives, Consequences.',
  score(signals) {
    const decision = hasHeading(signals, DECISION);
    const consequences = hasHeading(signals, CONSEQUENCES);
    if (!decision && !consequences) return 0;
    let score = [hasHeading(signals, CONTEXT), decision, hasHeading(signals, ALTERNATIVES), consequences].filter(Boolean).length;
    if (hasHeading(signals, ['decision']) && consequences) score += 1;
    if (hasHeading(signals, ['status'])) score += 0.5;
    if (pathIs(signals, /(?:^|\/)(?:adrs?|decisions|design|designs|rfcs?)\/[^/]+\.md$/i)) score += 1;
    return score;
  },
  kind: () => 'design',
  stageLabels: [],
  requiredParts: [],
  requiresGoals: false,
  requiresNonGoals: false,
  requiredSections: () => [
    { title: 'Context', synonyms: CONTEXT, section: 'background' },
    { title: 'Decision', synonyms: DECISION, section: 'proposed-design' },
  ],
  status: 'A `Status:` line (Proposed, Accepted, Superseded).',
};
