import type { SectionName, Stage } from '../model/types';
import { normalizeHeading, SECTION_TITLES, sectionLookup } from '../model/vocabulary';
import type { Rule } from './types';
import { docStartRange, flatSections, insertSectionFix } from './helpers';

/** Sections with rules of their own. */
const OWN_RULES: ReadonlySet<SectionName> = new Set(['goals', 'non-goals']);

const KIND_NAMES = { design: 'Design doc', plan: 'Plan', tracker: 'Tracker' } as const;

/** The sections a kind requires (configurable through `requiredSections`), found under any of their synonyms. */
export const missingSection: Rule = {
  id: 'missing-section',
  description: 'A section the document kind requires (configurable in requiredSections) is missing.',
  defaultSeverity: 'warning',
  kinds: ['design', 'plan', 'tracker'],
  check(model, context) {
    const kind = model.kind;
    if (kind === null) return;
    const required = context.config.requiredSections[kind] ?? [];
    if (required.length === 0) return;
    const present = new Set<SectionName>();
    for (const section of flatSections(model)) if (section.name !== null) present.add(section.name);
    // A bold pseudo-heading outside stages (`**Affected Code**`) also introduces a section in plans.
    const lookup = sectionLookup(context.config.sectionSynonyms);
    const stageLines = stageHeadingSpans(model.stages);
    for (const heading of model.headings) {
      if (!heading.pseudo) continue;
      const line = heading.range.start.line;
      if (stageLines.some(([from, to]) => from <= line && line <= to)) continue;
      const name = lookup.get(normalizeHeading(heading.text));
      if (name) present.add(name);
    }
    for (const name of required) {
      if (OWN_RULES.has(name) || present.has(name)) continue;
      const synonyms = (context.config.sectionSynonyms[name] ?? []).map((word) => `"${word}"`);
      context.report({
        message: `${KIND_NAMES[kind]} has no ${SECTION_TITLES[name]} section (accepted headings: ${synonyms.join(', ')}).`,
        range: docStartRange(model),
        fixes: [insertSectionFix(model, context, name)],
      });
    }
  },
};

/** Line spans of top-level stages (their parts are not document sections). */
function stageHeadingSpans(stages: Stage[]): [number, number][] {
  return stages.map((stage) => [stage.range.start.line, stage.range.end.line]);
}
