/**
 * What a checklist item's own words say it does with files: the one reader of "this line creates / deletes
 * / adds a symbol to a file", used by the completion checks (claims/) and by reference resolution
 * (referenceIntent.ts: a file a ticked item claims to create is that item's claim, judged as such).
 *
 * The checkable claims a checklist item's own words make: a file it creates (`Create: \`x\``, "add `x`",
 * "`x` (new file)"), a file it deletes (`Delete: \`x\``, "remove `x`"), a symbol it adds to a file
 * ("add `Client.retry()` to `client.py`"), a test it names ("add test `test_retry` in `tests/test_client.py`").
 * Words that promise nothing checkable ("refactor the parser", "update `x`") make no claim: silence beats a
 * guess. Reads the item's source line only (the model keeps inline code without its backticks).
 */
import { parseReferenceText } from './references';

/** One claim, with the path as written (folder-relative, forward slashes). */
export type Claim =
  | { kind: 'creates'; path: string }
  | { kind: 'deletes'; path: string }
  | { kind: 'defines'; symbol: string; path: string; test: boolean };

/** The box and marker of a task-list line, and the text after it. */
export const TASK_LINE = /^(\s*(?:>\s*)*(?:[-*+]|\d+[.)])\s+\[)([ xX])(\]\s*)(.*)$/;

const CODE = '`([^`\\n]+)`';
const CODE_LIST = `${CODE}(?:\\s*(?:,|and|&)\\s*${CODE})*`;
/** `Create: \`a\`, \`b\`` and friends at the start of an item. */
const LABELLED = new RegExp(`^\\**(Create|Add|New|Delete|Remove)\\**\\s*:\\**\\s*(${CODE_LIST})`, 'i');
/** "add the file `x`", "create `x`", "remove `x`" anywhere in the item. */
const VERB_PATH = new RegExp(`\\b(add|adds|create|creates|introduce|delete|deletes|remove|removes)\\s+(?:(?:a|an|the|new|file|module|script|test file)\\s+)*${CODE}(?!\\s*(?:to|in|into|inside)\\s+\`)`, 'gi');
/** Spec-driven task lists: "T012 [P] [US1] Create the User model in src/models/user.py" (a bare path with a directory). */
const IN_BARE_PATH = /\b(create|creates|add|adds|implement|implements)\b[^`]*?\bin\s+((?:[\w@+.-]+\/)+[\w@+-][\w@+.-]*\.[A-Za-z][A-Za-z0-9]{0,9})(?=[\s,.;:)]|$)/gi;
/** What may follow "add `x`" for it to claim the file itself: the end, punctuation, or a clause about the file. */
const CLAIM_ENDS = /^\s*(?:$|[,.;:)—–]|-\s|\((?:new|created)|(?:with|that|which|for|containing|holding|as|and|exporting|defining)\b)/i;
/** "`x` (new file)". */
const NEW_FILE = new RegExp(`${CODE}\\s*\\((?:new(?: file)?|created)\\)`, 'gi');
/** "add `Symbol` to `path`", "define the test `test_x` in `path`". */
const SYMBOL_IN = new RegExp(
  `\\b(add|adds|define|defines|implement|implements|introduce|write|writes)\\s+(?:(?:a|an|the|new|method|function|class|test|tests|type|struct|helper)\\s+)*${CODE}\\s+(?:to|in|into|inside)\\s+(?:the\\s+file\\s+)?${CODE}`,
  'gi',
);

const IDENTIFIER = /^[A-Za-z_$][\w$]*(?:(?:\.|::|#)[A-Za-z_$][\w$]*)*(?:\(\))?$/;

function pathOf(text: string): string | null {
  const shape = parseReferenceText(text);
  return shape && shape.form === 'path' ? shape.path.replace(/^\.\//, '') : null;
}

function codeSpans(text: string): string[] {
  return [...text.matchAll(/`([^`\n]+)`/g)].map((match) => match[1]);
}

/** The text of a task line after its box, or null when the line is not a task-list item. */
export function taskText(line: string): string | null {
  const match = TASK_LINE.exec(line);
  return match ? match[4] : null;
}

/** Claims made by the Markdown text of an item (the part after its checkbox). */
export function claimsOfText(text: string): Claim[] {
  // Comments are not the item's words (`<!-- owner: ... -->` and the like).
  text = text.replace(/<!--.*?-->/g, '');
  const claims: Claim[] = [];
  const seen = new Set<string>();
  const add = (claim: Claim) => {
    const key = JSON.stringify(claim);
    if (seen.has(key)) return;
    seen.add(key);
    claims.push(claim);
  };
  const symbolSpans = new Set<string>();
  for (const match of text.matchAll(SYMBOL_IN)) {
    const symbol = match[2].trim();
    const path = pathOf(match[3]);
    if (path === null || pathOf(symbol) !== null || !IDENTIFIER.test(symbol)) continue;
    const test = /test/i.test(match[0].slice(0, match[0].indexOf('`'))) || /^(?:test_|Test)/.test(symbol);
    add({ kind: 'defines', symbol: symbol.replace(/\(\)$/, ''), path, test });
    symbolSpans.add(match[3]);
  }
  const labelled = LABELLED.exec(text.replace(/^\s+/, ''));
  if (labelled) {
    const kind = /^(delete|remove)$/i.test(labelled[1]) ? 'deletes' : 'creates';
    for (const span of codeSpans(labelled[2])) {
      const path = pathOf(span);
      if (path !== null) add({ kind, path });
    }
  }
  for (const match of text.matchAll(VERB_PATH)) {
    const path = pathOf(match[2]);
    if (path === null || symbolSpans.has(match[2])) continue;
    // "remove `utils.py` imports", "add `config.toml` to the README": the file is not what is added or removed.
    if (!CLAIM_ENDS.test(text.slice((match.index ?? 0) + match[0].length))) continue;
    add({ kind: /^(delete|remove)/i.test(match[1]) ? 'deletes' : 'creates', path });
  }
  for (const match of text.matchAll(IN_BARE_PATH)) {
    const path = pathOf(match[2].replace(/\.$/, ''));
    if (path !== null) add({ kind: 'creates', path });
  }
  for (const match of text.matchAll(NEW_FILE)) {
    const path = pathOf(match[1]);
    if (path !== null) add({ kind: 'creates', path });
  }
  // A file both created and deleted by one item ("remove `a.py`, add `b.py`" is fine; "create and delete `x`" is not a claim).
  const created = new Set(claims.filter((claim) => claim.kind === 'creates').map((claim) => claim.path));
  return claims.filter((claim) => !(claim.kind === 'deletes' && created.has(claim.path)) && !(claim.kind === 'creates' && claims.some((other) => other.kind === 'deletes' && other.path === claim.path)));
}

/** Every file path an item's code spans name (claims or not), for the git check of "did its files change". */
export function namedPathsOfText(text: string): string[] {
  const paths = new Set<string>();
  for (const span of codeSpans(text)) {
    const shape = parseReferenceText(span);
    if (shape) paths.add(shape.path.replace(/^\.\//, ''));
  }
  return [...paths];
}
