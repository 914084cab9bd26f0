import type { Rule } from './types';
import { requirementsLines, requirementsOf } from './requirementsRefs';
import { isProfile } from './profiles';
import { siblingModel } from './siblings';

/**
 * In a requirements/design/tasks spec, a task's `_Requirements: 2.3_` must name a requirement (and acceptance
 * criterion) of the sibling requirements.md; a number that names none is a typo or a requirement renumbered away.
 */
export const requirementReferenceUnknown: Rule = {
  id: 'requirement-reference-unknown',
  description: 'A task\'s _Requirements: N.M_ line names a requirement or acceptance criterion that requirements.md does not have.',
  defaultSeverity: 'warning',
  kinds: ['plan'],
  check(model, context) {
    if (!isProfile(model, 'requirements-triple')) return;
    const lines = requirementsLines(model);
    if (lines.length === 0) return;
    const requirementsDoc = siblingModel(context, 'requirements.md');
    if (!requirementsDoc) return;
    const requirements = requirementsOf(requirementsDoc);
    if (requirements.size === 0) return;
    for (const { item, ids } of lines) {
      for (const id of ids) {
        const [requirement, criterion] = id.split('.');
        const entry = requirements.get(requirement);
        if (!entry) {
          context.report({ message: `Requirement ${requirement} (named as ${id}) is not in requirements.md.`, range: item.range });
        } else if (criterion !== undefined && entry.criteria > 0 && Number(criterion) > entry.criteria) {
          context.report({ message: `Requirement ${requirement} has ${entry.criteria === 1 ? '1 acceptance criterion' : `${entry.criteria} acceptance criteria`} in requirements.md; ${id} names none of them.`, range: item.range });
        }
      }
    }
  },
};
