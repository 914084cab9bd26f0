import type { Rule } from './types';
import { changedRequirements } from './specDeltas';

/** In a change proposal's spec delta, every added or modified requirement needs at least one `#### Scenario:`. */
export const scenarioMissing: Rule = {
  id: 'scenario-missing',
  description: 'An added or modified requirement of a change proposal\'s spec delta has no #### Scenario: block.',
  defaultSeverity: 'warning',
  kinds: ['design', 'plan'],
  check(model, context) {
    for (const requirement of changedRequirements(model)) {
      if (requirement.scenarios.length > 0) continue;
      const level = Math.min(6, requirement.section.heading.level + 1);
      const at = { line: requirement.section.range.end.line, character: model.text.split(/\r\n|\r|\n/)[requirement.section.range.end.line]?.length ?? 0 };
      context.report({
        message: `Requirement "${requirement.name}" has no scenario: add a ${'#'.repeat(level)} Scenario: with WHEN / THEN lines.`,
        range: requirement.section.heading.range,
        fixes: [
          {
            title: 'Add a Scenario skeleton',
            edits: [{ range: { start: at, end: at }, newText: `\n\n${'#'.repeat(level)} Scenario: <!-- name the case -->\n\n- **WHEN** <!-- the situation -->\n- **THEN** <!-- what the system does -->` }],
            fixAll: false,
          },
        ],
      });
    }
  },
};
