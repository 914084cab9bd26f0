/**
 * esbuild's options for a Node bundle of DocPlan, shared by `scripts/build.mjs` (every bundle) and the
 * bench's floor process (`bench/treeBench.ts`), so that the bench times code bundled as the CLI is.
 */
import type { BuildOptions } from 'esbuild';

/** A CommonJS Node 20 bundle; `production` minifies and drops source maps. */
export function nodeBundleOptions(production: boolean): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    // Some dependencies ship ESM that reads import.meta.url (tinyglobby's createRequire); in a CommonJS
    // bundle that is undefined, so give it the bundle's own file URL.
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  };
}
