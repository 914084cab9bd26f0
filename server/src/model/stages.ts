/**
 * Stages at any nesting: every labelled heading (Stage, Phase, Step, Milestone, Task, Part) and every numbered
 * heading (`## 3. Title`) that holds parts or checklist items is a stage; a stage inside another's region is
 * its child, so outer headings group the inner ones. Headings in block quotes or under a heading that
 * introduces quoted material are not stages.
 */
import type { BuildContext } from './context';
import { within, trimEnd } from './facts';
import { stageCommands } from './stageCommands';
import {
  CRITERIA_WORDS,
  HEADING_MARK,
  headingMarkKind,
  normalizeHeading,
  NUMBERED_HEADING,
  QUOTED_HEADING,
  STAGE_HEADING,
  STAGE_MENTION,
  stagePartName,
} from './vocabulary';
import type { SectionName, Stage, StageMention, StagePart, StagePartName } from './types';

const HEADING_MARKS = new RegExp(HEADING_MARK.source, 'gu');

/** Part words that also title a numbered group of tasks (`## 1. Implementation`). */
const GROUP_TITLES: ReadonlySet<string> = new Set(['implementation', 'tasks', 'steps', 'deliverables', 'work items', 'implementation steps']);

/** A stage with the offsets its builder needs. */
export interface StageDraft {
  stage: Stage;
  start: number;
  end: number;
  /** Where the stage's own content ends (its first child stage, or its end). */
  ownEnd: number;
  level: number;
  /** Index of its heading in the heading facts. */
  headingIndex: number;
  /** A numbered heading whose title names a section (`## 3. Goals`). */
  sectionNamed?: boolean;
}

/** Finds, nests and fills every stage of the document (before a profile narrows them to its labels). */
export function buildStages(context: BuildContext, sectionOf: (headingText: string) => SectionName | null): StageDraft[] {
  const candidates = stageCandidates(context, sectionOf);
  nestAndFill(context, candidates);
  // A numbered heading is a work unit only when it holds parts or items, or groups stages that are. A labelled
  // heading without work that repeats a stage holding work (`### Phase 1 (Setup)` in an execution-order
  // summary, `#### Phase 1 Targets` in a metrics section) mentions that stage: it is not a second one.
  const key = (stage: Stage) => `${stage.label} ${stage.numberParts.join('.')}`;
  const worked = new Set(candidates.filter((draft) => draft.stage.label !== '' && hasWork(draft.stage)).map((draft) => key(draft.stage)));
  const kept = candidates.filter((draft) => {
    const { stage } = draft;
    if (draft.sectionNamed) return hasWork(stage);
    if (hasWork(stage) || stage.children.length > 0) return true;
    return stage.label !== '' && !worked.has(key(stage));
  });
  if (kept.length !== candidates.length) nestAndFill(context, kept);
  return kept;
}

/** Keeps the drafts whose label the profile counts as a stage, then nests and fills them again. */
export function narrowStages(context: BuildContext, drafts: StageDraft[], labels: readonly string[]): StageDraft[] {
  const kept = drafts.filter((draft) => labels.includes(draft.stage.label));
  if (kept.length !== drafts.length) nestAndFill(context, kept);
  return kept;
}

/** Whether a stage holds work of its own: parts, checklist items or `Run:` commands. */
function hasWork(stage: Stage): boolean {
  return Object.keys(stage.parts).length > 0 || stage.changes.some((item) => item.checked !== null) || stage.commands.length > 0;
}

function stageCandidates(context: BuildContext, sectionOf: (headingText: string) => SectionName | null): StageDraft[] {
  const { headingFacts, text, lines } = context;
  const quoted: { start: number; end: number }[] = [];
  const drafts: StageDraft[] = [];
  headingFacts.forEach((fact, index) => {
    if (fact.pseudo) return;
    if (QUOTED_HEADING.test(fact.text)) quoted.push({ start: fact.start, end: context.regionEnd(index) });
    if (fact.level < 2 || fact.level > 4) return;
    if (quoted.some((region) => region.start < fact.start && fact.start < region.end) || context.inBlockQuote(fact.start)) return;
    const cleaned = fact.text.replace(/^[^\p{L}\p{N}]+/u, '');
    const labelled = STAGE_HEADING.exec(cleaned);
    let label: string;
    let number: string;
    let rest: string;
    if (labelled) {
      [, label, number, rest] = labelled;
      label = label[0].toUpperCase() + label.slice(1).toLowerCase();
    } else {
      const numbered = NUMBERED_HEADING.exec(cleaned);
      if (!numbered) return;
      [, number, rest] = numbered;
      label = '';
      // `#### 2. Validation` is a part of its stage; `## 1. Implementation` (a task group) is a stage.
      if (stagePartName(rest) !== null && !GROUP_TITLES.has(normalizeHeading(rest))) return;
    }
    const headingSource = text.slice(fact.start, fact.end);
    const escaped = number.replace(/\./g, '\\.');
    const labelAt = headingSource.search(new RegExp(label === '' ? `${escaped}(?![\\d])` : `${label}\\s+${escaped}\\b`, 'i'));
    const numberStart = labelAt < 0 ? fact.textStart : fact.start + labelAt + headingSource.slice(labelAt).indexOf(number);
    // `✅ PARTIALLY COMPLETE` says partial, whatever sign precedes it.
    const markMatch = /(\bPARTIALLY COMPLETED?\b|\bPARTIAL\b)/u.exec(headingSource) ?? HEADING_MARK.exec(headingSource);
    const end = context.regionEnd(index);
    // Every marker goes (`✅ COMPLETE` is two), not only the first one HEADING_MARK finds.
    const title = rest.replace(HEADING_MARKS, '').replace(/[\s:–—-]+$/u, '').trim();
    const stage = workStage({
      label,
      number,
      numberParts: number.split('.').map(Number),
      numberRange: lines.range(numberStart, numberStart + number.length),
      title,
      heading: context.headings[index],
      range: lines.range(fact.start, trimEnd(text, fact.start, end)),
      headingMark: markMatch
        ? { mark: headingMarkKind(markMatch[1]), range: lines.range(fact.start + markMatch.index, fact.start + markMatch.index + markMatch[1].length) }
        : null,
    });
    // `## 3. Goals` is a numbered section: a stage only if it holds work itself (`## 1. Implementation` of tasks).
    const sectionNamed = label === '' && sectionOf(rest) !== null;
    drafts.push({ stage, start: fact.start, end, ownEnd: end, level: fact.level, headingIndex: index, sectionNamed });
  });
  return drafts;
}

/**
 * Nests each stage inside the stage whose region holds it (heading regions nest, so the innermost open region
 * is the parent: a stack finds it), then reads each stage's own parts, items and commands.
 */
function nestAndFill(context: BuildContext, drafts: StageDraft[]): void {
  for (const draft of drafts) {
    draft.ownEnd = draft.end;
    draft.stage.children = [];
    draft.stage.parentNumber = null;
  }
  const open: StageDraft[] = [];
  for (const draft of drafts) {
    while (open.length > 0 && open[open.length - 1].end <= draft.start) open.pop();
    const parent = open.at(-1);
    open.push(draft);
    if (parent) {
      parent.stage.children.push(draft.stage);
      draft.stage.parentNumber = parent.stage.number;
      parent.ownEnd = Math.min(parent.ownEnd, draft.start);
    }
  }
  for (const draft of drafts) fillParts(context, draft);
  for (const draft of drafts) draft.stage.workUnit = draft.stage.children.length === 0 || hasOwnParts(draft.stage);
}

/** A group heading that also carries its own Changes or Validation is a work unit too. */
function hasOwnParts(stage: Stage): boolean {
  return Boolean(stage.parts.changes || stage.parts.validation);
}

function fillParts(context: BuildContext, draft: StageDraft): void {
  const { stage, headingIndex } = draft;
  const { headingFacts, facts, lines, text } = context;
  stage.parts = {};
  const partHeadings: { index: number; name: StagePartName }[] = [];
  const taken = new Set<StagePartName>();
  for (let i = headingIndex + 1; i < headingFacts.length && headingFacts[i].start < draft.ownEnd; i++) {
    let name = stagePartName(headingFacts[i].text);
    // A second validation-like heading (`Success Criteria` after `Verification`) holds the completion criteria.
    if (name === 'validation' && taken.has('validation') && CRITERIA_WORDS.has(normalizeHeading(headingFacts[i].text))) name = 'completion-criteria';
    if (name && !taken.has(name)) {
      taken.add(name);
      partHeadings.push({ index: i, name });
    }
  }
  const partSpans: { start: number; end: number }[] = [];
  // The lists that pseudo-heading parts own: a pseudo-heading has no level, so its part spans to the next
  // heading, but only its first list is its content (`**Files:**` then the task's step checkboxes).
  const pseudoLists: BuildContext['facts']['listItems'][] = [];
  const pseudoSpans = new Set<number>();
  for (const { index, name } of partHeadings) {
    const fact = headingFacts[index];
    let end = draft.ownEnd;
    for (let i = index + 1; i < headingFacts.length && headingFacts[i].start < draft.ownEnd; i++) {
      if (headingFacts[i].level <= fact.level) {
        end = headingFacts[i].start;
        break;
      }
    }
    if (fact.pseudo) pseudoSpans.add(partSpans.length);
    partSpans.push({ start: fact.start, end });
    // A labelled line (`**Independent Test**: run \`x\``, `**Checkpoint**: one invoice exports.`) is its own
    // content: the list after it is not (a spec task list's tasks follow such lines). `**Files:**` or a label
    // whose words end in a colon introduces the list below it.
    const labelledLine = fact.pseudo && fact.inlineText.trim() !== '' && !fact.inlineText.trim().endsWith(':');
    const items = fact.pseudo ? (labelledLine ? [] : firstList(context, fact.end, end)) : within(facts.listItems, fact.end, end);
    if (fact.pseudo) pseudoLists.push(items);
    const minDepth = items.reduce((min, item) => Math.min(min, item.depth), Infinity);
    const insideItem = (offset: number) => items.some((item) => item.start <= offset && offset < item.end);
    const part: StagePart = {
      name,
      heading: context.headings[index],
      range: lines.range(fact.start, trimEnd(text, fact.start, end)),
      inlineText: fact.inlineText,
      items: items.filter((item) => item.depth === minDepth).map((item) => context.listItem(item)),
      codeBlocks: within(facts.codeBlocks, fact.end, end).map((code) => context.codeBlock(code)),
      paragraphs: within(facts.paragraphs, fact.start, end)
        .filter((paragraph) => !insideItem(paragraph.start))
        .map((paragraph) => context.span(paragraph)),
    };
    stage.parts[name] = part;
  }
  // A checklist directly under the stage (outside its parts) is its list of changes.
  const headingEnd = headingFacts[headingIndex].end;
  const inPseudoList = (item: { start: number }) => pseudoLists.some((list) => list.length > 0 && list[0].start <= item.start && item.start < Math.max(...list.map((entry) => entry.end)));
  const own = within(facts.listItems, headingEnd, draft.ownEnd).filter(
    (item) => !inPseudoList(item) && !partSpans.some((span, at) => !pseudoSpans.has(at) && span.start <= item.start && item.start < span.end),
  );
  const ownDepth = own.reduce((min, item) => Math.min(min, item.depth), Infinity);
  const ownChecklist = own.filter((item) => item.depth === ownDepth && item.checked !== null).map((item) => context.listItem(item));
  // Under a `**Files:**` list, the stage's own checkboxes (an agent plan's steps) are its work too.
  const changesPart = stage.parts.changes;
  stage.changes = !changesPart ? ownChecklist : changesPart.heading.pseudo ? [...changesPart.items, ...ownChecklist] : changesPart.items;
  stage.validationItems = stage.parts.validation?.items ?? [];
  stage.completionCriteria = stage.parts['completion-criteria']?.items ?? [];
  stage.commands = stageCommands(context, stage, { start: draft.start, ownEnd: draft.ownEnd }, partSpans[partHeadings.findIndex((part) => part.name === 'validation')] ?? null);
  const dependencyPart = stage.parts.dependencies;
  stage.dependsOn = dependencyPart ? stageMentions(context, lines.offsetAt(dependencyPart.heading.range.end), lines.offsetAt(dependencyPart.range.end)) : [];
}

/**
 * The items of the first list after a bold pseudo-heading (`**Files:**` then its list): a pseudo-heading has no
 * level, so what follows the list (the task's steps) is not its content.
 */
function firstList(context: BuildContext, start: number, end: number): BuildContext['facts']['listItems'] {
  const items = within(context.facts.listItems, start, end);
  if (items.length === 0) return items;
  const listStart = items[0].start;
  let listEnd = items[0].end;
  const blocks = [...within(context.facts.paragraphs, listStart, end), ...within(context.facts.codeBlocks, listStart, end), ...within(context.facts.tables, listStart, end)];
  const result: typeof items = [];
  for (const item of items) {
    // Content between the list so far and this item, outside any item, ends the list.
    if (item.start >= listEnd && blocks.some((block) => block.start >= listEnd && block.start < item.start && !items.some((other) => other.start <= block.start && block.start < other.end))) break;
    // A plain list turning into a checklist (`- Test: x` then `- [ ] **Step 1**`) is two lists to a reader.
    if (item.depth === items[0].depth && (item.checked === null) !== (items[0].checked === null)) break;
    result.push(item);
    listEnd = Math.max(listEnd, item.end);
  }
  return result;
}

/** `Stage N` mentions between two offsets, outside of nothing: diagrams in code blocks count too. */
export function stageMentions(context: BuildContext, start: number, end: number): StageMention[] {
  const mentions: StageMention[] = [];
  const slice = context.text.slice(start, end);
  for (const match of slice.matchAll(STAGE_MENTION)) {
    const at = start + (match.index ?? 0);
    mentions.push({
      label: match[1][0].toUpperCase() + match[1].slice(1).toLowerCase(),
      number: match[2],
      range: context.lines.range(at, at + match[0].length),
    });
  }
  return mentions;
}

/** What a stage builder knows of a new stage: where it is and what it is called; the rest starts empty. */
export type StageIdentity = Pick<Stage, 'label' | 'number' | 'numberParts' | 'numberRange' | 'title' | 'heading' | 'range' | 'headingMark'> &
  Partial<Pick<Stage, 'changes' | 'workUnit' | 'source'>>;

/** A stage with no parts, items, dependencies or children yet, not started and unmarked. */
export function workStage(identity: StageIdentity): Stage {
  const { changes, workUnit, source, ...place } = identity;
  // The fields keep the order they always had: the model's JSON (`docplan stages`, the worker's reply) is unchanged.
  return {
    ...place,
    parts: {},
    changes: changes ?? [],
    validationItems: [],
    commands: [],
    completionCriteria: [],
    dependsOn: [],
    children: [],
    parentNumber: null,
    state: 'not-started',
    mark: null,
    ...(workUnit === undefined ? {} : { workUnit }),
    ...(source === undefined ? {} : { source }),
  };
}
