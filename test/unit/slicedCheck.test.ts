// The language server checks documents in slices (rules one at a time, yielding between them): the result
// must be exactly the one-piece check's, on every rule fixture, with and without a workspace folder.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { checkTextPrepared, type CheckOptions } from '../../server/src/check';
import { defaultConfig } from '../../server/src/config/config';
import { checkInSlices } from '../../server/src/lsp/slicedCheck';
import { parseMarkdown } from '../../server/src/model/parse';
import { FolderWorkspace } from '../../server/src/workspace/workspace';
import { largePlan } from '../helpers/largePlan';

const FIXTURES = resolve(__dirname, '..', 'fixtures', 'rules');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

test('the sliced check finds exactly what the one-piece check finds', async () => {
  const files = markdownFiles(FIXTURES);
  assert.ok(files.length > 20, `rule fixtures found: ${files.length}`);
  const workspace = new FolderWorkspace(FIXTURES, { validate: 'stat', git: false });
  let findings = 0;
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    for (const inFolder of [false, true]) {
      const options: CheckOptions = { config: defaultConfig(), path: relative(FIXTURES, path), workspace: inFolder ? workspace.view(path) : null };
      const whole = await checkTextPrepared(text, options);
      const sliced = await checkInSlices(text, options, parseMarkdown(text), () => true);
      assert.deepEqual(sliced?.findings, whole.findings, path);
      assert.deepEqual(sliced?.ruleErrors, whole.ruleErrors, path);
      findings += whole.findings.length;
    }
  }
  assert.ok(findings > 50, `the fixtures have findings to compare: ${findings}`);
});

test('the sliced check stops once its version is superseded', async () => {
  const text = largePlan(32 * 1024);
  let asked = 0;
  const sliced = await checkInSlices(text, { config: defaultConfig(), path: 'docs/plan.md' }, parseMarkdown(text), () => ++asked < 3);
  assert.equal(sliced, null);
  assert.equal(asked, 3);
});
