/**
 * JavaScript/TypeScript test discovery for jest, vitest, mocha and node:test, with tree-sitter: `describe`
 * / `context` / `suite` blocks nest, `it` / `test` / `specify` are tests, with their modifiers (`.only`,
 * `.skip`, `.todo`, `.concurrent`, `.skipIf(c)`, `.runIf(c)`, `fit`, `xit`, ...). `.each` / `.for` tables
 * and names that are not plain literals (`${x}`, identifiers) are `dynamic`, with a `namePattern` built from
 * the template (`%s`, `$a`, `${...}` as `.*`). node:test subtests (`t.test('x', ...)` inside a test's
 * callback) are the test's `children`.
 */
import type { Node as TsNode } from 'web-tree-sitter';
import { type LinearPattern, partsPattern } from '../patterns';
import { type DiscoveredSuite, type DiscoveredTest, type Discover, makeTest, stringValue } from './types';

const SUITES = new Set(['describe', 'context', 'suite', 'fdescribe', 'xdescribe', 'xcontext', 'xsuite']);
const TESTS = new Set(['it', 'test', 'specify', 'fit', 'xit', 'xtest', 'xspecify']);
const MODIFIERS = new Set(['only', 'skip', 'todo', 'concurrent', 'sequential', 'shuffle', 'fails', 'failing', 'each', 'for', 'skipIf', 'runIf', 'extend']);

/** Tests in a JavaScript or TypeScript test file. */
export const discoverJavaScript: Discover = (root) => {
  const tests: DiscoveredTest[] = [];
  const suites: DiscoveredSuite[] = [];
  const imports = collectImports(root);
  walk(root, [], tests, suites, null);
  return { tests, suites, packageName: null, imports };
};

interface Callee {
  kind: 'suite' | 'test';
  /** `.each` / `.for`: the names are templates. */
  table: boolean;
}

/** What a call's callee is: `describe.only`, `it.each([...])`, `test.skipIf(x)`. */
function classify(fn: TsNode | null): Callee | null {
  let table = false;
  let node = fn;
  for (let guard = 0; node && guard < 8; guard++) {
    if (node.type === 'call_expression') {
      // `it.each(table)(...)`, `test.skipIf(cond)(...)`: the inner call's callee decides.
      const inner = node.childForFieldName('function');
      if (inner?.type === 'member_expression' && /^(?:each|for)$/.test(inner.childForFieldName('property')?.text ?? '')) table = true;
      node = inner;
      continue;
    }
    if (node.type === 'member_expression') {
      const property = node.childForFieldName('property')?.text ?? '';
      if (!MODIFIERS.has(property)) return null;
      if (property === 'each' || property === 'for') table = true;
      node = node.childForFieldName('object');
      continue;
    }
    if (node.type === 'identifier') {
      if (SUITES.has(node.text)) return { kind: 'suite', table };
      if (TESTS.has(node.text)) return { kind: 'test', table };
      return null;
    }
    return null;
  }
  return null;
}

interface Name {
  text: string;
  dynamic: boolean;
  pattern: LinearPattern | null;
}

/** The name a test or suite gets: a literal, or a template with a pattern for its run-time names. */
function nameOf(node: TsNode | undefined, table: boolean): Name {
  if (!node) return { text: '', dynamic: true, pattern: null };
  const literal = stringValue(node);
  if (literal !== null) {
    if (!table) return { text: literal, dynamic: false, pattern: null };
    // `%s`, `%i`, `%#`, `$variable`, `$0`: filled in per table row.
    const placeholder = /%[sdifjoOp#%]|\$[A-Za-z_$][\w$]*(?:\.[\w$]+)*|\$\d+/g;
    if (!placeholder.test(literal)) return { text: literal, dynamic: false, pattern: null };
    const parts = literal.split(/%[sdifjoOp#]|\$[A-Za-z_$][\w$]*(?:\.[\w$]+)*|\$\d+/);
    return { text: literal, dynamic: true, pattern: partsPattern(parts.map((part) => part.replace(/%%/g, '%'))) };
  }
  if (node.type === 'template_string') {
    const parts: string[] = [];
    let current = '';
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'template_substitution') {
        parts.push(current);
        current = '';
      } else current += child.text;
    }
    parts.push(current);
    return { text: node.text.slice(1, -1), dynamic: true, pattern: partsPattern(parts) };
  }
  return { text: node.text, dynamic: true, pattern: null };
}

function isFunction(node: TsNode | null | undefined): boolean {
  return node?.type === 'arrow_function' || node?.type === 'function_expression' || node?.type === 'function';
}

/** Name of a callback's first parameter (`t` in `async (t) => {}`), for node:test subtests. */
function firstParameter(fn: TsNode): string | null {
  const params = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
  if (!params) return null;
  if (params.type === 'identifier') return params.text;
  const first = params.namedChildren[0];
  if (!first) return null;
  if (first.type === 'identifier') return first.text;
  const pattern = first.childForFieldName('pattern');
  return pattern?.type === 'identifier' ? pattern.text : null;
}

/** The statement block (or expression) of a callback. */
function bodyOf(fn: TsNode): TsNode | null {
  return fn.childForFieldName('body');
}

/**
 * Walks the tree. `context`, when set, is the enclosing node:test test whose callback parameter (`t`)
 * creates subtests with `t.test(...)`.
 */
function walk(node: TsNode, suites: string[], tests: DiscoveredTest[], suiteOut: DiscoveredSuite[], context: { param: string; test: DiscoveredTest } | null): void {
  if (node.type === 'call_expression') {
    const fn = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    const argList = args?.type === 'arguments' ? args.namedChildren.filter((n): n is TsNode => n !== null && n.type !== 'comment') : [];
    // node:test subtest: `t.test('name', fn)` where `t` is the enclosing test's context.
    if (context && fn?.type === 'member_expression' && fn.childForFieldName('object')?.text === context.param && fn.childForFieldName('property')?.text === 'test') {
      const name = nameOf(argList[0], false);
      const callback = argList.find((arg) => isFunction(arg));
      if (name.dynamic) context.test.dynamicChildren = true;
      const child = makeTest(name.text, argList[0] ?? node, [], { dynamic: name.dynamic, namePattern: name.pattern, endLine: node.endPosition.row + 1 });
      if (!name.dynamic || name.pattern) context.test.children.push(child);
      if (callback) {
        const param = firstParameter(callback);
        const body = bodyOf(callback);
        if (body) walk(body, suites, tests, suiteOut, param ? { param, test: child } : null);
      }
      return;
    }
    const callee = classify(fn);
    if (callee) {
      // node:test allows `test(fn)` and `test(options, fn)`: the name is then the function's name.
      const first = argList[0];
      const named = first !== undefined && !isFunction(first) && first.type !== 'object';
      const firstFn = first !== undefined && isFunction(first) ? first : null;
      const name = named ? nameOf(first, callee.table) : { text: firstFn?.childForFieldName('name')?.text ?? '<anonymous>', dynamic: true, pattern: null };
      const callback = [...argList].reverse().find((arg) => isFunction(arg));
      const nameNode = named ? first : node;
      if (callee.kind === 'suite') {
        const body = callback ? bodyOf(callback) : null;
        const firstStatement = body?.type === 'statement_block' ? body.namedChildren.find((n) => n !== null && n.type !== 'comment') : null;
        suiteOut.push({
          name: name.text,
          suites,
          dynamic: name.dynamic,
          line: nameNode.startPosition.row + 1,
          column: nameNode.startPosition.column + (named && /^['"`]/.test(nameNode.text) ? 1 : 0),
          endLine: node.endPosition.row + 1,
          bodyIndent: firstStatement ? ' '.repeat(firstStatement.startPosition.column) : null,
        });
        if (body) walk(body, [...suites, name.text], tests, suiteOut, null);
        return;
      }
      const test = makeTest(name.text, nameNode, suites, { dynamic: name.dynamic, namePattern: name.pattern, endLine: node.endPosition.row + 1 });
      if (named && /^['"`]/.test(nameNode.text)) test.column += 1;
      tests.push(test);
      if (callback) {
        const param = firstParameter(callback);
        const body = bodyOf(callback);
        if (body) walk(body, suites, tests, suiteOut, param ? { param, test } : null);
      }
      return;
    }
  }
  for (const child of node.namedChildren) if (child) walk(child, suites, tests, suiteOut, context);
}

/** Named imports and requires: `import { test } from 'vitest'`, `const { it } = require('node:test')`. */
function collectImports(root: TsNode): { source: string; names: string[] }[] {
  const out: { source: string; names: string[] }[] = [];
  for (const statement of root.namedChildren) {
    if (!statement) continue;
    if (statement.type === 'import_statement') {
      const source = stringValue(statement.childForFieldName('source'));
      if (source === null) continue;
      const names: string[] = [];
      const clause = statement.namedChildren.find((n) => n?.type === 'import_clause');
      for (const part of clause?.namedChildren ?? []) {
        if (!part) continue;
        if (part.type === 'identifier') names.push(part.text);
        if (part.type === 'named_imports') {
          for (const specifier of part.namedChildren) {
            const local = specifier?.childForFieldName('alias') ?? specifier?.childForFieldName('name');
            if (local) names.push(local.text);
          }
        }
      }
      out.push({ source, names });
    } else if (statement.type === 'lexical_declaration' || statement.type === 'variable_declaration') {
      for (const declarator of statement.namedChildren) {
        const value = declarator?.childForFieldName('value');
        if (value?.type !== 'call_expression' || value.childForFieldName('function')?.text !== 'require') continue;
        const source = stringValue(value.childForFieldName('arguments')?.namedChildren[0]);
        const pattern = declarator?.childForFieldName('name');
        if (source === null || !pattern) continue;
        const names = pattern.type === 'identifier' ? [pattern.text] : pattern.namedChildren.map((p) => (p?.type === 'pair_pattern' ? p.childForFieldName('value')?.text : p?.text) ?? '').filter((n) => n !== '');
        out.push({ source, names });
      }
    }
  }
  return out;
}
