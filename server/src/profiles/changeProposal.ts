/**
 * Change proposals: `openspec/changes/<id>/{proposal.md,tasks.md,design.md,specs/<cap>/spec.md}`; proposals
 * with Why / What Changes / Impact, spec deltas of `### Requirement:` with `#### Scenario:`.
 */
import { fileName, hasHeading, pathIs } from './signals';
import type { Profile, ProfileSignals } from './types';

/** `ADDED Requirements`, `MODIFIED Requirements`, ... (normalized heading text). */
export const DELTA_HEADING = /^(added|modified|removed|renamed)\s+requirements$/;

function isProposal(signals: ProfileSignals): boolean {
  return fileName(signals) === 'proposal.md' || (hasHeading(signals, ['why']) && hasHeading(signals, ['what changes']));
}

export const changeProposal: Profile = {
  id: 'change-proposal',
  title: 'change proposal',
  description: 'Change proposal (`openspec/changes/<id>/`): proposal.md (Why, What Changes, Impact), tasks.md (`## 1. …` of `- [ ] 1.1`), spec deltas (`## ADDED Requirements`, `### Requirement:`, `#### Scenario:`).',
  score(signals) {
    let score = 0;
    if (pathIs(signals, /(?:^|\/)openspec\/(?:changes|specs)\/.+\.md$/) && !/(?:^|\/)(?:readme|agents|project)\.md$/i.test(signals.path ?? '')) score += 6;
    if (hasHeading(signals, ['why']) && hasHeading(signals, ['what changes'])) score += 3 + (hasHeading(signals, ['impact']) ? 1 : 0);
    if (signals.headings.some((heading) => DELTA_HEADING.test(heading))) score += 3;
    if (signals.headings.some((heading) => heading.startsWith('requirement:'))) score += 1;
    if (signals.headings.some((heading) => heading.startsWith('scenario:'))) score += 1;
    return score;
  },
  kind: (signals) => (fileName(signals) === 'tasks.md' ? 'plan' : 'design'),
  stageLabels: [''],
  requiredParts: [],
  requiresGoals: false,
  requiresNonGoals: false,
  requiredSections: (signals) =>
    isProposal(signals)
      ? [
          { title: 'Why', synonyms: ['why', 'motivation', 'problem', 'background', 'summary'] },
          { title: 'What Changes', synonyms: ['what changes', 'changes', 'proposed changes', 'scope', 'proposal', 'solution'] },
        ]
      : [],
  status: '`- [x] 1.1` task items.',
};
