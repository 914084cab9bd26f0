/**
 * Shapes met in the real-docs corpus (test/fixtures/corpus-shapes/<case>/): every Markdown file of a case is
 * checked at its path inside the case folder, with that folder as its workspace. Its findings, from every
 * rule, must be exactly its `<!-- expect: rule-id -->` markers, and the profile `<!-- expect-profile: id -->`
 * names must be among the ones detection found fitting. Each case holds a shape that was misread and a twin that keeps the
 * finding a reader would want.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkTextPrepared } from '../../server/src/check';
import { defaultConfig } from '../../server/src/config/config';
import { FolderWorkspace } from '../../server/src/workspace/workspace';

const ROOT = fileURLToPath(new URL('../fixtures/corpus-shapes/', import.meta.url));

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? markdownFiles(path) : name.endsWith('.md') ? [path] : [];
  });
}

/** `line rule` pairs (0-based lines) of every expect marker, whatever the rule. */
function markers(text: string): string[] {
  return text.split(/\r?\n/).flatMap((line, index) => [...line.matchAll(/<!--\s*expect:\s*([a-z0-9-]+)\s*-->/g)].map((match) => `${index} ${match[1]}`));
}

describe('shapes met in the real-docs corpus', () => {
  const cases = readdirSync(ROOT).filter((name) => statSync(join(ROOT, name)).isDirectory()).sort();
  it('there are cases, each with a doc that marks a finding', () => {
    assert.ok(cases.length > 0);
    for (const name of cases) {
      const texts = markdownFiles(join(ROOT, name)).map((file) => readFileSync(file, 'utf8'));
      assert.ok(texts.some((text) => markers(text).length > 0), `${name} has the twin that keeps a finding`);
    }
  });
  for (const name of cases) {
    const root = join(ROOT, name);
    for (const file of markdownFiles(root)) {
      const path = relative(root, file).split('\\').join('/');
      const text = readFileSync(file, 'utf8');
      it(`${name}/${path}: exactly the marked findings`, async () => {
        const workspace = new FolderWorkspace(root, { validate: 'stat', git: false });
        const result = await checkTextPrepared(text, { config: defaultConfig(), path, workspace: workspace.view(file) });
        assert.deepEqual(result.ruleErrors, []);
        const expectedProfile = /<!--\s*expect-profile:\s*([a-z-]+)\s*-->/.exec(text)?.[1];
        assert.ok(expectedProfile, 'the fixture names its profile');
        // A doc that fits several profiles gets only the findings all of them hold: the named one is among them.
        const model = result.built.model;
        if (expectedProfile === 'none') assert.equal(model.profile, null);
        else assert.ok(model.profileCandidates.includes(expectedProfile), `${expectedProfile} is among ${model.profileCandidates.join(', ')}`);
        const actual = result.findings.map((finding) => `${finding.range.start.line} ${finding.ruleId}`);
        assert.deepEqual([...new Set(actual)].sort(), markers(text).sort());
      });
    }
  }
});
