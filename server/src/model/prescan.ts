/**
 * A cheap look at a Markdown file, before any parsing, that says when it cannot be a DocPlan doc: most
 * Markdown in a repository (READMEs, changelogs, guide pages) is not, and building its full model only to
 * detect nothing is most of a run's time.
 *
 * Deliberately permissive: a file is skipped only when nothing in it could make any family's detection
 * fire: no front matter, no task-list checkbox, no heading, bold label or table row using a word any
 * family's detection or section vocabulary uses, no family path, no include glob, no mention of DocPlan.
 * Whatever is unsure gets the full check. The signals live in `PRESCAN_SIGNALS` so that a new family
 * widens the pre-scan in one place; a property test (test/unit/prescan.test.ts) checks that a skipped file
 * gets no findings on the full path.
 */
import picomatch from 'picomatch';

/** The words and shapes that send a file to the full check. Widen here when detection learns a family. */
export const PRESCAN_SIGNALS = {
  /** Words (matched case-insensitively at word starts) in headings, bold labels and table rows. */
  words: [
    'stage', 'phase', 'task', 'step', 'milestone', 'epic', 'story', 'stories', 'sprint', 'iteration', 'wave', 'part',
    'goal', 'non-goal', 'nongoal', 'objective', 'scope', 'out of scope', 'motivation', 'summary', 'proposal', 'proposed',
    'design', 'background', 'context', 'problem', 'decision', 'alternative', 'consequence', 'drawback', 'rationale',
    'prior art', 'unresolved', 'future', 'requirement', 'implementation', 'validation', 'validate', 'verification',
    'verify', 'testing', 'test plan', 'test command', 'tests', 'acceptance', 'criteria', 'success', 'checkpoint',
    'independent test', 'status', 'plan', 'changes', 'what changes', 'why', 'impact', 'affected', 'current',
    'benefit', 'trade-off', 'tradeoff', 'risk', 'rollout', 'graduation', 'release signoff', 'files', 'deliverable',
    'work item', 'todo', 'dependenc', 'depends', 'approach', 'architecture', 'overview', 'spec', 'scenario',
    'added requirements', 'modified', 'removed', 'renamed', 'guide-level', 'reference-level', 'completion',
    'complete', 'done', 'progress', 'pending', 'blocked', 'tracker', 'roadmap', 'kep', 'rfc', 'adr', 'enhancement',
  ],
  /** Path fragments of the families' usual homes (matched against the workspace-relative path). */
  paths: [
    /(?:^|\/)(?:plans?|specs?|rfcs?|adrs?|decisions|designs?|design-docs|keps|proposals?|changes|tasks|enhancements|roadmaps?)\//i,
    /(?:^|\/)(?:\.kiro|openspec|\.cursor|\.agents?|\.claude|\.github\/plans)\//i,
    /(?:^|\/)text\/\d{3,}-/i,
    /(?:plan|design|tasks|proposal|requirements|spec|rfc|adr|kep|roadmap|todo)[^/]*\.(?:md|markdown)$/i,
  ],
  /** Shapes in the text, wherever they are. */
  patterns: [
    /^(?:---|\+\+\+)[ \t]*\r?\n/, // front matter
    /^[ \t]*(?:goals?|non-goals?|objective|status|scope)[ \t]*:/im, // plain labels
    /^[ \t]*(?:[-*+]|\d+[.)])[ \t]+\[[ xX~\-/]\]/m, // task-list checkboxes
    /docplan/i, // a directive or a mention of DocPlan
    /\bT\d{3}\b/, // spec-driven task ids
    /✅|✓|✔|☑|🚧|⏳/u, // status marks
    /\bSHALL\b|\bMUST\b/, // requirements wording
    /^[ \t]*(?:Run|Expected):/m, // agent plan step lines
  ],
};

/** A line that can carry a section or label name: ATX heading, setext underline's title, bold label, table row. */
const CARRIER = /^[ \t>]*(?:(?:[-*+]|\d+[.)])[ \t]+)*(?:#{1,6}(?:[ \t]|$)|\*\*|__|\||<h[1-6])|^[ \t>]*(?:=+|-+)\s*$/i;

let wordPattern: RegExp | null = null;
let wordPatternKey = '';

function wordsPattern(extra: readonly string[]): RegExp {
  const key = extra.join('\0');
  if (wordPattern && wordPatternKey === key) return wordPattern;
  const words = [...PRESCAN_SIGNALS.words, ...extra].map((word) => word.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/[ \t]+/g, '\\s+'));
  wordPattern = new RegExp(`(?:^|[^\\p{L}\\p{N}])(?:${words.join('|')})`, 'iu');
  wordPatternKey = key;
  return wordPattern;
}

const includeMatchers = new Map<string, (path: string) => boolean>();

/** What the pre-scan needs besides the text. */
export interface PrescanOptions {
  /** Workspace-relative path (forward slashes), or null. */
  path: string | null;
  /** Include globs of the configuration: a file they match always gets the full check. */
  include?: readonly string[];
  /** Extra section words (the configuration's section synonyms). */
  extraWords?: readonly string[];
}

/**
 * False when `text` cannot be a DocPlan doc of any family (skip it: no model, no findings); true when it
 * might be (build the model and check it).
 */
export function mayBeDocPlanDoc(text: string, options: PrescanOptions): boolean {
  const path = options.path;
  if (path !== null) {
    if (PRESCAN_SIGNALS.paths.some((pattern) => pattern.test(path))) return true;
    for (const glob of options.include ?? []) {
      let matcher = includeMatchers.get(glob);
      if (!matcher) {
        matcher = picomatch(glob, { dot: true });
        includeMatchers.set(glob, matcher);
      }
      if (matcher(path)) return true;
    }
  }
  if (PRESCAN_SIGNALS.patterns.some((pattern) => pattern.test(text))) return true;
  const words = wordsPattern(options.extraWords ?? []);
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!CARRIER.test(line)) continue;
    // A setext underline names the line above it.
    const carried = /^[ \t>]*(?:=+|-+)\s*$/.test(line) ? (lines[i - 1] ?? '') : line;
    if (words.test(carried)) return true;
  }
  return false;
}
