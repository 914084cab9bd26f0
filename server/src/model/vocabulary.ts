/**
 * The words DocPlan recognises in headings: section synonyms, stage labels, stage part names and status
 * markers. Kept in one place so that detection, rules and fixes agree.
 */
import type { SectionName, StageMark, StagePartName } from './types';

/** Default synonyms per canonical section (lower case, after `normalizeHeading`). Configurable. */
export const DEFAULT_SECTION_SYNONYMS: Record<SectionName, string[]> = {
  background: ['background', 'background and motivation', 'motivation', 'problem', 'problem statement', 'context'],
  goals: ['goals', 'goal', 'objectives', 'design goals'],
  'non-goals': ['non-goals', 'non goals', 'nongoals', 'out of scope', 'non-objectives', 'not in scope', 'explicitly out of scope'],
  'current-implementation': ['current implementation', 'current state', 'current design', 'existing implementation', 'current behavior', 'current behaviour'],
  'proposed-design': ['proposed design', 'proposal', 'proposed solution', 'proposed changes', 'detailed design', 'design'],
  'implementation-plan': ['implementation plan', 'implementation', 'implementation outline', 'rollout plan', 'migration plan', 'plan', 'stages', 'phases'],
  benefits: ['benefits', 'advantages'],
  'trade-offs': ['trade-offs', 'tradeoffs', 'trade offs', 'drawbacks', 'risks', 'downsides'],
  'future-work': ['future work', 'follow-ups', 'follow-up work', 'future improvements', 'next steps'],
  testing: ['testing', 'validation', 'validate', 'verification', 'test plan'],
  'affected-code': ['affected code', 'affected files', 'code locations'],
  dependencies: ['dependencies'],
  'stage-dependencies': ['stage dependencies', 'dependencies between stages', 'stage order', 'dependency graph'],
  status: ['status', 'progress'],
};

/** Human titles used when a fix inserts a section. */
export const SECTION_TITLES: Record<SectionName, string> = {
  background: 'Background & Motivation',
  goals: 'Goals',
  'non-goals': 'Non-Goals',
  'current-implementation': 'Current Implementation',
  'proposed-design': 'Proposed Design',
  'implementation-plan': 'Implementation Plan',
  benefits: 'Benefits',
  'trade-offs': 'Trade-offs',
  'future-work': 'Future Work',
  testing: 'Testing',
  'affected-code': 'Affected Code',
  dependencies: 'Dependencies',
  'stage-dependencies': 'Stage Dependencies',
  status: 'Status',
};

/** Part names of a stage and the heading words that introduce them. */
export const STAGE_PART_SYNONYMS: Record<StagePartName, string[]> = {
  objective: ['objective', 'objectives', 'goal', 'purpose', 'summary'],
  changes: ['changes', 'tasks', 'work items', 'todo', 'sub-tasks', 'subtasks', 'steps', 'implementation', 'implementation steps', 'deliverables', 'files', 'files to change', 'file changes'],
  validation: [
    'validation', 'validate', 'verification', 'verify', 'testing', 'tests', 'test plan', 'test', 'test command', 'test commands',
    'testing strategy', 'success criteria', 'acceptance', 'acceptance criteria', 'acceptance tests', 'independent test', 'checkpoint',
    'how to verify', 'how to test', 'verification steps',
  ],
  'completion-criteria': ['completion criteria', 'done when', 'definition of done', 'exit criteria'],
  dependencies: ['depends on', 'dependencies', 'prerequisites', 'requires'],
  file: ['file'],
};

/**
 * Validation synonyms that read as criteria: when a stage already has a Validation part, a second heading
 * of these words holds its completion criteria instead.
 */
export const CRITERIA_WORDS: ReadonlySet<string> = new Set(['success criteria', 'acceptance', 'acceptance criteria', 'checkpoint']);

/** Words that introduce a stage heading. */
export const STAGE_LABELS = ['stage', 'phase', 'step', 'milestone', 'task', 'part'];

/** Strips status markers, numbering and punctuation so that headings compare by their words. */
export function normalizeHeading(text: string): string {
  return text
    .replace(/✅|✓|✔|☑️?/gu, ' ')
    .replace(/\((?:done|complete|completed|in progress|wip|pending)\)/gi, ' ')
    .replace(/\b(?:PARTIALLY COMPLETED?|PARTIAL|COMPLETE|COMPLETED|DONE)\b/g, ' ')
    .replace(/&/g, ' and ')
    .replace(/^\s*(?:\d+(?:\.\d+)*[.)]?|[ivx]+\.)\s+/i, '')
    .replace(/[:.\s]+$/u, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/**
 * Drops the decorations writers put on a section heading so that it still matches its section:
 * `Out of scope (deliberate)`, `Drawbacks [optional]`, `Non-goals / explicitly preserved`,
 * `Goals for the cache`, `Future Work - not in this spec`. Input and output are normalized.
 */
export function undecorateHeading(normalized: string): string {
  return normalized
    .replace(/\s*(?:\([^)]*\)|\[[^\]]*\])\s*/gu, ' ')
    .replace(/\s+(?:\/|[-–—]|:)\s+.*$/u, '')
    .replace(/^(goals|non-goals|non goals|requirements|risks|alternatives|drawbacks|open questions)\s+(?:for|of)\s+.*$/u, '$1')
    .replace(/[:.\s]+$/u, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The comparable forms of one heading text (see `headingForms`). */
interface HeadingForms {
  normalized: string;
  /** Without decorations (`undecorateHeading`). */
  bare: string;
  /** The first of two joined sections ("Non-Goals/Future Work" -> "non-goals"), or null. */
  joined: string | null;
  /** The last word of `bare` when it has several, or null. */
  last: string | null;
}

/**
 * Heading texts repeat across documents and every profile compares every heading, so their forms are
 * computed once per text (the cache is dropped whole when it grows past a bound).
 */
const FORMS_CACHE = new Map<string, HeadingForms>();
const FORMS_CACHE_LIMIT = 20_000;

function headingForms(headingText: string): HeadingForms {
  let forms = FORMS_CACHE.get(headingText);
  if (forms === undefined) {
    const normalized = normalizeHeading(headingText);
    const bare = undecorateHeading(normalized);
    const joined = /^(.+?)\s*\/\s*\S/.exec(normalized)?.[1] ?? null;
    const last = /\s(\S+)$/.exec(bare)?.[1] ?? null;
    forms = { normalized: detached(normalized), bare: detached(bare), joined: joined === null ? null : detached(joined), last: last === null ? null : detached(last) };
    if (FORMS_CACHE.size >= FORMS_CACHE_LIMIT) FORMS_CACHE.clear();
    FORMS_CACHE.set(detached(headingText), forms);
  }
  return forms;
}

/**
 * A copy of `text` that holds no reference to a larger string: a heading's text is a slice of its whole
 * document, and a cache that kept the slice would keep every document it ever saw.
 */
function detached(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

/** Whether a heading names one of `synonyms` (normalized words), with or without decorations. */
export function headingMatches(headingText: string, synonyms: readonly string[]): boolean {
  const { normalized, bare, joined, last } = headingForms(headingText);
  if (synonyms.includes(normalized)) return true;
  if (bare !== normalized && synonyms.includes(bare)) return true;
  // "Non-Goals/Future Work" holds Non-Goals; "TaskRun Proposal" is a Proposal (a one-word section named last).
  if (joined !== null && synonyms.includes(joined)) return true;
  return last !== null && synonyms.includes(last) && ONE_WORD_SECTIONS.has(last);
}

/** Sections a longer heading may name with its last word ("TaskRun Proposal", "Detailed Summary"). */
const ONE_WORD_SECTIONS: ReadonlySet<string> = new Set(['proposal']);

/** Builds a lookup from normalized heading text to canonical section name. */
export function sectionLookup(synonyms: Record<SectionName, string[]>): Map<string, SectionName> {
  const lookup = new Map<string, SectionName>();
  for (const [name, words] of Object.entries(synonyms) as [SectionName, string[]][]) {
    for (const word of words) if (!lookup.has(word)) lookup.set(normalizeHeading(word), name);
  }
  return lookup;
}

const PART_LOOKUP = new Map<string, StagePartName>();
for (const [name, words] of Object.entries(STAGE_PART_SYNONYMS) as [StagePartName, string[]][]) {
  for (const word of words) PART_LOOKUP.set(word, name);
}

/** The section a heading names through `lookup`, decorations allowed (`## Out of scope (deliberate)`). */
export function lookupSection(lookup: ReadonlyMap<string, SectionName>, headingText: string): SectionName | null {
  const { normalized, bare, joined } = headingForms(headingText);
  const found = lookup.get(normalized) ?? lookup.get(bare);
  if (found !== undefined) return found;
  // "Non-Goals/Future Work": a heading that joins two sections is the first of them.
  return joined !== null ? (lookup.get(joined) ?? null) : null;
}

/** The stage part a heading introduces, or null. */
export function stagePartName(headingText: string): StagePartName | null {
  const { normalized, bare } = headingForms(headingText);
  return PART_LOOKUP.get(normalized) ?? PART_LOOKUP.get(bare) ?? null;
}

/** `Stage 3: Title`, `Phase 1 - Title`, `Step 1.2: Title`, `Task 4: Title`, `Stage 0: Title ✅`, `Stage 2 (done)`. */
export const STAGE_HEADING = /^(stage|phase|step|milestone|task|part)\s+(\d+(?:\.\d+)*)\b\s*[:.\-–—)]?\s*(.*)$/i;

/**
 * A heading numbered without a label: `3. Title`, `1.2 Title`, `2) Title`. A work unit only when it holds parts
 * or checklist items (decided by the builder), since design docs number their sections too.
 */
export const NUMBERED_HEADING = /^(\d{1,3}(?:\.\d{1,3})*)(?:[.)]\s+|\s+(?=\S))(\S.*)$/u;

/** Mentions of stages in prose and diagrams: `Stage 2`, `stage 1.5`, `Phase 3`, `Task 4`. */
export const STAGE_MENTION = /\b(stage|phase|step|milestone|task)\s+(\d+(?:\.\d+)*)\b/gi;

/**
 * A heading that introduces quoted material (a procedure reproduced from another document): what it holds
 * is not this doc's own work.
 */
export const QUOTED_HEADING = /\b(?:quoted|verbatim|excerpt|reproduced|copied from|as written in|original text|for reference)\b/i;

/** The outcome a step expects from a command, read from `Expected: FAIL` / `# Expected: PASSED` notes. */
export function expectedOutcome(expected: string | null): 'pass' | 'fail' | null {
  if (expected === null) return null;
  const cleaned = expected.replace(/[*_`]/g, '').trim();
  if (/^(?:fail|fails|failed|failure|error|errors)\b/i.test(cleaned)) return 'fail';
  if (/^(?:pass|passes|passed|ok|success|succeeds|green|all (?:tests )?pass)/i.test(cleaned)) return 'pass';
  return null;
}

const DONE_WORDS = /^(?:[✅✓✔☑]|(?:done|complete|completed|finished|merged|shipped)\b)/iu;
const PROGRESS_WORDS = /^(?:[🚧⏳]|(?:in[ -]progress|wip|started|ongoing|partial|partially done)\b)/iu;
const PENDING_WORDS = /^(?:⬜|❌|pending|not started|todo|to do|planned|open|blocked|—|-)$/iu;

/** Reads a status cell or marker (`✓ Completed`, `Pending`, `✅ COMPLETE`, `In progress`). */
export function statusMark(text: string): Exclude<StageMark, null> | null {
  const cleaned = text.replace(/[*_`]/g, '').trim();
  if (cleaned === '') return null;
  if (DONE_WORDS.test(cleaned)) return 'done';
  if (PROGRESS_WORDS.test(cleaned)) return 'in-progress';
  if (PENDING_WORDS.test(cleaned) || /^pending\b/i.test(cleaned) || /^not started\b/i.test(cleaned)) return 'pending';
  return null;
}

/**
 * A heading's status marker: `✅`, `✓`, `COMPLETE`, `DONE`, `(done)`, `(in progress)`, `(pending)`. The bare
 * words only count in capitals: "Stage 2: Get it done" is a title, not a status.
 */
export const HEADING_MARK = /(✅|✓|✔|\bPARTIALLY COMPLETED?\b|\bPARTIAL\b|\b(?:COMPLETE|COMPLETED|DONE)\b|\((?:[Dd]one|[Cc]ompleted?|[Ii]n [Pp]rogress|WIP|wip|[Pp]ending|[Nn]ot [Ss]tarted)\))/u;

/** Interprets a heading marker found by `HEADING_MARK`. */
export function headingMarkKind(marker: string): Exclude<StageMark, null> {
  const lower = marker.toLowerCase();
  if (lower.includes('progress') || lower.includes('wip') || lower.includes('partial')) return 'in-progress';
  if (lower.includes('pending') || lower.includes('not started')) return 'pending';
  return 'done';
}
