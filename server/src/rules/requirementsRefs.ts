/** Shared reading of requirement numbers for the requirements/tasks pair rules. */
import { REQUIREMENTS_LINE, REQUIREMENT_HEADING } from '../profiles/requirementsTriple';
import type { DocModel, ListItem, Section } from '../model/types';
import { flatSections } from './helpers';

/** A requirement of requirements.md: its number, heading section and how many acceptance criteria it lists. */
export interface RequirementEntry {
  number: string;
  section: Section;
  criteria: number;
}

/** `### Requirement N` sections with the count of their top-level acceptance-criteria items. */
export function requirementsOf(model: DocModel): Map<string, RequirementEntry> {
  const entries = new Map<string, RequirementEntry>();
  for (const section of flatSections(model)) {
    const match = REQUIREMENT_HEADING.exec(section.heading.text.trim());
    if (!match || entries.has(match[1])) continue;
    const inside = model.items.filter(
      (item) => item.range.start.line > section.heading.range.start.line && item.range.end.line <= section.range.end.line,
    );
    const minDepth = Math.min(...inside.map((item) => item.depth));
    entries.set(match[1], { number: match[1], section, criteria: inside.filter((item) => item.depth === minDepth).length });
  }
  return entries;
}

/** A task's `_Requirements: 1.1, 1.3_` line and the ids it names. */
export interface RequirementsLine {
  item: ListItem;
  ids: string[];
}

/** Every `_Requirements:` item of a tasks document. */
export function requirementsLines(model: DocModel): RequirementsLine[] {
  const lines: RequirementsLine[] = [];
  for (const item of model.items) {
    const ids = requirementIdsOf(item.text);
    if (ids.length > 0) lines.push({ item, ids });
  }
  return lines;
}

/** The ids a `_Requirements: 1.1, 2.3–2.5_` text names (none when it is not such a line). */
function requirementIdsOf(text: string): string[] {
  const match = REQUIREMENTS_LINE.exec(text.trim());
  if (!match) return [];
  return match[1]
    .replace(/\([^)]*\)/g, '')
    .split(/[,;]|\band\b/)
    .flatMap((part) => rangeIds(part))
    .map((id) => id.trim().replace(/[_*.]+$/, ''))
    .filter((id) => /^\d+(?:\.\d+)*$/.test(id));
}

/**
 * Every id a `- _Requirements:_` line of the text names, read line by line: a long task body whose
 * continuation paragraphs are indented past the item's content turns into indented code for Markdown, and
 * the trace line after it with it, though the author wrote it as the task's last bullet.
 */
export function requirementIdsInText(text: string): string[] {
  const ids: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    if (bullet && /requirements?/i.test(bullet[1])) ids.push(...requirementIdsOf(bullet[1]));
  }
  return ids;
}

/**
 * The ids a `_Requirements:_` entry names: itself, or for a range (`7.1–7.3`) both ends and every whole
 * requirement between them (`3.2–5.1` names 3.2, 4 and 5.1).
 */
function rangeIds(part: string): string[] {
  const [from, to, ...rest] = part.split(/[–—-]/).map((end) => end.trim());
  if (to === undefined || rest.length > 0) return [part];
  const first = Number(from.split('.')[0]);
  const last = Number(to.split('.')[0]);
  const between: string[] = [];
  for (let major = first + 1; major < last && major - first < 100; major++) between.push(String(major));
  return [from, ...between, to];
}
