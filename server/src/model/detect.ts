/**
 * Kind detection (spec section 2): front matter wins, then include/exclude globs, then content. Ordinary
 * Markdown must come out as `null` so that it gets no diagnostics at all.
 */
import picomatch from 'picomatch';
import type { DocKind, FrontMatter, KindSource, Section, SectionName, Stage, StatusTable } from './types';

/** What detection needs from the model under construction. */
export interface DetectionInput {
  flatSections: Section[];
  stages: Stage[];
  statusTables: StatusTable[];
  frontMatter: FrontMatter | null;
}

/** Paths and globs for detection. */
export interface DetectionOptions {
  path: string | null;
  include: string[];
  exclude: string[];
}

/** The detected kind, where it came from, and whether the doc switched DocPlan off. */
export interface Detection {
  kind: DocKind | null;
  source: KindSource | null;
  disabled: boolean;
}

const KINDS: readonly string[] = ['design', 'plan', 'tracker'];
/** Sections that only design docs have: one of them must be present to call a doc a design doc. */
const DESIGN_ONLY: SectionName[] = ['non-goals', 'current-implementation', 'proposed-design', 'implementation-plan', 'trade-offs'];
const DESIGN_SECTIONS: SectionName[] = [...DESIGN_ONLY, 'background', 'goals', 'benefits', 'future-work'];

const matcherCache = new Map<string, (path: string) => boolean>();

function matches(globs: string[], path: string): boolean {
  return globs.some((glob) => {
    let matcher = matcherCache.get(glob);
    if (!matcher) {
      matcher = picomatch(glob, { dot: true });
      matcherCache.set(glob, matcher);
    }
    return matcher(path);
  });
}

/** Detects the kind of a document. */
export function detectKind(input: DetectionInput, options: DetectionOptions): Detection {
  const declared = input.frontMatter?.data?.docplan;
  if (typeof declared === 'string') {
    const value = declared.trim().toLowerCase();
    if (value === 'off' || value === 'false' || value === 'none') return { kind: null, source: 'front-matter', disabled: true };
    if (KINDS.includes(value)) return { kind: value as DocKind, source: 'front-matter', disabled: false };
  } else if (declared === false) {
    return { kind: null, source: 'front-matter', disabled: true };
  }
  const content = kindFromContent(input);
  if (options.path !== null) {
    if (matches(options.exclude, options.path)) return { kind: null, source: 'config', disabled: true };
    if (matches(options.include, options.path)) {
      return { kind: content.kind ?? content.leaning, source: content.kind ? 'content' : 'config', disabled: false };
    }
  }
  return { kind: content.kind, source: content.kind ? 'content' : null, disabled: false };
}

/** Detection from content alone, plus the kind the content leans to when it is not conclusive. */
export function kindFromContent(input: DetectionInput): { kind: DocKind | null; leaning: DocKind } {
  const names = new Set(input.flatSections.map((section) => section.name).filter((name) => name !== null));
  const designCount = DESIGN_SECTIONS.filter((name) => names.has(name)).length;
  const hasDesignOnly = DESIGN_ONLY.some((name) => names.has(name));
  if (designCount >= 3 && hasDesignOnly) return { kind: 'design', leaning: 'design' };
  const partsOf = (stage: Stage) => (['objective', 'changes', 'validation'] as const).filter((part) => stage.parts[part]).length;
  const realStages = input.stages.filter((stage) => stage.label !== 'Step');
  // An Objective alone is too weak a signal (recipes and notes have "Goal:" lines); a plan's stages say
  // what changes or how they are validated.
  const stagesWithParts = realStages.filter((stage) => partsOf(stage) >= 2).length;
  const stagesWithWork = realStages.filter((stage) => stage.parts.changes || stage.parts.validation).length;
  if (stagesWithParts >= 1 || stagesWithWork >= 2) return { kind: 'plan', leaning: 'plan' };
  if (input.statusTables.some((table) => table.rows.length > 0)) return { kind: 'tracker', leaning: 'tracker' };
  return { kind: null, leaning: designCount > 0 && realStages.length === 0 ? 'design' : 'plan' };
}
