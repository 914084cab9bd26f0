/** Shared pieces for rules: where whole-document findings go, and inserting a section skeleton. */
import type { DocModel, Range, Section, SectionName } from '../model/types';
import { SECTION_TITLES } from '../model/vocabulary';
import type { Fix, RuleContext } from './types';

/** Where a finding about the whole document goes: the title heading, else the first line. */
export function docStartRange(model: DocModel): Range {
  const title = model.headings.find((heading) => heading.level === 1 && !heading.pseudo);
  return title ? title.textRange : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

/** Conventional order of sections, per kind, used to place inserted skeletons. */
export const SECTION_ORDER: Record<NonNullable<DocModel['kind']>, SectionName[]> = {
  design: ['background', 'goals', 'non-goals', 'current-implementation', 'proposed-design', 'implementation-plan', 'testing', 'benefits', 'trade-offs', 'future-work'],
  plan: ['background', 'goals', 'non-goals', 'affected-code', 'dependencies', 'implementation-plan', 'testing', 'stage-dependencies'],
  tracker: ['background', 'goals', 'status', 'stage-dependencies'],
};

/** What an inserted skeleton asks the writer to fill in (an HTML comment: it guides without rendering). */
const SKELETON_PROMPTS: Record<SectionName, string> = {
  background: 'What problem does this solve, for whom, and why now? Give a concrete scenario.',
  goals: 'What must be true when this is done? Make each goal measurable (a number, a threshold, an observable result).',
  'non-goals': 'What is deliberately out of scope?',
  'current-implementation': 'How does the code work today? Reference files as `path:line`.',
  'proposed-design': 'What changes, with concrete code and data structures?',
  'implementation-plan': 'Phases or stages, each with the files it changes and the command that validates it.',
  benefits: 'What does this give users and maintainers?',
  'trade-offs': 'What does this cost or make harder?',
  'future-work': 'What is left for later?',
  testing: 'How is the change verified? Exact commands.',
  'affected-code': 'Files and symbols this touches, as `path:line - Symbol`.',
  dependencies: 'Libraries and systems this relies on.',
  'stage-dependencies': 'Which stages need which: "Stage 2 requires Stage 1".',
  status: 'A | Stage | Description | Status | table.',
};

/** Top-level sections and their descendants, outside stages, in document order. */
export function flatSections(model: DocModel): Section[] {
  const stageLines = new Set<number>();
  const markStages = (stages: DocModel['stages']) => {
    for (const stage of stages) {
      stageLines.add(stage.heading.range.start.line);
      markStages(stage.children);
    }
  };
  markStages(model.stages);
  const result: Section[] = [];
  const walk = (sections: Section[]) => {
    for (const section of sections) {
      if (stageLines.has(section.heading.range.start.line)) continue;
      result.push(section);
      walk(section.children);
    }
  };
  walk(model.sections);
  return result;
}

/**
 * A fix that inserts `name` as a heading with a prompt comment at its conventional place: after the nearest
 * section that comes before it in the kind's order (at that section's level), else before the nearest one
 * that comes after it, else at the end of the document.
 */
export function insertSectionFix(model: DocModel, context: RuleContext, name: SectionName): Fix {
  const order = SECTION_ORDER[model.kind ?? 'design'];
  const position = order.indexOf(name);
  const sections = flatSections(model).filter((section) => section.name !== null && order.includes(section.name));
  const title = SECTION_TITLES[name];
  const body = (level: number) => `${'#'.repeat(level)} ${title}\n\n<!-- ${SKELETON_PROMPTS[name]} -->\n`;
  const before = sections.filter((section) => order.indexOf(section.name!) < position).at(-1);
  const lastLine = context.lines.lineCount - 1;
  if (before) {
    const afterLine = before.range.end.line + 1;
    if (afterLine > lastLine) {
      const end = { line: lastLine, character: context.lines.lineText(lastLine).length };
      return { title: `Insert a ${title} section`, edits: [{ range: { start: end, end }, newText: `\n\n${body(before.heading.level)}` }], fixAll: false };
    }
    const at = { line: afterLine, character: 0 };
    return { title: `Insert a ${title} section`, edits: [{ range: { start: at, end: at }, newText: `\n${body(before.heading.level)}` }], fixAll: false };
  }
  const after = sections.find((section) => order.indexOf(section.name!) > position);
  if (after) {
    const at = after.heading.range.start;
    return { title: `Insert a ${title} section`, edits: [{ range: { start: at, end: at }, newText: `${body(after.heading.level)}\n` }], fixAll: false };
  }
  const end = { line: lastLine, character: context.lines.lineText(lastLine).length };
  const separator = context.lines.lineText(lastLine).trim() === '' ? '\n' : '\n\n';
  return { title: `Insert a ${title} section`, edits: [{ range: { start: end, end }, newText: `${separator}${body(2)}` }], fixAll: false };
}
