/**
 * Definitions from a tree-sitter parse (Python, JavaScript, TypeScript and TSX, Go, Rust): which node types
 * define what, which containers qualify a name (classes, functions, interfaces, `impl` blocks, modules, Go
 * method receivers), and where a definition starts and ends.
 */
import type { Language as TsLanguage, Node as TsNode, Parser as TsParser } from 'web-tree-sitter';
import type { GrammarId } from './grammars';
import type { SymbolDef, SymbolKind } from './symbolDef';


const PYTHON: Record<string, SymbolKind> = { function_definition: 'function', class_definition: 'class', assignment: 'variable' };
const JAVASCRIPT: Record<string, SymbolKind> = {
  function_declaration: 'function',
  generator_function_declaration: 'function',
  function_signature: 'function',
  class_declaration: 'class',
  abstract_class_declaration: 'class',
  method_definition: 'method',
  method_signature: 'method',
  abstract_method_signature: 'method',
  interface_declaration: 'interface',
  type_alias_declaration: 'type',
  enum_declaration: 'enum',
  internal_module: 'module',
  public_field_definition: 'field',
  field_definition: 'field',
  property_signature: 'field',
  variable_declarator: 'variable',
};
const GO: Record<string, SymbolKind> = {
  function_declaration: 'function',
  method_declaration: 'method',
  type_spec: 'type',
  type_alias: 'type',
  method_elem: 'method',
  method_spec: 'method',
  field_declaration: 'field',
  const_spec: 'variable',
  var_spec: 'variable',
};
const RUST: Record<string, SymbolKind> = {
  function_item: 'function',
  function_signature_item: 'function',
  struct_item: 'struct',
  enum_item: 'enum',
  union_item: 'struct',
  trait_item: 'trait',
  mod_item: 'module',
  type_item: 'type',
  const_item: 'variable',
  static_item: 'variable',
  macro_definition: 'macro',
  enum_variant: 'field',
  field_declaration: 'field',
};

const SPECS: Record<GrammarId, Record<string, SymbolKind>> = {
  python: PYTHON,
  javascript: JAVASCRIPT,
  typescript: JAVASCRIPT,
  tsx: JAVASCRIPT,
  go: GO,
  rust: RUST,
};

/**
 * Node types walked into, per language: declarations and the bodies that can hold declarations, never
 * expressions (walking every node costs as much as the parse). Function bodies are walked for Python only
 * (nested `def`s are common there).
 */
const PYTHON_DESCEND = new Set([
  'module', 'block', 'class_definition', 'function_definition', 'decorated_definition', 'if_statement', 'else_clause',
  'elif_clause', 'try_statement', 'except_clause', 'finally_clause', 'with_statement', 'expression_statement',
]);
const JAVASCRIPT_DESCEND = new Set([
  'program', 'export_statement', 'class_declaration', 'abstract_class_declaration', 'class_body', 'interface_declaration',
  'interface_body', 'internal_module', 'module', 'statement_block', 'expression_statement', 'lexical_declaration',
  'variable_declaration', 'ambient_declaration',
]);
const DESCEND: Record<GrammarId, ReadonlySet<string>> = {
  python: PYTHON_DESCEND,
  javascript: JAVASCRIPT_DESCEND,
  typescript: JAVASCRIPT_DESCEND,
  tsx: JAVASCRIPT_DESCEND,
  go: new Set(['source_file', 'type_declaration', 'type_spec', 'struct_type', 'field_declaration_list', 'interface_type', 'const_declaration', 'var_declaration']),
  rust: new Set(['source_file', 'mod_item', 'declaration_list', 'impl_item', 'trait_item', 'struct_item', 'field_declaration_list', 'enum_item', 'enum_variant_list', 'union_item']),
};

/** A file whose parse takes longer than this is handed to the text fallback. */
const PARSE_BUDGET_MS = 1500;

/** Node types whose variable declarators count as definitions (module and namespace level, not locals). */
const JS_DECLARATION_SCOPES = new Set(['program', 'export_statement', 'statement_block']);

/** The definitions in `text`, parsed with `parser` set to `language` (throws when the parse fails). */
export function treeSitterSymbols(parser: TsParser, language: TsLanguage, grammar: GrammarId, text: string): SymbolDef[] {
  parser.setLanguage(language);
  const deadline = performance.now() + PARSE_BUDGET_MS;
  // Returning true cancels the parse (the published typings say void; the runtime reads the result).
  const progressCallback = (() => performance.now() > deadline) as unknown as (state: unknown) => void;
  const tree = parser.parse(text, null, { progressCallback });
  if (!tree) {
    parser.reset();
    throw new Error(`gave up after ${PARSE_BUDGET_MS} ms`);
  }
  try {
    const spec = SPECS[grammar];
    const descend = DESCEND[grammar];
    const out: SymbolDef[] = [];
    const stack: { node: TsNode; scope: string[] }[] = [{ node: tree.rootNode, scope: [] }];
    while (stack.length > 0) {
      const { node, scope } = stack.pop()!;
      let childScope = scope;
      const kind = spec[node.type];
      if (kind !== undefined) {
        for (const found of definitionsOf(node, kind, grammar)) {
          const start = startLineOf(node, grammar);
          out.push({
            name: found.name,
            qualifiedName: [...scope, ...found.qualifier, found.name].join('.'),
            kind: found.kind,
            line: found.line,
            startLine: Math.min(start, found.line),
            endLine: node.endPosition.row + 1,
          });
          childScope = [...scope, ...found.qualifier, found.name];
        }
      } else if (grammar === 'rust' && node.type === 'impl_item') {
        const type = node.childForFieldName('type');
        const name = type ? bareTypeName(type.text) : null;
        if (name) childScope = [...scope, name];
      }
      if (node.id !== tree.rootNode.id && !descend.has(node.type)) continue;
      const children = node.namedChildren;
      for (let i = children.length - 1; i >= 0; i--) {
        const child = children[i];
        if (child) stack.push({ node: child, scope: childScope });
      }
    }
    out.sort((a, b) => a.line - b.line || a.startLine - b.startLine);
    return out;
  } finally {
    tree.delete();
  }
}

interface Found {
  name: string;
  qualifier: string[];
  kind: SymbolKind;
  line: number;
}

function definitionsOf(node: TsNode, kind: SymbolKind, grammar: GrammarId): Found[] {
  const one = (nameNode: TsNode | null, qualifier: string[] = [], k: SymbolKind = kind): Found[] => {
    if (!nameNode) return [];
    const name = nameNode.text.replace(/^#/, '');
    if (!/^[A-Za-z_$][\w$]*!?$/.test(name)) return [];
    return [{ name, qualifier, kind: k, line: nameNode.startPosition.row + 1 }];
  };
  switch (grammar) {
    case 'python':
      if (node.type === 'assignment') {
        // Module constants and class attributes (`DEFAULT_TIMEOUT = 30`), not locals.
        const holder = node.parent?.type === 'expression_statement' ? node.parent.parent : null;
        const atModule = holder?.type === 'module';
        const inClass = holder?.type === 'block' && holder.parent?.type === 'class_definition';
        const left = node.childForFieldName('left');
        return (atModule || inClass) && left?.type === 'identifier' ? one(left) : [];
      }
      return one(node.childForFieldName('name'), [], kind === 'function' && insideClass(node) ? 'method' : kind);
    case 'go': {
      if (node.type === 'method_declaration') {
        const receiver = node.childForFieldName('receiver');
        const declaration = receiver?.namedChildren.find((child) => child?.type === 'parameter_declaration');
        const type = declaration?.childForFieldName('type');
        const receiverName = type ? bareTypeName(type.text) : null;
        return one(node.childForFieldName('name'), receiverName ? [receiverName] : []);
      }
      if (node.type === 'type_spec') {
        const type = node.childForFieldName('type')?.type;
        return one(node.childForFieldName('name'), [], type === 'struct_type' ? 'struct' : type === 'interface_type' ? 'interface' : 'type');
      }
      if (node.type === 'const_spec' || node.type === 'var_spec' || node.type === 'field_declaration') {
        if ((node.type === 'const_spec' || node.type === 'var_spec') && !atTopLevel(node)) return [];
        return node.childrenForFieldName('name').flatMap((child) => one(child));
      }
      return one(node.childForFieldName('name'));
    }
    case 'rust':
      if ((node.type === 'function_item' || node.type === 'function_signature_item') && insideImplOrTrait(node)) return one(node.childForFieldName('name'), [], 'method');
      return one(node.childForFieldName('name'));
    default: {
      if (node.type === 'variable_declarator') {
        const declaration = node.parent;
        if (!declaration || !JS_DECLARATION_SCOPES.has(declaration.parent?.type ?? '')) return [];
        if (declaration.parent?.type === 'statement_block' && declaration.parent.parent?.type !== 'internal_module') return [];
        const name = node.childForFieldName('name');
        if (name?.type !== 'identifier') return [];
        const value = node.childForFieldName('value')?.type;
        const isFunction = value === 'arrow_function' || value === 'function_expression' || value === 'function';
        return one(name, [], isFunction ? 'function' : value === 'class' ? 'class' : 'variable');
      }
      const name = node.childForFieldName('name') ?? node.childForFieldName('property');
      if (name && (name.type === 'string' || name.type === 'computed_property_name')) return [];
      if (node.type === 'public_field_definition' || node.type === 'field_definition') {
        const value = node.childForFieldName('value')?.type;
        return one(name, [], value === 'arrow_function' || value === 'function_expression' ? 'method' : 'field');
      }
      return one(name);
    }
  }
}

/** First line of a definition including decorators (Python) and preceding attributes (Rust `#[...]`). */
function startLineOf(node: TsNode, grammar: GrammarId): number {
  let start = node.startPosition.row + 1;
  if (grammar === 'python' && node.parent?.type === 'decorated_definition') start = node.parent.startPosition.row + 1;
  if (grammar === 'rust') {
    let previous = node.previousNamedSibling;
    let row = node.startPosition.row;
    while (previous && (previous.type === 'attribute_item' || previous.type === 'line_comment') && previous.endPosition.row >= row - 1) {
      if (previous.type === 'attribute_item') start = previous.startPosition.row + 1;
      row = previous.startPosition.row;
      previous = previous.previousNamedSibling;
    }
  }
  if ((grammar === 'typescript' || grammar === 'tsx' || grammar === 'javascript') && node.parent?.type === 'export_statement') {
    start = Math.min(start, node.parent.startPosition.row + 1);
  }
  return start;
}

function insideClass(node: TsNode): boolean {
  let parent = node.parent;
  while (parent && (parent.type === 'block' || parent.type === 'decorated_definition')) {
    if (parent.type === 'block' && parent.parent?.type === 'class_definition') return true;
    parent = parent.parent;
  }
  return false;
}

function insideImplOrTrait(node: TsNode): boolean {
  const owner = node.parent?.parent?.type;
  return owner === 'impl_item' || owner === 'trait_item';
}

function atTopLevel(node: TsNode): boolean {
  let parent = node.parent;
  while (parent && parent.type !== 'source_file') {
    if (parent.type === 'block' || parent.type === 'function_declaration' || parent.type === 'method_declaration') return false;
    parent = parent.parent;
  }
  return true;
}

/** `*Ctx[T]`, `&mut a::Foo<T>`, `Foo<T>` → `Ctx`, `Foo`, `Foo`. */
function bareTypeName(type: string): string | null {
  const stripped = type
    .replace(/^[&*\s]+/, '')
    .replace(/^mut\s+/, '')
    .replace(/^dyn\s+/, '')
    .replace(/[<[].*$/s, '')
    .trim();
  const last = stripped.split('::').pop()?.split('.').pop() ?? '';
  return /^[A-Za-z_][\w]*$/.test(last) ? last : null;
}
