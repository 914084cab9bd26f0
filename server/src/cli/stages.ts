/**
 * `docplan stages <doc>`: the model's stages as JSON (a stable, versioned shape) or as a readable tree.
 *
 * JSON shape (`version: 1`; ranges are LSP ranges: 0-based lines, UTF-16 columns):
 *
 * ```
 * { version: 1, file: string, kind: 'design' | 'plan' | 'tracker' | null, profile: string | null,
 *   title: string | null, stages: StageJson[] }
 * StageJson = { label, number, title, state: 'done' | 'in-progress' | 'not-started',
 *   mark: 'done' | 'in-progress' | 'pending' | null, range, headingRange, validationRange: Range | null,
 *   changes: ItemJson[], validation: ItemJson[], completionCriteria: ItemJson[],
 *   commands: { text, source: 'inline-code' | 'fence', checked: boolean | null, expected: string | null,
 *     expectedOutcome: 'pass' | 'fail' | null, range }[], workUnit?: false (a heading that only groups stages),
 *   dependsOn: string[], children: StageJson[] }
 * ItemJson = { text, checked: boolean | null, range }
 * ```
 */
import type { DocKind, DocModel, ListItem, Stage, StageState } from '../model/types';
import { stageNode } from '../features/stages';
import type { StageChangeNode, StageCommandNode, StageNode } from '../protocol';

/** A checklist item. */
export type ItemJson = StageChangeNode;

/** A validation command; `checked` is the checkbox of the list item holding it, or null. */
export type CommandJson = StageCommandNode;

/** A stage as the language server's `docplan/stages` gives it, plus its other checklists and dependencies. */
export interface StageJson extends Omit<StageNode, 'children'> {
  validation: ItemJson[];
  completionCriteria: ItemJson[];
  dependsOn: string[];
  children: StageJson[];
}

export interface StagesJson {
  version: 1;
  file: string;
  kind: DocKind | null;
  /** The profile (document family) the doc was read with, or null. */
  profile: string | null;
  title: string | null;
  stages: StageJson[];
}

function item(entry: ListItem): ItemJson {
  return { text: entry.text, checked: entry.checked, range: entry.range };
}

function stageJson(stage: Stage): StageJson {
  return {
    ...stageNode(stage),
    validation: stage.validationItems.map(item),
    completionCriteria: stage.completionCriteria.map(item),
    dependsOn: stage.dependsOn.map((mention) => mention.number),
    children: stage.children.map(stageJson),
  };
}

/** The JSON document for `docplan stages --json`. A doc that is not a DocPlan doc has no stages. */
export function stagesJson(file: string, model: DocModel): StagesJson {
  const docplan = model.kind !== null && !model.disabled;
  return {
    version: 1,
    file,
    kind: docplan ? model.kind : null,
    profile: docplan ? model.profile : null,
    title: model.title?.text ?? null,
    stages: docplan ? model.stages.map(stageJson) : [],
  };
}

const STATE_ICON: Record<StageState, string> = { done: '✔', 'in-progress': '◐', 'not-started': '○' };

function box(checked: boolean | null): string {
  return checked === null ? '-' : checked ? '[x]' : '[ ]';
}

/** A readable tree of the stages. */
export function formatStagesText(doc: StagesJson): string {
  const out: string[] = [];
  const kind = doc.kind === null ? 'not a DocPlan doc' : doc.profile ? `${doc.kind}, profile ${doc.profile}` : doc.kind;
  out.push(`${doc.file} (${kind})${doc.title ? `: ${doc.title}` : ''}`);
  if (doc.kind === null) {
    out.push('  no stages: the document is not a design doc, plan or tracker');
    return out.join('\n') + '\n';
  }
  if (doc.stages.length === 0) out.push('  no stages');
  const visit = (stage: StageJson, indent: string) => {
    const mark = stage.mark && stage.mark !== stage.state ? ` (marked ${stage.mark})` : '';
    const title = stage.title ? `: ${stage.title}` : '';
    const name = stage.label === '' ? `${stage.number}.` : `${stage.label} ${stage.number}`;
    out.push(`${indent}${STATE_ICON[stage.state]} ${name}${title}  [${stage.state}${mark}]  line ${stage.headingRange.start.line + 1}`);
    const inner = `${indent}    `;
    if (stage.changes.length > 0) {
      const done = stage.changes.filter((change) => change.checked === true).length;
      const checkable = stage.changes.filter((change) => change.checked !== null).length;
      out.push(`${indent}  Changes${checkable > 0 ? ` (${done}/${checkable} done)` : ''}`);
      for (const change of stage.changes) out.push(`${inner}${box(change.checked)} ${change.text}`);
    }
    if (stage.commands.length > 0) {
      out.push(`${indent}  Commands`);
      for (const command of stage.commands) {
        const state = command.checked === null ? '' : `${box(command.checked)} `;
        const expected = command.expected ? `  (expected: ${command.expected})` : command.expectedOutcome === 'fail' ? '  (expected to fail)' : '';
        out.push(`${inner}${state}$ ${command.text}${expected}`);
      }
    }
    if (stage.dependsOn.length > 0) out.push(`${indent}  Depends on: ${stage.dependsOn.join(', ')}`);
    for (const child of stage.children) visit(child, `${indent}  `);
  };
  for (const stage of doc.stages) visit(stage, '  ');
  return out.join('\n') + '\n';
}
