import type { Rule } from './types';
import { isProfile } from './profiles';
import { deltaSections } from './specDeltas';

/** Two requirements of the same name in one delta section: the change would apply twice, or one is a copy-paste slip. */
export const duplicateRequirement: Rule = {
  id: 'duplicate-requirement',
  description: 'Two requirements with the same name in one delta section of a change proposal.',
  defaultSeverity: 'error',
  kinds: ['design', 'plan'],
  check(model, context) {
    if (!isProfile(model, 'change-proposal')) return;
    for (const delta of deltaSections(model)) {
      const seen = new Map<string, number>();
      for (const requirement of delta.requirements) {
        const key = requirement.name.toLowerCase().replace(/\s+/g, ' ');
        const first = seen.get(key);
        if (first === undefined) {
          seen.set(key, requirement.section.heading.range.start.line);
          continue;
        }
        context.report({ message: `Requirement "${requirement.name}" is already in this section (line ${first + 1}).`, range: requirement.section.heading.range });
      }
    }
  },
};
