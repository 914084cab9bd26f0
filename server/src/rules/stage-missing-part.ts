import type { TextEdit } from 'vscode-languageserver-types';
import type { DocModel, Stage, StagePartName } from '../model/types';
import type { Fix, Rule, RuleContext } from './types';
import { allStages, stageName, workUnits } from './stages';
import { candidateProfiles } from '../profiles/index';
import { isSeedFormat, requiredBy } from './profiles';

type RequiredPart = Extract<StagePartName, 'objective' | 'changes' | 'validation'>;

const PART_TITLES: Record<RequiredPart, string> = { objective: 'Objective', changes: 'Changes', validation: 'Validation' };

/** What an inserted part asks the writer to fill in. An HTML comment: it guides without rendering. */
const PART_PROMPTS: Record<RequiredPart, string> = {
  objective: 'What does this stage accomplish? One or two sentences.',
  changes: 'The changes, as a checklist: - [ ] what changes, in which file (`path:line`).',
  validation: 'The commands that prove this stage works: a checklist of inline-code commands or a bash block.',
};

/** Labels of plan stages that must carry Objective, Changes and Validation (steps are lighter). */
const PLAN_LABELS = new Set(['Stage', 'Phase', 'Milestone', 'Task', '']);

/** The parts every candidate profile requires of a work unit. */
function requiredParts(model: DocModel): RequiredPart[] {
  const candidates = candidateProfiles(model);
  if (candidates.length === 0) return [];
  return (['objective', 'changes', 'validation'] as const).filter((part) => candidates.every((profile) => profile.requiredParts.includes(part)));
}

/** Each stage's enclosing stage (a phase that groups it). */
function parentsOf(model: DocModel): Map<Stage, Stage> {
  const parents = new Map<Stage, Stage>();
  const walk = (stages: Stage[], parent: Stage | null) => {
    for (const stage of stages) {
      if (parent) parents.set(stage, parent);
      walk(stage.children, stage);
    }
  };
  walk(model.stages, null);
  return parents;
}

/**
 * Whether a stage has a part, counting a checklist directly under it as Changes, `Run:` lines as Validation,
 * and the Objective or Validation its group (the phase holding it) states for all its stages.
 */
function hasPart(stage: Stage, part: RequiredPart, parents?: Map<Stage, Stage>): boolean {
  if (stage.parts[part]) return true;
  if (part !== 'changes' && parents) {
    for (let parent = parents.get(stage); parent; parent = parents.get(parent)) if (parent.parts[part]) return true;
  }
  if (part === 'changes') return stage.changes.length > 0;
  if (part === 'validation') return stage.commands.some((command) => command.runLine === true);
  return false;
}

function listParts(parts: RequiredPart[]): string {
  const titles = parts.map((part) => PART_TITLES[part]);
  return titles.length === 1 ? titles[0] : `${titles.slice(0, -1).join(', ')} and ${titles.at(-1)}`;
}

/** Whether a stage writes its parts as bold pseudo-headings (`**Validate**:`) rather than sub-headings. */
function usesPseudoHeadings(model: DocModel, stage: Stage): boolean {
  if (model.kind === 'design') return true;
  const headings = Object.values(stage.parts).map((part) => part.heading);
  return headings.length > 0 && headings.every((heading) => heading.pseudo);
}

function partText(model: DocModel, stage: Stage, part: RequiredPart): string {
  const title = model.kind === 'design' && part === 'validation' ? 'Validate' : PART_TITLES[part];
  const heading = usesPseudoHeadings(model, stage) ? `**${title}**:` : `${'#'.repeat(Math.min(6, stage.heading.level + 1))} ${title}`;
  return `${heading}\n\n<!-- ${PART_PROMPTS[part]} -->`;
}

/** Builds the edits that insert `missing` parts into `stage`, each at its conventional place. */
function insertPartsFix(model: DocModel, context: RuleContext, stage: Stage, missing: RequiredPart[]): Fix {
  const { lines } = context;
  // offset -> texts to insert there, kept in part order.
  const inserts = new Map<number, { text: string; beforeContent: boolean }[]>();
  const add = (offset: number, text: string, beforeContent: boolean) => {
    const list = inserts.get(offset) ?? [];
    list.push({ text, beforeContent });
    inserts.set(offset, list);
  };
  const headingEnd = lines.offsetAt(stage.heading.range.end);
  const firstChild = stage.children[0];
  for (const part of missing) {
    const text = partText(model, stage, part);
    if (part === 'objective') {
      add(headingEnd, text, false);
    } else if (part === 'changes') {
      const objective = stage.parts.objective;
      add(objective ? lines.offsetAt(objective.range.end) : headingEnd, text, false);
    } else if (firstChild) {
      // Before the first step: the stage's own content ends there.
      add(lines.offsetAt({ line: firstChild.heading.range.start.line, character: 0 }), text, true);
    } else {
      add(lines.offsetAt(stage.range.end), text, false);
    }
  }
  const edits: TextEdit[] = [];
  for (const [offset, texts] of inserts) {
    const at = lines.positionAt(offset);
    const newText = texts.map(({ text, beforeContent }) => (beforeContent ? `${text}\n\n` : `\n\n${text}`)).join('');
    edits.push({ range: { start: at, end: at }, newText });
  }
  const title = missing.length === 1 && missing[0] === 'validation' ? `Add a Validation block to ${stageName(stage)}` : `Add ${listParts(missing)} to ${stageName(stage)}`;
  return { title, edits, fixAll: false, preferred: true };
}

/**
 * Plan stages need an Objective, Changes and Validation; every unit of a design doc's implementation plan that
 * is done on its own (a step, or a phase without steps) needs a Validation.
 */
export const stageMissingPart: Rule = {
  id: 'stage-missing-part',
  description: 'A plan stage without Objective, Changes or Validation, or a design-doc step without Validation.',
  defaultSeverity: 'warning',
  kinds: ['plan', 'tracker', 'design'],
  check(model, context) {
    const required = requiredParts(model);
    if (required.length === 0) return;
    if (model.kind === 'design') {
      if (!required.includes('validation')) return;
      for (const stage of allStages(model)) {
        if (stage.children.length > 0 || hasPart(stage, 'validation')) continue;
        context.report({
          message: `${stageName(stage)} has no Validation: add a **Validate**: block with the command that proves it works${requiredBy(model)}.`,
          range: stage.heading.textRange,
          fixes: [insertPartsFix(model, context, stage, ['validation'])],
        });
      }
      return;
    }
    // In a tracker, only the stages its status table tracks (recipe phases around them are not work stages) and
    // that are written as work stages (they have Changes or Validation; a section of notes is not).
    const tableLabels = model.kind === 'tracker' ? model.statusTables.map((table) => table.label) : null;
    const units = workUnits(model).filter((stage) => PLAN_LABELS.has(stage.label));
    const parents = parentsOf(model);
    // A doc whose units mostly follow the format is held to it; in a loose one only units that started on
    // the parts (have one of them) are.
    const following = units.filter((stage) => required.filter((part) => hasPart(stage, part, parents)).length >= 2).length;
    const consistent = following * 2 >= units.length && following > 0;
    // The seeds' own formats require every part; other families are held to the parts most of their units use.
    const enforced = isSeedFormat(model) ? required : required.filter((part) => units.filter((stage) => hasPart(stage, part, parents)).length * 2 >= units.length);
    for (const stage of units) {
      if (!consistent && !required.some((part) => hasPart(stage, part, parents))) continue;
      if (tableLabels && !(tableLabels.some((label) => label === null || label === stage.label) && (stage.parts.changes || stage.parts.validation))) continue;
      const missing = enforced.filter((part) => !hasPart(stage, part, parents));
      if (missing.length === 0) continue;
      context.report({
        message: `${stageName(stage)} is missing ${listParts(missing)}: each stage says what it achieves, what it changes and how it is validated${requiredBy(model)}.`,
        range: stage.heading.textRange,
        fixes: [insertPartsFix(model, context, stage, missing)],
      });
    }
  },
};
