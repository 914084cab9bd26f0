// Bundles the extension client, the language server and the CLI with esbuild.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { WASM_ASSETS } from '../server/src/workspace/grammars.ts';
import { nodeBundleOptions } from './bundleOptions.ts';

const production = process.argv.includes('--production');
const common = nodeBundleOptions(production);

/**
 * The packages both the language server and the CLI's checker import. They are bundled once, into
 * `dist/libraries.js`, which both bundles require at run time, instead of twice (the package must stay
 * under 2 MB). The client and the parse worker keep their own copies (they load no more than they need).
 */
const SHARED_PACKAGES = [
  'ajv', 'fastest-levenshtein', 'github-slugger', 'ignore', 'mdast-util-gfm-footnote', 'mdast-util-gfm-strikethrough',
  'mdast-util-gfm-table', 'mdast-util-gfm-task-list-item', 'mdast-util-to-string', 'micromark-extension-gfm-footnote',
  'micromark-extension-gfm-strikethrough', 'micromark-extension-gfm-table', 'micromark-extension-gfm-task-list-item',
  'picomatch', 're2js', 'remark-frontmatter', 'remark-parse', 'shell-quote', 'tinyglobby', 'unified', 'web-tree-sitter', 'yaml',
];
const LIBRARIES = './libraries.js';

/** Resolves an import of a shared package to the entry of `dist/libraries.js` that holds it. */
const sharedLibraries = {
  name: 'shared-libraries',
  setup(bundle) {
    const names = new Set(SHARED_PACKAGES);
    bundle.onResolve({ filter: /^[^./]/ }, (args) => (names.has(args.path) ? { path: args.path, namespace: 'shared-library' } : undefined));
    bundle.onResolve({ filter: /^\.\/libraries\.js$/, namespace: 'shared-library' }, () => ({ path: LIBRARIES, external: true }));
    bundle.onLoad({ filter: /.*/, namespace: 'shared-library' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(LIBRARIES)})[${JSON.stringify(args.path)}];`,
      loader: 'js',
    }));
  },
};
/**
 * The language server's entry (`dist/server.js`, serverMain.ts) holds the LSP library and answers `initialize`;
 * the core it then loads (`dist/serverCore.js`) reads that same library from the entry's exports.
 */
const libraryOfEntry = {
  name: 'library-of-entry',
  setup(bundle) {
    bundle.onResolve({ filter: /^vscode-languageserver\/node$/ }, () => ({ path: 'vscode-languageserver/node', namespace: 'library-of-entry' }));
    bundle.onLoad({ filter: /.*/, namespace: 'library-of-entry' }, () => ({ contents: "module.exports = require('./server.js').languageServer;", loader: 'js' }));
    bundle.onResolve({ filter: /^\.\/server\.js$/, namespace: 'library-of-entry' }, () => ({ path: './server.js', external: true }));
  },
};

// Getters: a package is evaluated when a bundle first reads it, so one required only on demand (tree-sitter's
// runtime) costs nothing at start-up.
const librariesEntry = `module.exports = {\n${SHARED_PACKAGES.map((name) => `  get ${JSON.stringify(name)}() { return require(${JSON.stringify(name)}); },`).join('\n')}\n};\n`;

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  build({ ...common, stdin: { contents: librariesEntry, resolveDir: process.cwd(), sourcefile: 'libraries.js' }, outfile: 'dist/libraries.js' }),
  build({ ...common, entryPoints: ['server/src/serverMain.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/serverCore.js', plugins: [sharedLibraries, libraryOfEntry] }),
  // The language server's check worker thread (server/src/lsp/checkPool.ts starts it from beside server.js).
  build({ ...common, entryPoints: ['server/src/lsp/checkWorker.ts'], outfile: 'dist/checkWorker.js', plugins: [sharedLibraries] }),
  // The CLI is two bundles: a light entry that replays an unchanged run, and the full command it loads.
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js' }),
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli-main.js', plugins: [sharedLibraries] }),
]);

// tree-sitter's runtime and grammars are WebAssembly files loaded at run time: ship them beside the bundles.
const require = createRequire(import.meta.url);
mkdirSync('dist/grammars', { recursive: true });
for (const asset of WASM_ASSETS) copyFileSync(require.resolve(asset.specifier), join('dist/grammars', asset.file));
