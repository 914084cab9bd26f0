/**
 * Rules and the profiles: a profile-dependent finding is reported only when every profile the doc might be
 * (detection's candidates) would report it, and its message says which profile asked for it.
 */
import { candidateProfiles, profileLabel } from '../profiles/index';
import type { Profile, ProfileSignals } from '../profiles/types';
import type { DocModel, SectionName } from '../model/types';
import { normalizeHeading } from '../model/vocabulary';
import { flatSections } from './helpers';

/** Whether the profile asks this doc for Goals (a profile may decide by the doc's path or headings). */
export function requiresGoals(profile: Profile, model: DocModel): boolean {
  return typeof profile.requiresGoals === 'function' ? profile.requiresGoals(signalsOf(model)) : profile.requiresGoals;
}

/** Whether `test` holds for every candidate profile of the doc (false when it has none). */
export function everyCandidate(model: DocModel, test: (profile: Profile) => boolean): boolean {
  const candidates = candidateProfiles(model);
  return candidates.length > 0 && candidates.every(test);
}

/** The seeds' own formats: the default house style, whose findings need no "required by" note. */
const SEED_PROFILES: ReadonlySet<string> = new Set(['seed-design', 'seed-plan', 'seed-tracker']);

/**
 * ` (required by the RFC profile)`: appended to structure findings so a reader knows why a family asks for it;
 * '' for the seeds' own formats (the default every message is written for).
 */
export function requiredBy(model: DocModel): string {
  const candidates = candidateProfiles(model);
  if (candidates.length === 0 || candidates.every((profile) => SEED_PROFILES.has(profile.id))) return '';
  return ` (required by ${profileLabel(model)})`;
}

/** Whether every candidate profile is one of the seeds' three formats (design doc, plan, tracker). */
export function isSeedFormat(model: DocModel): boolean {
  return everyCandidate(model, (profile) => SEED_PROFILES.has(profile.id));
}

/** The seeds' formats and plans nested in them: where the seeds' conventions (stage size, measurable goals) hold. */
const HOUSE_STYLE: ReadonlySet<string> = new Set([...SEED_PROFILES, 'nested-phases']);

/** Whether every candidate profile is one of the seeds' own formats. */
export function isHouseStyle(model: DocModel): boolean {
  return everyCandidate(model, (profile) => HOUSE_STYLE.has(profile.id));
}

/** Whether the doc was read with profile `id` and detection was sure of it. */
export function isProfile(model: DocModel, id: string): boolean {
  return model.profile === id && model.profileCandidates.length <= 1;
}

/** The signals a profile's `requiredSections` reads (its path and headings). */
export function signalsOf(model: DocModel): ProfileSignals {
  return {
    path: model.path ?? null,
    title: model.title?.text ?? null,
    headings: model.headings.filter((heading) => !heading.pseudo).map((heading) => normalizeHeading(heading.text)),
    pseudoHeadings: model.headings.filter((heading) => heading.pseudo).map((heading) => normalizeHeading(heading.text)),
    sectionNames: new Set(flatSections(model).map((section) => section.name).filter((name): name is SectionName => name !== null)),
    flatSections: flatSections(model),
    stages: [],
    items: model.items,
    frontMatter: model.frontMatter,
    statusTables: model.statusTables,
    runLines: 0,
  };
}
