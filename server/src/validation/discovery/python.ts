/**
 * pytest discovery with tree-sitter-python: module-level `test*` functions, `Test*` classes (without
 * `__init__`, nested classes included) and their `test*` methods, `unittest.TestCase` subclasses, marker
 * names, and `@pytest.mark.parametrize` ids where the values are literal (stacked decorators and class-level
 * parametrize multiply, as pytest does). Ids pytest would compute from non-literal values are not guessed:
 * the test is `dynamic` and a node id naming one of its instances is "unknown", never "not found".
 */
import type { Node as TsNode } from 'web-tree-sitter';
import { fnmatchPattern } from '../patterns';
import { type DiscoveredSuite, type DiscoveredTest, type Discover, makeTest, stringValue } from './types';

/** pytest's naming conventions (`python_classes`, `python_functions` in its configuration). */
export interface PytestNaming {
  /** Class name prefixes or globs; default `Test`. */
  classes: string[];
  /** Function name prefixes or globs; default `test`. */
  functions: string[];
}

export const DEFAULT_PYTEST_NAMING: PytestNaming = { classes: ['Test'], functions: ['test'] };

function matchesNaming(name: string, patterns: string[]): boolean {
  return patterns.some((pattern) => {
    if (/[*?[]/.test(pattern)) {
      return fnmatchPattern(pattern).test(name);
    }
    return name.startsWith(pattern);
  });
}

/** Tests in a pytest file. */
export function discoverPython(naming: PytestNaming = DEFAULT_PYTEST_NAMING): Discover {
  return (root) => {
    const tests: DiscoveredTest[] = [];
    const suites: DiscoveredSuite[] = [];
    walkBlock(root, [], [], false, naming, tests, suites);
    return { tests, suites, packageName: null, imports: [] };
  };
}

interface Definition {
  node: TsNode;
  decorators: TsNode[];
}

/** Definitions in a block, through `if`/`try`/`with` blocks that run at import time. */
function definitionsIn(block: TsNode): Definition[] {
  const out: Definition[] = [];
  for (const child of block.namedChildren) {
    if (!child) continue;
    if (child.type === 'function_definition' || child.type === 'class_definition') out.push({ node: child, decorators: [] });
    else if (child.type === 'decorated_definition') {
      const definition = child.childForFieldName('definition');
      if (definition) out.push({ node: definition, decorators: child.namedChildren.filter((n): n is TsNode => n?.type === 'decorator') });
    } else if (child.type === 'if_statement' || child.type === 'try_statement' || child.type === 'with_statement' || child.type === 'else_clause' || child.type === 'elif_clause' || child.type === 'except_clause' || child.type === 'finally_clause' || child.type === 'block') {
      out.push(...definitionsIn(child));
    }
  }
  return out;
}

const TESTCASE_BASES = /(?:^|\.)(?:TestCase|IsolatedAsyncioTestCase|AsyncTestCase|SimpleTestCase|TransactionTestCase|LiveServerTestCase)$/;

function walkBlock(
  block: TsNode,
  suites: string[],
  classParams: ParamSet[],
  inUnittest: boolean,
  naming: PytestNaming,
  tests: DiscoveredTest[],
  suiteOut: DiscoveredSuite[],
  classMarkers: string[] = [],
): void {
  const inClass = suites.length > 0;
  for (const { node, decorators } of definitionsIn(block)) {
    const nameNode = node.childForFieldName('name');
    const name = nameNode?.text;
    if (!nameNode || !name) continue;
    if (node.type === 'class_definition') {
      const bases = node.childForFieldName('superclasses')?.namedChildren.filter((n): n is TsNode => n !== null).map((n) => n.text) ?? [];
      const unittest = bases.some((base) => TESTCASE_BASES.test(base));
      if (!unittest && !matchesNaming(name, naming.classes)) continue;
      const body = node.childForFieldName('body');
      if (!body) continue;
      // pytest skips test classes with an __init__ (it warns and collects nothing).
      if (!unittest && definitionsIn(body).some((d) => d.node.type === 'function_definition' && d.node.childForFieldName('name')?.text === '__init__')) continue;
      const firstStatement = body.namedChildren.find((n) => n !== null && n.type !== 'comment');
      suiteOut.push({
        name,
        suites,
        dynamic: false,
        line: nameNode.startPosition.row + 1,
        column: nameNode.startPosition.column,
        endLine: node.endPosition.row + 1,
        bodyIndent: firstStatement ? ' '.repeat(firstStatement.startPosition.column) : null,
      });
      const params = unittest ? [] : [...classParams, ...decorators.map(parametrizeIds).filter((p): p is ParamSet => p !== null).reverse()];
      walkBlock(body, [...suites, name], params, unittest, naming, tests, suiteOut, [...classMarkers, ...decorators.map(markerName).filter((m): m is string => m !== null)]);
      continue;
    }
    // A function: a test when its name matches (unittest classes use the `test` prefix).
    const isTest = inUnittest ? name.startsWith('test') : matchesNaming(name, naming.functions);
    if (!isTest) continue;
    if (inClass && !inUnittest && node.childForFieldName('parameters')?.namedChildren.length === 0) {
      // A method without `self` is still collected (and fails); keep it.
    }
    const own = decorators.map(parametrizeIds).filter((p): p is ParamSet => p !== null).reverse();
    const all = inUnittest ? own : [...own, ...classParams];
    const test = makeTest(name, nameNode, suites, {
      endLine: node.endPosition.row + 1,
      markers: [...classMarkers, ...decorators.map(markerName).filter((m): m is string => m !== null)],
    });
    if (all.length > 0) {
      if (all.some((set) => set.ids === null)) {
        test.params = [];
        test.dynamic = true;
      } else {
        test.params = product(all.map((set) => set.ids!));
        if (new Set(test.params).size !== test.params.length) test.dynamic = true;
      }
    }
    tests.push(test);
  }
}

function product(lists: string[][]): string[] {
  let out: string[] = [''];
  for (const list of lists) {
    const next: string[] = [];
    for (const prefix of out) for (const id of list) next.push(prefix === '' ? id : `${prefix}-${id}`);
    out = next;
  }
  return out;
}

/** `@pytest.mark.slow`, `@mark.slow(...)` -> `slow`; parametrize, usefixtures and friends included. */
function markerName(decorator: TsNode): string | null {
  const expression = decorator.namedChildren[0];
  if (!expression) return null;
  const target = expression.type === 'call' ? expression.childForFieldName('function') : expression;
  const match = target ? /(?:^|\.)mark\.([A-Za-z_]\w*)$/.exec(target.text) : null;
  return match ? match[1] : null;
}

/** Ids of one parametrize decorator; `ids: null` when they cannot be known statically. */
interface ParamSet {
  ids: string[] | null;
}

function parametrizeIds(decorator: TsNode): ParamSet | null {
  const call = decorator.namedChildren[0];
  if (call?.type !== 'call') return null;
  const fn = call.childForFieldName('function')?.text ?? '';
  if (!/(?:^|\.)parametrize$/.test(fn)) return null;
  const args = call.childForFieldName('arguments');
  if (!args) return { ids: null };
  const positional: TsNode[] = [];
  const keywords = new Map<string, TsNode>();
  for (const arg of args.namedChildren) {
    if (!arg || arg.type === 'comment') continue;
    if (arg.type === 'keyword_argument') {
      const key = arg.childForFieldName('name')?.text;
      const value = arg.childForFieldName('value');
      if (key && value) keywords.set(key, value);
    } else if (arg.type === 'list_splat' || arg.type === 'dictionary_splat') return { ids: null };
    else positional.push(arg);
  }
  const namesNode = positional[0] ?? keywords.get('argnames');
  const valuesNode = positional[1] ?? keywords.get('argvalues');
  if (!namesNode || !valuesNode) return { ids: null };
  const argnames = argNames(namesNode);
  if (argnames === null || argnames.length === 0) return { ids: null };
  if (valuesNode.type !== 'list' && valuesNode.type !== 'tuple') return { ids: null };
  const values = valuesNode.namedChildren.filter((n): n is TsNode => n !== null && n.type !== 'comment');
  if (values.length === 0) return { ids: null };
  let explicit: (string | null)[] | null = null;
  const idsNode = keywords.get('ids');
  if (idsNode) {
    if (idsNode.type !== 'list' && idsNode.type !== 'tuple') return { ids: null };
    explicit = [];
    for (const item of idsNode.namedChildren) {
      if (!item || item.type === 'comment') continue;
      if (item.type === 'none') explicit.push(null);
      else {
        const value = stringValue(item);
        if (value === null) return { ids: null };
        explicit.push(value);
      }
    }
    if (explicit.length !== values.length) return { ids: null };
  }
  const ids: string[] = [];
  for (let index = 0; index < values.length; index++) {
    const given = explicit?.[index];
    if (given !== undefined && given !== null) {
      if (!isAscii(given)) return { ids: null };
      ids.push(given);
      continue;
    }
    let item = values[index];
    let paramId: string | undefined;
    if (item.type === 'call' && /(?:^|\.)param$/.test(item.childForFieldName('function')?.text ?? '')) {
      const paramArgs = item.childForFieldName('arguments')?.namedChildren.filter((n): n is TsNode => n !== null && n.type !== 'comment') ?? [];
      const idArg = paramArgs.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'id');
      if (idArg) {
        const value = idArg.childForFieldName('value');
        const id = value?.type === 'none' ? undefined : stringValue(value);
        if (id === null) return { ids: null };
        paramId = id;
      }
      const valueArgs = paramArgs.filter((a) => a.type !== 'keyword_argument');
      if (paramId !== undefined) {
        ids.push(paramId);
        continue;
      }
      const id = valueIds(valueArgs, argnames, index);
      if (id === null) return { ids: null };
      ids.push(id);
      continue;
    }
    if (argnames.length > 1) {
      if (item.type === 'parenthesized_expression') item = item.namedChildren[0] ?? item;
      if (item.type !== 'tuple' && item.type !== 'list') return { ids: null };
      const parts = item.namedChildren.filter((n): n is TsNode => n !== null && n.type !== 'comment');
      const id = valueIds(parts, argnames, index);
      if (id === null) return { ids: null };
      ids.push(id);
    } else {
      const id = valueIds([item], argnames, index);
      if (id === null) return { ids: null };
      ids.push(id);
    }
  }
  return { ids };
}

function argNames(node: TsNode): string[] | null {
  const literal = stringValue(node);
  if (literal !== null) return literal.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (node.type === 'list' || node.type === 'tuple') {
    const names: string[] = [];
    for (const item of node.namedChildren) {
      if (!item || item.type === 'comment') continue;
      const value = stringValue(item);
      if (value === null) return null;
      names.push(value.trim());
    }
    return names;
  }
  return null;
}

/** The id pytest derives from one parameter set's values, or null when it depends on run-time values. */
function valueIds(values: TsNode[], argnames: string[], index: number): string | null {
  if (values.length !== argnames.length) return null;
  const parts: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const part = valueId(values[i], argnames[i], index);
    if (part === null) return null;
    parts.push(part);
  }
  return parts.join('-');
}

function valueId(node: TsNode, argname: string, index: number): string | null {
  switch (node.type) {
    case 'string':
    case 'concatenated_string': {
      if (/^[bB]|^[rR][bB]/.test(node.text)) return null;
      const value = stringValue(node);
      return value !== null && isAscii(value) ? value : null;
    }
    case 'integer':
      return integerText(node.text);
    case 'float':
      return /^\d+\.\d+$/.test(node.text.replace(/_/g, '')) ? String(Number(node.text.replace(/_/g, ''))).replace(/^(\d+)$/, '$1.0') : null;
    case 'true':
      return 'True';
    case 'false':
      return 'False';
    case 'none':
      return 'None';
    case 'unary_operator': {
      const argument = node.childForFieldName('argument');
      const operator = node.text.trim()[0];
      if (operator !== '-' || !argument) return null;
      const inner = valueId(argument, argname, index);
      return inner !== null && (argument.type === 'integer' || argument.type === 'float') ? (inner === '0' ? '0' : `-${inner}`) : null;
    }
    case 'tuple':
    case 'list':
    case 'dictionary':
    case 'set':
      // pytest names values it has no string form for after the argument and the parameter set's index.
      return `${argname}${index}`;
    default:
      return null;
  }
}

function integerText(text: string): string | null {
  const clean = text.replace(/_/g, '');
  if (/^\d+$/.test(clean)) return String(BigInt(clean));
  if (/^0[xX][0-9a-fA-F]+$|^0[oO][0-7]+$|^0[bB][01]+$/.test(clean)) return String(BigInt(clean.toLowerCase()));
  return null;
}

function isAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}
