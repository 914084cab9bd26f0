/**
 * Fixture documents for the rule tests (tier 1 and 2): `test/fixtures/rules/<rule-id>/` holds
 * `fires*.md` (expected diagnostics marked inline), `silent.md` (a correct doc of the kind) and
 * `ordinary.md` (ordinary Markdown that must get nothing at all).
 *
 * A marker `<!-- expect: rule-id -->` at the end of a line says that a diagnostic of that rule starts on that line.
 */
import { git } from '../helpers/git';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkText, checkTextPrepared, type CheckedDocument } from '../../server/src/check';
import { defaultConfig, type DocPlanConfig } from '../../server/src/config/config';
import { FolderWorkspace } from '../../server/src/workspace/workspace';

export const RULE_FIXTURES = new URL('../fixtures/rules/', import.meta.url);

export interface RuleFixture {
  ruleId: string;
  name: string;
  kind: 'fires' | 'silent' | 'ordinary';
  text: string;
}

/** Every fixture file, grouped by the rule folder it lives in. */
export function ruleFixtures(): RuleFixture[] {
  const fixtures: RuleFixture[] = [];
  for (const ruleId of readdirSync(RULE_FIXTURES).sort()) {
    // In a workspace folder, other Markdown files are the fixtures' siblings (requirements.md beside tasks).
    const isWorkspace = existsSync(new URL(`${ruleId}/.workspace`, RULE_FIXTURES));
    for (const name of readdirSync(new URL(`${ruleId}/`, RULE_FIXTURES)).sort()) {
      if (!name.endsWith('.md')) continue;
      const kind = name.startsWith('fires') ? 'fires' : name === 'silent.md' ? 'silent' : name === 'ordinary.md' ? 'ordinary' : null;
      if (kind === null && isWorkspace && !name.startsWith('fires') && !name.startsWith('silent')) continue;
      if (kind === null) throw new Error(`unexpected fixture name ${ruleId}/${name}`);
      fixtures.push({ ruleId, name, kind, text: readFileSync(new URL(`${ruleId}/${name}`, RULE_FIXTURES), 'utf8') });
    }
  }
  return fixtures;
}

/** `line ruleId` pairs (0-based lines) from the inline expect markers. */
export function expectedMarkers(text: string, ruleId: string): Set<string> {
  const expected = new Set<string>();
  text.split(/\r?\n/).forEach((line, index) => {
    for (const match of line.matchAll(/<!--\s*expect:\s*([a-z0-9-]+)\s*-->/g)) {
      if (match[1] === ruleId) expected.add(`${index} ${ruleId}`);
    }
  });
  return expected;
}

/**
 * Fixture folders that hold a `.workspace` file are checked as a workspace folder (their own directory, so
 * references such as `src/x.py:3` resolve against files next to the fixtures), through `checkTextPrepared`.
 * A `.git-before/` directory inside such a folder makes it a git repository: the folder is copied to a temp
 * directory, `.git-before/` is laid over it and everything is committed, then the current files are put
 * back, uncommitted (what line drift compares). Other folders are checked without a workspace.
 */
const preparedRoots = new Map<string, string>();

function fixtureRoot(ruleId: string): string | null {
  const dir = fileURLToPath(new URL(`${ruleId}/`, RULE_FIXTURES));
  if (!existsSync(join(dir, '.workspace'))) return null;
  if (!existsSync(join(dir, '.git-before'))) return dir;
  const cached = preparedRoots.get(ruleId);
  if (cached) return cached;
  const root = mkdtempSync(join(tmpdir(), `docplan-fixture-${ruleId}-`));
  cpSync(dir, root, { recursive: true, filter: (source) => !source.includes(`${sep}.git-before`) });
  const run = (...args: string[]) => git(root, ...args);
  const current = mkdtempSync(join(tmpdir(), 'docplan-fixture-current-'));
  cpSync(root, current, { recursive: true });
  cpSync(join(dir, '.git-before'), root, { recursive: true });
  run('init', '-q');
  run('add', '-A');
  run('commit', '-q', '-m', 'fixture: as the doc was written');
  cpSync(current, root, { recursive: true });
  rmSync(current, { recursive: true, force: true });
  preparedRoots.set(ruleId, root);
  process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  return root;
}

/** Checks a fixture the way its folder asks: with its workspace (prepared) or without one. */
export async function checkFixture(fixture: RuleFixture, config: DocPlanConfig = defaultConfig()): Promise<CheckedDocument> {
  const root = fixtureRoot(fixture.ruleId);
  if (root === null) return checkText(fixture.text, { config, path: null });
  const workspace = new FolderWorkspace(root, { validate: 'stat', git: true });
  return checkTextPrepared(fixture.text, { config, path: fixture.name, workspace: workspace.view(join(root, fixture.name)) });
}
