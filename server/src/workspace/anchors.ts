/**
 * Heading anchors the way GitHub makes them, through `github-slugger` (the library GitHub's own renderer
 * follows): the heading's rendered text (code spans keep their content verbatim, `__init__` included;
 * emphasis and link syntax go), lower-cased, punctuation and emoji dropped, spaces to dashes, and `-1`, `-2`
 * for repeats. Explicit `<a id>` / `<a name>` anchors count too.
 */
import GithubSlugger from 'github-slugger';

/** GitHub's slug of one heading's plain text, ignoring repeats. */
export function headingSlug(text: string): string {
  return new GithubSlugger().slug(text);
}

/** The rendered text of a heading's inline Markdown: code spans verbatim, emphasis, links and HTML removed. */
export function plainHeading(text: string): string {
  const codes: string[] = [];
  const masked = text.replace(/(`+)([^`]|[^`][^]*?[^`])\1(?!`)/g, (_whole, _ticks: string, inner: string) => {
    codes.push(inner.trim() === '' ? inner : inner.replace(/^ (.*) $/, '$1'));
    return `\uE000${codes.length - 1}\uE000`;
  });
  const plain = masked
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/!?\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/(\*\*|__|\*|_|~~)(?=\S)([^]*?\S)\1/g, (whole, mark: string, inner: string, offset: number, all: string) => {
      // `snake_case_words` are not emphasis: an underscore run needs a non-word character outside it.
      if (mark.startsWith('_') && (/\w/.test(all[offset - 1] ?? '') || /\w/.test(all[offset + whole.length] ?? ''))) return whole;
      return inner;
    });
  return plain.replace(/\uE000(\d+)\uE000/g, (_whole, index: string) => codes[Number(index)]);
}

/** Lower-cases and percent-decodes an anchor as written in a link. */
export function normalizeAnchor(anchor: string): string {
  let decoded = anchor;
  try {
    decoded = decodeURIComponent(anchor);
  } catch {
    // keep as written
  }
  return decoded.toLowerCase();
}

/**
 * Slugs of headings in document order, repeats numbered as GitHub numbers them, plus explicit anchors.
 * `rendered`: the texts are already plain (the model's headings), not Markdown source.
 */
export function slugSet(headingTexts: readonly string[], explicit: readonly string[] = [], rendered = false): Set<string> {
  const slugger = new GithubSlugger();
  const out = new Set<string>(explicit.map((anchor) => anchor.toLowerCase()));
  for (const text of headingTexts) out.add(slugger.slug(rendered ? text : plainHeading(text)));
  return out;
}

const EXPLICIT_ANCHOR = /<a\s[^>]*(?:name|id)\s*=\s*["']([^"']+)["']/gi;

/** Explicit `<a id="x">` / `<a name="x">` anchors in a text. */
export function explicitAnchors(text: string): string[] {
  return [...text.matchAll(EXPLICIT_ANCHOR)].map((match) => match[1]);
}

/** Anchors of a Markdown file's headings (ATX and setext, outside fences) and explicit `id`/`name` anchors. */
export function anchorsOfMarkdown(fileLines: readonly string[]): Set<string> {
  const headings: string[] = [];
  const explicit: string[] = [];
  let fence: string | null = null;
  for (let i = 0; i < fileLines.length; i++) {
    const line = fileLines[i];
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      if (fence === null) fence = fenceMatch[1][0].repeat(fenceMatch[1].length);
      else if (fenceMatch[1].startsWith(fence)) fence = null;
      continue;
    }
    if (fence !== null) continue;
    explicit.push(...explicitAnchors(line));
    const atx = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (atx) {
      headings.push(atx[1]);
      continue;
    }
    const next = fileLines[i + 1];
    if (next !== undefined && line.trim() !== '' && /^\s{0,3}(?:=+|-+)\s*$/.test(next) && !/^\s*(?:[-*+]\s|\d+[.)]\s|>|\|)/.test(line)) {
      headings.push(line.trim());
      i++;
    }
  }
  return slugSet(headings, explicit);
}

/** An anchor of the set close to `anchor` (one contains the other), as " Did you mean #x?", or ''. */
export function suggestAnchor(anchors: ReadonlySet<string>, anchor: string): string {
  const wanted = normalizeAnchor(anchor);
  if (wanted === '') return '';
  const close = [...anchors].find((candidate) => candidate !== '' && (candidate.includes(wanted) || wanted.includes(candidate)));
  return close ? ` Did you mean #${close}?` : '';
}
