/**
 * Builds the typed document model from parsed facts. Pure: text and options in, model out. The stage,
 * status and dependency readers live beside it (`stages.ts`, `status.ts`, `dependencies.ts`); the profile
 * that fits the doc (`profiles/`) decides which headings are its work stages.
 */
import { parse as parseYaml } from 'yaml';
import { parseMarkdown, type ParsedDocument } from './parse';
import { LineIndex, lineEndAfter, lineStartBefore } from './text';
import { CODE_HEADER, firstDefinition, parseReferenceText, PROSE_REFERENCE, symbolAfter, symbolOfFileMention } from './references';
import { DEFAULT_SECTION_SYNONYMS, lookupSection, normalizeHeading, sectionLookup } from './vocabulary';
import { detectProfile } from './detect';
import { absoluteFacts, insideSpans, lowerBound, trimEnd, within } from './facts';
import { BuildContext } from './context';
import { buildStages, narrowStages, type StageDraft } from './stages';
import { applyStatus, statusTables } from './status';
import { stageDependencies } from './dependencies';
import { itemStages } from './itemStages';
import { todoStages } from './todoStages';
import type { Profile, ProfileSignals } from '../profiles/types';
import type { ControlComment, DocModel, FrontMatter, ListItem, Reference, Section, SectionName, Span, Stage, StatusTable } from './types';

/** The work units of the doc as its profile writes them: headings of its labels, numbered tasks or YAML todos. */
function profileStages(context: BuildContext, drafts: StageDraft[], profile: Profile): StageDraft[] {
  if (profile.stageSource === 'numbered-items') return itemStages(context);
  if (profile.stageSource === 'front-matter-todos') {
    const todos = todoStages(context);
    if (todos.length > 0) return todos;
  }
  return narrowStages(context, drafts, profile.stageLabels);
}

/** Options for building a model. */
export interface BuildOptions {
  /** Path of the document relative to its workspace folder (forward slashes), for include/exclude globs. */
  path?: string | null;
  /** Globs that mark a file as a DocPlan doc whatever its content. */
  include?: string[];
  /** Globs that turn DocPlan off for a file. */
  exclude?: string[];
  /** Globs pinned to a profile id (`{ "docs/rfcs/**": "rfc" }`). */
  profiles?: Record<string, string>;
  /** Section synonyms; defaults to `DEFAULT_SECTION_SYNONYMS`. */
  sectionSynonyms?: Record<SectionName, string[]>;
  /** The previous parse of the same document, to reuse unchanged chunks. */
  previous?: ParsedDocument;
}

/** A model with what produced it, kept by callers that re-check the same document. */
export interface BuiltDocument {
  model: DocModel;
  parsed: ParsedDocument;
  lines: LineIndex;
}

/** Parses `text` and builds its model. Never throws for any input string. */
export function buildModel(text: string, options: BuildOptions = {}): BuiltDocument {
  const parsed = parseMarkdown(text, options.previous);
  const lines = new LineIndex(text);
  const builder = new ModelBuilder(new BuildContext(text, lines, absoluteFacts(parsed)), options);
  const model = builder.build();
  for (const chunk of parsed.chunks) {
    const chunkLine = lines.positionAt(chunk.start).line;
    if (chunk.facts.skipped !== undefined) model.notes.push(`input skipped from line ${chunkLine + 1}: ${chunk.facts.skipped}`);
    for (const spot of chunk.facts.simplified ?? []) {
      model.notes.push(`line ${chunkLine + spot.line + 1} read as plain text (${spot.what}) to keep parsing fast`);
    }
  }
  return { model, parsed, lines };
}

class ModelBuilder {
  private readonly notes: string[] = [];
  private readonly lookup: Map<string, SectionName>;

  constructor(
    private readonly context: BuildContext,
    private readonly options: BuildOptions,
  ) {
    this.lookup = sectionLookup(options.sectionSynonyms ?? DEFAULT_SECTION_SYNONYMS);
  }

  build(): DocModel {
    const { context } = this;
    const { text, lines, headings } = context;
    const frontMatter = this.frontMatter();
    const sections = this.sections();
    const tables = statusTables(context);
    const items = context.facts.listItems.map((item) => context.listItem(item));
    const titleHeading = headings.find((heading) => heading.level === 1 && !heading.pseudo);
    const fmTitle = frontMatter?.data && typeof frontMatter.data.title === 'string' ? frontMatter.data.title : null;
    let drafts = buildStages(context, (heading) => lookupSection(this.lookup, heading));
    const detection = detectProfile(this.signals(sections, drafts, tables, frontMatter, items, titleHeading?.text ?? fmTitle), {
      path: this.options.path ?? null,
      include: this.options.include ?? [],
      exclude: this.options.exclude ?? [],
      profiles: this.options.profiles,
    });
    if (detection.profile) drafts = profileStages(context, drafts, detection.profile);
    applyStatus(
      drafts.map((draft) => draft.stage),
      tables,
    );
    const insideStage = insideSpans(drafts);
    const flatSections = flatten(sections).filter((section) => !insideStage(lines.offsetAt(section.heading.range.start)));
    return {
      text,
      path: this.options.path ?? null,
      lineCount: lines.lineCount,
      kind: detection.kind,
      kindSource: detection.source,
      profile: detection.profile?.id ?? null,
      profileCandidates: detection.candidates.map((profile) => profile.id),
      profileSource: detection.profile ? detection.source : null,
      disabled: detection.disabled,
      frontMatter,
      title: titleHeading ? { text: titleHeading.text, range: titleHeading.textRange } : fmTitle ? { text: fmTitle, range: frontMatter!.range } : null,
      headings,
      sections,
      goals: this.goals(flatSections, insideStage),
      nonGoals: this.nonGoals(flatSections, insideStage),
      items,
      stages: drafts.filter((draft) => draft.stage.parentNumber === null).map((draft) => draft.stage),
      stageDependencies: stageDependencies(context, flatSections, drafts),
      statusTables: tables,
      references: this.references(),
      codeBlocks: context.facts.codeBlocks.map((code) => context.codeBlock(code)),
      prose: context.facts.prose.map((span) => context.span(span)),
      controlComments: this.controlComments(),
      notes: this.notes,
    };
  }

  /** What profile detection reads: headings, sections outside stages, stages at any nesting, items, paths. */
  private signals(sections: Section[], drafts: StageDraft[], tables: StatusTable[], frontMatter: FrontMatter | null, items: ListItem[], title: string | null): ProfileSignals {
    const insideStage = insideSpans(drafts);
    const flatSections = flatten(sections).filter((section) => !insideStage(this.context.lines.offsetAt(section.heading.range.start)));
    const stages: Stage[] = drafts.map((draft) => draft.stage);
    return {
      path: this.options.path ?? null,
      title,
      headings: this.context.headings.filter((heading) => !heading.pseudo).map((heading) => normalizeHeading(heading.text)),
      pseudoHeadings: this.context.headings.filter((heading) => heading.pseudo).map((heading) => normalizeHeading(heading.text)),
      sectionNames: new Set(flatSections.map((section) => section.name).filter((name): name is SectionName => name !== null)),
      flatSections,
      stages,
      items,
      frontMatter,
      statusTables: tables,
      runLines: stages.reduce((count, stage) => count + stage.commands.filter((command) => command.runLine).length, 0),
    };
  }

  private frontMatter(): FrontMatter | null {
    const fact = this.context.facts.frontMatter;
    if (!fact) return null;
    const range = this.context.lines.range(fact.start, fact.end);
    try {
      // Warnings stay silent: a server must not write a user's YAML quirks to its stderr.
      const data: unknown = parseYaml(fact.text, { logLevel: 'error' });
      if (data === null || data === undefined) return { range, data: {}, error: null };
      if (typeof data !== 'object' || Array.isArray(data)) return { range, data: null, error: 'front matter is not a mapping' };
      return { range, data: data as Record<string, unknown>, error: null };
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      this.notes.push(`front matter skipped: ${message}`);
      return { range, data: null, error: message };
    }
  }

  private sections(): Section[] {
    const { headingFacts, facts, lines, text, headings } = this.context;
    const roots: Section[] = [];
    const stack: { section: Section; level: number }[] = [];
    headingFacts.forEach((fact, index) => {
      if (fact.pseudo) return;
      const end = this.context.regionEnd(index);
      const firstContent = lowerBound(facts.contentStarts, fact.end);
      const empty = !(firstContent < facts.contentStarts.length && facts.contentStarts[firstContent] < end);
      const section: Section = {
        heading: headings[index],
        name: lookupSection(this.lookup, fact.text),
        range: lines.range(fact.start, trimEnd(text, fact.start, end)),
        bodyRange: lines.range(fact.end, trimEnd(text, fact.end, end)),
        empty,
        children: [],
      };
      while (stack.length > 0 && stack[stack.length - 1].level >= fact.level) stack.pop();
      if (stack.length > 0) stack[stack.length - 1].section.children.push(section);
      else roots.push(section);
      stack.push({ section, level: fact.level });
    });
    return roots;
  }

  /** A bold pseudo-heading outside stages that names `name` (`**Goal:** …`, `**Non-goals**: …`). */
  private inlineSection(name: SectionName, insideStage: (offset: number) => boolean): Span | null {
    const fact = this.context.headingFacts.find((candidate) => candidate.pseudo && !insideStage(candidate.start) && lookupSection(this.lookup, candidate.text) === name);
    if (!fact) return null;
    const { lines } = this.context;
    return fact.inlineText ? { text: fact.inlineText, range: lines.range(fact.textStart - 2, fact.end) } : { text: fact.text, range: lines.range(fact.start, fact.end) };
  }

  private goals(flatSections: Section[], insideStage: (offset: number) => boolean): DocModel['goals'] {
    const section = flatSections.find((candidate) => candidate.name === 'goals') ?? null;
    const inlineFact = this.context.headingFacts.find((fact) => fact.pseudo && /^goals?$/i.test(fact.text.trim()) && !insideStage(fact.start));
    const inline = inlineFact && inlineFact.inlineText ? { text: inlineFact.inlineText, range: this.context.lines.range(inlineFact.textStart - 2, inlineFact.end) } : null;
    if (!section && !inline) return null;
    return { section, inline, items: section ? this.sectionItems(section) : [] };
  }

  private nonGoals(flatSections: Section[], insideStage: (offset: number) => boolean): DocModel['nonGoals'] {
    const section = flatSections.find((candidate) => candidate.name === 'non-goals') ?? null;
    if (section) return { section, inline: null, items: this.sectionItems(section) };
    const inline = this.inlineSection('non-goals', insideStage);
    return inline ? { section: null, inline, items: [] } : null;
  }

  /** Top-level list items of a section, or its paragraphs when it has no list. */
  private sectionItems(section: Section): ListItem[] {
    const { lines, facts, context } = { lines: this.context.lines, facts: this.context.facts, context: this.context };
    const start = lines.offsetAt(section.heading.range.end);
    const end = lines.offsetAt(section.range.end);
    const items = within(facts.listItems, start, end);
    if (items.length > 0) {
      const minDepth = Math.min(...items.map((item) => item.depth));
      return items.filter((item) => item.depth === minDepth).map((item) => context.listItem(item));
    }
    return within(facts.paragraphs, start, end).map((paragraph) => ({
      text: paragraph.text.trim(),
      range: lines.range(paragraph.start, paragraph.end),
      checked: null,
      checkboxRange: null,
      codeSpans: [],
      depth: 0,
    }));
  }

  private controlComments(): ControlComment[] {
    const comments: ControlComment[] = [];
    const directive = /<!--\s*docplan-(disable-next-line|disable-line|disable|enable)\b([^]*?)-->/g;
    for (const comment of this.context.facts.comments) {
      // Match in the document's own text: the node's value may have other line ends than the source, and
      // offsets taken from it would drift by one per CRLF.
      for (const match of this.context.text.slice(comment.start, comment.end).matchAll(directive)) {
        const at = comment.start + (match.index ?? 0);
        comments.push({
          directive: match[1] as ControlComment['directive'],
          ruleIds: match[2].split(/[\s,]+/).filter((id) => id.length > 0),
          range: this.context.lines.range(at, at + match[0].length),
        });
      }
    }
    return comments;
  }

  private references(): Reference[] {
    const references: Reference[] = [];
    for (const code of this.context.facts.inlineCode) {
      let shape = parseReferenceText(code.text);
      let [start, end] = this.context.codeSpanInner(code.start, code.end, code.text);
      let symbol: string | null = null;
      if (!shape) {
        // `path:42 - FrayContext.run()` in one code span: the reference is the first word, the symbol follows.
        const lead = /^\s*(\S+)(\s+(?:[-–—:]|\().*)$/.exec(code.text);
        shape = lead ? parseReferenceText(lead[1]) : null;
        if (!lead || !shape || shape.line === null) continue;
        const at = this.context.text.slice(start, end).indexOf(lead[1]);
        if (at < 0) continue;
        start += at;
        end = start + lead[1].length;
        symbol = symbolAfter(lead[2]);
      } else {
        const rest = this.context.text.slice(code.end, lineEndAfter(this.context.text, code.end));
        const lineStart = lineStartBefore(this.context.text, code.start);
        symbol = shape.line !== null ? symbolAfter(rest) : shape.form === 'path' ? symbolOfFileMention(this.context.text.slice(lineStart, code.start), rest) : null;
      }
      references.push({
        ...shape,
        anchor: null,
        range: this.context.lines.range(start, end),
        symbol,
        context: code.context === 'table' ? 'table' : 'code-span',
      });
    }
    for (const span of this.context.facts.prose) {
      for (const match of span.text.matchAll(PROSE_REFERENCE)) {
        // Text node values can differ from the source (escapes); only trust offsets when lengths agree.
        if (span.end - span.start !== span.text.length) continue;
        const at = span.start + (match.index ?? 0);
        const line = Number(match[2]);
        references.push({
          form: match[3] !== undefined ? 'path-range' : 'path-line',
          path: match[1],
          line,
          endLine: match[3] !== undefined ? Number(match[3]) : null,
          anchor: null,
          range: this.context.lines.range(at, at + match[0].length),
          symbol: symbolAfter(span.text.slice((match.index ?? 0) + match[0].length)),
          context: 'prose',
        });
      }
    }
    for (const link of this.context.facts.links) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link.url) || link.url.startsWith('//')) continue;
      const [path, anchor] = splitAnchor(link.url);
      if (path === '' && anchor === null) continue;
      const urlAt = this.context.text.lastIndexOf(link.url, link.end);
      const start = urlAt >= link.start ? urlAt : link.start;
      references.push({
        form: 'link',
        path,
        line: null,
        endLine: null,
        anchor,
        range: this.context.lines.range(start, urlAt >= link.start ? urlAt + link.url.length : link.end),
        symbol: null,
        context: 'link',
      });
    }
    for (const code of this.context.facts.codeBlocks) {
      if (code.firstLineStart < 0) continue;
      const header = CODE_HEADER.exec(this.context.text.slice(code.firstLineStart, code.firstLineEnd));
      const shape = header ? parseReferenceText(header[1]) : null;
      if (!header || !shape) continue;
      const at = code.firstLineStart + this.context.text.slice(code.firstLineStart, code.firstLineEnd).indexOf(header[1]);
      references.push({
        ...shape,
        form: 'code-header',
        anchor: null,
        range: this.context.lines.range(at, at + header[1].length),
        symbol: shape.line !== null ? firstDefinition(code.value) : null,
        context: 'code-header',
      });
    }
    return references.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }
}

function splitAnchor(url: string): [string, string | null] {
  const hash = url.indexOf('#');
  let path = hash < 0 ? url : url.slice(0, hash);
  try {
    path = decodeURIComponent(path);
  } catch {
    // Keep the raw path when it is not valid percent-encoding.
  }
  return [path, hash < 0 ? null : url.slice(hash + 1)];
}

function flatten(sections: Section[]): Section[] {
  const result: Section[] = [];
  const stack = [...sections].reverse();
  while (stack.length > 0) {
    const section = stack.pop()!;
    result.push(section);
    for (let i = section.children.length - 1; i >= 0; i--) stack.push(section.children[i]);
  }
  return result;
}
