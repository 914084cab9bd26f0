/** Loading `.docplan.json` from a workspace folder (shared by the language server and the CLI). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_IDS } from '../rules/index';
import { defaultConfig, mergeConfig, parseConfigText, unknownRuleProblems, type ConfigInput, type ConfigProblem, type DocPlanConfig } from './config';

/** Name of the configuration file at a workspace folder's root. */
export const CONFIG_FILE_NAME = '.docplan.json';

/** A folder's configuration file, read and validated. */
export interface LoadedConfigFile {
  /** Absolute path of the file (whether or not it exists). */
  path: string;
  exists: boolean;
  input: ConfigInput;
  problems: ConfigProblem[];
}

/** Reads `<folder>/.docplan.json`. A missing file is not a problem; an unreadable or invalid one is. */
export function readConfigFile(folder: string): LoadedConfigFile {
  const path = join(folder, CONFIG_FILE_NAME);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { path, exists: false, input: {}, problems: [] };
    return { path, exists: true, input: {}, problems: [{ message: `Cannot read ${CONFIG_FILE_NAME}: ${(error as Error).message}; using defaults.`, severity: 'error', range: null }] };
  }
  return { path, exists: true, ...parseConfigText(text, RULE_IDS) };
}

/**
 * The configuration for a folder: defaults, then `.docplan.json`, then overrides (VS Code settings or CLI
 * flags). Unknown rule ids in the overrides are reported too.
 */
export function resolveConfig(file: LoadedConfigFile | null, overrides?: ConfigInput): { config: DocPlanConfig; problems: ConfigProblem[] } {
  const problems = [...(file?.problems ?? [])];
  if (overrides) problems.push(...unknownRuleProblems(overrides, RULE_IDS));
  return { config: mergeConfig(mergeConfig(defaultConfig(), file?.input), overrides), problems };
}
