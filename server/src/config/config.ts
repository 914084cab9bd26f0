/**
 * DocPlan configuration: defaults, `.docplan.json` (validated with ajv against the contributed JSON schema),
 * and VS Code settings, merged in that order (later wins).
 */
import { lazyValidator } from './ajv';
import schema from '../../../schemas/docplan.schema.json';
import { DEFAULT_SECTION_SYNONYMS } from '../model/vocabulary';
import { LineIndex } from '../model/text';
import type { DocKind, Range, SectionName } from '../model/types';

/** Severity names used in settings and `.docplan.json`. */
export type SeverityName = 'off' | 'hint' | 'info' | 'warning' | 'error';

/** A severity that produces a diagnostic. */
export type ActiveSeverity = Exclude<SeverityName, 'off'>;

export const SEVERITIES: readonly SeverityName[] = ['off', 'hint', 'info', 'warning', 'error'];

/** One rule's configured severity and options. */
export interface RuleSetting {
  severity?: SeverityName;
  options: Record<string, unknown>;
}

/** The configuration every check runs with. */
export interface DocPlanConfig {
  rules: Record<string, RuleSetting>;
  include: string[];
  exclude: string[];
  requiredSections: Record<DocKind, SectionName[]>;
  sectionSynonyms: Record<SectionName, string[]>;
  /** Globs pinned to a profile id (`{ "docs/rfcs/**": "rfc" }`): detection is skipped for those files. */
  profiles: Record<string, string>;
  /** Stages marked done must have a recorded validation run (rule `validation-evidence`). */
  requireValidation: boolean;
}

/** A problem found in a configuration source, to show as a diagnostic on that file or in a log. */
export interface ConfigProblem {
  message: string;
  severity: 'error' | 'warning';
  range: Range | null;
}

/** Sections each kind requires by default, in their conventional order. */
export const DEFAULT_REQUIRED_SECTIONS: Record<DocKind, SectionName[]> = {
  design: ['background', 'current-implementation', 'proposed-design', 'implementation-plan', 'benefits', 'trade-offs', 'future-work'],
  plan: ['background', 'affected-code'],
  tracker: [],
};

/** The configuration with nothing overridden. */
export function defaultConfig(): DocPlanConfig {
  return {
    rules: {},
    include: [],
    exclude: [],
    requiredSections: structuredClone(DEFAULT_REQUIRED_SECTIONS),
    sectionSynonyms: structuredClone(DEFAULT_SECTION_SYNONYMS),
    profiles: {},
    requireValidation: false,
  };
}

/** The shape of `.docplan.json` and of the `docplan.*` VS Code settings (all optional). */
export interface ConfigInput {
  rules?: Record<string, SeverityName | ({ severity?: SeverityName } & Record<string, unknown>)>;
  include?: string[];
  exclude?: string[];
  requiredSections?: Partial<Record<DocKind, SectionName[]>>;
  sectionSynonyms?: Partial<Record<SectionName, string[]>>;
  profiles?: Record<string, string>;
  requireValidation?: boolean;
}

/** Compiled on first use: compiling it costs some 30 ms of every start-up otherwise. */
const configValidator = lazyValidator<ConfigInput>(schema, { allErrors: true, allowUnionTypes: true });

/**
 * Reads a `.docplan.json` text. Returns what could be used and the problems found. A file that does not
 * parse or does not match the schema yields an empty input (defaults are used) and one problem naming why.
 */
export function parseConfigText(text: string, knownRuleIds: ReadonlySet<string>): { input: ConfigInput; problems: ConfigProblem[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { input: {}, problems: [{ message: `.docplan.json is not valid JSON (${message}); using defaults.`, severity: 'error', range: jsonErrorRange(text, message) }] };
  }
  const validate = configValidator();
  if (!validate(data)) {
    const details = (validate.errors ?? []).slice(0, 3).map((error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}`);
    return { input: {}, problems: [{ message: `.docplan.json does not match its schema: ${details.join('; ')}; using defaults.`, severity: 'error', range: null }] };
  }
  return { input: data, problems: unknownRuleProblems(data, knownRuleIds, text) };
}

/** Warnings for rule ids that no rule has (a typo would otherwise silently do nothing). */
export function unknownRuleProblems(input: ConfigInput, knownRuleIds: ReadonlySet<string>, text?: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const id of Object.keys(input.rules ?? {})) {
    if (knownRuleIds.has(id)) continue;
    problems.push({ message: `Unknown rule id "${id}" in DocPlan configuration; it is ignored.`, severity: 'warning', range: text ? findKeyRange(text, id) : null });
  }
  return problems;
}

/** Applies an input on top of a configuration (returns a new configuration). */
export function mergeConfig(base: DocPlanConfig, input: ConfigInput | undefined): DocPlanConfig {
  if (!input) return base;
  const merged: DocPlanConfig = {
    rules: { ...base.rules },
    include: input.include ? [...input.include] : base.include,
    exclude: input.exclude ? [...input.exclude] : base.exclude,
    requiredSections: { ...base.requiredSections },
    sectionSynonyms: { ...base.sectionSynonyms },
    profiles: { ...base.profiles, ...(input.profiles ?? {}) },
    requireValidation: input.requireValidation ?? base.requireValidation,
  };
  for (const [id, value] of Object.entries(input.rules ?? {})) {
    if (typeof value === 'string') {
      merged.rules[id] = { severity: value, options: merged.rules[id]?.options ?? {} };
    } else if (value && typeof value === 'object') {
      const { severity, ...options } = value;
      merged.rules[id] = { severity: severity ?? merged.rules[id]?.severity, options: { ...merged.rules[id]?.options, ...options } };
    }
  }
  for (const [kind, sections] of Object.entries(input.requiredSections ?? {}) as [DocKind, SectionName[] | undefined][]) {
    if (sections) merged.requiredSections[kind] = [...sections];
  }
  for (const [name, words] of Object.entries(input.sectionSynonyms ?? {}) as [SectionName, string[] | undefined][]) {
    if (words) merged.sectionSynonyms[name] = [...(base.sectionSynonyms[name] ?? []), ...words.map((word) => word.toLowerCase())];
  }
  return merged;
}

/** Parses CLI-style overrides: `rule-id=severity`. */
export function parseRuleOverride(text: string): { id: string; severity: SeverityName } | null {
  const match = /^([a-z0-9-]+)[=:](off|hint|info|warning|error)$/.exec(text.trim());
  return match ? { id: match[1], severity: match[2] as SeverityName } : null;
}

function findKeyRange(text: string, key: string): Range | null {
  const at = text.indexOf(JSON.stringify(key));
  if (at < 0) return null;
  return offsetsToRange(text, at, at + key.length + 2);
}

function jsonErrorRange(text: string, message: string): Range | null {
  const position = /position (\d+)/.exec(message);
  if (!position) return null;
  const at = Math.min(Number(position[1]), text.length);
  return offsetsToRange(text, at, Math.min(at + 1, text.length));
}

function offsetsToRange(text: string, start: number, end: number): Range {
  return new LineIndex(text).range(start, end);
}
