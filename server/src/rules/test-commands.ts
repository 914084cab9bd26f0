/**
 * Shared by `test-file-missing` and `test-not-found`: every validation command of every stage, checked
 * against the folder's test index (`validation/runners`), turned into findings with the stage-dependent
 * severity and the quick fixes (replace with the nearest name or file, create a failing stub).
 *
 * Commands DocPlan cannot judge (unparsable shell, unknown runners, `$(...)`, variables, dynamic test
 * names) get nothing here: hovering them says why they were not checked.
 */
import { posix } from 'node:path';
import type { Command, DocModel, Range, Stage } from '../model/types';
import type { Invocation } from '../validation/command';
import type { TestIndex } from '../validation/index';
import { checkCommand, commandOffsetRange, findingSeverity, planStub, type Verdict } from '../validation/runners/index';
import { parseNodeId } from '../validation/runners/pytest';
import type { Fix, RuleContext } from './types';
import { allStages, stageName } from './stages';
import { analyzeReferences } from './references-shared';
import { inSubmodule } from './missingPathShapes';

type Missing = Extract<Verdict, { status: 'file-missing' | 'test-not-found' }>;

/** A stage's validation command, attributed to the innermost stage that lists it. */
export interface StageCommand {
  stage: Stage;
  command: Command;
}

/** Every command of every stage and step once (a step's command is the step's, not its phase's). */
export function stageCommands(model: DocModel): StageCommand[] {
  const byPosition = new Map<string, StageCommand>();
  for (const stage of allStages(model)) {
    for (const command of stage.commands) byPosition.set(`${command.range.start.line}:${command.range.start.character}`, { stage, command });
  }
  return [...byPosition.values()].sort((a, b) => a.command.range.start.line - b.command.range.start.line || a.command.range.start.character - b.command.range.start.character);
}

/**
 * Reports the verdicts of one status (`file-missing` or `test-not-found`) of every stage command. The
 * severity follows the stage unless the configuration sets one for the rule.
 */
export function reportTestVerdicts(model: DocModel, context: RuleContext, status: Missing['status'], ruleId: string): void {
  const workspace = context.workspace;
  const configured = context.config.rules[ruleId]?.severity !== undefined;
  if (!workspace) return;
  const index = workspace.folder.tests;
  // Test files the doc itself says it creates are not missing until the stage that runs them is done.
  const created = status === 'file-missing' ? analyzeReferences(model, context, workspace).createdPaths : new Set<string>();
  for (const { stage, command } of stageCommands(model)) {
    // Both rules read every command, and a plan repeats its commands from stage to stage: each text once per check.
    const check = context.shared(`command\u0000${command.text}`, () => checkCommand(command.text, index));
    for (const { invocation, verdicts } of check.results) {
      for (const verdict of verdicts) {
        // A test file that does not parse is not a finding (its tests may be there), but the log says so.
        if (verdict.status === 'unknown' && /syntax error/i.test(verdict.reason)) context.note(`\`${command.text}\` not checked: ${verdict.reason}`);
        if (verdict.status !== status) continue;
        if (verdict.status === 'file-missing' && stage.state !== 'done' && created.has(verdict.relPath)) continue;
        // A test inside a git submodule is not in this checkout: nothing to say about it.
        if (verdict.status === 'file-missing' && inSubmodule(context, workspace, verdict.relPath)) continue;
        const severity = findingSeverity(stage, verdict);
        context.report({
          message: message(stage, verdict, severity),
          range: findingRange(command, verdict),
          ...(configured ? {} : { severity }),
          fixes: [...replaceFixes(command, invocation, verdict), ...stubFixes(verdict, index)],
        });
      }
    }
  }
}

function findingRange(command: Command, verdict: Missing): Range {
  if (verdict.status === 'test-not-found') {
    const name = commandOffsetRange(command, verdict.nameStart, verdict.nameEnd);
    if (name) return name;
  }
  return commandOffsetRange(command, verdict.word?.start ?? null, verdict.word?.end ?? null) ?? command.range;
}

function message(stage: Stage, verdict: Missing, severity: 'error' | 'warning' | 'info'): string {
  const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
  const parts = [`${verdict.status === 'file-missing' ? 'Test file missing' : 'Test not found'}: ${verdict.message}.`];
  if (verdict.suggestions.length > 0) parts.push(`Did you mean ${verdict.suggestions.slice(0, 3).map(code).join(', ')}?`);
  if (severity === 'info') parts.push(`(not written yet: ${stageName(stage)} is not started and its Changes add it)`);
  else if (severity === 'error') parts.push(`${stageName(stage)} is marked done, so this validation cannot have passed.`);
  return parts.join(' ');
}

/** Characters that are safe unquoted in a shell word. */
const SAFE_UNQUOTED = /^[A-Za-z0-9_./:=+,@%^$-]+$/;

/**
 * The replacement text for `value` in the command at offsets `start`-`end`, quoted as the surrounding word
 * is, or null when it cannot be written there safely.
 */
function shellSafe(text: string, start: number, end: number, wordStart: number, wordEnd: number, value: string): string | null {
  const quote = wordStart > 0 ? text[wordStart - 1] : '';
  const closed = text[wordEnd] === quote;
  const result = text.slice(wordStart, start) + value + text.slice(end, wordEnd);
  if (quote === "'" && closed) return value.includes("'") ? null : value;
  const expands = (word: string) => /["`]|\$[A-Za-z0-9_{(@*#?!$-]|\\[$`"\\\n]/.test(word) || word.endsWith('\\');
  if (quote === '"' && closed) return expands(result) ? null : value;
  if (SAFE_UNQUOTED.test(value) && !/[$]/.test(result.replace(/\$$/, ''))) return value;
  // Unquoted: a whole word can be quoted; part of a word is left alone.
  if (start === wordStart && end === wordEnd && !expands(value)) return `"${value}"`;
  return null;
}

/** "Replace `x` with `y`" for the nearest existing names (or files, for a missing file). */
function replaceFixes(command: Command, invocation: Invocation, verdict: Missing): Fix[] {
  const word = verdict.word;
  if (!word || word.start === null || word.end === null || verdict.suggestions.length === 0) return [];
  // Offsets only map to the document when the word is written as its value (no escapes inside).
  if (word.end - word.start !== word.value.length || command.text.slice(word.start, word.end) !== word.value) return [];
  let start: number;
  let end: number;
  let current: string;
  let candidates: string[];
  if (verdict.status === 'test-not-found') {
    if (verdict.nameStart === null || verdict.nameEnd === null) return [];
    start = verdict.nameStart;
    end = verdict.nameEnd;
    current = command.text.slice(start, end);
    const lead = /^\^/.test(current) ? '^' : '';
    const trail = /\$$/.test(current) && !current.endsWith('\\$') ? '$' : '';
    candidates = verdict.suggestions.map((s) => `${lead && !s.startsWith('^') ? lead : ''}${s}${trail && !s.endsWith('$') ? trail : ''}`);
  } else {
    start = word.start;
    // A pytest node id: only the path before `::` is replaced.
    const path = invocation.runner === 'pytest' ? parseNodeId(word.value).path : word.value;
    if (!word.value.startsWith(path)) return [];
    end = word.start + path.length;
    current = path;
    const dotSlash = current.startsWith('./') ? './' : '';
    // Suggestions are folder-relative paths (cargo: target names, after `--test`); commands name them from their cwd.
    candidates = verdict.suggestions.map((s) => (verdict.flag !== null ? s : `${dotSlash}${invocation.cwd === '' ? s : posix.relative(invocation.cwd, s)}`));
  }
  if (!commandOffsetRange(command, start, end)) return [];
  const fixes: Fix[] = [];
  for (const candidate of candidates.slice(0, 3)) {
    if (candidate === current || candidate === '') continue;
    const safe = shellSafe(command.text, start, end, word.start, word.end, candidate);
    if (safe === null) continue;
    const range = commandOffsetRange(command, start, end)!;
    fixes.push({ title: `Replace \`${current}\` with \`${safe}\``, edits: [{ range, newText: safe }], fixAll: false, preferred: fixes.length === 0 });
  }
  return fixes;
}

/** "Create failing test X in file": an edit of (or the creation of) the test file, never of the doc. */
function stubFixes(verdict: Missing, index: TestIndex): Fix[] {
  if (!verdict.stub) return [];
  const stub = planStub(verdict.stub, index);
  if (!stub) return [];
  const at = { line: stub.line, character: stub.character };
  return [
    {
      title: stub.title,
      edits: [],
      fixAll: false,
      otherFiles: [{ absPath: stub.absPath, create: stub.create, edits: [{ range: { start: at, end: at }, newText: stub.text }] }],
    },
  ];
}
