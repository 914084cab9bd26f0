/** Document symbols: the title, sections and stages (steps nested) of a DocPlan doc, for the Outline. */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import type { DocModel, Range, Section, Stage } from '../model/types';
import { comparePositions, rangeContains } from '../model/text';

/** Human-readable stage state, shown as the symbol's detail. */
export function stageStateLabel(stage: Stage): string {
  return stage.state.replace('-', ' ');
}

/** Display name of a stage: `Stage 2: Title`. */
export function stageName(stage: Stage): string {
  const title = stage.title.trim();
  return title ? `${stage.label} ${stage.number}: ${title}` : `${stage.label} ${stage.number}`;
}

function union(a: Range, b: Range): Range {
  return {
    start: comparePositions(a.start, b.start) <= 0 ? a.start : b.start,
    end: comparePositions(a.end, b.end) >= 0 ? a.end : b.end,
  };
}

/** A selection range guaranteed to lie inside `range` (clients reject symbols where it does not). */
function selection(range: Range, preferred: Range, fallback: Range): Range {
  if (rangeContains(range, preferred)) return preferred;
  if (rangeContains(range, fallback)) return fallback;
  return { start: range.start, end: range.start };
}

function nonEmpty(name: string): string {
  const trimmed = name.trim();
  return trimmed.length > 0 ? trimmed : '(untitled)';
}

function stageSymbol(stage: Stage, range: Range, children: DocumentSymbol[]): DocumentSymbol {
  const full = union(range, stage.heading.range);
  return {
    name: nonEmpty(stageName(stage)),
    detail: stageStateLabel(stage),
    kind: SymbolKind.Event,
    range: full,
    selectionRange: selection(full, stage.heading.textRange, stage.heading.range),
    children,
  };
}

/** Inserts `symbol` under the deepest symbol of `list` that contains it, keeping document order. */
function insertByPosition(list: DocumentSymbol[], symbol: DocumentSymbol): void {
  const parent = list.find((candidate) => rangeContains(candidate.range, symbol.range));
  if (parent) {
    parent.children ??= [];
    insertByPosition(parent.children, symbol);
    return;
  }
  const index = list.findIndex((candidate) => comparePositions(symbol.range.start, candidate.range.start) < 0);
  if (index < 0) list.push(symbol);
  else list.splice(index, 0, symbol);
}

/**
 * The outline of a DocPlan doc: a symbol per heading (the title as a file, sections as strings), where a
 * stage or step heading becomes an event symbol whose detail is the stage's state. Ordinary Markdown gets
 * nothing (the editor's own Markdown outline covers it).
 */
export function documentSymbols(model: DocModel): DocumentSymbol[] {
  if (model.kind === null || model.disabled) return [];
  const stagesByLine = new Map<number, Stage>();
  const allStages: Stage[] = [];
  const collect = (stages: readonly Stage[]) => {
    for (const stage of stages) {
      allStages.push(stage);
      if (!stagesByLine.has(stage.heading.range.start.line)) stagesByLine.set(stage.heading.range.start.line, stage);
      collect(stage.children);
    }
  };
  collect(model.stages);
  const placed = new Set<Stage>();
  const titleLine = model.title && model.headings.some((heading) => heading.level === 1 && heading.textRange.start.line === model.title!.range.start.line)
    ? model.title.range.start.line
    : -1;

  const fromSection = (section: Section): DocumentSymbol => {
    const children = section.children.map(fromSection);
    const stage = stagesByLine.get(section.heading.range.start.line);
    if (stage && !placed.has(stage)) {
      placed.add(stage);
      return stageSymbol(stage, union(section.range, stage.range), children);
    }
    const range = union(section.range, section.heading.range);
    const isTitle = section.heading.level === 1 && section.heading.range.start.line === titleLine;
    return {
      name: nonEmpty(section.heading.text),
      detail: isTitle && model.kind ? model.kind : undefined,
      kind: isTitle ? SymbolKind.File : SymbolKind.String,
      range,
      selectionRange: selection(range, section.heading.textRange, section.heading.range),
      children,
    };
  };
  const roots = model.sections.map(fromSection);
  // Stages whose heading is not a section heading (none today; kept safe if the model grows other forms).
  for (const stage of allStages) {
    if (placed.has(stage)) continue;
    placed.add(stage);
    insertByPosition(roots, stageSymbol(stage, stage.range, []));
  }
  return roots;
}
