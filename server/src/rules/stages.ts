/** Shared helpers for the stage rules: walking stages, naming them, and their checklists. */
import type { DocModel, ListItem, Stage, StageMention } from '../model/types';

/** Every stage, phase and step of the document, in document order (parents before their children). */
export function allStages(model: DocModel): Stage[] {
  const result: Stage[] = [];
  const walk = (stages: Stage[]) => {
    for (const stage of stages) {
      result.push(stage);
      walk(stage.children);
    }
  };
  walk(model.stages);
  return result;
}

/** The text of every validation command of the document's stages (what the test index prepares for). */
export function commandTexts(model: DocModel): string[] {
  return allStages(model).flatMap((stage) => stage.commands.map((command) => command.text));
}

/** `Stage 3`, `Step 1.2`, or `"3. Title"` for a numbered heading without a label. */
export function stageName(stage: { label: string; number: string; title?: string }): string {
  if (stage.label === '') return stage.title ? `"${stage.number}. ${stage.title}"` : `item ${stage.number}`;
  return `${stage.label} ${stage.number}`;
}

/** The units of work: the innermost stages that hold parts or items (outer ones only group them). */
export function workUnits(model: DocModel): Stage[] {
  return allStages(model).filter((stage) => stage.workUnit !== false);
}

/** A number compared by value: `01` and `1` are the same stage, `1.5` is not `1.50`'s sibling issue. */
export function numberKey(number: string): string {
  return number
    .split('.')
    .map((part) => String(Number(part)))
    .join('.');
}

/** Lookup key for a stage or a mention of one: label and normalized number. */
export function stageKey(stage: Stage | StageMention): string {
  return `${stage.label} ${numberKey(stage.number)}`;
}

/** The checkable items (`[ ]`/`[x]`) of a stage's Changes, Validation and Completion Criteria, with its steps'. */
export function checkableItems(stage: Stage): ListItem[] {
  const items = [...stage.changes, ...stage.validationItems, ...stage.completionCriteria].filter((item) => item.checked !== null);
  for (const child of stage.children) items.push(...checkableItems(child));
  return items;
}
