/**
 * Fixture documents for the rule tests (tier 1 and 2): `test/fixtures/rules/<rule-id>/` holds
 * `fires*.md` (expected diagnostics marked inline), `silent.md` (a correct doc of the kind) and
 * `ordinary.md` (ordinary Markdown that must get nothing at all).
 *
 * A marker `<!-- expect: rule-id -->` at the end of a line says that a diagnostic of that rule starts on that line.
 */
import { readdirSync, readFileSync } from 'node:fs';

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
    for (const name of readdirSync(new URL(`${ruleId}/`, RULE_FIXTURES)).sort()) {
      if (!name.endsWith('.md')) continue;
      const kind = name.startsWith('fires') ? 'fires' : name === 'silent.md' ? 'silent' : name === 'ordinary.md' ? 'ordinary' : null;
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
