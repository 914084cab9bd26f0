/**
 * What test discovery finds in one file. Discovery parses test files with tree-sitter (the grammars that
 * `workspace/treeSitter.ts` loads) and never guesses with regexes over the text: when the grammar is not
 * available, or the file does not parse, the result says so (`complete: false`, `notes`) and callers treat
 * a missing name as "unknown", not as "not found".
 */
import type { Node as TsNode } from 'web-tree-sitter';
import type { GrammarId } from '../../workspace/grammars';
import { grammarFor } from '../../workspace/treeSitter';
import type { LinearPattern } from '../patterns';

/** A test (or a Go subtest / node:test subtest under `children`). Lines are 1-based, columns 0-based UTF-16. */
export interface DiscoveredTest {
  /** The test's own name as its runner reports it (`test_add`, `adds numbers`, `TestFoo`, `it_works`). */
  name: string;
  /** Enclosing suites, outermost first: pytest classes, describe blocks, Rust modules inside the file. */
  suites: string[];
  /** pytest parametrize ids (`1-2`, `neg`), literal ones only; null when not parametrized. */
  params: string[] | null;
  /** Some ids, names or children cannot be known without running (non-literal params, `.each`, `${x}`). */
  dynamic: boolean;
  /** For a dynamic name: a linear-time pattern the runtime names match (`.each` placeholders as `.*`), or null. */
  namePattern: LinearPattern | null;
  /** Go: `test` (Test*), `fuzz`, `example`, `benchmark`. Others: `test`. */
  testKind: 'test' | 'fuzz' | 'example' | 'benchmark';
  /** pytest marker names (`@pytest.mark.slow` -> `slow`): `-k` matches them too. */
  markers: string[];
  /** Literal subtests (Go `t.Run("x")`, node:test `t.test("x")`). */
  children: DiscoveredTest[];
  /** The test also creates subtests whose names are not literal. */
  dynamicChildren: boolean;
  line: number;
  column: number;
  endLine: number;
}

/** A suite: a pytest class, a describe block, a Rust module. */
export interface DiscoveredSuite {
  name: string;
  /** Enclosing suites, outermost first. */
  suites: string[];
  dynamic: boolean;
  line: number;
  column: number;
  endLine: number;
  /** Column of the suite's body content (for inserting a stub inside it), or null. */
  bodyIndent: string | null;
}

/** Tests found in one file. */
export interface FileTests {
  ok: true;
  language: GrammarId;
  /** FileCache signature of the text discovered. */
  signature: string;
  tests: DiscoveredTest[];
  suites: DiscoveredSuite[];
  /** False when the list may miss tests (syntax errors, grammar unavailable, parse gave up). */
  complete: boolean;
  /** Why the list may be incomplete, for hovers and logs. */
  notes: string[];
  /** Go package clause, Python module, etc., when the language has one. */
  packageName: string | null;
  /** Names the file imports from its test framework (`vitest`, `node:test`), for stubs. */
  imports: { source: string; names: string[] }[];
}

/** Parses `text` with a loaded grammar. Used by each language's discovery. */
export type Discover = (root: TsNode, text: string) => Omit<FileTests, 'ok' | 'language' | 'signature' | 'complete' | 'notes'> & { notes?: string[] };

const PARSE_BUDGET_MS = 1500;

/**
 * Runs `discover` over `text` parsed with `grammar`. Returns `undefined` while the grammar is still
 * loading (loading starts); a degraded result (no tests, `complete: false`) when it is unavailable.
 */
export function discoverWith(grammar: GrammarId, text: string, signature: string, discover: Discover): FileTests | undefined {
  const loaded = grammarFor(grammar);
  if (loaded === undefined) return undefined;
  const empty = (note: string): FileTests => ({ ok: true, language: grammar, signature, tests: [], suites: [], complete: false, notes: [note], packageName: null, imports: [] });
  if ('failure' in loaded) return empty(`${loaded.failure}; tests in this file are not known`);
  const { parser, language } = loaded;
  parser.setLanguage(language);
  const deadline = performance.now() + PARSE_BUDGET_MS;
  const progressCallback = (() => performance.now() > deadline) as unknown as (state: unknown) => void;
  let tree;
  try {
    tree = parser.parse(text, null, { progressCallback });
  } catch (error) {
    parser.reset();
    return empty(`parsing failed (${error instanceof Error ? error.message : String(error)}); tests in this file are not known`);
  }
  if (!tree) {
    parser.reset();
    return empty(`parsing gave up after ${PARSE_BUDGET_MS} ms; tests in this file are not known`);
  }
  try {
    const root = tree.rootNode;
    const found = discover(root, text);
    const notes = [...(found.notes ?? [])];
    let complete = true;
    if (root.hasError) {
      complete = false;
      notes.push(`the file has syntax errors (first near line ${firstErrorLine(root)}); tests after it may be missed`);
    }
    return { ok: true, language: grammar, signature, tests: found.tests, suites: found.suites, complete, notes, packageName: found.packageName, imports: found.imports };
  } catch (error) {
    return empty(`test discovery failed (${error instanceof Error ? error.message : String(error)})`);
  } finally {
    tree.delete();
  }
}

function firstErrorLine(root: TsNode): number {
  const stack: TsNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.isError || node.isMissing) return node.startPosition.row + 1;
    if (!node.hasError) continue;
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child) stack.push(child);
    }
  }
  return root.startPosition.row + 1;
}

/** A test record with defaults. */
export function makeTest(name: string, node: TsNode, suites: string[], extra: Partial<DiscoveredTest> = {}): DiscoveredTest {
  return {
    name,
    suites,
    params: null,
    dynamic: false,
    namePattern: null,
    testKind: 'test',
    markers: [],
    children: [],
    dynamicChildren: false,
    line: node.startPosition.row + 1,
    column: node.startPosition.column,
    endLine: node.endPosition.row + 1,
    ...extra,
  };
}

/** The value of a string literal node, or null when it is not a plain literal (interpolation, concatenation). */
export function stringValue(node: TsNode | null | undefined): string | null {
  if (!node) return null;
  switch (node.type) {
    case 'string': {
      // Python: string_start, string_content, escape_sequence, interpolation, string_end.
      // JavaScript: '"', string_fragment, escape_sequence, '"'.
      let out = '';
      let raw = false;
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (child.type === 'string_content') out += raw ? child.text : child.text.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)/gs, (sequence) => unescape(sequence));
        else if (child.type === 'string_fragment') out += child.text;
        else if (child.type === 'escape_sequence') out += unescape(child.text);
        else if (child.type === 'string_start' || child.type === 'string_end') {
          if (/^[a-zA-Z]*[fF]/.test(child.text)) return null;
          if (/^[a-zA-Z]*[rR]/.test(child.text)) raw = true;
          continue;
        } else return null;
      }
      return out;
    }
    case 'template_string': {
      let out = '';
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (child.type === 'string_fragment') out += child.text;
        else if (child.type === 'escape_sequence') out += unescape(child.text);
        else return null;
      }
      // tree-sitter-javascript may not expose fragments for a plain template: fall back on the raw text.
      if (node.namedChildren.length === 0) return node.text.slice(1, -1);
      return out;
    }
    case 'interpreted_string_literal': {
      let out = '';
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (child.type === 'interpreted_string_literal_content') out += child.text;
        else if (child.type === 'escape_sequence') out += unescape(child.text);
        else return null;
      }
      return out;
    }
    case 'raw_string_literal':
      return node.text.slice(1, -1);
    case 'concatenated_string': {
      let out = '';
      for (const child of node.namedChildren) {
        const part = stringValue(child);
        if (part === null) return null;
        out += part;
      }
      return out;
    }
    default:
      return null;
  }
}

function unescape(sequence: string): string {
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '`': '`', '0': '\0', $: '$' };
  const c = sequence.slice(1);
  if (c in simple) return simple[c];
  if (/^x[0-9a-fA-F]{2}$/.test(c) || /^u[0-9a-fA-F]{4}$/.test(c)) return String.fromCharCode(parseInt(c.slice(1), 16));
  if (/^u\{[0-9a-fA-F]+\}$/.test(c)) return String.fromCodePoint(parseInt(c.slice(2, -1), 16));
  return c;
}
