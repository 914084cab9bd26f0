import type { Rule } from './types';
import { isProfile } from './profiles';
import { TASK_ID } from '../profiles/specTasks';

/** In a spec-driven task list, each task id (`T012`) names one task; dependencies and reports rely on it. */
export const duplicateTaskId: Rule = {
  id: 'duplicate-task-id',
  description: 'Two tasks of a spec-driven task list with the same id (T012).',
  defaultSeverity: 'warning',
  kinds: ['plan'],
  check(model, context) {
    if (!isProfile(model, 'spec-tasks')) return;
    const seen = new Map<string, number>();
    for (const item of model.items) {
      if (item.checked === null) continue;
      const id = TASK_ID.exec(item.text.trim())?.[0];
      if (!id) continue;
      const first = seen.get(id);
      if (first === undefined) {
        seen.set(id, item.range.start.line);
        continue;
      }
      context.report({ message: `Task id ${id} is already used on line ${first + 1}: give this task its own id.`, range: item.range });
    }
  },
};
