/**
 * Definitions found line by line, for languages without a grammar and files whose grammar failed to load:
 * keyword patterns, typed C-family method heads, nesting by indentation.
 */
import type { SymbolDef, SymbolKind } from './symbolDef';


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
