// The `docplan` settings section as the server reads it: `maxDocMs` feeds the per-document time budget, with
// the same default as the CLI's --max-doc-ms and the package's contributed setting.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_MAX_DOC_MS } from '../../server/src/check';
import { parseSettings } from '../../server/src/settings';

const contributed = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default?: unknown; minimum?: number; maximum?: number }> } };
}).contributes.configuration.properties;

test('docplan.maxDocMs defaults to the CLI budget, as the package contributes it', () => {
  assert.equal(parseSettings(undefined).maxDocMs, DEFAULT_MAX_DOC_MS);
  assert.equal(contributed['docplan.maxDocMs']?.default, DEFAULT_MAX_DOC_MS);
});

test('docplan.maxDocMs takes a number in range, and says why it ignores anything else', () => {
  assert.equal(parseSettings({ maxDocMs: 2500 }).maxDocMs, 2500);
  const wrong = parseSettings({ maxDocMs: 'fast' });
  assert.equal(wrong.maxDocMs, DEFAULT_MAX_DOC_MS);
  assert.ok(wrong.problems.some((problem) => problem.includes('maxDocMs')), wrong.problems.join('\n'));
  // Out of range: clamped to the bounds the package declares.
  assert.equal(parseSettings({ maxDocMs: 1 }).maxDocMs, contributed['docplan.maxDocMs']?.minimum);
  assert.equal(parseSettings({ maxDocMs: 1e9 }).maxDocMs, contributed['docplan.maxDocMs']?.maximum);
});
