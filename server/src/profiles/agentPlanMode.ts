/** Plans written in an agent's plan mode: `# Plan: Title`, `## Context`, phases or numbered steps, `## Verification`. */
import { hasSection, pathIs, stagesLabelled } from './signals';
import type { Profile } from './types';

const VERIFICATION = ['verification', 'verify', 'testing', 'validation', 'test plan', 'how to verify', 'verification plan'];

export const agentPlanMode: Profile = {
  id: 'agent-plan-mode',
  title: 'agent plan-mode plan',
  description: 'Agent plan-mode plan: `# Plan: Title`, `## Context`, `## Phase N:` or numbered steps, `## Verification` at the end.',
  score(signals) {
    const verification = hasSection(signals, VERIFICATION);
    const stages = stagesLabelled(signals, ['Phase', 'Step', '']);
    const titled = signals.title !== null && /^(?:implementation\s+)?plan\b\s*[:\-–—]/i.test(signals.title.trim());
    if (!titled && !(verification && stages > 0)) return 0;
    let score = titled ? 2 : 0;
    if (hasSection(signals, ['context'])) score += 1;
    if (verification) score += 1;
    if (stages > 0) score += 1;
    if (pathIs(signals, /(?:^|\/)\.agents?\//)) score += 0.5;
    return score;
  },
  kind: () => 'plan',
  stageLabels: ['Phase', 'Step', 'Stage', ''],
  requiredParts: [],
  requiresGoals: false,
  requiresNonGoals: false,
  requiredSections: () => [{ title: 'Verification', synonyms: VERIFICATION, section: 'testing' }],
  status: 'Checkboxes, `✅` in headings.',
};
