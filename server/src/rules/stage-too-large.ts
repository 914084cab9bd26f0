import type { Rule } from './types';
import { isHouseStyle } from './profiles';
import { stageName } from './stages';

const DEFAULT_MAX_CHANGES = 10;

/** A stage with more change items than a reviewer can hold in mind should be split. */
export const stageTooLarge: Rule = {
  id: 'stage-too-large',
  description: 'A stage with more change items than the configured maximum (default 10).',
  defaultSeverity: 'warning',
  kinds: ['plan', 'design', 'tracker'],
  check(model, context) {
    // Other families size their units otherwise (a user-story phase of a spec task list holds 20 tasks).
    if (!isHouseStyle(model)) return;
    const configured = context.options.maxChanges;
    const max = typeof configured === 'number' && configured > 0 ? configured : DEFAULT_MAX_CHANGES;
    const visit = (stages: typeof model.stages) => {
      for (const stage of stages) {
        if (stage.changes.length > max) {
          context.report({
            message: `${stageName(stage)} has ${stage.changes.length} change items (more than ${max}): split it into smaller stages.`,
            range: stage.heading.textRange,
          });
        }
        visit(stage.children);
      }
    };
    visit(model.stages);
  },
};
