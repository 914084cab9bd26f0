// Compiles the real-VS-Code suite (test/e2e/suite/*.ts) to out/e2e/suite/*.js for the extension host.
// Each file is bundled on its own as CommonJS, because VS Code require()s extensionTestsPath.
// `vscode` is provided by the extension host. `mocha` stays external so that index.js and the test
// files share one instance (the tdd globals come from it); it resolves through the ordinary
// node_modules lookup from out/e2e/suite/ to the repository's devDependency.
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const suiteDir = join(repoRoot, 'test', 'e2e', 'suite');
const outDir = join(repoRoot, 'out', 'e2e', 'suite');

const entryPoints = readdirSync(suiteDir)
  .filter((name) => name === 'index.ts' || name.endsWith('.test.ts'))
  .map((name) => join(suiteDir, name));

// Start clean so a deleted test's stale .js is not picked up by the suite.
rmSync(outDir, { recursive: true, force: true });
await build({
  entryPoints,
  outdir: outDir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
console.log(`[e2e build] ${entryPoints.length} files -> ${relative(repoRoot, outDir)}/`);
