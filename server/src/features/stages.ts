/** The serialisable views of a model that the client's status bar and stage tree ask for. */
import type { DocModel, Stage } from '../model/types';
import type { DocumentInfo, StageNode, StagesResult } from '../protocol';
import { profileOf } from '../profiles/index';

/** One stage (and its steps) as a plain, serialisable node. */
export function stageNode(stage: Stage): StageNode {
  return {
    label: stage.label,
    number: stage.number,
    title: stage.title,
    state: stage.state,
    mark: stage.mark,
    range: stage.range,
    headingRange: stage.heading.range,
    validationRange: stage.parts.validation?.range ?? null,
    ...(stage.workUnit === false ? { workUnit: false } : {}),
    changes: stage.changes.map((item) => ({ text: item.text, checked: item.checked, range: item.range })),
    commands: stage.commands.map((command) => ({
      text: command.text,
      range: command.range,
      source: command.source,
      expected: command.expected,
      expectedOutcome: command.expectedOutcome ?? null,
      checked: command.item?.checked ?? null,
    })),
    children: stage.children.map(stageNode),
  };
}

/** `docplan/stages` for a checked document. Ordinary Markdown has no stages. */
export function stagesResult(uri: string, version: number, model: DocModel | null): StagesResult {
  if (!model || model.kind === null || model.disabled) return { uri, version, kind: null, profile: null, stages: [] };
  return { uri, version, kind: model.kind, profile: model.profile, stages: model.stages.map(stageNode) };
}

/** `docplan/documentInfo` for a document; `model` is null when it was not checked (`skipped` says why). */
export function documentInfo(uri: string, version: number, model: DocModel | null, skipped: string | null): DocumentInfo {
  if (!model) return { uri, version, kind: null, kindSource: null, stageCount: 0, title: null, skipped: skipped ?? 'not checked' };
  if (model.disabled) return { uri, version, kind: null, kindSource: model.kindSource, stageCount: 0, title: model.title?.text ?? null, skipped: 'docplan: off' };
  return {
    uri,
    version,
    kind: model.kind,
    kindSource: model.kindSource,
    profile: model.kind === null ? null : model.profile,
    profileTitle: model.kind === null ? null : (profileOf(model)?.title ?? null),
    stageCount: model.kind === null ? 0 : model.stages.length,
    title: model.title?.text ?? null,
    skipped: null,
  };
}
