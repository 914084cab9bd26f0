/**
 * The options of `docplan check`, shared by the full command (cli/main.ts) and the light replay entry
 * (cli/replay.ts), which must read a command line exactly as the full command does.
 */
import type { ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** `docplan check` options for node:util parseArgs. */
export const CHECK_OPTIONS = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  fix: { type: 'boolean' },
  rule: { type: 'string', multiple: true },
  config: { type: 'string', short: 'c' },
  root: { type: 'string' },
  'max-warnings': { type: 'string' },
  'max-file-size': { type: 'string' },
  'max-doc-ms': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  cache: { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  'cache-location': { type: 'string' },
  threads: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;
