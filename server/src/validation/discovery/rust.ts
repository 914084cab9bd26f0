/**
 * Rust test discovery with tree-sitter-rust: functions with `#[test]` or a `#[<crate>::test]` attribute
 * (tokio, async-std), inside inline modules (`mod tests { ... }`), whose names become the test's `suites`.
 * The module path of the file itself (`src/a/b.rs` -> `a::b`) is added by the cargo runner, which knows the
 * crate layout. Generated cases (`#[rstest]`, `#[test_case(...)]`) are `dynamic`.
 */
import type { Node as TsNode } from 'web-tree-sitter';
import { type DiscoveredSuite, type DiscoveredTest, type Discover, makeTest } from './types';

const TEST_ATTRIBUTE = /^#\[\s*(?:[A-Za-z_][\w]*::)*test\s*(?:\(|\])/;
const GENERATED_ATTRIBUTE = /^#\[\s*(?:[A-Za-z_][\w]*::)*(?:rstest|test_case|test_matrix|parameterized|proptest)\b/;

/** Tests in a Rust file. */
export const discoverRust: Discover = (root) => {
  const tests: DiscoveredTest[] = [];
  const suites: DiscoveredSuite[] = [];
  walk(root, [], tests, suites);
  return { tests, suites, packageName: null, imports: [] };
};

function walk(container: TsNode, modules: string[], tests: DiscoveredTest[], suites: DiscoveredSuite[]): void {
  let attributes: TsNode[] = [];
  for (const node of container.namedChildren) {
    if (!node) continue;
    if (node.type === 'attribute_item') {
      attributes.push(node);
      continue;
    }
    if (node.type === 'line_comment' || node.type === 'block_comment') continue;
    if (node.type === 'function_item') {
      const name = node.childForFieldName('name');
      const texts = attributes.map((a) => a.text);
      if (name && texts.some((t) => TEST_ATTRIBUTE.test(t))) tests.push(makeTest(name.text, name, modules, { endLine: node.endPosition.row + 1 }));
      else if (name && texts.some((t) => GENERATED_ATTRIBUTE.test(t))) tests.push(makeTest(name.text, name, modules, { dynamic: true, dynamicChildren: true, endLine: node.endPosition.row + 1 }));
    } else if (node.type === 'mod_item') {
      const name = node.childForFieldName('name');
      const body = node.childForFieldName('body');
      if (name && body) {
        const first = body.namedChildren.find((n) => n !== null && n.type !== 'line_comment');
        suites.push({
          name: name.text,
          suites: modules,
          dynamic: false,
          line: name.startPosition.row + 1,
          column: name.startPosition.column,
          endLine: node.endPosition.row + 1,
          bodyIndent: first ? ' '.repeat(first.startPosition.column) : null,
        });
        walk(body, [...modules, name.text], tests, suites);
      }
    }
    attributes = [];
  }
}
