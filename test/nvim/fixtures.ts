// Writes the workspace of the Neovim tier into the folder given as the first argument: a folder
// configuration, a small plan with a reference to hover and a missing Goals section to fix, the file it
// references, a 512 KB plan to keep the server busy, and a plan opened while it is checked.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { largePlan } from '../helpers/largePlan';
import { CONFIG, PLAN } from '../helpers/serverFixtures';

const root = process.argv[2];
if (!root) throw new Error('usage: fixtures.ts <folder>');
const files: Record<string, string> = {
  '.docplan.json': CONFIG,
  'docs/plan.md': PLAN.replace('Widgets are slow to render.', 'Widgets are slow to render; see `src/cache.ts`.'),
  'docs/large.md': largePlan(512 * 1024),
  'docs/late.md': PLAN.replace('Widgets are slow to render.', 'Widgets are slow to render; see `src/cache.ts`.'),
  'src/cache.ts': 'export class Cache {}\n',
};
for (const [relative, text] of Object.entries(files)) {
  mkdirSync(dirname(join(root, relative)), { recursive: true });
  writeFileSync(join(root, relative), text);
}
