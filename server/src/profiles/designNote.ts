/**
 * Design notes and architecture decision records: Context / Problem, Decision, Alternatives, Consequences;
 * also free-form design documents (`docs/plans/2025-01-09-x-design.md`, "… Design Document") with an
 * Overview, Architecture, Error Handling and Testing Strategy.
 */
import { fileName, hasHeading, headingCount, pathIs } from './signals';
import type { Profile, ProfileSignals } from './types';

const CONTEXT = ['context', 'context and problem statement', 'problem', 'problem statement', 'background'];
const DECISION = ['decision', 'decision outcome', 'proposed design', 'proposal', 'design', 'solution', 'proposed solution'];
const ALTERNATIVES = ['alternatives', 'alternatives considered', 'considered options', 'options considered', 'considered alternatives', 'options'];
const CONSEQUENCES = ['consequences', 'implications', 'pros and cons of the options'];
const DESIGN_TOPICS = [
  'overview', 'architecture', 'error handling', 'testing strategy', 'data flow', 'components', 'key design decisions', 'design decisions',
  'data model', 'api', 'api design', 'security considerations', 'migration plan', 'open questions', 'future work', 'goals', 'non-goals',
  'implementation order', 'trade-offs', 'rationale', 'risks',
];

/** How strongly a doc calls itself a design: its file name (`x-design.md`) and its title ("Auth Flow Design"). */
function designNaming(signals: ProfileSignals): number {
  const title = signals.title?.trim() ?? '';
  const byName = /(?:^|[-_])design\.md$/i.test(fileName(signals)) ? 1 : 0;
  const byTitle = /\bdesign(?:\s+doc(?:ument)?)?$|^design\s*[:\-–—]|\bdesign doc(?:ument)?\b/i.test(title) ? 1 : 0;
  return byName + byTitle;
}

/** An ADR: a Decision heading (or an ADR folder) rather than a free-form design. */
function isDecisionRecord(signals: ProfileSignals): boolean {
  return hasHeading(signals, ['decision', 'decision outcome']) || pathIs(signals, /(?:^|\/)(?:adrs?|decisions)\/[^/]+\.md$/i);
}

export const designNote: Profile = {
  id: 'design-note',
  title: 'design note / ADR',
  description: 'Design note or architecture decision record: Context (or Problem), Decision (or Proposed Design), Alternatives, Consequences; free-form design docs.',
  score(signals) {
    const decision = hasHeading(signals, DECISION);
    const consequences = hasHeading(signals, CONSEQUENCES);
    let score = 0;
    if (decision || consequences) {
      score = [hasHeading(signals, CONTEXT), decision, hasHeading(signals, ALTERNATIVES), consequences].filter(Boolean).length;
      if (hasHeading(signals, ['decision', 'decision outcome']) && consequences) score += 1;
      if (hasHeading(signals, ['decision drivers', 'considered options'])) score += 1;
      if (hasHeading(signals, ['status'])) score += 0.5;
    }
    if (pathIs(signals, /(?:^|\/)(?:adrs?|decisions)\/[^/]+\.md$/i) && score > 0) score += 1;
    const named = designNaming(signals);
    if (named > 0) score = Math.max(score, 1 + named + Math.min(headingCount(signals, DESIGN_TOPICS), 3));
    return score;
  },
  kind: () => 'design',
  stageLabels: [],
  requiredParts: [],
  requiresGoals: false,
  requiresNonGoals: false,
  requiredSections: (signals) =>
    isDecisionRecord(signals)
      ? [
          { title: 'Context', synonyms: CONTEXT, section: 'background' },
          { title: 'Decision', synonyms: DECISION, section: 'proposed-design' },
        ]
      : [],
  status: 'A `Status:` line (Proposed, Accepted, Superseded).',
};
