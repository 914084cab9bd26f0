/**
 * "Create the missing test as a failing stub": the text to insert, in the right file and in the style of
 * its runner (pytest function or method, `test(...)`/`it(...)` with the file's own imports, Go `TestXxx`,
 * Rust `#[test]` in its module). The result is an insertion at a position of the target file (or a new
 * file); the server turns it into a WorkspaceEdit (create file + insert).
 */
import type { FileTests } from '../discovery/types';
import type { TestIndex } from '../index';
import type { StubRequest } from './types';

/** An insertion into (or creation of) a test file. Positions are 0-based, UTF-16. */
export interface StubEdit {
  relPath: string;
  absPath: string;
  /** Create the file (with `text` as its whole content). */
  create: boolean;
  line: number;
  character: number;
  text: string;
  /** Where the stub's name ends up (1-based line in the file after the edit), for revealing it. */
  title: string;
}

const FAIL = 'not written yet';

/** Plans the stub edit for a request, or null when the target cannot be read. */
export function planStub(request: StubRequest, index: TestIndex): StubEdit | null {
  const absPath = index.abs(request.relPath);
  const title = `Create failing test ${request.name} in ${request.relPath}`;
  if (request.create) {
    if (index.kind(request.relPath) !== null) return null;
    return { relPath: request.relPath, absPath, create: true, line: 0, character: 0, text: newFile(request, index), title };
  }
  const text = index.files.text(absPath);
  if (!text.ok) return null;
  const lines = text.lines;
  const tests = index.fileTests(request.relPath);
  const found = tests && tests.ok ? tests : null;
  const end = { line: Math.max(0, lines.length - 1), character: lines.length > 0 ? lines[lines.length - 1].length : 0 };
  const at = (insert: string, line = end.line, character = end.character): StubEdit => ({ relPath: request.relPath, absPath, create: false, line, character, text: insert, title });
  switch (request.runner) {
    case 'pytest': {
      const existing = deepestSuite(found, request.suites);
      if (existing.suite && existing.depth === request.suites.length) {
        const indent = existing.suite.bodyIndent ?? '    ';
        const after = existing.suite.endLine;
        return at(`\n\n${indent}def ${request.name}(self):\n${indent}    raise NotImplementedError("${FAIL}")`, after - 1, lines[after - 1]?.length ?? 0);
      }
      return at(`\n\n\n${pythonBlock(request.suites, request.name, '').trimEnd()}`);
    }
    case 'go':
      return at(`\n\nfunc ${request.name}(t *testing.T) {\n\tt.Fatal("${FAIL}")\n}`);
    case 'cargo': {
      const existing = deepestSuite(found, request.suites);
      if (existing.suite && existing.depth === request.suites.length && lines[existing.suite.endLine - 1]?.trim() === '}') {
        const indent = existing.suite.bodyIndent ?? '    ';
        return at(`\n${indent}#[test]\n${indent}fn ${request.name}() {\n${indent}    todo!("${FAIL}");\n${indent}}`, existing.suite.endLine - 2, lines[existing.suite.endLine - 2]?.length ?? 0);
      }
      return at(`\n\n${rustBlock(request.suites, request.name, '', request.relPath.includes('src/')).trimEnd()}`);
    }
    default:
      return at(`\n\n${jsTest(request, found).trimEnd()}`);
  }
}

function deepestSuite(found: FileTests | null, suites: string[]): { suite: FileTests['suites'][number] | null; depth: number } {
  let suite: FileTests['suites'][number] | null = null;
  let depth = 0;
  for (let i = 0; i < suites.length; i++) {
    const next = found?.suites.find((s) => s.name === suites[i] && s.suites.length === i && s.suites.every((name, k) => name === suites[k]));
    if (!next) break;
    suite = next;
    depth = i + 1;
  }
  return { suite, depth };
}

function pythonBlock(suites: string[], name: string, indent: string): string {
  if (suites.length === 0) return `${indent}def ${name}():\n${indent}    raise NotImplementedError("${FAIL}")\n`;
  const [first, ...rest] = suites;
  if (rest.length === 0) return `${indent}class ${first}:\n${indent}    def ${name}(self):\n${indent}        raise NotImplementedError("${FAIL}")\n`;
  return `${indent}class ${first}:\n${pythonBlock(rest, name, `${indent}    `)}`;
}

function rustBlock(suites: string[], name: string, indent: string, cfg: boolean): string {
  if (suites.length === 0) return `${indent}#[test]\n${indent}fn ${name}() {\n${indent}    todo!("${FAIL}");\n${indent}}\n`;
  const [first, ...rest] = suites;
  return `${cfg && indent === '' ? '#[cfg(test)]\n' : ''}${indent}mod ${first} {\n${rustBlock(rest, name, `${indent}    `, cfg)}${indent}}\n`;
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `test(...)` or `it(...)`, whichever the file imports or the runner favours. */
function jsTest(request: StubRequest, found: FileTests | null): string {
  const imported = found?.imports.flatMap((i) => (/^(?:vitest|node:test|@jest\/globals|mocha)$/.test(i.source) ? i.names : [])) ?? [];
  const fn = imported.includes('test') ? 'test' : imported.includes('it') ? 'it' : request.runner === 'mocha' ? 'it' : 'test';
  return `${fn}(${quote(request.name)}, () => {\n  throw new Error('${FAIL}');\n});\n`;
}

function newFile(request: StubRequest, index: TestIndex): string {
  switch (request.runner) {
    case 'pytest':
      return pythonBlock(request.suites, request.name, '');
    case 'go': {
      const dir = request.relPath.includes('/') ? request.relPath.slice(0, request.relPath.lastIndexOf('/')) : '';
      const sibling = index.list(dir, (p) => p.endsWith('.go'), false).files[0];
      const pkg = (sibling && /^\s*package\s+(\w+)/m.exec(index.configText(sibling) ?? '')?.[1]) || (dir.split('/').pop() || 'main').replace(/\W/g, '_');
      return `package ${pkg}\n\nimport "testing"\n\nfunc ${request.name}(t *testing.T) {\n\tt.Fatal("${FAIL}")\n}\n`;
    }
    case 'cargo':
      return rustBlock(request.suites, request.name, '', false);
    case 'vitest':
      return `import { test } from 'vitest';\n\n${jsTest(request, null)}`;
    case 'node-test':
      return request.relPath.endsWith('.cjs') ? `const { test } = require('node:test');\n\n${jsTest(request, null)}` : `import { test } from 'node:test';\n\n${jsTest(request, null)}`;
    default:
      return jsTest(request, null);
  }
}
