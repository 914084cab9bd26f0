/**
 * The parser skips GFM's literal-autolink pass on text that holds none of `www`, `http`, `@` or `&`; that
 * may never change the tree. Generated Markdown mixing links, code, references, e-mail-like and URL-like
 * text (among them the shapes only that pass links: escapes and character references that spell a literal
 * autolink the source does not show): the gated parse equals the full pipeline's, node for node.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseChunkTree, parseMdast } from '../../server/src/model/parse';

const PIECES = [
  'plain words', 'see www.example.com', 'WWW.Example.org/path', 'https://example.com/a?b=c', 'HTTP://X.Y', 'http\\://a.b', 'www\\.a.b',
  'mail me@example.com', 'mailto:a@b.co', 'xmpp:a@b.co/r', 'a &amp; b', '&#64;', 'www&period;a.b', '`code www.a.b`', '[link](https://a.b)',
  '<https://a.b>', 'a&#64;b.co', 'a\\_b@c.co', 'x`y`www.c.d', '**bold**', '_em_', '~~gone~~', 'src/app.ts:12', 'example.com', 'user at host dot com', '\\@', 'ftp://a.b', '[^1]',
];
/**
 * Half the documents draw only on pieces that show no literal autolink in the source (character references
 * that spell one included), so that the gated path, and its edge, are well exercised.
 */
const UNTRIGGERED = PIECES.filter((piece) => !/@|www|http/i.test(piece));

const blockOf = (pieces: readonly string[]) => {
  const line = fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 5 }).map((parts) => parts.join(' '));
  return fc.oneof(
  line,
  line.map((text) => `# ${text}`),
  fc.array(line, { minLength: 1, maxLength: 3 }).map((items) => items.map((item) => `- [ ] ${item}`).join('\n')),
  fc.tuple(line, line).map(([a, b]) => `| ${a} | x |\n| --- | --- |\n| ${b} | y |`),
  line.map((text) => `> ${text}`),
  line.map((text) => `\`\`\`\n${text}\n\`\`\``),
    fc.constant('[^1]: a note'),
  );
};
const markdown = fc
  .oneof(fc.array(blockOf(PIECES), { minLength: 1, maxLength: 6 }), fc.array(blockOf(UNTRIGGERED), { minLength: 1, maxLength: 6 }))
  .map((blocks) => blocks.join('\n\n') + '\n');

describe('literal-autolink gate', () => {
  it('the gated parse gives the full pipeline\'s tree (property)', () => {
    let gated = 0;
    fc.assert(
      fc.property(markdown, (text) => {
        if (!/[@&]|www|http/i.test(text)) gated++;
        assert.deepEqual(parseChunkTree(text), parseMdast(text));
      }),
      { numRuns: 150, seed: 7 },
    );
    assert.ok(gated > 10, `only ${gated} texts took the gated path`);
  });

  it('the gate keeps a literal autolink where one stands', () => {
    const tree = parseChunkTree('mail me@example.com or see www.example.com\n');
    const links = JSON.stringify(tree).match(/"type":"link"/g) ?? [];
    assert.equal(links.length, 2);
  });
});
