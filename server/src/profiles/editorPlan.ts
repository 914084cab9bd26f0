/** Editor plan files: `.cursor/plans/*.plan.md`, YAML front matter with `name`, `overview` and `todos`. */
import { pathIs } from './signals';
import type { Profile, ProfileSignals } from './types';

/** The `todos:` list of the front matter, when it is one. */
export function frontMatterTodos(data: Record<string, unknown> | null | undefined): Record<string, unknown>[] {
  const todos = data?.todos;
  if (!Array.isArray(todos)) return [];
  return todos.filter((todo): todo is Record<string, unknown> => typeof todo === 'object' && todo !== null && !Array.isArray(todo));
}

function hasTodos(signals: ProfileSignals): boolean {
  const todos = frontMatterTodos(signals.frontMatter?.data);
  return todos.length > 0 && todos.every((todo) => 'content' in todo || 'status' in todo);
}

export const editorPlan: Profile = {
  id: 'editor-plan',
  title: 'editor plan file',
  description: 'Editor plan file (`.cursor/plans/*.plan.md`): front matter `name`, `overview`, `todos:` (id, content, status), a Markdown body.',
  score(signals) {
    const data = signals.frontMatter?.data;
    let score = 0;
    if (pathIs(signals, /(?:^|\/)\.cursor\/plans\/(?:[^/]+\/)*[^/]+\.plan\.md$/)) score += 3;
    if (Array.isArray(data?.todos)) score += 2;
    if (hasTodos(signals)) score += 2;
    if (typeof data?.overview === 'string') score += 1;
    if (typeof data?.name === 'string') score += 0.5;
    return score;
  },
  kind: () => 'plan',
  stageSource: 'front-matter-todos',
  stageLabels: ['Phase', 'Step', 'Stage', 'Task'],
  requiredParts: [],
  requiresGoals: false,
  requiresNonGoals: false,
  requiredSections: () => [],
  status: 'YAML `status: pending | in_progress | completed | cancelled` per todo.',
};
