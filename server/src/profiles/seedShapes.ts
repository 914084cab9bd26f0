/** How the seeds' three kinds are told apart by content: what the seed design, plan and tracker profiles score. */
import type { DocKind, SectionName } from '../model/types';
import type { ProfileSignals } from './types';

/** Sections that only design docs have: one of them must be present to call a doc a design doc. */
const DESIGN_ONLY: SectionName[] = ['non-goals', 'current-implementation', 'proposed-design', 'implementation-plan', 'trade-offs'];
const DESIGN_SECTIONS: SectionName[] = [...DESIGN_ONLY, 'background', 'goals', 'benefits', 'future-work'];

/**
 * A stage heading that reports finished work (`## Phase 20 (v3.19.0) Summary — 2026-02-23` in a handoff or
 * status note) is a record, not work to do: it does not make the doc a plan.
 */
const REPORTS_DONE_WORK = /\b(?:summary|recap|retrospective|report|handoff|release notes)\b/i;

/** The seed kind the content shows, plus the kind it leans to when it is not conclusive. */
export function seedKindFromContent(signals: Pick<ProfileSignals, 'flatSections' | 'stages' | 'statusTables'>): { kind: DocKind | null; leaning: DocKind } {
  const names = new Set(signals.flatSections.map((section) => section.name).filter((name) => name !== null));
  const designCount = DESIGN_SECTIONS.filter((name) => names.has(name)).length;
  const hasDesignOnly = DESIGN_ONLY.some((name) => names.has(name));
  if (designCount >= 3 && hasDesignOnly) return { kind: 'design', leaning: 'design' };
  const partsOf = (stage: ProfileSignals['stages'][number]) => (['objective', 'changes', 'validation'] as const).filter((part) => stage.parts[part]).length;
  const realStages = signals.stages.filter((stage) => stage.parentNumber === null && stage.label !== 'Step' && stage.label !== '' && !REPORTS_DONE_WORK.test(stage.title));
  // An Objective alone is too weak a signal (recipes and notes have "Goal:" lines); a plan's stages say
  // what changes or how they are validated.
  const stagesWithParts = realStages.filter((stage) => partsOf(stage) >= 2).length;
  const stagesWithWork = realStages.filter((stage) => stage.parts.changes || stage.parts.validation).length;
  if (stagesWithParts >= 1 || stagesWithWork >= 2) return { kind: 'plan', leaning: 'plan' };
  if (signals.statusTables.some((table) => table.rows.length > 0)) return { kind: 'tracker', leaning: 'tracker' };
  return { kind: null, leaning: designCount > 0 && realStages.length === 0 ? 'design' : 'plan' };
}
