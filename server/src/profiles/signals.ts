/** Small readers of detection signals shared by the profiles. */
import { headingMatches } from '../model/vocabulary';
import type { ProfileSignals } from './types';

/** How many of `words` (normalized headings) the doc has as real headings. */
export function headingCount(signals: ProfileSignals, words: readonly string[]): number {
  return words.filter((word) => signals.headings.some((heading) => headingMatches(heading, [word]))).length;
}

/** Whether the doc has a real heading naming any of `words` (decorations allowed). */
export function hasHeading(signals: ProfileSignals, words: readonly string[]): boolean {
  return signals.headings.some((heading) => headingMatches(heading, words));
}

/** Whether a section outside stages (not a stage's part) is headed by any of `words` (decorations allowed). */
export function hasSection(signals: ProfileSignals, words: readonly string[]): boolean {
  return signals.flatSections.some((section) => !section.heading.pseudo && headingMatches(section.heading.text, words));
}

/** Whether the doc has a bold pseudo-heading naming any of `words`. */
export function hasPseudoHeading(signals: ProfileSignals, words: readonly string[]): boolean {
  return signals.pseudoHeadings.some((heading) => words.includes(heading));
}

/** Whether the path matches `pattern` (false for untitled documents). */
export function pathIs(signals: ProfileSignals, pattern: RegExp): boolean {
  return signals.path !== null && pattern.test(signals.path);
}

/** The file name of the path, lower case, or ''. */
export function fileName(signals: ProfileSignals): string {
  return (signals.path ?? '').split('/').at(-1)?.toLowerCase() ?? '';
}

/** Stages with a given label that have at least `parts` of Objective / Changes / Validation. */
export function stagesWithParts(signals: ProfileSignals, labels: readonly string[], parts: number): number {
  return signals.stages.filter(
    (stage) => labels.includes(stage.label) && (['objective', 'changes', 'validation'] as const).filter((part) => stage.parts[part]).length >= parts,
  ).length;
}

/** Stages whose label is one of `labels`. */
export function stagesLabelled(signals: ProfileSignals, labels: readonly string[]): number {
  return signals.stages.filter((stage) => labels.includes(stage.label)).length;
}

/** List items whose text matches `pattern`. */
export function itemsMatching(signals: ProfileSignals, pattern: RegExp): number {
  return signals.items.filter((item) => pattern.test(item.text)).length;
}
