/**
 * Where a plan stands: stages done / in progress / not started, ticked items of all items, the last
 * validation of each stage, and the next actionable stage (the first not done whose dependencies are all
 * done). Pure: reads the model and the recorded results. `docplan status` and `docplan next` print it.
 */
import type { DocModel, ListItem, Stage } from '../model/types';
import { parseReferenceText } from '../model/references';
import { numberKey } from '../rules/stages';
import { stageTargets } from '../run/targets';
import { entryKey, type ResultEntry } from './results';
import { TASK_ID } from '../profiles/specTasks';
import { stageValidation, type StageValidation } from './validation';

/** One stage's standing. */
export interface StageProgress {
  label: string;
  number: string;
  title: string;
  state: Stage['state'];
  checked: number;
  items: number;
  validation: StageValidation;
  /** Numbers of the stages it depends on that are not done. */
  blockedBy: string[];
  line: number;
}

/** A plan's standing. */
export interface PlanProgress {
  stages: { done: number; inProgress: number; notStarted: number; total: number };
  items: { checked: number; total: number };
  perStage: StageProgress[];
  /** The next actionable stage, or null (all done, or every open stage waits on another). */
  next: StageProgress | null;
}

function allStages(stages: readonly Stage[]): Stage[] {
  return stages.flatMap((stage) => [stage, ...allStages(stage.children)]);
}

function itemsOf(stage: Stage): ListItem[] {
  return [...stage.changes, ...stage.validationItems, ...stage.completionCriteria].filter((item) => item.checked !== null);
}

function allItems(stage: Stage): ListItem[] {
  return [...itemsOf(stage), ...stage.children.flatMap(allItems)];
}

/** Stage numbers each stage depends on: its own Depends-on line and the Stage Dependencies section's edges. */
function dependencies(model: DocModel): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  const add = (from: string, to: string) => {
    const set = map.get(numberKey(from)) ?? new Set<string>();
    set.add(numberKey(to));
    map.set(numberKey(from), set);
  };
  for (const stage of allStages(model.stages)) for (const mention of stage.dependsOn) add(stage.number, mention.number);
  for (const edge of model.stageDependencies.edges) add(edge.from.number, edge.to.number);
  return map;
}

/** The standing of a plan's top-level stages (steps count in their parent's items). */
export function planProgress(model: DocModel, doc: string, byKey: ReadonlyMap<string, ResultEntry>): PlanProgress {
  const deps = dependencies(model);
  const stateOf = new Map(allStages(model.stages).map((stage) => [numberKey(stage.number), stage.state]));
  const perStage: StageProgress[] = model.stages.map((stage) => {
    const items = allItems(stage);
    const blockedBy = [...(deps.get(numberKey(stage.number)) ?? [])].filter((number) => stateOf.has(number) && stateOf.get(number) !== 'done');
    return {
      label: stage.label,
      number: stage.number,
      title: stage.title,
      state: stage.state,
      checked: items.filter((item) => item.checked).length,
      items: items.length,
      validation: stageValidation(stage, doc, byKey),
      blockedBy,
      line: stage.heading.range.start.line,
    };
  });
  const count = (state: Stage['state']) => perStage.filter((stage) => stage.state === state).length;
  const items = model.stages.flatMap(allItems);
  return {
    stages: { done: count('done'), inProgress: count('in-progress'), notStarted: count('not-started'), total: perStage.length },
    items: { checked: items.filter((item) => item.checked).length, total: items.length },
    perStage,
    next: perStage.find((stage) => stage.state !== 'done' && stage.blockedBy.length === 0) ?? null,
  };
}

/** What `docplan next` gives a coding agent: the stage's open items, the files they name, its commands. */
export interface NextWork {
  stage: { label: string; number: string; title: string; line: number };
  /** `id`: the item's task id (`T012`) in a spec-driven task list, else null. */
  openItems: { id: string | null; text: string; line: number; files: string[] }[];
  files: string[];
  commands: { text: string; stage: string; line: number; lastOutcome: string | null }[];
}

/** The open work of a stage (its steps' included). */
export function nextWork(model: DocModel, progress: StageProgress, byKey: ReadonlyMap<string, ResultEntry>, doc: string): NextWork | null {
  const stage = model.stages.find((candidate) => candidate.number === progress.number && candidate.heading.range.start.line === progress.line);
  if (!stage) return null;
  const openItems = allItems(stage)
    .filter((item) => item.checked === false)
    .map((item) => ({ id: TASK_ID.exec(item.text)?.[0] ?? null, text: item.text, line: item.range.start.line + 1, files: filesOf(item) }));
  // The files a stage lists without boxes (an agent plan's `**Files:**` list) are the open work's files too.
  const listed = allStages([stage]).flatMap((candidate) => candidate.changes.filter((item) => item.checked === null).flatMap(filesOf));
  const commands = stageTargets(stage).map((target) => {
    const owner = allStages([stage]).find((candidate) => candidate.number === target.stageNumber);
    const command = owner?.commands[target.index];
    const entry = byKey.get(entryKey({ doc, stage: target.stageNumber, command: target.text, occurrence: target.occurrence }));
    return { text: target.text, stage: target.stageNumber, line: (command?.range.start.line ?? 0) + 1, lastOutcome: entry?.outcome ?? null };
  });
  return {
    stage: { label: stage.label, number: stage.number, title: stage.title, line: stage.heading.range.start.line + 1 },
    openItems,
    files: [...new Set([...openItems.flatMap((item) => item.files), ...(openItems.length > 0 ? listed : [])])].sort(),
    commands,
  };
}

function filesOf(item: ListItem): string[] {
  const files = new Set<string>();
  for (const span of item.codeSpans) {
    const shape = parseReferenceText(span.text);
    if (shape) files.add(shape.path);
  }
  return [...files];
}
