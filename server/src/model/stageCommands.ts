/**
 * A stage's validation commands: inline-code commands and shell-block lines of its Validation part, and the
 * `Run: \`cmd\`` step lines anywhere in its own content, each with the outcome the doc expects
 * (`Expected: FAIL` after a test-first step, `# Expected: PASSED` in a block).
 */
import type { BuildContext } from './context';
import { within } from './facts';
import { commandsInShellBlock, isShellBlock, looksLikeCommand } from './commands';
import { expectedOutcome } from './vocabulary';
import type { Command, ListItem, Stage } from './types';
import { lineStartBefore } from './text';

/** Text before a code span on its line that makes it a run step: `Run: `, `- **Run:** `, `1. Run `. */
const RUN_PREFIX = /^\s*(?:>\s*)*(?:[-*+]\s+|\d+[.)]\s+)?(?:\[[ xX]\]\s+)?(?:\*\*|__)?(?:run|command)(?:\*\*|__)?\s*:?\s*(?:\*\*|__)?\s*:?\s*$/i;
/** A line ending with `Run:` that introduces a fenced block. */
const RUN_BEFORE_FENCE = /(?:^|\s)(?:\*\*|__)?(?:run|command)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*$/i;
/** `Expected: FAIL`, `- **Expected:** PASS (3 tests)`, `Expected output: ...`. */
const EXPECTED_LINE = /^\s*(?:>\s*)*(?:[-*+]\s+)?(?:\*\*|__)?expected(?:\s+(?:result|output|outcome))?(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.+?)\s*$/i;

/** Collects the stage's commands, sorted by position. */
export function stageCommands(
  context: BuildContext,
  stage: Stage,
  region: { start: number; ownEnd: number },
  validationSpan: { start: number; end: number } | null,
): Command[] {
  const commands: Command[] = [];
  const part = stage.parts.validation;
  if (part && validationSpan) commands.push(...partCommands(context, part.items, validationSpan.start, validationSpan.end));
  const seen = new Set(commands.map((command) => `${command.range.start.line}:${command.range.start.character}`));
  for (const command of runLineCommands(context, region.start, region.ownEnd)) {
    const key = `${command.range.start.line}:${command.range.start.character}`;
    const existing = commands.find((candidate) => `${candidate.range.start.line}:${candidate.range.start.character}` === key);
    if (existing) {
      existing.runLine = true;
      existing.expected ??= command.expected;
      existing.expectedOutcome = expectedOutcome(existing.expected);
    } else if (!seen.has(key)) {
      commands.push(command);
    }
  }
  return commands.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

function partCommands(context: BuildContext, items: ListItem[], start: number, end: number): Command[] {
  const { lines, facts } = context;
  const commands: Command[] = [];
  const partItems = within(facts.listItems, start, end);
  const insideItem = (offset: number) => partItems.some((item) => item.start <= offset && offset < item.end);
  for (const item of items) {
    for (const span of item.codeSpans) {
      if (!looksLikeCommand(span.text)) continue;
      const [innerStart, innerEnd] = context.codeSpanInner(lines.offsetAt(span.range.start), lines.offsetAt(span.range.end), span.text);
      commands.push({ text: span.text.trim(), range: lines.range(innerStart, innerEnd), source: 'inline-code', item, expected: null, expectedOutcome: null });
    }
  }
  // Code spans in the part's own paragraphs (`**Validate**: \`make test\``, `**Independent Test**: run \`x\``).
  for (const code of within(facts.inlineCode, start, end)) {
    if (code.context !== 'paragraph' || !looksLikeCommand(code.text) || insideItem(code.start)) continue;
    const [innerStart, innerEnd] = context.codeSpanInner(code.start, code.end, code.text);
    commands.push({ text: code.text.trim(), range: lines.range(innerStart, innerEnd), source: 'inline-code', item: null, expected: null, expectedOutcome: null });
  }
  for (const code of within(facts.codeBlocks, start, end)) commands.push(...fenceCommands(context, code));
  return commands;
}

function fenceCommands(context: BuildContext, code: BuildContext['facts']['codeBlocks'][number], runLine = false): Command[] {
  if (!code.fenced || !isShellBlock(code.lang) || code.firstLineStart < 0) return [];
  const { lines } = context;
  const firstLine = lines.positionAt(code.firstLineStart).line;
  const valueLines = code.value.split(/\r?\n/);
  return commandsInShellBlock(code.value, code.lang).map((command) => {
    const startLine = firstLine + command.firstLine;
    const endLine = firstLine + command.lastLine;
    // A fence indented inside a list item has that indentation removed from its value: add it back.
    const removedIndent = Math.max(0, lines.lineText(startLine).length - valueLines[command.firstLine].length);
    return {
      text: command.text,
      range: {
        start: { line: startLine, character: removedIndent + command.column },
        end: { line: endLine, character: lines.lineText(endLine).trimEnd().length },
      },
      source: 'fence' as const,
      item: null,
      expected: command.expected,
      expectedOutcome: expectedOutcome(command.expected),
      ...(runLine ? { runLine: true } : {}),
    };
  });
}

/** `Run: \`cmd\`` lines (and `Run:` before a fenced block) in `[start, end)`, with the `Expected:` line after them. */
function runLineCommands(context: BuildContext, start: number, end: number): Command[] {
  const { lines, facts, text } = context;
  const commands: Command[] = [];
  const items = within(facts.listItems, start, end);
  // The step a run line belongs to: the list item holding it, else the checklist step just above it
  // (`- [ ] **Step 2: Run the test**` followed by an unindented `Run:` line).
  const holder = (offset: number) => {
    let found: (typeof items)[number] | undefined;
    for (const item of items) if (item.start <= offset && offset < item.end && (!found || item.start >= found.start)) found = item;
    if (!found) {
      for (const item of items) if (item.end <= offset && item.checked !== null && item.depth === 0) found = item;
    }
    return found ? context.listItem(found) : null;
  };
  for (const code of within(facts.inlineCode, start, end)) {
    if (code.context === 'heading' || code.context === 'table' || !looksLikeCommand(code.text)) continue;
    const lineStart = lineStartBefore(text, code.start);
    if (!RUN_PREFIX.test(text.slice(lineStart, code.start))) continue;
    const [innerStart, innerEnd] = context.codeSpanInner(code.start, code.end, code.text);
    const range = lines.range(innerStart, innerEnd);
    const expected = expectedAfter(context, range.start.line);
    commands.push({ text: code.text.trim(), range, source: 'inline-code', item: holder(code.start), expected, expectedOutcome: expectedOutcome(expected), runLine: true });
  }
  for (const code of within(facts.codeBlocks, start, end)) {
    const fenceLine = lines.positionAt(code.start).line;
    const before = previousNonBlank(context, fenceLine);
    if (before === null || !RUN_BEFORE_FENCE.test(lines.lineText(before))) continue;
    const found = fenceCommands(context, code, true);
    const endLine = lines.positionAt(code.end).line;
    const expected = expectedAfter(context, endLine);
    const item = holder(code.start);
    for (const command of found) {
      if (command.expected === null && found.length === 1) {
        command.expected = expected;
        command.expectedOutcome = expectedOutcome(expected);
      }
      command.item = item;
    }
    commands.push(...found);
  }
  return commands;
}

function previousNonBlank(context: BuildContext, line: number): number | null {
  for (let candidate = line - 1; candidate >= 0 && candidate >= line - 2; candidate--) {
    if (context.lines.lineText(candidate).trim() !== '') return candidate;
  }
  return null;
}

/** The `Expected:` note within the three non-blank lines after `line`, before another `Run:`. */
function expectedAfter(context: BuildContext, line: number): string | null {
  let seen = 0;
  for (let candidate = line + 1; candidate < context.lines.lineCount && seen < 3; candidate++) {
    const lineText = context.lines.lineText(candidate);
    if (lineText.trim() === '') continue;
    seen++;
    const match = EXPECTED_LINE.exec(lineText);
    if (match) return match[1].replace(/^[`*_]+|[`*_]+$/g, '').trim() || null;
    if (/\brun\b\s*:/i.test(lineText) || /^\s*#{1,6}\s/.test(lineText)) return null;
  }
  return null;
}
