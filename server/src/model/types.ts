/**
 * The typed document model: the one representation of a design doc, plan or tracker that every rule,
 * code action, tree view and the CLI read. Built once per document version by `buildModel`; rules never
 * parse Markdown themselves.
 *
 * All ranges are LSP ranges (0-based lines, UTF-16 columns) into the document text.
 */
import type { Range } from 'vscode-languageserver-types';

export type { Range, Position } from 'vscode-languageserver-types';

/** The kinds of document DocPlan understands. */
export type DocKind = 'design' | 'plan' | 'tracker';

/** Where the kind came from, in the order detection tries them. */
export type KindSource = 'front-matter' | 'config' | 'content';

/** A piece of text with its source range. */
export interface Span {
  text: string;
  range: Range;
}

/** A Markdown heading. `text` is the plain text without `#` marks. */
export interface Heading {
  level: number;
  text: string;
  /** Range of the whole heading line (or setext heading lines). */
  range: Range;
  /** Range of the heading's text content (after the `#` marks). */
  textRange: Range;
  /** A bold line used as a heading (`**Validate**:`), not a real Markdown heading. */
  pseudo: boolean;
}

/**
 * Canonical section names. A section's heading is mapped to one of these through the synonym table
 * (`model/sections.ts`), or to `null` when it is none of them.
 */
export type SectionName =
  | 'background'
  | 'goals'
  | 'non-goals'
  | 'current-implementation'
  | 'proposed-design'
  | 'implementation-plan'
  | 'benefits'
  | 'trade-offs'
  | 'future-work'
  | 'testing'
  | 'affected-code'
  | 'dependencies'
  | 'stage-dependencies'
  | 'status';

/** A heading and everything under it up to the next heading of the same or a higher level. */
export interface Section {
  heading: Heading;
  /** Canonical name, or null for a section DocPlan does not know. */
  name: SectionName | null;
  /** From the heading line to the end of the section's content. */
  range: Range;
  /** The content after the heading line (may be empty: start === end). */
  bodyRange: Range;
  /** True when the body holds nothing but blank lines and sub-headings. */
  empty: boolean;
  children: Section[];
}

/** A list item, with its GFM task state. */
export interface ListItem {
  /** Plain text of the item's first paragraph, inline code kept with its backticks removed. */
  text: string;
  /** Range of the whole item (marker to end of its content). */
  range: Range;
  /** `true` for `[x]`, `false` for `[ ]`, `null` for a plain item. */
  checked: boolean | null;
  /** Range of the `[ ]`/`[x]` box itself, when there is one. */
  checkboxRange: Range | null;
  /** Inline code spans inside the item's first paragraph. */
  codeSpans: Span[];
  /** Nesting depth: 0 for a top-level item of its list. */
  depth: number;
  /**
   * For an editor plan's YAML todo read as an item: the range of its `status:` value, which is its box
   * (ticking writes `completed`, unticking `pending`).
   */
  statusValueRange?: Range;
  /** For such a todo: its `content` as written (Markdown, backticks kept), the words its claims are read from. */
  sourceText?: string;
}

/** A runnable validation command. */
export interface Command {
  /** The command line as written, without backticks or prompt (`$ `). */
  text: string;
  /** Range of the command text itself. */
  range: Range;
  /** Where it was written: an inline code span in a list item, or a line of a fenced shell block. */
  source: 'inline-code' | 'fence';
  /** The list item holding an inline-code command (for its checkbox), or null. */
  item: ListItem | null;
  /** `# Expected: PASSED`-style annotation after the command in a fenced block, or an `Expected: FAIL` step line. */
  expected: string | null;
  /**
   * The outcome the doc expects when the command runs: `fail` for a test-first step (`Expected: FAIL`), `pass`
   * for `Expected: PASS`/`# Expected: PASSED`, null when it says nothing (success is then expected).
   */
  expectedOutcome?: 'pass' | 'fail' | null;
  /** True for a command written on a `Run: \`cmd\`` step line rather than in a Validation part. */
  runLine?: boolean;
}

/** A fenced or indented code block. */
export interface CodeBlock {
  lang: string | null;
  value: string;
  range: Range;
  /** Range of the first content line (where a `# path:line` header comment sits), or null if empty. */
  firstLineRange: Range | null;
}

/** The parts a stage is made of. Bold pseudo-headings (`**Validate**:`) count as well as sub-headings. */
export type StagePartName = 'objective' | 'changes' | 'validation' | 'completion-criteria' | 'dependencies' | 'file';

/** One part of a stage (Objective, Changes, Validation, Completion Criteria, ...). */
export interface StagePart {
  name: StagePartName;
  heading: Heading;
  /** From the part's heading to the end of its content. */
  range: Range;
  /** Text that follows a pseudo-heading on the same line (`**Goal**: Add timing`), or ''. */
  inlineText: string;
  items: ListItem[];
  codeBlocks: CodeBlock[];
  /** Paragraph text inside the part (not list items), for prose checks. */
  paragraphs: Span[];
}

/** Status as shown by a stage's own markers and the status table, before comparing with its checklist. */
export type StageMark = 'done' | 'in-progress' | 'pending' | null;

/** Derived overall state of a stage. */
export type StageState = 'done' | 'in-progress' | 'not-started';

/** A stage, phase or step of a plan or design doc. */
export interface Stage {
  /** The word that introduced it: Stage, Phase, Step, Milestone, Task, Part; '' for a numbered heading (`## 3. Title`). */
  label: string;
  /** The number as written: `3`, `1.5`, `0`. */
  number: string;
  /** Numeric parts of `number` (`1.5` -> [1, 5]). */
  numberParts: number[];
  /** Range of the number in the heading, for renumbering. */
  numberRange: Range;
  title: string;
  heading: Heading;
  /** Whole stage: heading to the start of the next stage/sibling section. */
  range: Range;
  /** Status marker in the heading (`✅`, `COMPLETE`, `(in progress)`), if any. */
  headingMark: { mark: Exclude<StageMark, null>; range: Range } | null;
  parts: Partial<Record<StagePartName, StagePart>>;
  /** Change items (checklist or plain) from the Changes part; for a step without one, its own items. */
  changes: ListItem[];
  /** Validation items and commands. */
  validationItems: ListItem[];
  commands: Command[];
  completionCriteria: ListItem[];
  /** Stage numbers this stage says it depends on (from a Depends-on part or line). */
  dependsOn: StageMention[];
  /** Nested steps (`Step 1.2` under `Phase 1`). */
  children: Stage[];
  /** The parent phase of a step, or null. */
  parentNumber: string | null;
  /** Derived from checklist state and marks. */
  state: StageState;
  /** The combined mark from the heading and the status table row. */
  mark: StageMark;
  /**
   * True for a unit of work (the innermost numbered heading that has parts or items); false for a heading
   * that only groups other stages.
   */
  workUnit?: boolean;
  /**
   * What the stage was read from: a heading (the default), a numbered checklist task (`- [ ] 2. Task` of a
   * requirements/tasks triple) or a YAML todo of an editor plan's front matter. Only heading stages take a
   * written done mark; the others are done through their own boxes or status.
   */
  source?: 'heading' | 'list-item' | 'front-matter';
}

/** A mention of a stage by label and number (`Stage 2`) in prose, diagrams or tables. */
export interface StageMention {
  label: string;
  number: string;
  range: Range;
}

/** An edge of the stage dependency graph: `from` depends on `to`. */
export interface StageDependency {
  from: StageMention;
  to: StageMention;
}

/** The Stage Dependencies section, parsed. */
export interface StageDependencies {
  section: Section | null;
  mentions: StageMention[];
  edges: StageDependency[];
}

/** A row of a `| Stage | Description | Status |` table. */
export interface StatusRow {
  stageNumber: string;
  /** Range of the stage cell content. */
  stageRange: Range;
  description: string;
  status: string;
  /** Range of the status cell content. */
  statusRange: Range;
  mark: Exclude<StageMark, null> | null;
  range: Range;
}

/** A stage status table. */
export interface StatusTable {
  /** The label its stage column names (`Stage`, `Phase`), or null for a `#` column. */
  label: string | null;
  range: Range;
  rows: StatusRow[];
  /** The status words this table uses for done / pending, to write fixes in the table's own style. */
  vocabulary: { done: string | null; pending: string | null; inProgress: string | null };
}

/** Reference forms; resolution and checks live in `workspace/` (references issue). */
export type ReferenceForm = 'path' | 'path-line' | 'path-range' | 'path-anchor-line' | 'link' | 'code-header';

/** A reference to a file (and maybe lines) in the workspace. */
export interface Reference {
  form: ReferenceForm;
  /** Path as written (relative to the doc's workspace folder, or to the doc for links). */
  path: string;
  line: number | null;
  endLine: number | null;
  /** Link fragment (`#heading`) for Markdown links. */
  anchor: string | null;
  /** Range of the whole reference text. */
  range: Range;
  /** The symbol the doc ties to this reference (`FrayContext.run`), when the text names one. */
  symbol: string | null;
  /** Where the reference was found. */
  context: 'code-span' | 'prose' | 'link' | 'code-header' | 'table';
}

/** An inline control comment: `<!-- docplan-disable rule-id -->` and friends. */
export interface ControlComment {
  directive: 'disable' | 'enable' | 'disable-next-line' | 'disable-line';
  /** Rule ids named; empty means all rules. */
  ruleIds: string[];
  range: Range;
}

/** Parsed YAML front matter. */
export interface FrontMatter {
  range: Range;
  /** Parsed mapping, or null when the YAML does not parse to a mapping. */
  data: Record<string, unknown> | null;
  error: string | null;
}

/** Where the profile came from: front matter, a `.docplan.json` pin, or the content's signals. */
export type ProfileSource = 'front-matter' | 'config' | 'content';

/** The model of one document. */
export interface DocModel {
  /** Document text the model was built from. */
  text: string;
  /** Workspace-relative path the model was built for (forward slashes), or null. */
  path?: string | null;
  /** Number of lines (a trailing newline starts an empty last line, as in LSP). */
  lineCount: number;
  kind: DocKind | null;
  kindSource: KindSource | null;
  /** Id of the profile (document family, `profiles/`) that fits the doc best, or null for ordinary Markdown. */
  profile: string | null;
  /**
   * The profiles the doc might be when detection is unsure (the chosen one first; one entry when sure): rules
   * that depend on the profile report only what holds in all of them.
   */
  profileCandidates: string[];
  profileSource: ProfileSource | null;
  /** True when front matter says `docplan: off`. */
  disabled: boolean;
  frontMatter: FrontMatter | null;
  title: Span | null;
  headings: Heading[];
  /** Top-level section tree. */
  sections: Section[];
  goals: { section: Section | null; inline: Span | null; items: ListItem[] } | null;
  nonGoals: { section: Section | null; inline?: Span | null; items: ListItem[] } | null;
  /** Every list item of the document, nested ones included, in document order (for profile rules). */
  items: ListItem[];
  stages: Stage[];
  stageDependencies: StageDependencies;
  statusTables: StatusTable[];
  references: Reference[];
  codeBlocks: CodeBlock[];
  /** Prose text runs (outside code, comments and headings), for placeholder checks. */
  prose: Span[];
  controlComments: ControlComment[];
  /** Problems met while building the model (unparsable front matter, skipped input). */
  notes: string[];
}
