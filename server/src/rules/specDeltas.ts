/** Reading a change proposal's spec deltas: `## ADDED Requirements` sections of `### Requirement:` blocks. */
import { normalizeHeading } from '../model/vocabulary';
import { DELTA_HEADING } from '../profiles/changeProposal';
import type { DocModel, Range, Section } from '../model/types';
import { isProfile } from './profiles';

/** One `### Requirement: Name` block of a delta section. */
export interface DeltaRequirement {
  name: string;
  section: Section;
  /** The requirement's own text (before its first sub-heading). */
  body: string;
  scenarios: Section[];
}

/** A `## ADDED|MODIFIED|REMOVED|RENAMED Requirements` section and its requirements. */
export interface DeltaSection {
  operation: 'added' | 'modified' | 'removed' | 'renamed';
  section: Section;
  requirements: DeltaRequirement[];
}

/** Every delta section of the document, in order. */
export function deltaSections(model: DocModel): DeltaSection[] {
  const result: DeltaSection[] = [];
  const walk = (sections: Section[]) => {
    for (const section of sections) {
      const match = DELTA_HEADING.exec(normalizeHeading(section.heading.text));
      if (match) {
        result.push({ operation: match[1] as DeltaSection['operation'], section, requirements: requirementsIn(model, section) });
      } else {
        walk(section.children);
      }
    }
  };
  walk(model.sections);
  return result;
}

/** The requirements a change proposal adds or modifies: the ones that must state an obligation and a scenario. */
export function changedRequirements(model: DocModel): DeltaRequirement[] {
  if (!isProfile(model, 'change-proposal')) return [];
  return deltaSections(model)
    .filter((delta) => delta.operation === 'added' || delta.operation === 'modified')
    .flatMap((delta) => delta.requirements);
}

function requirementsIn(model: DocModel, delta: Section): DeltaRequirement[] {
  return delta.children
    .filter((child) => /^requirement\s*:/i.test(child.heading.text.trim()))
    .map((child) => ({
      name: child.heading.text.trim().replace(/^requirement\s*:\s*/i, '').trim(),
      section: child,
      body: textBetween(model, child.heading.range, child.children[0]?.heading.range.start ?? child.range.end),
      scenarios: child.children.filter((grandchild) => /^scenario\s*:/i.test(grandchild.heading.text.trim())),
    }));
}

function textBetween(model: DocModel, heading: Range, end: { line: number; character: number }): string {
  const lines = model.text.split(/\r\n|\r|\n/).slice(heading.end.line + 1, end.line + 1);
  return lines.join('\n');
}
