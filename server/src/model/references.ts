/**
 * Recognising file references in the text DocPlan already parsed: code spans (`src/x.py:42`), prose
 * (`see src/x.py:42`), Markdown links and code-block header comments (`# src/x.py:664`). Resolution against
 * the workspace happens elsewhere (`workspace/referenceTarget.ts`): these are candidates, and only those that
 * resolve, or whose first segment exists, are references.
 */
import type { ReferenceForm } from './types';

/** A path, optionally followed by `:line`, `:start-end` or `#Lline(-Lend)`. */
const PATH_WITH_LINES =
  /^(?<path>(?:\.{1,2}\/|\/)?(?:[\w@+.-]+\/)*[\w@+-][\w@+.-]*)(?::(?<line>\d+)(?:-(?<end>\d+))?|#L(?<anchorLine>\d+)(?:-L?(?<anchorEnd>\d+))?)?$/;

/** A parsed reference shape. */
export interface ReferenceShape {
  form: ReferenceForm;
  path: string;
  line: number | null;
  endLine: number | null;
}

/** Looks like a file path: has a directory part or a file extension, and is not a version or a URL. */
export function looksLikePath(path: string): boolean {
  if (path.length < 3 || path.length > 1024) return false;
  if (/^[\d.]+$/.test(path)) return false; // versions, numbers
  if (path.includes('://') || path.startsWith('www.')) return false;
  if (/^v?\d+(?:\.\d+)+(?:[-+][\w.]+)?$/.test(path)) return false; // v1.2.3, 1.2.3-beta
  const base = path.split('/').pop() ?? '';
  const hasExtension = /\.[A-Za-z][A-Za-z0-9]{0,9}$/.test(base);
  const hasDirectory = path.includes('/') && /[A-Za-z]/.test(path);
  if (!hasExtension && !hasDirectory) return false;
  // `a.b` identifiers (`step.fn`, `ray.remote`) look like `name.ext`; require a known-looking extension
  // or a directory before accepting a dotted word without a slash.
  if (!path.includes('/') && !KNOWN_EXTENSION.test(base)) return false;
  return true;
}

/** True when a file name ends in an extension of source, config or docs (`x.py`, `kep.yaml`). */
export function hasKnownExtension(name: string): boolean {
  return KNOWN_EXTENSION.test(name);
}

const KNOWN_EXTENSION =
  /\.(?:py|pyi|ts|tsx|js|jsx|mjs|cjs|go|rs|java|kt|kts|scala|c|cc|cpp|cxx|h|hh|hpp|cs|rb|php|swift|m|mm|sh|bash|zsh|ps1|sql|proto|md|mdx|rst|txt|json|jsonc|ya?ml|toml|ini|cfg|conf|lock|xml|html|css|scss|less|vue|svelte|lua|r|jl|ex|exs|erl|hs|ml|clj|dart|tf|gradle|properties|env|dockerfile|ipynb|csv|tsv)$/i;

/** Parses `path`, `path:line`, `path:start-end` or `path#L12(-L20)`; null when it is not a file reference. */
export function parseReferenceText(text: string): ReferenceShape | null {
  const trimmed = text.trim();
  const match = PATH_WITH_LINES.exec(trimmed);
  if (!match?.groups) return null;
  const { path, line, end, anchorLine, anchorEnd } = match.groups;
  if (!looksLikePath(path)) return null;
  if (line !== undefined) {
    return { form: end !== undefined ? 'path-range' : 'path-line', path, line: Number(line), endLine: end !== undefined ? Number(end) : null };
  }
  if (anchorLine !== undefined) {
    return { form: 'path-anchor-line', path, line: Number(anchorLine), endLine: anchorEnd !== undefined ? Number(anchorEnd) : null };
  }
  return { form: 'path', path, line: null, endLine: null };
}

/**
 * Finds `path:line` and `name.ext:line` references in prose. Paths without a line are too ambiguous in
 * prose; whether a match names a workspace file is decided when it is resolved.
 */
export const PROSE_REFERENCE = /(?<![\w/.:@-])((?:\.{1,2}\/)?(?:[\w@+.-]+\/)*[\w@+-][\w@+.-]*\.[A-Za-z][A-Za-z0-9]{0,9}):(\d+)(?:-(\d+))?(?![\w:/])/g;

/** Matches a code block's header comment: `# src/x.py:664`, `// src/x.ts:12 (modify)`. */
export const CODE_HEADER = /^\s*(?:#|\/\/|--|;|<!--)\s*(\S+?)(?:\s+\(.*\))?\s*(?:-->)?\s*$/;

/** Text after a reference that names its symbol: ` - FrayContext.run()`, `: Backend protocol`. */
const SYMBOL_AFTER = /^\s*(?:[-–—:]|\()\s*`?([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?:\(\))?`?/;

/** The symbol named right after a reference on the same line, if any. */
export function symbolAfter(rest: string): string | null {
  const match = SYMBOL_AFTER.exec(rest);
  if (!match) return null;
  const symbol = match[1];
  // A capitalised or dotted name, or a call (`run()`), is a symbol; a plain lower-case word is prose.
  return /[A-Z.]/.test(symbol) || /\(\)/.test(match[0]) ? symbol : null;
}

/**
 * The code a line-less file reference names as living in that file: "`Rebuild()` in `rebuild.go`" (a call
 * right before, joined by "in") or "`rebuild.go` — `Rebuild()`" (a call right after). Only calls count: a
 * bare word next to a path is too often prose.
 */
export function symbolOfFileMention(before: string, rest: string): string | null {
  const ahead = /`([A-Za-z_$][\w$]*(?:(?:\.|::)[A-Za-z_$][\w$]*)*)\(\)`\s+(?:in|from|of)\s+(?:\*\*)?$/.exec(before);
  if (ahead) return ahead[1];
  const after = /^(?:\*\*)?\s*(?:[-–—:]|\()\s*`([A-Za-z_$][\w$]*(?:(?:\.|::)[A-Za-z_$][\w$]*)*)\(\)`/.exec(rest);
  return after ? after[1] : null;
}

const DEFINITION =
  /^\s*(?:export\s+)?(?:async\s+)?(?:def|class|function|fn|func|interface|type|struct|enum|trait|impl|const|let|var|pub(?:\([^)]*\))?\s+(?:fn|struct|enum|trait))\s+(?:\([^)]*\)\s*)?([A-Za-z_$][\w$]*)/;

/** The first definition in a code block (the symbol a `# path:line` header is about), skipping decorators. */
export function firstDefinition(code: string): string | null {
  for (const line of code.split(/\r?\n/).slice(1, 40)) {
    const match = DEFINITION.exec(line);
    if (match) return match[1];
  }
  return null;
}
