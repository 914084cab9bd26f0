/** Recognising validation commands inside code spans and shell blocks (shape only; runners live in workspace/). */

const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'zsh', 'console', 'shellscript', 'shell-session', 'powershell', 'ps1', 'cmd', 'fish']);

/** True for a fenced block whose language is a shell (or unlabelled). */
export function isShellBlock(lang: string | null): boolean {
  return lang === null || lang === '' || SHELL_LANGS.has(lang.toLowerCase());
}

const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=\S*$/;
const PROGRAM = /^(?:\.{0,2}\/)?[A-Za-z_][\w.+/-]*$/;
/** Single-word commands that are runnable on their own. */
const BARE_COMMANDS = new Set(['make', 'pytest', 'tox', 'nox', 'jest', 'vitest', 'mocha', 'cargo', 'go', 'npm', 'pnpm', 'yarn', 'just', 'bazel', 'gradle', 'mvn', 'ctest']);

/**
 * Whether a code span's text reads as a shell command (`uv run pytest tests/x.py -v`, `make test`) rather
 * than a symbol, a path or a code fragment (`FrayContext.run()`, `src/x.py:42`).
 */
export function looksLikeCommand(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 4000 || trimmed.includes('\n')) return false;
  const tokens = trimmed.split(/\s+/);
  let index = 0;
  while (index < tokens.length - 1 && ENV_ASSIGNMENT.test(tokens[index])) index++;
  const program = tokens[index];
  if (!PROGRAM.test(program)) return false;
  if (/:\d/.test(program) || /\.(?:py|ts|js|go|rs|md|json|ya?ml|toml)$/.test(program) && !program.startsWith('./')) return false;
  if (index === tokens.length - 1) return BARE_COMMANDS.has(program);
  // A second token that is punctuation suggests prose or code (`a = b`, `x -> y`).
  const next = tokens[index + 1];
  return !/^(?:=|->|=>|→|\||:|\+|\*)$/.test(next);
}

/** A command found in a shell block: text, line within the block, and the `# Expected:` note after it. */
export interface BlockCommand {
  text: string;
  /** 0-based line within the block's value where the command starts. */
  firstLine: number;
  lastLine: number;
  /** Column of the command's first character in its first line (after a `$ ` prompt). */
  column: number;
  expected: string | null;
}

/**
 * Splits a shell block into commands: skips blank lines and `#` comments, strips `$ `/`> ` prompts (and,
 * in `console` blocks, treats unprompted lines as output), joins `\` continuations, and attaches
 * `# Expected: ...` comments to the command before them.
 */
export function commandsInShellBlock(value: string, lang: string | null): BlockCommand[] {
  const lines = value.split(/\r?\n/);
  const promptOnly = lang !== null && ['console', 'shell-session'].includes(lang.toLowerCase());
  const commands: BlockCommand[] = [];
  let pending: BlockCommand | null = null;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (pending && pending.text.endsWith('\\')) {
      pending.text = pending.text.slice(0, -1).trimEnd() + ' ' + raw.trim();
      pending.lastLine = i;
      continue;
    }
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      const expected = /^#\s*expected\s*:\s*(.+)$/i.exec(trimmed);
      const last = commands.at(-1);
      if (expected && last && last.expected === null) last.expected = expected[1].trim();
      continue;
    }
    const prompt = /^(\s*)(?:\$|>|PS>)\s+/.exec(raw);
    if (promptOnly && !prompt) continue;
    const column = prompt ? prompt[0].length : raw.length - raw.trimStart().length;
    pending = { text: raw.slice(column).trimEnd(), firstLine: i, lastLine: i, column, expected: null };
    commands.push(pending);
  }
  return commands;
}
