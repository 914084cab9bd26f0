/**
 * Plans written in an agent's plan mode (and other free-form step plans): `# Plan: Title`, `## Context`,
 * phases or numbered steps, `## Verification` at the end. No part is required of their steps.
 */
import { fileName, hasSection, pathIs, stagesLabelled } from './signals';
import type { Profile } from './types';

const VERIFICATION = ['verification', 'verify', 'testing', 'validation', 'test plan', 'how to verify', 'verification plan', 'testing strategy', 'testing verification'];
const STEPS = ['steps', 'implementation steps', 'migration steps', 'step-by-step implementation', 'files to modify', 'files to change', 'critical files', 'implementation order', 'implementation'];

export const agentPlanMode: Profile = {
  id: 'agent-plan-mode',
  title: 'agent plan-mode plan',
  description: 'Agent plan-mode plan: `# Plan: Title`, `## Context`, `## Phase N:` or numbered steps, `## Verification` at the end.',
  score(signals) {
    const verification = hasSection(signals, VERIFICATION);
    const stages = stagesLabelled(signals, ['Phase', 'Step', 'Stage', '']);
    const title = signals.title?.trim() ?? '';
    // Named as a plan by its title, its file name (`gui-refactor-plan.md`) or a `plan/` or `.claude/plans/` folder: the same naming
    // that lets the seed profile read a loosely staged plan, so both stay candidates and only shared findings show.
    // A `plans/` folder holds designs too (`docs/plans/x-design.md`), so it does not name a plan.
    const file = fileName(signals);
    const namedByPath = !/design/.test(file) && (/(?:^|[-_.])plan(?:[-_.][^/]*)?\.md$/.test(file) || pathIs(signals, /(?:^|\/)(?:plan|\.[a-z]+\/plans)\/[^/]+\.md$/i));
    const named = /\bplan\b|\bimplementation steps\b/i.test(title) || namedByPath;
    const titled = /^(?:implementation\s+)?plan\b\s*[:\-–—]/i.test(title) ? 2 : named ? 1 : 0;
    const steps = hasSection(signals, STEPS);
    if (titled === 0 && !(verification && (stages > 0 || steps))) return 0;
    let score = titled;
    if (hasSection(signals, ['context'])) score += 1;
    if (verification) score += 1;
    if (stages > 0) score += 1;
    if (steps) score += 1;
    if (pathIs(signals, /(?:^|\/)\.(?:agents?|claude)\/(?:[^/]+\/)*[^/]+\.md$/)) score += 1;
    // A plan named as one with two or more steps is at least a plan-mode plan (the seed plan profile may fit too).
    if (titled > 0 && stagesLabelled(signals, ['Phase', 'Step', 'Stage', 'Milestone']) >= 2) score = Math.max(score, 3);
    return score;
  },
  kind: () => 'plan',
  stageLabels: ['Phase', 'Step', 'Stage', 'Task', ''],
  requiredParts: [],
  requiresGoals: false,
  requiresNonGoals: false,
  requiredSections: () => [],
  status: 'Checkboxes, `✅` in headings.',
};
