/**
 * Go test discovery with tree-sitter-go: top-level `TestXxx(t *testing.T)`, `FuzzXxx(f *testing.F)`,
 * `BenchmarkXxx(b *testing.B)` and `ExampleXxx()` with an `// Output:` comment (the ones `go test -list`
 * shows), and literal subtests `t.Run("name", func(t *testing.T) {...})`, nested, with Go's rewriting of
 * subtest names (spaces become `_`). A `t.Run` whose name is not a literal marks the test `dynamicChildren`.
 */
import type { Node as TsNode } from 'web-tree-sitter';
import { type DiscoveredTest, type Discover, makeTest, stringValue } from './types';

/** The parameter type of a test function: `*testing.T` (or an alias of the package), `*B`, `*F`. */
const TESTING_PARAM = /^\*(?:\w+\.)?([TBF])$/;

const KINDS: [prefix: string, kind: DiscoveredTest['testKind']][] = [
  ['Test', 'test'],
  ['Benchmark', 'benchmark'],
  ['Fuzz', 'fuzz'],
  ['Example', 'example'],
];

/** Go's rule: `Test`, `TestFoo`, `Test_foo` are tests; `Testfoo` is not. */
function testKind(name: string): DiscoveredTest['testKind'] | null {
  for (const [prefix, kind] of KINDS) {
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    if (rest === '' || !/^\p{Ll}/u.test(rest)) return kind;
  }
  return null;
}

/** The name `go test` shows for a subtest name: spaces to `_`, non-printable characters escaped. */
export function rewriteSubtestName(name: string): string {
  let out = '';
  for (const c of name) {
    if (/\s/.test(c)) out += '_';
    else if (/[\p{Cc}\p{Cf}]/u.test(c)) out += JSON.stringify(c).slice(1, -1);
    else out += c;
  }
  return out;
}

/** Tests in a `_test.go` file. */
export const discoverGo: Discover = (root) => {
  const tests: DiscoveredTest[] = [];
  let packageName: string | null = null;
  const imports: { source: string; names: string[] }[] = [];
  for (const node of root.namedChildren) {
    if (!node) continue;
    if (node.type === 'package_clause') packageName = node.namedChildren[0]?.text ?? null;
    if (node.type === 'import_declaration') {
      for (const spec of node.descendantsOfType('import_spec')) {
        const path = stringValue(spec?.childForFieldName('path'));
        if (path !== null) imports.push({ source: path, names: [spec?.childForFieldName('name')?.text ?? path.split('/').pop()!] });
      }
    }
    if (node.type !== 'function_declaration') continue;
    const nameNode = node.childForFieldName('name');
    if (!nameNode) continue;
    const kind = testKind(nameNode.text);
    if (!kind) continue;
    const params = node.childForFieldName('parameters')?.namedChildren.filter((n): n is TsNode => n?.type === 'parameter_declaration') ?? [];
    if (node.childForFieldName('type_parameters')) continue;
    const expected = { test: 'T', benchmark: 'B', fuzz: 'F', example: null }[kind];
    if (expected === null) {
      if (params.length !== 0 || node.childForFieldName('result')) continue;
      const body = node.childForFieldName('body');
      if (!body || !body.descendantsOfType('comment').some((c) => /^\/\/\s*(?:Unordered output|Output):/i.test(c?.text ?? ''))) continue;
    } else {
      const type = params.length === 1 ? params[0].childForFieldName('type')?.text.replace(/\s/g, '') : null;
      if (!type || TESTING_PARAM.exec(type)?.[1] !== expected) continue;
    }
    const test = makeTest(nameNode.text, nameNode, [], { testKind: kind, endLine: node.endPosition.row + 1 });
    const param = params[0]?.childForFieldName('name')?.text;
    const body = node.childForFieldName('body');
    if (kind === 'test' && param && body) collectSubtests(body, param, test);
    tests.push(test);
  }
  return { tests, suites: [], packageName, imports };
};

/** `param.Run("name", func(t *testing.T) {...})` calls inside `node`, as children of `test`. */
function collectSubtests(node: TsNode, param: string, test: DiscoveredTest): void {
  if (node.type === 'call_expression') {
    const fn = node.childForFieldName('function');
    if (fn?.type === 'selector_expression' && fn.childForFieldName('operand')?.text === param && fn.childForFieldName('field')?.text === 'Run') {
      const args = node.childForFieldName('arguments')?.namedChildren.filter((n): n is TsNode => n !== null && n.type !== 'comment') ?? [];
      const literal = stringValue(args[0]);
      const callback = args[1];
      if (literal === null) {
        test.dynamicChildren = true;
        return;
      }
      const child = makeTest(rewriteSubtestName(literal), args[0], [], { endLine: node.endPosition.row + 1 });
      test.children.push(child);
      if (callback?.type === 'func_literal') {
        const inner = callback.childForFieldName('parameters')?.namedChildren.find((n) => n?.type === 'parameter_declaration')?.childForFieldName('name')?.text;
        const body = callback.childForFieldName('body');
        if (inner && body) collectSubtests(body, inner, child);
      } else if (callback) {
        // A named function as the subtest body: its own subtests are unknown here.
        child.dynamicChildren = false;
      }
      return;
    }
  }
  for (const child of node.namedChildren) if (child) collectSubtests(child, param, test);
}
