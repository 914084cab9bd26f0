// Bundles the extension client, the language server and the CLI with esbuild.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { WASM_ASSETS } from '../server/src/workspace/grammars.ts';

const production = process.argv.includes('--production');
const common = {
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

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  // The language server's check worker thread (server/src/lsp/checkPool.ts starts it from beside server.js).
  build({ ...common, entryPoints: ['server/src/lsp/checkWorker.ts'], outfile: 'dist/checkWorker.js' }),
  // The CLI is two bundles: a light entry that replays an unchanged run, and the full command it loads.
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js' }),
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli-main.js' }),
]);

// tree-sitter's runtime and grammars are WebAssembly files loaded at run time: ship them beside the bundles.
const require = createRequire(import.meta.url);
mkdirSync('dist/grammars', { recursive: true });
for (const asset of WASM_ASSETS) copyFileSync(require.resolve(asset.specifier), join('dist/grammars', asset.file));
