/**
 * ajv, loaded when a schema is first compiled: evaluating it is a good part of a start-up that needs no
 * schema yet (the language server answering `initialize`, a CLI run over a folder without `.docplan.json`).
 */
import type AjvClass from 'ajv';

/** The Ajv class, required on first use. */
export function loadAjv(): typeof AjvClass {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require('ajv') as { default: typeof AjvClass } | typeof AjvClass;
  return 'default' in loaded ? loaded.default : loaded;
}
