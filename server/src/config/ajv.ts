/**
 * ajv, loaded when a schema is first compiled: evaluating it is a good part of a start-up that needs no
 * schema yet (the language server answering `initialize`, a CLI run over a folder without `.docplan.json`).
 */
import type AjvClass from 'ajv';
import type { Options, ValidateFunction } from 'ajv';

/** A validator of `schema` that loads ajv and compiles the schema on its first call. */
export function lazyValidator<T>(schema: object, options: Options): () => ValidateFunction<T> {
  let validator: ValidateFunction<T> | null = null;
  return () => {
    if (validator === null) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const loaded = require('ajv') as { default: typeof AjvClass } | typeof AjvClass;
      const Ajv = 'default' in loaded ? loaded.default : loaded;
      validator = new Ajv(options).compile<T>(schema);
    }
    return validator;
  };
}
