/**
 * The protocol between the DocPlan client and language server beyond standard LSP: custom request and
 * notification names, their parameter and result shapes, setting names and initialization options.
 *
 * This is the ONE module both sides import. It holds types and string constants only (the `import type`
 * below is erased), so the client can import it without pulling in any server code.
 */
import type { Range } from 'vscode-languageserver-types';

/** The kinds of document DocPlan understands (same as the model's `DocKind`). */
export type DocumentKind = 'design' | 'plan' | 'tracker';

/** Where a document's kind came from (same as the model's `KindSource`). */
export type DocumentKindSource = 'front-matter' | 'config' | 'content';

/** Derived state of a stage (same as the model's `StageState`). */
export type StageStateName = 'done' | 'in-progress' | 'not-started';

/** A stage's own status mark (heading marker or status-table row), or null. */
export type StageMarkName = 'done' | 'in-progress' | 'pending' | null;

/** Method names of DocPlan's custom requests and notifications. */
export const Methods = {
  /** Request `DocumentInfoParams` -> `DocumentInfo | null` (null for a document the server does not hold). */
  documentInfo: 'docplan/documentInfo',
  /** Request `StagesParams` -> `StagesResult | null` (null for a document the server does not hold). */
  stages: 'docplan/stages',
  /**
   * Notification server -> client `DocumentCheckedParams`, sent after each (re-)check of a document when the
   * client asked for it with the `documentCheckedNotifications` initialization option. Lets the stage tree
   * and status bar follow edits without polling.
   */
  documentChecked: 'docplan/documentChecked',
  /** Request (no params) -> the server process's `process.memoryUsage()` in bytes; used by `npm run bench`. */
  memoryUsage: 'docplan/memoryUsage',
} as const;

/**
 * The V8 flags every launcher of the language server passes to Node: the VS Code client, the shebang of
 * `bin/docplan-language-server.js`, the tests and the bench. A young generation of 2 MB: the main thread
 * only relays messages and holds documents (checks run on workers, whose limits are set where they start),
 * and a session opening a thousand documents otherwise leaves some 30 MB of idle semispaces resident.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];

/**
 * `workerData.marker` of the language server when the VS Code client starts it as a worker thread: the
 * server then talks over the worker's message port instead of a transport named on the command line.
 */
export const SERVER_WORKER_MARKER = 'docplan-language-server';

/** The worker's counterpart of `SERVER_NODE_FLAGS`: V8's young generation is three semispaces. */
export const SERVER_WORKER_LIMITS: { readonly maxYoungGenerationSizeMb: number } = { maxYoungGenerationSizeMb: 6 };

/** `docplan/documentInfo`: `DocumentInfoParams` -> `DocumentInfo | null`. */
export const DOCUMENT_INFO_METHOD = Methods.documentInfo;
/** `docplan/stages`: `StagesParams` -> `StagesResult | null`. */
export const STAGES_METHOD = Methods.stages;
/** `docplan/documentChecked` (server -> client notification): `DocumentCheckedParams`. */
export const DOCUMENT_CHECKED_METHOD = Methods.documentChecked;

/** Parameters of `docplan/documentInfo`. */
export interface DocumentInfoParams {
  uri: string;
}

/** What the status bar shows for a document. */
export interface DocumentInfo {
  uri: string;
  /** Document version the answer was computed from. */
  version: number;
  /** null: ordinary Markdown (not a DocPlan doc), or not checked (see `skipped`). */
  kind: DocumentKind | null;
  kindSource: DocumentKindSource | null;
  /** Id of the document family profile DocPlan read the doc with (`rfc`, `agent-task-plan`), or null. */
  profile?: string | null;
  /** Human name of that profile ("RFC"), for the status bar. */
  profileTitle?: string | null;
  /** Number of top-level stages (phases); nested steps are not counted. */
  stageCount: number;
  /** Text of the document's title heading, or null. */
  title: string | null;
  /**
   * Why the document is not checked (`docplan.enable` is off, too large, binary, `docplan: off`), or null
   * when it is checked.
   */
  skipped: string | null;
}

/** Parameters of `docplan/stages`. */
export interface StagesParams {
  uri: string;
}

/** A change item of a stage. */
export interface StageChangeNode {
  text: string;
  /** `true` for `[x]`, `false` for `[ ]`, `null` for a plain list item. */
  checked: boolean | null;
  range: Range;
}

/** A validation command of a stage. */
export interface StageCommandNode {
  /** The command line as written (without backticks or prompt). */
  text: string;
  range: Range;
  /** An inline code span in a list item, or a line of a fenced shell block. */
  source: 'inline-code' | 'fence';
  /** `# Expected: ...` annotation following a fenced command, or an `Expected: FAIL` step line, or null. */
  expected: string | null;
  /** The outcome the doc expects: a run that ends this way passes (`fail` for a test-first step). Null: success. */
  expectedOutcome?: 'pass' | 'fail' | null;
  /** `true`/`false` when the command sits in a checklist item, else null. */
  checked: boolean | null;
}

/** One stage (phase, step) of a document, serialisable. */
export interface StageNode {
  /** The word that introduced it: Stage, Phase, Step, Milestone. */
  label: string;
  /** The number as written (`3`, `1.5`). */
  number: string;
  title: string;
  state: StageStateName;
  mark: StageMarkName;
  /** The whole stage, heading to the start of the next one. */
  range: Range;
  /** The heading line. */
  headingRange: Range;
  /** The Validation part, when the stage has one (where a CodeLens goes). */
  validationRange: Range | null;
  /** False for a heading that only groups other stages (a phase holding stages); absent means true. */
  workUnit?: boolean;
  changes: StageChangeNode[];
  commands: StageCommandNode[];
  /** Nested steps. */
  children: StageNode[];
}

/** Result of `docplan/stages`. */
export interface StagesResult {
  uri: string;
  version: number;
  kind: DocumentKind | null;
  /** Id of the profile the doc was read with, or null. */
  profile?: string | null;
  stages: StageNode[];
}

/** Parameters of the `docplan/documentChecked` notification. */
export interface DocumentCheckedParams {
  uri: string;
  version: number;
  kind: DocumentKind | null;
  stageCount: number;
}

/** The configuration section the server reads with `workspace/configuration` (scopeUri = document URI). */
export const CONFIGURATION_SECTION = 'docplan';

/** Full setting names (all `resource` scoped). */
export const Settings = {
  enable: 'docplan.enable',
  checkWorkspace: 'docplan.checkWorkspace',
  rules: 'docplan.rules',
  include: 'docplan.include',
  exclude: 'docplan.exclude',
  requiredSections: 'docplan.requiredSections',
  debounceMs: 'docplan.debounceMs',
  maxFileSizeKb: 'docplan.maxFileSizeKb',
  docsBaseUrl: 'docplan.docsBaseUrl',
} as const;

/** The `docplan` configuration section as the server receives it (every field optional). */
export interface DocPlanSettings {
  enable?: boolean;
  /** Check every DocPlan doc of the folder in the background (default true), not only open ones. */
  checkWorkspace?: boolean;
  /** Rule id -> severity, or `{ severity, ...options }`. */
  rules?: Record<string, string | ({ severity?: string } & Record<string, unknown>)>;
  include?: string[];
  exclude?: string[];
  requiredSections?: Partial<Record<DocumentKind, string[]>>;
  debounceMs?: number;
  maxFileSizeKb?: number;
  /** Base URL of the rule documentation; a diagnostic links to `<base>#<rule-id>`. */
  docsBaseUrl?: string;
}

/** Defaults the server applies for settings that are not set. */
export const SETTING_DEFAULTS = {
  enable: true,
  checkWorkspace: true,
  debounceMs: 200,
  maxFileSizeKb: 5120,
  maxDocMs: 10_000,
} as const;

/** `initializationOptions` the server understands (all optional). */
export interface DocPlanInitializationOptions {
  /** Base URL of the rule documentation (overridden per resource by the `docplan.docsBaseUrl` setting). */
  docsBaseUrl?: string;
  /** Send `docplan/documentChecked` after each check. */
  documentCheckedNotifications?: boolean;
  /**
   * Settings for clients without `workspace/configuration` (the `docplan` section's content); later
   * `workspace/didChangeConfiguration` notifications with `{ settings: { docplan: {...} } }` replace them.
   */
  settings?: DocPlanSettings;
  /**
   * Whether the workspace is trusted (VS Code's Workspace Trust; default true for other clients). Untrusted:
   * git is not run (it reads repository configuration), so `line-drift` and rename detection are off.
   */
  workspaceTrusted?: boolean;
}

/** The command id of the source action that applies every safe fix. */
export const FIX_ALL_KIND = 'source.fixAll.docplan';

/** Characters after which editors should ask the server for completion (paths in backticks, test ids, flags). */
export const COMPLETION_TRIGGERS: readonly string[] = ['`', '/', ':', ' ', '.'];
