/**
 * Which commands a "run" means (one command, one stage with its steps, a whole doc) and how a command
 * is identified across edits. Works on the model's `Stage` and on the protocol's `StageNode` alike.
 *
 * A command's identity is its stage number, its text and its occurrence among commands with the same
 * text in that stage: not its line. Lines move while a doc is edited (and while a command runs); a
 * result keyed this way follows its command when lines are inserted above it, and is dropped (matches
 * nothing) when the command's text or its stage changes.
 */

/** The shape shared by the model's Stage and the protocol's StageNode that running needs. */
export interface StageLike<T extends StageLike<T>> {
  label: string;
  number: string;
  title: string;
  commands: readonly { text: string; expectedOutcome?: 'pass' | 'fail' | null }[];
  children: readonly T[];
}

/** One command to run, with its identity. */
export interface RunTarget {
  /** `commandKey(stageNumber, text, occurrence)`. */
  key: string;
  stageLabel: string;
  stageNumber: string;
  stageTitle: string;
  /** Index in the stage's `commands`. */
  index: number;
  text: string;
  /** 0 for the first command with this text in the stage, 1 for the second, ... */
  occurrence: number;
  /** The outcome the doc expects (`fail` for a test-first step); null: success. */
  expectedOutcome: 'pass' | 'fail' | null;
}

/** The identity of a command within a doc (see the module comment). */
export function commandKey(stageNumber: string, text: string, occurrence: number): string {
  return JSON.stringify([stageNumber, text.trim(), occurrence]);
}

/** The identity of a stage within a doc. */
export function stageKey(stageNumber: string): string {
  return JSON.stringify([stageNumber]);
}

/** The commands a stage itself lists (not its steps'), as targets. */
export function stageOwnTargets<T extends StageLike<T>>(stage: T): RunTarget[] {
  const seen = new Map<string, number>();
  return stage.commands.map((command, index) => {
    const text = command.text.trim();
    const occurrence = seen.get(text) ?? 0;
    seen.set(text, occurrence + 1);
    return {
      key: commandKey(stage.number, text, occurrence),
      stageLabel: stage.label,
      stageNumber: stage.number,
      stageTitle: stage.title,
      index,
      text,
      occurrence,
      expectedOutcome: command.expectedOutcome ?? null,
    };
  });
}

/** A stage's commands followed by those of its steps, in document order of stages. */
export function stageTargets<T extends StageLike<T>>(stage: T): RunTarget[] {
  return [...stageOwnTargets(stage), ...stage.children.flatMap((child) => stageTargets(child))];
}

/** Every command of a doc. */
export function documentTargets<T extends StageLike<T>>(stages: readonly T[]): RunTarget[] {
  return stages.flatMap((stage) => stageTargets(stage));
}

/** Every stage and step, depth first. */
export function allStages<T extends StageLike<T>>(stages: readonly T[]): T[] {
  return stages.flatMap((stage) => [stage, ...allStages(stage.children)]);
}

/** The stage (or step) with this number as written (`3`, `1.5`); the first when numbers repeat. */
export function findStage<T extends StageLike<T>>(stages: readonly T[], number: string): T | undefined {
  const wanted = number.trim().replace(/\.$/, '');
  return allStages(stages).find((stage) => stage.number === wanted);
}

/** The command of a doc with this identity, with its stage, or undefined when the doc no longer has it. */
export function findTarget<T extends StageLike<T>>(stages: readonly T[], key: string): { stage: T; target: RunTarget } | undefined {
  for (const stage of allStages(stages)) {
    const target = stageOwnTargets(stage).find((candidate) => candidate.key === key);
    if (target) return { stage, target };
  }
  return undefined;
}

/** A file-name-safe slug of a command line, for log file names. */
export function slug(text: string, max = 40): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return (cleaned.slice(0, max).replace(/-+$/, '') || 'command');
}

/** A log file name that sorts by time: `20250101-120000-123-npm-test.log`. */
export function logFileName(text: string, startedAt: number, sequence = 0): string {
  const stamp = new Date(startedAt).toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*$/, '');
  const millis = String(startedAt % 1000).padStart(3, '0');
  return `${stamp}-${millis}${sequence ? `-${sequence}` : ''}-${slug(text)}.log`;
}
