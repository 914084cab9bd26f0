import type { Rule } from './types';
import { docStartRange, insertSectionFix } from './helpers';
import { everyCandidate, requiredBy, requiresGoals } from './profiles';
import { headingsInUnknownLanguage } from './headingLanguage';
import { closedByStatus } from './recordStatus';

/** A design doc or plan must say what it is for: a Goals section with content, or a `**Goal**:` line. */
export const missingGoals: Rule = {
  id: 'missing-goals',
  description: 'Design doc or plan without Goals (a section or a **Goal**: line), or with an empty one.',
  defaultSeverity: 'warning',
  kinds: ['design', 'plan'],
  check(model, context) {
    if (!everyCandidate(model, (profile) => requiresGoals(profile, model))) return;
    if (headingsInUnknownLanguage(model) || closedByStatus(model, context.lines)) return;
    const goals = model.goals;
    if (goals?.inline) return;
    if (!goals?.section) {
      context.report({
        message: (model.kind === 'plan' ? 'Plan has no Goal: add a **Goal**: line or a Goals section' : 'Design doc has no Goals section') + `${requiredBy(model)}.`,
        range: docStartRange(model),
        fixes: [insertSectionFix(model, context, 'goals')],
      });
      return;
    }
    if (goals.section.empty) {
      context.report({ message: 'Goals section is empty: list what this doc sets out to achieve.', range: goals.section.heading.range });
    }
  },
};
