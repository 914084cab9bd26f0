/**
 * The parser reads GitHub's tables, task boxes, strikethrough and footnotes, but not literal autolinks:
 * a bare URL or e-mail address stays text (no rule reads an absolute URL), while written links and
 * angle-bracket autolinks are still links.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Nodes } from 'mdast';
import { parseChunkTree, parseMarkdown } from '../../server/src/model/parse';

function typesIn(text: string): string[] {
  const found: string[] = [];
  const walk = (node: Nodes) => {
    found.push(node.type);
    if ('children' in node) for (const child of node.children) walk(child as Nodes);
  };
  walk(parseChunkTree(text));
  return found;
}

describe('Markdown extensions', () => {
  it('leaves bare URLs and e-mail addresses as text', () => {
    const types = typesIn('see www.example.com, https://example.com/a?b=c or me@example.com\n');
    assert.ok(!types.includes('link'), types.join(' '));
    const facts = parseMarkdown('see https://example.com/docs/a.md and www.example.com\n').chunks[0].facts;
    assert.deepEqual(facts.links, []);
    assert.equal(facts.prose.map((span) => span.text).join(''), 'see https://example.com/docs/a.md and www.example.com');
  });

  it('keeps written links and angle-bracket autolinks', () => {
    const facts = parseMarkdown('[plan](docs/plan.md) and <https://example.com/x>\n').chunks[0].facts;
    assert.deepEqual(
      facts.links.map((link) => link.url),
      ['docs/plan.md', 'https://example.com/x'],
    );
  });

  it('reads tables, task boxes, strikethrough and footnotes', () => {
    const types = typesIn('| a | b |\n| --- | --- |\n| 1 | 2 |\n\n- [x] done ~~old~~ [^1]\n\n[^1]: a note\n');
    for (const type of ['table', 'tableCell', 'delete', 'footnoteReference', 'footnoteDefinition']) assert.ok(types.includes(type), `${type} in ${types.join(' ')}`);
    const item = parseMarkdown('- [x] done\n- [ ] open\n').chunks[0].facts.listItems;
    assert.deepEqual(item.map((fact) => fact.checked), [true, false]);
  });
});
