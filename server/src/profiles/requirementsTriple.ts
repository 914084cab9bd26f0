/**
 * Requirements/design/tasks triples: `.kiro/specs/<feature>/{requirements,design,tasks}.md`. Tasks are
 * `- [ ] 2.1 Implement …` with an indented `_Requirements: 1.1, 1.3_`; requirements are `### Requirement 1`.
 */
import { fileName, hasHeading, itemsMatching, pathIs } from './signals';
import type { Profile } from './types';

/** A task's `_Requirements: 1.1, 1.3_` line, as list-item text (emphasis removed). Ranges (`7.1–7.3`, `2.1-2.6`) and notes (`13.3 (service path)`) are read too. */
export const REQUIREMENTS_LINE = /^_?Requirements?_?\s*:\s*(\d+(?:\.\d+)*(?:\s*[–—-]\s*\d+(?:\.\d+)*)?(?:\s*\([^)]*\))?(?:\s*(?:,|;|and)\s*\d+(?:\.\d+)*(?:\s*[–—-]\s*\d+(?:\.\d+)*)?(?:\s*\([^)]*\))?)*)\s*_?\.?$/i;
/** `Requirement 3` headings of requirements.md. */
export const REQUIREMENT_HEADING = /^requirement\s+(\d+(?:\.\d+)*)\b/i;

export const requirementsTriple: Profile = {
  id: 'requirements-triple',
  title: 'requirements/design/tasks spec',
  description: 'Requirements/design/tasks triple (`.kiro/specs/<feature>/`): numbered tasks with `_Requirements: 1.2_` lines, `### Requirement N` with WHEN … SHALL criteria.',
  score(signals) {
    let score = 0;
    if (pathIs(signals, /(?:^|\/)\.kiro\/specs\/[^/]+\/(?:requirements|design|tasks)\.md$/)) score += 6;
    if (itemsMatching(signals, REQUIREMENTS_LINE) > 0) score += 3;
    const requirementHeadings = signals.headings.filter((heading) => REQUIREMENT_HEADING.test(heading)).length;
    if (requirementHeadings > 0) score += 2;
    if (requirementHeadings > 0 && hasHeading(signals, ['acceptance criteria'])) score += 1;
    return score;
  },
  kind: (signals) => (fileName(signals) === 'tasks.md' || itemsMatching(signals, REQUIREMENTS_LINE) > 0 ? 'plan' : 'design'),
  stageSource: 'numbered-items',
  stageLabels: [],
  requiredParts: [],
  requiresGoals: false,
  requiresNonGoals: false,
  requiredSections: () => [],
  status: '`- [x]` tasks; `- [ ]*` marks an optional task.',
};
