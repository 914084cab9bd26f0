/**
 * Plans written in an agent's plan mode (and other free-form step plans): `# Plan: Title`, `## Context`,
 * phases or numbered steps, `## Verification` at the end. No part is required of their steps.
 */
import { fileName, hasSection, pathIs, stagesLabelled } from './signals';
import type { Profile, ProfileSignals } from './types';

const VERIFICATION = ['verification', 'verify', 'testing', 'validation', 'test plan', 'how to verify', 'verification plan', 'testing strategy', 'testing verification'];
const STEPS = ['steps', 'implementation steps', 'migration steps', 'step-by-step implementation', 'files to modify', 'files to change', 'critical files', 'implementation order', 'implementation'];

/** A `plans/` folder (`.claude/plans/`, `docs/plans/`), not its README. */
const PLANS_FOLDER = /(?:^|\/)plans\/(?:[^/]+\/)*(?!readme\.md$)[^/]+\.md$/i;

/** Words of a bold line that closes a phase of an outline: `**Exit criteria:**`, `**Phase 2 exit criteria:**`, `**Deliverables:**`. */
const PHASE_CLOSING = /^(?:(?:phase|stage|milestone)\s+\d+\s+)?(?:exit criteria|done when|key deliverables?|deliverables?)$/;

/**
 * A project outline: three or more top-level `## Phase N` (or Stage, Milestone) headings numbered in sequence,
 * with a Goal or bold exit criteria / deliverables lines. Ordinary READMEs that mention phases have neither.
 */
function phasedOutline(signals: ProfileSignals): boolean {
  const top = signals.stages.filter((stage) => stage.parentNumber === null && ['Phase', 'Stage', 'Milestone'].includes(stage.label));
  if (top.length < 3) return false;
  const numbers = top.map((stage) => stage.numberParts[0]);
  if (!numbers.every((number, index) => index === 0 || number === numbers[index - 1] + 1)) return false;
  return signals.sectionNames.has('goals') || signals.pseudoHeadings.some((heading) => PHASE_CLOSING.test(heading));
}

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
    const context = hasSection(signals, ['context']);
    // A note in a plans folder that sets the scene and says how to verify is a plan, whatever its title
    // (`# Handoff: Restore the deleted tests`, numbered files to act on, `## Verification`).
    const plansFolderNote = verification && context && pathIs(signals, PLANS_FOLDER);
    const outline = phasedOutline(signals);
    if (titled === 0 && !(verification && (stages > 0 || steps)) && !plansFolderNote && !outline) return 0;
    let score = titled;
    if (context) score += 1;
    if (verification) score += 1;
    if (stages > 0) score += 1;
    if (steps) score += 1;
    if (pathIs(signals, /(?:^|\/)\.(?:agents?|claude)\/(?:[^/]+\/)*[^/]+\.md$/)) score += 1;
    // A plan named as one with two or more steps is at least a plan-mode plan (the seed plan profile may fit too).
    if (titled > 0 && stagesLabelled(signals, ['Phase', 'Step', 'Stage', 'Milestone']) >= 2) score = Math.max(score, 3);
    if (plansFolderNote || outline) score = Math.max(score, 3);
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
