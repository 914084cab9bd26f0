/**
 * Symbol definitions in referenced source files: "where is `FrayContext.run` defined" and "what is defined
 * at line N", for the `stale-line` rule, hovers and fixes.
 *
 * Python, JavaScript, TypeScript (and TSX), Go and Rust are parsed with tree-sitter (web-tree-sitter and the
 * published grammars' WebAssembly files, located by `grammars.ts`). Every definition gets a qualified name
 * built from its containers: classes, functions, interfaces, Rust `impl` blocks and modules, Go method
 * receivers (`func (c *Ctx) Run()` is `Ctx.Run`). Other languages, and files whose grammar failed to load,
 * go through a careful line-based fallback (`extractTextSymbols`).
 *
 * ## Async loading, sync lookups
 *
 * Loading the runtime and a grammar is asynchronous (WebAssembly compilation, once per thread and grammar,
 * only for the languages asked for: `treeSitter.ts`); parsing afterwards is synchronous. Rules are
 * synchronous, so:
 *
 * 1. before checking a document the caller awaits `symbolIndex.prepare(paths)` for the files the
 *    document's references tie to a symbol (their grammars load then; never rejects);
 * 2. rules call `symbolIndex.get(absPath)`, which is synchronous: it returns cached symbols, parses the
 *    file now if the grammar is loaded (or the file has none), or returns `undefined` while the grammar is
 *    still loading. `undefined` means "unknown": a rule reports nothing, and the server re-checks once
 *    `prepare` resolves.
 *
 * Results are cached per file and validated by the `FileCache` signature, so a changed file is re-parsed.
 */
import type { Language as TsLanguage, Node as TsNode, Parser as TsParser } from 'web-tree-sitter';
import type { FileCache, Skipped } from './fileCache';
import { type GrammarId, grammarForPath } from './grammars';
import { grammarFor, grammarStatus, loadGrammars } from './treeSitter';

/** What kind of thing a definition is. */
export type SymbolKind =
  | 'class'
  | 'function'
  | 'method'
  | 'interface'
  | 'type'
  | 'enum'
  | 'struct'
  | 'trait'
  | 'module'
  | 'variable'
  | 'field'
  | 'macro';

/** One definition. Lines are 1-based. */
export interface SymbolDef {
  name: string;
  /** Containers and name joined with `.` (`FrayContext.run`, `Ctx.Run`, `outer.inner`). */
  qualifiedName: string;
  kind: SymbolKind;
  /** Line of the name. */
  line: number;
  /** First line of the definition, decorators and attributes included. */
  startLine: number;
  /** Last line of the definition. */
  endLine: number;
}

/** Definitions found in one file. */
export interface FileSymbols {
  ok: true;
  /** FileCache signature of the text parsed. */
  signature: string;
  parser: 'tree-sitter' | 'text';
  language: GrammarId | null;
  /** Why the text fallback was used for a tree-sitter language (grammar failed to load, parse failed). */
  note: string | null;
  definitions: SymbolDef[];
}

/** How a symbol name matched. */
export type SymbolMatch = 'exact' | 'name' | 'none';

/** `FrayContext.run()`, `Foo::bar`, `Foo#bar`, `self.run` → `FrayContext.run`, `Foo.bar`, `Foo.bar`, `run`. */
export function normalizeSymbol(symbol: string): string {
  return symbol
    .trim()
    .replace(/\(.*\)$/, '')
    .replace(/`/g, '')
    .replace(/::|#/g, '.')
    .replace(/^(?:self|this|cls)\./, '')
    .replace(/\.+/g, '.')
    .replace(/^\.|\.$/g, '');
}

/**
 * Definitions of `symbol`: by qualified suffix (`FrayContext.run` matches `FrayContext.run` and
 * `outer.FrayContext.run`), then dropping leading qualifiers the file does not know (module names:
 * `context.FrayContext.run` -> `FrayContext.run`), both `match: 'exact'`; last by the bare name alone when
 * the doc gave qualifiers that match nothing (`match: 'name'`).
 */
export function findDefinitions(symbols: FileSymbols, symbol: string): { definitions: SymbolDef[]; match: SymbolMatch } {
  const parts = normalizeSymbol(symbol).split('.').filter((part) => part !== '');
  if (parts.length === 0) return { definitions: [], match: 'none' };
  for (let drop = 0; drop < Math.max(1, parts.length - 1); drop++) {
    const wanted = parts.slice(drop).join('.');
    const found = symbols.definitions.filter((def) => def.qualifiedName === wanted || def.qualifiedName.endsWith(`.${wanted}`));
    if (found.length > 0) return { definitions: found, match: 'exact' };
  }
  if (parts.length === 1) return { definitions: [], match: 'none' };
  const name = parts[parts.length - 1];
  const byName = symbols.definitions.filter((def) => def.name === name);
  return byName.length > 0 ? { definitions: byName, match: 'name' } : { definitions: [], match: 'none' };
}

/** Definitions whose header (decorators through the name line) covers `line`, innermost last. */
export function definitionsAt(symbols: FileSymbols, line: number): SymbolDef[] {
  return symbols.definitions.filter((def) => def.startLine <= line && line <= def.line);
}

/** Definitions whose whole extent covers `line`, outermost first. */
export function enclosingDefinitions(symbols: FileSymbols, line: number): SymbolDef[] {
  return symbols.definitions
    .filter((def) => def.startLine <= line && line <= def.endLine)
    .sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

/** The verdict on "line N (to M) of this file holds `symbol`". */
export type SymbolCheck =
  /** The line is inside a definition of the symbol. */
  | { status: 'ok'; definition: SymbolDef; match: SymbolMatch }
  /** The symbol is defined elsewhere in the file: `definitions` (nearest to the old line first). */
  | { status: 'moved'; definitions: SymbolDef[]; match: SymbolMatch }
  /** No definition of that name in the file (renamed, moved to another file, or never a definition). */
  | { status: 'not-found' };

/**
 * Does `line` (or the range `line`-`endLine`) still hold `symbol`? Lenient by design, because a false
 * `stale-line` costs more than a missed one: any line of the definition (header or body) counts.
 */
export function checkSymbolAtLine(symbols: FileSymbols, symbol: string, line: number, endLine: number | null = null): SymbolCheck {
  const { definitions, match } = findDefinitions(symbols, symbol);
  if (definitions.length === 0) return { status: 'not-found' };
  const last = endLine !== null && endLine >= line ? endLine : line;
  const holding = definitions.find((def) => def.startLine <= last && line <= def.endLine);
  if (holding) return { status: 'ok', definition: holding, match };
  const sorted = [...definitions].sort((a, b) => Math.abs(a.line - line) - Math.abs(b.line - line) || a.line - b.line);
  return { status: 'moved', definitions: sorted, match };
}

/** Symbols per file, cached and validated by the file cache's signatures. One per workspace folder. */
export class SymbolIndex {
  private readonly cache = new Map<string, FileSymbols | Skipped>();
  private readonly signatures = new Map<string, string>();

  constructor(private readonly files: FileCache) {}

  /** Grammar load status, for logs: id -> 'loaded', 'not needed yet', 'loading' or the failure. */
  status(): Record<string, string> {
    return grammarStatus();
  }

  /** Loads the grammars of these files and computes their symbols, so that later `get` calls hit the cache. */
  async prepare(absPaths: Iterable<string>): Promise<void> {
    const paths = [...absPaths];
    await loadGrammars(paths.map(grammarForPath).filter((id): id is GrammarId => id !== null));
    for (const path of paths) this.get(path);
  }

  /**
   * Symbols of a file, synchronously: from the cache when the file is unchanged, else parsed now.
   * `undefined` while the file's grammar is still loading (await `prepare`). A skipped file (missing,
   * binary, too large to parse) gives the file cache's reason.
   */
  get(absPath: string): FileSymbols | Skipped | undefined {
    const grammar = grammarForPath(absPath);
    if (grammar !== null && grammarFor(grammar) === undefined) return undefined;
    const text = this.files.text(absPath);
    if (!text.ok) {
      if (text.reason === 'too-large') return { ok: false, reason: 'too-large', message: `${text.message}; symbols are not looked up in it` };
      return text;
    }
    const cached = this.cache.get(absPath);
    if (cached && this.signatures.get(absPath) === text.signature) return cached;
    const result = extractSymbols(grammar, text.text, text.lines, text.signature);
    this.cache.set(absPath, result);
    this.signatures.set(absPath, text.signature);
    return result;
  }

  /** Forgets one file, or everything. */
  invalidate(absPath?: string): void {
    if (absPath === undefined) {
      this.cache.clear();
      this.signatures.clear();
    } else {
      this.cache.delete(absPath);
      this.signatures.delete(absPath);
    }
  }
}

/** Symbols of a text, with tree-sitter when `grammar` is loaded, else the text fallback. */
export function extractSymbols(grammar: GrammarId | null, text: string, lines: readonly string[], signature = ''): FileSymbols {
  if (grammar !== null) {
    const loaded = grammarFor(grammar);
    if (loaded && 'parser' in loaded) {
      try {
        return { ok: true, signature, parser: 'tree-sitter', language: grammar, note: null, definitions: treeSitterSymbols(loaded.parser, loaded.language, grammar, text) };
      } catch (error) {
        const note = `tree-sitter parse failed (${error instanceof Error ? error.message : String(error)}); used the text fallback`;
        return { ok: true, signature, parser: 'text', language: grammar, note, definitions: extractTextSymbols(lines) };
      }
    }
    const reason = loaded?.failure ?? `the ${grammar} grammar is not loaded yet`;
    return { ok: true, signature, parser: 'text', language: grammar, note: `${reason}; used the text fallback`, definitions: extractTextSymbols(lines) };
  }
  return { ok: true, signature, parser: 'text', language: null, note: null, definitions: extractTextSymbols(lines) };
}

// ---------------------------------------------------------------------------------------------------------
// tree-sitter extraction

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

function treeSitterSymbols(parser: TsParser, language: TsLanguage, grammar: GrammarId, text: string): SymbolDef[] {
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

// ---------------------------------------------------------------------------------------------------------
// Text fallback

const MODIFIERS = String.raw`(?:(?:export|default|declare|public|private|protected|internal|static|final|abstract|sealed|open|override|virtual|async|suspend|inline|extern|unsafe|partial|readonly|pub(?:\([^)]*\))?|local|const)\s+)*`;

/** Keyword-introduced definitions, by kind. The name is group 1. */
const TEXT_PATTERNS: { pattern: RegExp; kind: SymbolKind }[] = [
  // Go methods: `func (c *Ctx) Run(`, qualified by the receiver type (group 1), name group 2.
  { pattern: /^\s*func\s+\(\s*(?:\w+\s+)?\*?\s*(\w+)(?:\[[^\]]*\])?\s*\)\s*(\w+)\s*[[(]/, kind: 'method' },
  { pattern: new RegExp(String.raw`^\s*${MODIFIERS}(?:def|defp|defn|defmacro|function\*?|fun|fn|func|sub|proc|procedure|method)\s+(?:self\.)?([A-Za-z_$][\w$]*[!?]?)`), kind: 'function' },
  { pattern: new RegExp(String.raw`^\s*${MODIFIERS}(?:class|struct|record|object|protocol|union)\s+([A-Za-z_$][\w$]*)`), kind: 'class' },
  { pattern: new RegExp(String.raw`^\s*${MODIFIERS}(?:interface|trait)\s+([A-Za-z_$][\w$]*)`), kind: 'interface' },
  { pattern: new RegExp(String.raw`^\s*${MODIFIERS}(?:enum(?:\s+class)?)\s+([A-Za-z_$][\w$]*)`), kind: 'enum' },
  { pattern: new RegExp(String.raw`^\s*${MODIFIERS}(?:module|namespace|mod|package\s+body)\s+([A-Za-z_$][\w$.]*)\s*(?:\{|do|is|where|;|$)`), kind: 'module' },
  { pattern: new RegExp(String.raw`^\s*${MODIFIERS}type\s+([A-Za-z_$][\w$]*)\b(?:\s*<[^>]*>)?\s*(?:=|struct|interface|\{|$)`), kind: 'type' },
  // Lua `function M.foo(` / `M.foo = function(`; shell `foo() {`.
  { pattern: /^\s*(?:local\s+)?function\s+[\w.]*[.:](\w+)\s*\(/, kind: 'function' },
  { pattern: /^([A-Za-z_][\w-]*)\s*\(\)\s*\{/, kind: 'function' },
];

/** Rust `impl Foo` / `impl<T> Trait for Foo<T>`: a container named after the type. */
const IMPL = /^\s*(?:unsafe\s+)?impl\b(?:\s*<[^>]*>)?\s+(?:[\w:]+(?:<[^>]*>)?\s+for\s+)?&?([\w:]+)/;

/**
 * Methods in C-family languages without a keyword (Java, C#, Kotlin properties aside, C++): at least one
 * modifier or a return type, a name, `(`, and not a statement (`return f(x);`, `new X(`, calls).
 */
const TYPED_METHOD = new RegExp(
  String.raw`^\s*(?:(?:public|private|protected|internal|static|final|abstract|virtual|override|synchronized|native|async|extern|inline|constexpr|explicit)\s+)*(?:[A-Za-z_][\w:<>,\[\]?*& ]*?[\w>\]*&?]\s+)\**&?([A-Za-z_~][\w]*(?:::[A-Za-z_~]\w*)*)\s*\([^;]*$`,
);
const NOT_A_DEFINITION = /^\s*(?:return|new|throw|else|if|while|for|switch|case|catch|await|yield|delete|goto|using|import|from|print|echo)\b/;
const RESERVED = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'sizeof', 'new', 'delete', 'throw', 'else', 'do', 'case']);

/**
 * Line-based definitions for languages without a grammar: keyword patterns (`def`, `class`, `function`,
 * `fn`, `func`, `struct`, `interface`, `trait`, `enum`, `module`, `type`, ...) plus typed C-family method
 * heads, nested by indentation (a definition indented under another is qualified by it). Comment lines and
 * Python triple-quoted strings are skipped, so commented-out code does not count.
 */
export function extractTextSymbols(lines: readonly string[]): SymbolDef[] {
  const out: SymbolDef[] = [];
  const open: { def: SymbolDef; indent: number }[] = [];
  let inTripleQuote: string | null = null;
  let inBlockComment = false;
  let pendingDecoratorLine: number | null = null;
  const close = (indent: number, lineNumber: number) => {
    while (open.length > 0 && open[open.length - 1].indent >= indent) {
      const { def } = open.pop()!;
      def.endLine = Math.max(def.line, lastContentLine(lines, lineNumber - 1));
    }
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.length > 2000) continue;
    const lineNumber = i + 1;
    if (inTripleQuote) {
      if (raw.includes(inTripleQuote)) inTripleQuote = null;
      continue;
    }
    if (inBlockComment) {
      if (raw.includes('*/')) inBlockComment = false;
      continue;
    }
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('/*')) {
      if (!trimmed.includes('*/')) inBlockComment = true;
      continue;
    }
    if (/^(?:#(?!\[)|\/\/|\*|--|;|%|')/.test(trimmed)) continue;
    const triple = /("""|''')/.exec(trimmed);
    if (triple && trimmed.split(triple[1]).length === 2 && !/^\s*(?:def|class)\b/.test(trimmed)) {
      inTripleQuote = triple[1];
      continue;
    }
    const indent = raw.length - raw.trimStart().length;
    if (trimmed.startsWith('@') || trimmed.startsWith('#[')) {
      pendingDecoratorLine ??= lineNumber;
      continue;
    }
    const found = matchDefinition(raw);
    if (found) {
      close(indent, lineNumber);
      const scope = open.map((entry) => entry.def.name);
      const qualifier = found.qualifier ? [...scope, found.qualifier] : scope;
      const kind: SymbolKind = found.kind === 'function' && open.some((entry) => entry.def.kind === 'class' || entry.def.kind === 'struct') ? 'method' : found.kind;
      const names = found.name.split('::');
      const name = names[names.length - 1];
      const def: SymbolDef = {
        name,
        qualifiedName: [...qualifier, ...names].join('.'),
        kind,
        line: lineNumber,
        startLine: pendingDecoratorLine ?? lineNumber,
        endLine: lineNumber,
      };
      if (!found.containerOnly) out.push(def);
      open.push({ def, indent });
    } else if (!/^(?:[)\]}]|end\b)/.test(trimmed)) {
      close(indent, lineNumber);
    }
    pendingDecoratorLine = null;
  }
  close(-1, lines.length + 1);
  return out;
}

function lastContentLine(lines: readonly string[], from: number): number {
  let line = Math.min(from, lines.length);
  while (line > 1 && lines[line - 1].trim() === '') line--;
  return line;
}

function matchDefinition(line: string): { name: string; qualifier: string | null; kind: SymbolKind; containerOnly: boolean } | null {
  const impl = IMPL.exec(line);
  if (impl) {
    const name = impl[1].split('::').pop()!;
    return { name, qualifier: null, kind: 'class', containerOnly: true };
  }
  for (const { pattern, kind } of TEXT_PATTERNS) {
    const match = pattern.exec(line);
    if (!match) continue;
    if (match[2] !== undefined) return { name: match[2], qualifier: match[1], kind, containerOnly: false };
    return { name: match[1], qualifier: null, kind, containerOnly: false };
  }
  if (NOT_A_DEFINITION.test(line)) return null;
  const typed = TYPED_METHOD.exec(line);
  if (typed && !RESERVED.has(typed[1]) && !/[=.]/.test(line.slice(0, typed.index + typed[0].indexOf(typed[1])))) {
    return { name: typed[1], qualifier: null, kind: 'function', containerOnly: false };
  }
  return null;
}
