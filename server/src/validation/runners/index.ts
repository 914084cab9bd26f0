/**
 * The entry points for rules and editor features: check a validation command against the test index,
 * decide the severity of a finding from its stage, complete test names, and find the selector under the
 * cursor (hover, document links). All synchronous (await `TestIndex.prepareFor(commands)` first) and never throwing.
 */
import type { Command, Range, Stage } from '../../model/types';
import { analyzeCommand, type CommandAnalysis, type Invocation, type RunnerId, type Word } from '../command';
import type { TestIndex } from '../index';
import { cargoRunner } from './cargo';
import { goRunner } from './go';
import { escapeRegExp } from './javascript';
import { jestRunner } from './jest';
import { mochaRunner } from './mocha';
import { nodeTestRunner } from './nodeTest';
import { parseNodeId, pytestRunner } from './pytest';
import type { Runner, TestRef, Verdict } from './types';
import { vitestRunner } from './vitest';

export type { Runner, TestRef, Verdict, StubRequest } from './types';
export { planStub, type StubEdit } from './stubs';

export const RUNNERS: Readonly<Record<RunnerId, Runner>> = {
  pytest: pytestRunner,
  jest: jestRunner,
  vitest: vitestRunner,
  'node-test': nodeTestRunner,
  mocha: mochaRunner,
  go: goRunner,
  cargo: cargoRunner,
};

/** A command, understood and checked. */
export interface CommandCheck {
  analysis: CommandAnalysis;
  results: { invocation: Invocation; verdicts: Verdict[] }[];
}

/** Analyses a command and checks every runner invocation in it. Never throws. */
export function checkCommand(text: string, index: TestIndex): CommandCheck {
  const analysis = analyzeCommand(text, { readScript: index.readScript });
  if (analysis.status !== 'ok') return { analysis, results: [] };
  const results = analysis.invocations.map((invocation) => {
    try {
      return { invocation, verdicts: RUNNERS[invocation.runner].check(invocation, index) };
    } catch (error) {
      const reason = `internal error while checking: ${error instanceof Error ? error.message : String(error)}`;
      return { invocation, verdicts: [{ status: 'unknown', word: null, flag: null, text, reason } as Verdict] };
    }
  });
  return { analysis, results };
}

/**
 * Severity of a `test-file-missing` / `test-not-found` finding: `error` where the stage is marked done,
 * `info` ("not written yet") where the stage is not started and its Changes mention the test or its file,
 * `warning` otherwise (also outside any stage).
 */
export function findingSeverity(stage: Stage | null, verdict: Verdict): 'error' | 'warning' | 'info' {
  if (!stage) return 'warning';
  if (stage.state === 'done' || stage.mark === 'done') return 'error';
  if (stage.state === 'not-started' && changesMention(stage, verdict)) return 'info';
  return 'warning';
}

/** True when a stage's change items name the test, its file or the file's base name. */
export function changesMention(stage: Stage, verdict: Verdict): boolean {
  if (verdict.status !== 'file-missing' && verdict.status !== 'test-not-found') return false;
  const needles = new Set<string>();
  const name = verdict.status === 'test-not-found' ? verdict.name : null;
  if (name && name.length >= 3) needles.add(name.toLowerCase());
  if (verdict.stub?.name && verdict.stub.name.length >= 3) needles.add(verdict.stub.name.toLowerCase());
  if (verdict.relPath) {
    needles.add(verdict.relPath.toLowerCase());
    const base = verdict.relPath.slice(verdict.relPath.lastIndexOf('/') + 1).toLowerCase();
    if (base.length >= 3) needles.add(base);
  }
  if (verdict.status === 'file-missing') {
    const written = parseNodeId(verdict.text).path.toLowerCase();
    if (written.length >= 3) needles.add(written);
  }
  const haystacks = [...stage.changes.map((item) => item.text), ...(stage.parts.changes?.paragraphs.map((p) => p.text) ?? [])].map((text) => text.toLowerCase());
  return haystacks.some((text) => [...needles].some((needle) => text.includes(needle)));
}

/**
 * The document range of offsets `start`-`end` of a command's text, when the command sits on one line of
 * the document exactly as its text (inline code, a one-line fence command); null otherwise (use the
 * command's whole range).
 */
export function commandOffsetRange(command: Command, start: number | null, end: number | null): Range | null {
  if (start === null || end === null) return null;
  const { range, text } = command;
  if (range.start.line !== range.end.line || range.end.character - range.start.character !== text.length) return null;
  if (start < 0 || end > text.length || start > end) return null;
  return { start: { line: range.start.line, character: range.start.character + start }, end: { line: range.start.line, character: range.start.character + end } };
}

/** The verdict whose selector word covers `offset` of the command text (hover, go-to). */
export function verdictAt(check: CommandCheck, offset: number): { invocation: Invocation; verdict: Verdict } | null {
  for (const { invocation, verdicts } of check.results) {
    for (const verdict of verdicts) {
      const word = verdict.word;
      if (word && word.start !== null && word.end !== null && word.start <= offset && offset <= word.end) return { invocation, verdict };
    }
  }
  return null;
}

/** Document links of a checked command: selectors that name one place (a test, a file). */
export function verdictLinks(check: CommandCheck): { start: number; end: number; relPath: string; line: number; column: number }[] {
  const out: { start: number; end: number; relPath: string; line: number; column: number }[] = [];
  for (const { verdicts } of check.results) {
    for (const verdict of verdicts) {
      if (verdict.status !== 'ok' || !verdict.location || !verdict.word || verdict.word.start === null || verdict.word.end === null) continue;
      out.push({ start: verdict.word.start, end: verdict.word.end, ...verdict.location });
    }
  }
  return out;
}

/** Markdown for a hover over a selector. */
export function verdictHover(verdict: Verdict): string {
  const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
  switch (verdict.status) {
    case 'ok': {
      if (verdict.location) return `${code(verdict.text)}: ${verdict.location.relPath}:${verdict.location.line}`;
      if (verdict.matches.length === 0) return `${code(verdict.text)}`;
      const lines = verdict.matches.slice(0, 10).map((m) => `- ${code(m.id)} (${m.relPath}:${m.line})`);
      return `${code(verdict.text)} selects ${verdict.matches.length}${verdict.matches.length === 50 ? '+' : ''} test${verdict.matches.length === 1 ? '' : 's'}:\n\n${lines.join('\n')}${verdict.matches.length > 10 ? '\n- ...' : ''}`;
    }
    case 'file-missing':
    case 'test-not-found':
      return `${verdict.message}${verdict.suggestions.length > 0 ? `. Did you mean ${verdict.suggestions.map(code).join(', ')}?` : ''}`;
    case 'unknown':
      return `${code(verdict.text)}: not checked (${verdict.reason})`;
  }
}

/** A completion candidate for a test name inside a command. */
export interface TestNameCompletion {
  /** Offsets of the command text the completion replaces. */
  start: number;
  end: number;
  items: { label: string; insertText: string; detail: string; relPath: string; line: number }[];
}

const NAME_FLAGS: Record<RunnerId, string[]> = {
  pytest: ['-k'],
  jest: ['-t', '--testNamePattern'],
  vitest: ['-t', '--testNamePattern'],
  mocha: ['-g', '--grep', '-f', '--fgrep'],
  'node-test': ['--test-name-pattern'],
  go: ['-run', '--run'],
  cargo: [],
};

/**
 * Test names to complete at `offset` of a command: after `file.py::` (pytest node ids), after `-k `,
 * `-t `, `--grep `, `--test-name-pattern `, `-run ` (and their `=` forms), and cargo's name filter.
 */
export function completeTestName(text: string, offset: number, index: TestIndex): TestNameCompletion | null {
  try {
    const analysis = analyzeCommand(text, { readScript: index.readScript });
    if (analysis.status !== 'ok') return null;
    for (const invocation of analysis.invocations) {
      const result = completeIn(invocation, text, offset, index);
      if (result) return result;
    }
    return null;
  } catch {
    return null;
  }
}

function completeIn(invocation: Invocation, text: string, offset: number, index: TestIndex): TestNameCompletion | null {
  const runner = RUNNERS[invocation.runner];
  const args = invocation.args;
  const flags = NAME_FLAGS[invocation.runner];
  const located = args.filter((w) => w.start !== null && w.end !== null) as (Word & { start: number; end: number })[];
  const current = located.find((w) => w.start <= offset && offset <= w.end);
  const quoted = (start: number) => start > 0 && (text[start - 1] === '"' || text[start - 1] === "'");
  const items = (refs: TestRef[], regex: boolean, needQuotes: boolean) => {
    const seen = new Set<string>();
    const out: TestNameCompletion['items'] = [];
    for (const ref of refs) {
      if (seen.has(ref.id)) continue;
      seen.add(ref.id);
      const value = regex ? escapeRegExp(ref.id) : ref.id;
      out.push({ label: ref.id, insertText: needQuotes && /[\s"'$`\\|&;<>()*?[\]]/.test(value) ? `"${value.replace(/(["\\$`])/g, '\\$1')}"` : value, detail: `${ref.relPath}:${ref.line}`, relPath: ref.relPath, line: ref.line });
    }
    return out;
  };
  // pytest node id: `tests/x.py::Class::te|`.
  if (invocation.runner === 'pytest' && current && current.value.includes('::') && offset - current.start > current.value.indexOf('::')) {
    const upTo = current.value.slice(0, offset - current.start);
    const parts = upTo.split('::');
    const lastSep = upTo.lastIndexOf('::');
    const refs = runner.names(invocation, index, '::', { file: parts[0], suites: parts.slice(1, -1) });
    return { start: current.start + lastSep + 2, end: current.end, items: items(refs, false, false) };
  }
  const regexFlag = invocation.runner !== 'pytest' && invocation.runner !== 'cargo';
  // `--flag=val|`
  if (current) {
    const eq = current.value.indexOf('=');
    const flag = eq > 0 ? current.value.slice(0, eq) : null;
    if (flag && flags.includes(flag) && offset - current.start > eq) {
      return { start: current.start + eq + 1, end: current.end, items: items(runner.names(invocation, index, flag, {}), regexFlag && flag !== '--fgrep', !quoted(current.start)) };
    }
    const position = located.indexOf(current);
    const previous = position > 0 ? located[position - 1] : null;
    if (previous && flags.includes(previous.value)) {
      return { start: current.start, end: current.end, items: items(runner.names(invocation, index, previous.value, {}), regexFlag && previous.value !== '--fgrep' && previous.value !== '-f', !quoted(current.start)) };
    }
  }
  // `-k |` (nothing typed yet).
  const before = [...located].reverse().find((w) => w.end <= offset);
  if (!current && before && flags.includes(before.value) && /^\s+$/.test(text.slice(before.end, offset))) {
    return { start: offset, end: offset, items: items(runner.names(invocation, index, before.value, {}), regexFlag && before.value !== '--fgrep' && before.value !== '-f', true) };
  }
  return null;
}
