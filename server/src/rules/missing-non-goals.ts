import type { Rule } from './types';
import { docStartRange, insertSectionFix } from './helpers';
import { everyCandidate, requiredBy } from './profiles';
import { headingsInUnknownLanguage } from './headingLanguage';
import { closedByStatus } from './recordStatus';

/** A design doc must say what it deliberately leaves out, so that reviewers do not argue about scope later. */
export const missingNonGoals: Rule = {
  id: 'missing-non-goals',
  description: 'Design doc without a Non-Goals section, or with an empty one.',
  defaultSeverity: 'warning',
  kinds: ['design'],
  check(model, context) {
    if (!everyCandidate(model, (profile) => profile.requiresNonGoals)) return;
    if (headingsInUnknownLanguage(model) || closedByStatus(model, context.lines)) return;
    if (model.nonGoals?.inline) return;
    const section = model.nonGoals?.section;
    if (!section) {
      context.report({
        message: `Design doc has no Non-Goals section: say what is deliberately out of scope${requiredBy(model)}.`,
        range: docStartRange(model),
        fixes: [insertSectionFix(model, context, 'non-goals')],
      });
      return;
    }
    if (section.empty) {
      context.report({ message: 'Non-Goals section is empty: list what this design deliberately leaves out.', range: section.heading.range });
    }
  },
};
