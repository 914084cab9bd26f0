import type { Rule } from './types';
import { isProfile } from './profiles';
import { TASK_ID } from '../profiles/specTasks';

/** `depends on T010`, `(after T004, T005)`, `blocked by T007`: the ids such phrases name. */
const DEPENDENCY = /\b(?:depends on|depend on|after|blocked by|requires|needs)\s+((?:T\d{3,}(?:\s*(?:,|and|&|\/)\s*)?)+)/gi;

/** In a spec-driven task list, "depends on T0xx" must name a task of the list. */
export const unknownTaskDependency: Rule = {
  id: 'unknown-task-dependency',
  description: 'A task of a spec-driven task list depends on a task id the list does not have.',
  defaultSeverity: 'warning',
  kinds: ['plan'],
  check(model, context) {
    if (!isProfile(model, 'spec-tasks')) return;
    const ids = new Set<string>();
    for (const item of model.items) {
      const id = TASK_ID.exec(item.text.trim())?.[0];
      if (id) ids.add(id);
    }
    if (ids.size === 0) return;
    for (const item of model.items) {
      for (const match of item.text.matchAll(DEPENDENCY)) {
        for (const id of match[1].match(/T\d{3,}/g) ?? []) {
          if (ids.has(id)) continue;
          context.report({ message: `${id} is named as a dependency but this task list has no task ${id}.`, range: item.range });
        }
      }
    }
  },
};
