import type { Rule } from './types';
import { requirementIdsInText, requirementsLines, requirementsOf } from './requirementsRefs';
import { isProfile } from './profiles';
import { siblingModel } from './siblings';

/** A requirement that only lists what the spec leaves out (`### Requirement 8: Explicit non-goals`) needs no task. */
const SAYS_WHAT_IS_LEFT_OUT = /\b(non[- ]?goals?|out[- ]of[- ]scope|not in scope|exclusions?)\b/i;

/**
 * In a requirements/design/tasks spec whose tasks trace requirements (`_Requirements: 1.2_`), a requirement that
 * no task names is work nobody planned.
 */
export const requirementNotCovered: Rule = {
  id: 'requirement-not-covered',
  description: 'A requirement of requirements.md that no task of the sibling tasks.md names in its _Requirements:_ line.',
  defaultSeverity: 'info',
  kinds: ['design'],
  check(model, context) {
    if (!isProfile(model, 'requirements-triple')) return;
    const requirements = requirementsOf(model);
    if (requirements.size === 0) return;
    const tasks = siblingModel(context, 'tasks.md');
    if (!tasks) return;
    const lines = requirementsLines(tasks);
    // A task list that traces nothing does not use the convention: silence.
    if (lines.length === 0) return;
    const covered = new Set([...lines.flatMap((line) => line.ids), ...requirementIdsInText(tasks.text)].map((id) => id.split('.')[0]));
    for (const entry of requirements.values()) {
      if (covered.has(entry.number) || SAYS_WHAT_IS_LEFT_OUT.test(entry.section.heading.text)) continue;
      context.report({ message: `Requirement ${entry.number} is named by no task in tasks.md (no _Requirements: ${entry.number}.x_ line).`, range: entry.section.heading.range });
    }
  },
};
