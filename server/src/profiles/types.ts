/**
 * The profile contract: one module per family of documents real teams write (formats.md section 1). A profile
 * says how to recognise its family from the parsed model (signals), which sections it requires, which
 * headings are its work stages and which stage parts it expects. Profiles read the model; they never parse.
 */
import type { DocKind, FrontMatter, ListItem, Section, SectionName, Stage, StatusTable } from '../model/types';

/** Ids of the built-in profiles (the names `.docplan.json` and `docplan:` front matter accept). */
export const PROFILE_IDS = [
  'seed-design',
  'seed-plan',
  'seed-tracker',
  'nested-phases',
  'agent-task-plan',
  'agent-plan-mode',
  'spec-tasks',
  'requirements-triple',
  'change-proposal',
  'editor-plan',
  'enhancement-proposal',
  'rfc',
  'design-note',
] as const;

export type ProfileId = (typeof PROFILE_IDS)[number];

/** What detection reads from the model under construction. */
export interface ProfileSignals {
  /** Workspace-relative path with forward slashes, or null (untitled documents). */
  path: string | null;
  /** Text of the level-1 heading, or null. */
  title: string | null;
  /** Real headings (not bold pseudo-headings), normalized (`normalizeHeading`); match them with `headingMatches`. */
  headings: readonly string[];
  /** Bold pseudo-headings (`**Files:**`, `**Goal:**`), normalized. */
  pseudoHeadings: readonly string[];
  /** Canonical section names present outside stages. */
  sectionNames: ReadonlySet<SectionName>;
  flatSections: readonly Section[];
  /** Every stage candidate at any nesting, parents before children. */
  stages: readonly Stage[];
  /** Every list item, nested ones included. */
  items: readonly ListItem[];
  frontMatter: FrontMatter | null;
  statusTables: readonly StatusTable[];
  /** Commands written on `Run:` step lines. */
  runLines: number;
}

/** A section a profile requires: its title (for messages and inserted skeletons) and the headings accepted. */
export interface RequiredSection {
  title: string;
  /** Normalized heading words (`normalizeHeading`), matched with decorations allowed. */
  synonyms: readonly string[];
  /** Canonical section, when there is one: lets a fix insert it in its conventional place. */
  section?: SectionName;
}

/** Stage parts a profile can require of each work unit. */
export type RequiredPart = 'objective' | 'changes' | 'validation';

/** A document family. */
export interface Profile {
  id: ProfileId;
  /** Human name, used in messages: "required by the RFC profile". */
  title: string;
  /** One line for listings and the README. */
  description: string;
  /** How many points the doc's signals give this family; under `MIN_PROFILE_SCORE` it is not this family. */
  score(signals: ProfileSignals): number;
  /** The compatibility kind of this file of the family (a change proposal's tasks.md is a plan, its proposal.md a design). */
  kind(signals: ProfileSignals): DocKind;
  /**
   * Where the family writes its work units: headings (the default), a numbered task checklist (`- [ ] 2. …`
   * with `2.1` sub-tasks) or the `todos:` of the YAML front matter (which, when present, replace heading stages).
   */
  stageSource?: 'headings' | 'numbered-items' | 'front-matter-todos';
  /** Stage labels (`Stage`, `Task`, '' for a numbered heading) that are work stages here; empty: none are. */
  stageLabels: readonly string[];
  /** Parts every work unit must have. */
  requiredParts: readonly RequiredPart[];
  /** Whether the family asks for Goals: always, never, or by the doc (its path, its headings). */
  requiresGoals: boolean | ((signals: ProfileSignals) => boolean);
  requiresNonGoals: boolean;
  /** Required sections of this file; 'config' takes the kind's list from configuration (the seeds' defaults). */
  requiredSections(signals: ProfileSignals): readonly RequiredSection[] | 'config';
  /** How the family writes status (README and hover). */
  status: string;
}

/** Below this many points a profile does not fit. */
export const MIN_PROFILE_SCORE = 3;
