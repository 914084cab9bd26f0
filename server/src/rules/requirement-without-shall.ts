import type { Rule } from './types';
import { changedRequirements } from './specDeltas';

/** A requirement states an obligation: its text says SHALL or MUST (in capitals, as the change-proposal format asks). */
export const requirementWithoutShall: Rule = {
  id: 'requirement-without-shall',
  description: 'An added or modified requirement of a change proposal\'s spec delta whose text has no SHALL or MUST.',
  defaultSeverity: 'warning',
  kinds: ['design', 'plan'],
  check(model, context) {
    for (const requirement of changedRequirements(model)) {
      if (/\b(?:SHALL|MUST)\b/.test(requirement.body) || /\b(?:SHALL|MUST)\b/.test(requirement.name)) continue;
      context.report({ message: `Requirement "${requirement.name}" does not say SHALL or MUST: state what the system SHALL do.`, range: requirement.section.heading.range });
    }
  },
};
