import type { DocModel, SectionName, Stage } from '../model/types';
import { headingMatches, lookupSection, normalizeHeading, SECTION_TITLES, sectionLookup } from '../model/vocabulary';
import { candidateProfiles } from '../profiles/index';
import type { Profile, RequiredSection } from '../profiles/types';
import type { DocPlanConfig } from '../config/config';
import type { Fix, Rule, RuleContext } from './types';
import { docStartRange, flatSections, insertSectionFix } from './helpers';
import { requiredBy, signalsOf } from './profiles';
import { headingsInUnknownLanguage } from './headingLanguage';
import { closedByStatus } from './recordStatus';

/** Sections with rules of their own. */
const OWN_RULES: ReadonlySet<SectionName> = new Set(['goals', 'non-goals']);

const KIND_NAMES = { design: 'Design doc', plan: 'Plan', tracker: 'Tracker' } as const;

/**
 * The sections the doc's profile requires: the RFC template's for an RFC, the KEP template's for a KEP, the
 * configured `requiredSections` of its kind for the seeds' own formats. Found under any of their synonyms and
 * with decorations (`## Drawbacks [optional]`); with several candidate profiles, only sections all require.
 */
export const missingSection: Rule = {
  id: 'missing-section',
  description: 'A section the document profile requires (the seeds\' sections are configurable in requiredSections) is missing.',
  defaultSeverity: 'warning',
  kinds: ['design', 'plan', 'tracker'],
  check(model, context) {
    const kind = model.kind;
    if (kind === null) return;
    const candidates = candidateProfiles(model);
    if (candidates.length === 0) return;
    if (headingsInUnknownLanguage(model) || closedByStatus(model, context.lines)) return;
    const headings = presentHeadings(model, context);
    const missingPer = candidates.map((profile) => requirements(profile, model, context.config).filter((required) => !isPresent(required, headings)));
    const [chosen, ...others] = missingPer;
    for (const required of chosen) {
      // Report only what every candidate also misses (a section of the same name).
      if (!others.every((missing) => missing.some((other) => other.synonyms.some((word) => required.synonyms.includes(word))))) continue;
      const synonyms = required.synonyms.map((word) => `"${word}"`);
      context.report({
        message: `${KIND_NAMES[kind]} has no ${required.title} section${requiredBy(model)} (accepted headings: ${synonyms.join(', ')}).`,
        range: docStartRange(model),
        fixes: fixFor(model, context, required),
      });
    }
  },
};

function fixFor(model: DocModel, context: RuleContext, required: RequiredSection): Fix[] {
  return required.section ? [insertSectionFix(model, context, required.section)] : [];
}

/** A profile's required sections, with the configured list standing in for the seeds' profiles. */
function requirements(profile: Profile, model: DocModel, config: DocPlanConfig): RequiredSection[] {
  const declared = profile.requiredSections(signalsOf(model));
  if (declared !== 'config') return [...declared];
  const kind = model.kind ?? 'design';
  return (config.requiredSections[kind] ?? [])
    .filter((name) => !OWN_RULES.has(name))
    .map((name) => ({ title: SECTION_TITLES[name], synonyms: config.sectionSynonyms[name] ?? [], section: name }));
}

/** Headings outside stages (real, and bold pseudo-headings that introduce a section), normalized. */
function presentHeadings(model: DocModel, context: RuleContext): { texts: string[]; names: Set<SectionName> } {
  const lookup = sectionLookup(context.config.sectionSynonyms);
  const names = new Set<SectionName>();
  const texts: string[] = [];
  for (const section of flatSections(model)) {
    texts.push(section.heading.text);
    if (section.name !== null) names.add(section.name);
  }
  // A bold pseudo-heading outside stages (`**Affected Code**`) also introduces a section in plans.
  const stageLines = stageHeadingSpans(model.stages);
  for (const heading of model.headings) {
    if (!heading.pseudo) continue;
    const line = heading.range.start.line;
    if (stageLines.some(([from, to]) => from <= line && line <= to)) continue;
    texts.push(heading.text);
    const name = lookupSection(lookup, heading.text);
    if (name) names.add(name);
  }
  return { texts, names };
}

function isPresent(required: RequiredSection, headings: { texts: string[]; names: Set<SectionName> }): boolean {
  if (required.section !== undefined && headings.names.has(required.section)) return true;
  const words = required.synonyms.map((word) => normalizeHeading(word));
  return headings.texts.some((text) => headingMatches(text, words));
}

/** Line spans of top-level stages (their parts are not document sections). */
function stageHeadingSpans(stages: Stage[]): [number, number][] {
  return stages.map((stage) => [stage.range.start.line, stage.range.end.line]);
}
