/**
 * The `docplan` settings section as the language server receives it (from `workspace/configuration`, the
 * initialization options or `didChangeConfiguration`), sanitised into typed values and a `ConfigInput` that
 * `resolveConfig` merges over the folder's `.docplan.json`. Pure: no LSP connection here.
 */
import { SEVERITIES, type ConfigInput, type SeverityName } from './config/config';
import { DEFAULT_SECTION_SYNONYMS } from './model/vocabulary';
import type { DocKind, SectionName } from './model/types';
import { SETTING_DEFAULTS } from './protocol';

/** Settings after validation, with defaults applied. */
export interface ServerSettings {
  enable: boolean;
  /** Check every DocPlan doc of the folder in the background, not only open ones. */
  checkWorkspace: boolean;
  debounceMs: number;
  maxFileSizeKb: number;
  /** Time budget for checking one document (ms); what is left when it runs out is skipped and said so. */
  maxDocMs: number;
  /** Base of rule documentation links, or null for the built-in default. */
  docsBaseUrl: string | null;
  /** What the settings override in the folder's configuration. */
  overrides: ConfigInput;
  /** Values that were ignored, one line each, for the server log. */
  problems: string[];
}

const KINDS: readonly DocKind[] = ['design', 'plan', 'tracker'];
const SECTION_NAMES = new Set(Object.keys(DEFAULT_SECTION_SYNONYMS));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSeverity(value: unknown): value is SeverityName {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

function stringList(value: unknown, name: string, problems: string[]): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    problems.push(`Setting docplan.${name} must be a list of strings; ignored.`);
    return undefined;
  }
  // An empty list is what an unset setting reads as: it must not hide the folder's .docplan.json.
  return value.length > 0 ? [...value] : undefined;
}

function boundedNumber(value: unknown, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    problems.push(`Setting docplan.${name} must be a number; using ${fallback}.`);
    return fallback;
  }
  return Math.min(max, Math.max(min, value));
}

/** Validates a raw `docplan` section. Never throws; anything unusable is dropped and named in `problems`. */
export function parseSettings(raw: unknown): ServerSettings {
  const problems: string[] = [];
  const section = isRecord(raw) ? raw : {};
  if (raw !== undefined && raw !== null && !isRecord(raw)) problems.push('The docplan settings section is not an object; using defaults.');

  const overrides: ConfigInput = {};
  if (section.rules !== undefined && section.rules !== null) {
    if (!isRecord(section.rules)) {
      problems.push('Setting docplan.rules must be an object of rule id -> severity; ignored.');
    } else {
      const rules: NonNullable<ConfigInput['rules']> = {};
      for (const [id, value] of Object.entries(section.rules)) {
        if (isSeverity(value)) rules[id] = value;
        else if (isRecord(value) && (value.severity === undefined || isSeverity(value.severity))) rules[id] = { ...value } as { severity?: SeverityName };
        else problems.push(`Setting docplan.rules["${id}"] must be one of ${SEVERITIES.join(', ')} or an object with a valid severity; ignored.`);
      }
      if (Object.keys(rules).length > 0) overrides.rules = rules;
    }
  }
  const include = stringList(section.include, 'include', problems);
  if (include) overrides.include = include;
  const exclude = stringList(section.exclude, 'exclude', problems);
  if (exclude) overrides.exclude = exclude;
  if (section.requiredSections !== undefined && section.requiredSections !== null) {
    if (!isRecord(section.requiredSections)) {
      problems.push('Setting docplan.requiredSections must be an object of kind -> section names; ignored.');
    } else {
      const required: NonNullable<ConfigInput['requiredSections']> = {};
      for (const [kind, value] of Object.entries(section.requiredSections)) {
        if (!(KINDS as readonly string[]).includes(kind) || !Array.isArray(value)) {
          problems.push(`Setting docplan.requiredSections["${kind}"] is not a known kind with a list of sections; ignored.`);
          continue;
        }
        const names = value.filter((name): name is SectionName => typeof name === 'string' && SECTION_NAMES.has(name));
        if (names.length !== value.length) problems.push(`Setting docplan.requiredSections["${kind}"] names unknown sections; they are ignored.`);
        required[kind as DocKind] = names;
      }
      if (Object.keys(required).length > 0) overrides.requiredSections = required;
    }
  }

  let enable: boolean = SETTING_DEFAULTS.enable;
  if (typeof section.enable === 'boolean') enable = section.enable;
  else if (section.enable !== undefined && section.enable !== null) problems.push('Setting docplan.enable must be true or false; using true.');

  let checkWorkspace: boolean = SETTING_DEFAULTS.checkWorkspace;
  if (typeof section.checkWorkspace === 'boolean') checkWorkspace = section.checkWorkspace;
  else if (section.checkWorkspace !== undefined && section.checkWorkspace !== null) problems.push('Setting docplan.checkWorkspace must be true or false; using true.');

  let docsBaseUrl: string | null = null;
  if (typeof section.docsBaseUrl === 'string' && section.docsBaseUrl.trim() !== '') docsBaseUrl = section.docsBaseUrl.trim();
  else if (section.docsBaseUrl !== undefined && section.docsBaseUrl !== null && section.docsBaseUrl !== '') problems.push('Setting docplan.docsBaseUrl must be a URL string; ignored.');

  return {
    enable,
    checkWorkspace,
    debounceMs: boundedNumber(section.debounceMs, 'debounceMs', SETTING_DEFAULTS.debounceMs, 0, 10_000, problems),
    maxFileSizeKb: boundedNumber(section.maxFileSizeKb, 'maxFileSizeKb', SETTING_DEFAULTS.maxFileSizeKb, 1, 1_048_576, problems),
    maxDocMs: boundedNumber(section.maxDocMs, 'maxDocMs', SETTING_DEFAULTS.maxDocMs, 100, 600_000, problems),
    docsBaseUrl,
    overrides,
    problems,
  };
}
