/** Where each rule's explanation lives: the README shipped with DocPlan, one heading per rule id. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

let cached: string | null | undefined;

/**
 * The file URI of DocPlan's own README.md, found by walking up from this module (the bundle in `dist/`, or
 * the source file under tests) to the package root. Null when it cannot be found.
 */
export function packageReadmeUri(): string | null {
  if (cached !== undefined) return cached;
  cached = null;
  for (let dir = __dirname, i = 0; i < 6; dir = dirname(dir), i++) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    try {
      if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name !== 'docplan') continue;
    } catch {
      continue;
    }
    const readme = join(dir, 'README.md');
    if (existsSync(readme)) cached = pathToFileURL(readme).href;
    break;
  }
  return cached;
}

/** The link to a rule's paragraph: `<docs base>#<rule-id>`. */
export function ruleDocsHref(docsBase: string, ruleId: string): string {
  const hash = docsBase.indexOf('#');
  return `${hash < 0 ? docsBase : docsBase.slice(0, hash)}#${ruleId}`;
}
