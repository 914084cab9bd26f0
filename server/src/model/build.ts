/**
 * Builds the typed document model from parsed facts. Pure: text and options in, model out.
 */
import { parse as parseYaml } from 'yaml';
import { parseMarkdown, type ChunkFacts, type ParsedDocument, type HeadingFact, type OffsetSpan } from './parse';
import { LineIndex } from './text';
import { commandsInShellBlock, isShellBlock, looksLikeCommand } from './commands';
import { CODE_HEADER, firstDefinition, parseReferenceText, PROSE_REFERENCE, symbolAfter } from './references';
import {
  DEFAULT_SECTION_SYNONYMS,
  HEADING_MARK,
  headingMarkKind,
  normalizeHeading,
  sectionLookup,
  STAGE_HEADING,
  STAGE_MENTION,
  stagePartName,
  statusMark,
} from './vocabulary';
import { detectKind } from './detect';
import type {
  CodeBlock,
  Command,
  ControlComment,
  DocModel,
  FrontMatter,
  Heading,
  ListItem,
  Reference,
  Section,
  SectionName,
  Span,
  Stage,
  StageDependencies,
  StageMention,
  StagePart,
  StagePartName,
  StatusTable,
} from './types';

const HEADING_MARKS = new RegExp(HEADING_MARK.source, 'gu');

/** Options for building a model. */
export interface BuildOptions {
  /** Path of the document relative to its workspace folder (forward slashes), for include/exclude globs. */
  path?: string | null;
  /** Globs that mark a file as a DocPlan doc whatever its content. */
  include?: string[];
  /** Globs that turn DocPlan off for a file. */
  exclude?: string[];
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

/** Absolute-offset view of all chunks' facts. */
interface Facts extends ChunkFacts {
  /** Sorted start offsets of block content (paragraphs, items, code, tables, comments). */
  contentStarts: number[];
}

/** Parses `text` and builds its model. Never throws for any input string. */
export function buildModel(text: string, options: BuildOptions = {}): BuiltDocument {
  const parsed = parseMarkdown(text, options.previous);
  const lines = new LineIndex(text);
  const facts = absoluteFacts(parsed);
  const builder = new ModelBuilder(text, lines, facts, options);
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

function shift<T extends { start: number; end: number }>(items: T[], base: number): T[] {
  return base === 0 ? items : items.map((item) => ({ ...item, start: item.start + base, end: item.end + base }));
}

function absoluteFacts(parsed: ParsedDocument): Facts {
  const facts: Facts = {
    frontMatter: null,
    headings: [],
    listItems: [],
    codeBlocks: [],
    tables: [],
    comments: [],
    paragraphs: [],
    prose: [],
    inlineCode: [],
    links: [],
    contentStarts: [],
  };
  for (const { start: base, facts: chunk } of parsed.chunks) {
    if (chunk.frontMatter && base === 0) facts.frontMatter = chunk.frontMatter;
    for (const heading of chunk.headings) {
      facts.headings.push(base === 0 ? heading : { ...heading, start: heading.start + base, end: heading.end + base, textStart: heading.textStart + base, textEnd: heading.textEnd + base });
    }
    for (const item of chunk.listItems) {
      facts.listItems.push(
        base === 0
          ? item
          : {
              ...item,
              start: item.start + base,
              end: item.end + base,
              checkboxStart: item.checkboxStart < 0 ? -1 : item.checkboxStart + base,
              checkboxEnd: item.checkboxEnd < 0 ? -1 : item.checkboxEnd + base,
              codeSpans: shift(item.codeSpans, base),
            },
      );
    }
    for (const code of chunk.codeBlocks) {
      facts.codeBlocks.push(
        base === 0
          ? code
          : {
              ...code,
              start: code.start + base,
              end: code.end + base,
              firstLineStart: code.firstLineStart < 0 ? -1 : code.firstLineStart + base,
              firstLineEnd: code.firstLineEnd < 0 ? -1 : code.firstLineEnd + base,
            },
      );
    }
    for (const table of chunk.tables) {
      facts.tables.push(
        base === 0
          ? table
          : {
              start: table.start + base,
              end: table.end + base,
              header: shift(table.header, base),
              rows: table.rows.map((row) => ({ start: row.start + base, end: row.end + base, cells: shift(row.cells, base) })),
            },
      );
    }
    facts.comments.push(...shift(chunk.comments, base));
    facts.paragraphs.push(...shift(chunk.paragraphs, base));
    facts.prose.push(...shift(chunk.prose, base));
    facts.inlineCode.push(...shift(chunk.inlineCode, base));
    facts.links.push(...shift(chunk.links, base));
  }
  const starts: number[] = [];
  for (const group of [facts.paragraphs, facts.listItems, facts.codeBlocks, facts.tables, facts.comments]) {
    for (const item of group) starts.push(item.start);
  }
  facts.contentStarts = starts.sort((a, b) => a - b);
  return facts;
}

/** Index of the first element of sorted `values` that is >= `target`. */
function lowerBound(values: number[], target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (values[mid] < target) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Items of a start-sorted list whose start lies in [from, to). */
function within<T extends { start: number }>(items: T[], from: number, to: number): T[] {
  const result: T[] = [];
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (items[mid].start < from) low = mid + 1;
    else high = mid;
  }
  for (let i = low; i < items.length && items[i].start < to; i++) result.push(items[i]);
  return result;
}

interface StageDraft {
  stage: Stage;
  start: number;
  end: number;
  /** Where the stage's own content ends (its first child stage, or its end). */
  ownEnd: number;
  level: number;
  /** Index of its heading in the heading facts. */
  headingIndex: number;
}

class ModelBuilder {
  private readonly notes: string[] = [];
  private readonly headings: Heading[] = [];
  private readonly headingFacts: HeadingFact[];
  private readonly lookup: Map<string, SectionName>;

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
    private readonly facts: Facts,
    private readonly options: BuildOptions,
  ) {
    this.headingFacts = facts.headings;
    this.lookup = sectionLookup(options.sectionSynonyms ?? DEFAULT_SECTION_SYNONYMS);
    for (const fact of this.headingFacts) {
      this.headings.push({
        level: fact.level,
        text: fact.text,
        range: lines.range(fact.start, fact.end),
        textRange: lines.range(fact.textStart, fact.textEnd),
        pseudo: fact.pseudo,
      });
    }
  }

  build(): DocModel {
    const frontMatter = this.frontMatter();
    const stageDrafts = this.stages();
    const insideStage = insideSpans(stageDrafts);
    const sections = this.sections();
    const statusTables = this.statusTables();
    const topStages = stageDrafts.filter((draft) => draft.stage.parentNumber === null).map((draft) => draft.stage);
    this.applyStatus(stageDrafts.map((draft) => draft.stage), statusTables);
    const flatSections = flatten(sections).filter((section) => !insideStage(this.lines.offsetAt(section.heading.range.start)));
    const stageDependencies = this.stageDependencies(flatSections, stageDrafts);
    const partial = {
      sections,
      flatSections,
      stages: topStages,
      statusTables,
      frontMatter,
    };
    const detection = detectKind(partial, {
      path: this.options.path ?? null,
      include: this.options.include ?? [],
      exclude: this.options.exclude ?? [],
    });
    const titleHeading = this.headings.find((heading) => heading.level === 1 && !heading.pseudo);
    const fmTitle = frontMatter?.data && typeof frontMatter.data.title === 'string' ? frontMatter.data.title : null;
    return {
      text: this.text,
      lineCount: this.lines.lineCount,
      kind: detection.kind,
      kindSource: detection.source,
      disabled: detection.disabled,
      frontMatter,
      title: titleHeading ? { text: titleHeading.text, range: titleHeading.textRange } : fmTitle ? { text: fmTitle, range: frontMatter!.range } : null,
      headings: this.headings,
      sections,
      goals: this.goals(flatSections, insideStage),
      nonGoals: this.nonGoals(flatSections),
      stages: topStages,
      stageDependencies,
      statusTables,
      references: this.references(),
      codeBlocks: this.facts.codeBlocks.map((code) => this.codeBlock(code)),
      prose: this.facts.prose.map((span) => this.span(span)),
      controlComments: this.controlComments(),
      notes: this.notes,
    };
  }

  private span(span: OffsetSpan): Span {
    return { text: span.text, range: this.lines.range(span.start, span.end) };
  }

  private frontMatter(): FrontMatter | null {
    const fact = this.facts.frontMatter;
    if (!fact) return null;
    const range = this.lines.range(fact.start, fact.end);
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

  /** End offset of the region owned by the heading at `index`: the next heading of the same or higher level. */
  private regionEnd(index: number): number {
    const level = this.headingFacts[index].level;
    for (let i = index + 1; i < this.headingFacts.length; i++) {
      if (this.headingFacts[i].level <= level) return this.headingFacts[i].start;
    }
    return this.text.length;
  }

  private sections(): Section[] {
    const roots: Section[] = [];
    const stack: { section: Section; level: number }[] = [];
    this.headingFacts.forEach((fact, index) => {
      if (fact.pseudo) return;
      const end = this.regionEnd(index);
      const firstContent = lowerBound(this.facts.contentStarts, fact.end);
      const empty = !(firstContent < this.facts.contentStarts.length && this.facts.contentStarts[firstContent] < end);
      const section: Section = {
        heading: this.headings[index],
        name: this.lookup.get(normalizeHeading(fact.text)) ?? null,
        range: this.lines.range(fact.start, trimEnd(this.text, fact.start, end)),
        bodyRange: this.lines.range(fact.end, trimEnd(this.text, fact.end, end)),
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

  private stages(): StageDraft[] {
    const drafts: StageDraft[] = [];
    this.headingFacts.forEach((fact, index) => {
      if (fact.pseudo || fact.level < 2 || fact.level > 4) return;
      const cleaned = fact.text.replace(/^[^\p{L}\p{N}]+/u, '');
      const match = STAGE_HEADING.exec(cleaned);
      if (!match) return;
      const [, label, number] = match;
      const headingSource = this.text.slice(fact.start, fact.end);
      const labelAt = headingSource.search(new RegExp(`${label}\\s+${number.replace(/\./g, '\\.')}\\b`, 'i'));
      const numberStart = labelAt < 0 ? fact.textStart : fact.start + labelAt + headingSource.slice(labelAt).indexOf(number);
      const markMatch = HEADING_MARK.exec(headingSource);
      const end = this.regionEnd(index);
      // Every marker goes (`✅ COMPLETE` is two), not only the first one HEADING_MARK finds.
      const title = match[3].replace(HEADING_MARKS, '').replace(/[\s:–—-]+$/u, '').trim();
      const stage: Stage = {
        label: label[0].toUpperCase() + label.slice(1).toLowerCase(),
        number,
        numberParts: number.split('.').map(Number),
        numberRange: this.lines.range(numberStart, numberStart + number.length),
        title,
        heading: this.headings[index],
        range: this.lines.range(fact.start, trimEnd(this.text, fact.start, end)),
        headingMark: markMatch
          ? { mark: headingMarkKind(markMatch[1]), range: this.lines.range(fact.start + markMatch.index, fact.start + markMatch.index + markMatch[1].length) }
          : null,
        parts: {},
        changes: [],
        validationItems: [],
        commands: [],
        completionCriteria: [],
        dependsOn: [],
        children: [],
        parentNumber: null,
        state: 'not-started',
        mark: null,
      };
      drafts.push({ stage, start: fact.start, end, ownEnd: end, level: fact.level, headingIndex: index });
    });
    // Nest steps inside the phase whose region holds them. Heading regions nest (a region ends at the next
    // heading of the same or a higher level), so the innermost open region is the parent: a stack finds it.
    const open: StageDraft[] = [];
    for (const draft of drafts) {
      while (open.length > 0 && open[open.length - 1].end <= draft.start) open.pop();
      const parent = open.at(-1);
      open.push(draft);
      if (parent) {
        parent.stage.children.push(draft.stage);
        draft.stage.parentNumber = parent.stage.number;
        parent.ownEnd = Math.min(parent.ownEnd, draft.start);
      }
    }
    for (const draft of drafts) this.fillParts(draft);
    return drafts;
  }

  private fillParts(draft: StageDraft): void {
    const { stage } = draft;
    const { headingIndex } = draft;
    const partHeadings: { index: number; name: StagePartName }[] = [];
    for (let i = headingIndex + 1; i < this.headingFacts.length && this.headingFacts[i].start < draft.ownEnd; i++) {
      const name = stagePartName(this.headingFacts[i].text);
      if (name && !stage.parts[name]) partHeadings.push({ index: i, name });
    }
    for (const { index, name } of partHeadings) {
      const fact = this.headingFacts[index];
      let end = draft.ownEnd;
      for (let i = index + 1; i < this.headingFacts.length && this.headingFacts[i].start < draft.ownEnd; i++) {
        if (this.headingFacts[i].level <= fact.level) {
          end = this.headingFacts[i].start;
          break;
        }
      }
      const items = within(this.facts.listItems, fact.end, end);
      const minDepth = items.reduce((min, item) => Math.min(min, item.depth), Infinity);
      const insideItem = (offset: number) => items.some((item) => item.start <= offset && offset < item.end);
      const part: StagePart = {
        name,
        heading: this.headings[index],
        range: this.lines.range(fact.start, trimEnd(this.text, fact.start, end)),
        inlineText: fact.inlineText,
        items: items.filter((item) => item.depth === minDepth).map((item) => this.listItem(item)),
        codeBlocks: within(this.facts.codeBlocks, fact.end, end).map((code) => this.codeBlock(code)),
        paragraphs: within(this.facts.paragraphs, fact.start, end)
          .filter((paragraph) => !insideItem(paragraph.start))
          .map((paragraph) => this.span(paragraph)),
      };
      stage.parts[name] = part;
      if (name === 'validation') stage.commands = this.commands(part, fact.start, end, insideItem);
    }
    stage.changes = stage.parts.changes?.items ?? [];
    stage.validationItems = stage.parts.validation?.items ?? [];
    stage.completionCriteria = stage.parts['completion-criteria']?.items ?? [];
    const dependencyPart = stage.parts.dependencies;
    if (dependencyPart) {
      const start = this.lines.offsetAt(dependencyPart.heading.range.end);
      const end = this.lines.offsetAt(dependencyPart.range.end);
      stage.dependsOn = this.mentions(start, end);
    }
  }

  private commands(part: StagePart, start: number, end: number, insideItem: (offset: number) => boolean): Command[] {
    const commands: Command[] = [];
    for (const item of part.items) {
      for (const span of item.codeSpans) {
        if (looksLikeCommand(span.text)) {
          const [start, end] = this.codeSpanInner(this.lines.offsetAt(span.range.start), this.lines.offsetAt(span.range.end), span.text);
          commands.push({ text: span.text.trim(), range: this.lines.range(start, end), source: 'inline-code', item, expected: null });
        }
      }
    }
    // Code spans in the part's own paragraphs (`**Validate**: \`make test\``).
    for (const code of within(this.facts.inlineCode, start, end)) {
      if (code.context !== 'paragraph' || !looksLikeCommand(code.text)) continue;
      if (insideItem(code.start)) continue;
      const [innerStart, innerEnd] = this.codeSpanInner(code.start, code.end, code.text);
      commands.push({ text: code.text.trim(), range: this.lines.range(innerStart, innerEnd), source: 'inline-code', item: null, expected: null });
    }
    for (const code of within(this.facts.codeBlocks, start, end)) {
      if (!code.fenced || !isShellBlock(code.lang) || code.firstLineStart < 0) continue;
      const firstLine = this.lines.positionAt(code.firstLineStart).line;
      const valueLines = code.value.split(/\r?\n/);
      for (const command of commandsInShellBlock(code.value, code.lang)) {
        const startLine = firstLine + command.firstLine;
        const endLine = firstLine + command.lastLine;
        // A fence indented inside a list item has that indentation removed from its value: add it back.
        const removedIndent = Math.max(0, this.lines.lineText(startLine).length - valueLines[command.firstLine].length);
        commands.push({
          text: command.text,
          range: {
            start: { line: startLine, character: removedIndent + command.column },
            end: { line: endLine, character: this.lines.lineText(endLine).trimEnd().length },
          },
          source: 'fence',
          item: null,
          expected: command.expected,
        });
      }
    }
    return commands.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }

  /**
   * Offsets of a code span's trimmed content inside its source `[start, end)`: without the backticks (one or
   * more) and the padding spaces. Falls back to the whole span when the content is not found verbatim.
   */
  private codeSpanInner(start: number, end: number, value: string): [number, number] {
    const trimmed = value.trim();
    const at = trimmed.length > 0 ? this.text.slice(start, end).indexOf(trimmed) : -1;
    return at < 0 ? [start, end] : [start + at, start + at + trimmed.length];
  }

  private listItem(fact: Facts['listItems'][number]): ListItem {
    return {
      text: fact.text,
      range: this.lines.range(fact.start, trimEnd(this.text, fact.start, fact.end)),
      checked: fact.checked,
      checkboxRange: fact.checkboxStart >= 0 ? this.lines.range(fact.checkboxStart, fact.checkboxEnd) : null,
      codeSpans: fact.codeSpans.map((span) => ({ text: span.text, range: this.lines.range(span.start, span.end) })),
      depth: fact.depth,
    };
  }

  private codeBlock(fact: Facts['codeBlocks'][number]): CodeBlock {
    return {
      lang: fact.lang,
      value: fact.value,
      range: this.lines.range(fact.start, fact.end),
      firstLineRange: fact.firstLineStart >= 0 ? this.lines.range(fact.firstLineStart, fact.firstLineEnd) : null,
    };
  }

  private statusTables(): StatusTable[] {
    const tables: StatusTable[] = [];
    for (const table of this.facts.tables) {
      const headers = table.header.map((cell) => normalizeHeading(cell.text));
      const stageColumn = headers.findIndex((header) => /^(?:stage|phase|step|milestone)s?$|^#$/.test(header));
      const statusColumn = headers.findIndex((header) => /^(?:status|state|progress)$/.test(header));
      if (stageColumn < 0 || statusColumn < 0) continue;
      const descriptionColumn = headers.findIndex((_, index) => index !== stageColumn && index !== statusColumn);
      const vocabulary: StatusTable['vocabulary'] = { done: null, pending: null, inProgress: null };
      const rows: StatusTable['rows'] = [];
      for (const row of table.rows) {
        const stageCell = row.cells[stageColumn];
        const statusCell = row.cells[statusColumn];
        const number = stageCell ? /\d+(?:\.\d+)*/.exec(stageCell.text)?.[0] : undefined;
        if (!stageCell || !statusCell || number === undefined) continue;
        const mark = statusMark(statusCell.text);
        if (mark === 'done') vocabulary.done ??= statusCell.text;
        if (mark === 'pending') vocabulary.pending ??= statusCell.text;
        if (mark === 'in-progress') vocabulary.inProgress ??= statusCell.text;
        const numberAt = stageCell.start + this.text.slice(stageCell.start, stageCell.end).indexOf(number);
        rows.push({
          stageNumber: number,
          stageRange: this.lines.range(numberAt, numberAt + number.length),
          description: descriptionColumn >= 0 ? (row.cells[descriptionColumn]?.text ?? '') : '',
          status: statusCell.text,
          statusRange: this.lines.range(statusCell.start, statusCell.end),
          mark,
          range: this.lines.range(row.start, row.end),
        });
      }
      const labelWord = /^(stage|phase|step|milestone)/.exec(headers[stageColumn])?.[1];
      const label = labelWord ? labelWord[0].toUpperCase() + labelWord.slice(1) : null;
      tables.push({ label, range: this.lines.range(table.start, table.end), rows, vocabulary });
    }
    return tables;
  }

  /** Combines heading marks, status-table rows and checklists into each stage's mark and state. */
  private applyStatus(stages: Stage[], tables: StatusTable[]): void {
    const rowMarks = new Map<string, StatusTable['rows'][number]>();
    for (const table of tables) {
      for (const row of table.rows) {
        const key = `${table.label ?? '*'} ${row.stageNumber}`;
        if (!rowMarks.has(key)) rowMarks.set(key, row);
      }
    }
    for (const stage of stages) {
      const row = stage.parentNumber === null ? (rowMarks.get(`${stage.label} ${stage.number}`) ?? rowMarks.get(`* ${stage.number}`)) : undefined;
      stage.mark = stage.headingMark?.mark ?? row?.mark ?? null;
      const boxes = [...stage.changes, ...stage.validationItems, ...stage.completionCriteria].filter((item) => item.checked !== null);
      const checked = boxes.filter((item) => item.checked).length;
      if (stage.mark === 'done' || (boxes.length > 0 && checked === boxes.length)) stage.state = 'done';
      else if (checked > 0 || stage.mark === 'in-progress') stage.state = 'in-progress';
      else stage.state = 'not-started';
    }
  }

  /** `Stage N` mentions between two offsets, outside of nothing: diagrams in code blocks count too. */
  private mentions(start: number, end: number): StageMention[] {
    const mentions: StageMention[] = [];
    const slice = this.text.slice(start, end);
    for (const match of slice.matchAll(STAGE_MENTION)) {
      const at = start + (match.index ?? 0);
      mentions.push({
        label: match[1][0].toUpperCase() + match[1].slice(1).toLowerCase(),
        number: match[2],
        range: this.lines.range(at, at + match[0].length),
      });
    }
    return mentions;
  }

  private stageDependencies(flatSections: Section[], drafts: StageDraft[]): StageDependencies {
    const section = flatSections.find((candidate) => candidate.name === 'stage-dependencies') ?? null;
    const result: StageDependencies = { section, mentions: [], edges: [] };
    if (section) {
      const start = this.lines.offsetAt(section.heading.range.end);
      const end = this.lines.offsetAt(section.range.end);
      result.mentions = this.mentions(start, end);
      const byLine = new Map<number, StageMention[]>();
      for (const mention of result.mentions) {
        const list = byLine.get(mention.range.start.line) ?? [];
        list.push(mention);
        byLine.set(mention.range.start.line, list);
      }
      for (const [line, mentions] of byLine) this.edgesOnLine(this.lines.lineText(line), mentions, result);
    }
    for (const draft of drafts) {
      const from: StageMention = { label: draft.stage.label, number: draft.stage.number, range: draft.stage.numberRange };
      for (const to of draft.stage.dependsOn) result.edges.push({ from, to });
    }
    return result;
  }

  /**
   * Reads edges from one line: `Stage 1 ──► Stage 2`, or `Stage 3 requires Stage 2 and Stage 1`. A line may hold
   * several sentences (`Stage 2 requires Stage 1. Stage 3 requires Stage 2.`): each is read on its own.
   */
  private edgesOnLine(lineText: string, mentions: StageMention[], into: StageDependencies): void {
    if (mentions.length < 2) return;
    let start = 0;
    const ends = [...lineText.matchAll(/[.;!?](?=\s|$)/g)].map((match) => (match.index ?? 0) + 1);
    for (const end of [...ends, lineText.length]) {
      const inSentence = mentions.filter((mention) => mention.range.start.character >= start && mention.range.start.character < end);
      this.edgesInSentence(lineText, start, end, inSentence, into);
      start = end;
    }
  }

  private edgesInSentence(lineText: string, start: number, end: number, mentions: StageMention[], into: StageDependencies): void {
    if (mentions.length < 2) return;
    const found = /\b(?:requires|require|depends on|depend on|needs|after|blocked by|builds on|waits for)\b/i.exec(lineText.slice(start, end));
    const keyword = found ? { index: start + found.index } : null;
    if (keyword) {
      const before = mentions.filter((mention) => mention.range.start.character < keyword.index);
      const after = mentions.filter((mention) => mention.range.start.character > keyword.index);
      const from = before.at(-1);
      if (from) for (const to of after) into.edges.push({ from, to });
      return;
    }
    for (let i = 0; i + 1 < mentions.length; i++) {
      const between = lineText.slice(mentions[i].range.end.character, mentions[i + 1].range.start.character);
      if (/(?:->|→|⟶|=>|─+►|-+>|─+>|►|▶)/u.test(between)) into.edges.push({ from: mentions[i + 1], to: mentions[i] });
    }
  }

  private goals(flatSections: Section[], insideStage: (offset: number) => boolean): DocModel['goals'] {
    const section = flatSections.find((candidate) => candidate.name === 'goals') ?? null;
    const inlineFact = this.headingFacts.find(
      (fact) => fact.pseudo && /^goals?$/i.test(fact.text.trim()) && !insideStage(fact.start),
    );
    const inline = inlineFact && inlineFact.inlineText ? { text: inlineFact.inlineText, range: this.lines.range(inlineFact.textStart - 2, inlineFact.end) } : null;
    if (!section && !inline) return null;
    return { section, inline, items: section ? this.sectionItems(section) : [] };
  }

  private nonGoals(flatSections: Section[]): DocModel['nonGoals'] {
    const section = flatSections.find((candidate) => candidate.name === 'non-goals') ?? null;
    return section ? { section, items: this.sectionItems(section) } : null;
  }

  /** Top-level list items of a section, or its paragraphs when it has no list. */
  private sectionItems(section: Section): ListItem[] {
    const start = this.lines.offsetAt(section.heading.range.end);
    const end = this.lines.offsetAt(section.range.end);
    const items = within(this.facts.listItems, start, end);
    if (items.length > 0) {
      const minDepth = Math.min(...items.map((item) => item.depth));
      return items.filter((item) => item.depth === minDepth).map((item) => this.listItem(item));
    }
    return within(this.facts.paragraphs, start, end).map((paragraph) => ({
      text: paragraph.text.trim(),
      range: this.lines.range(paragraph.start, paragraph.end),
      checked: null,
      checkboxRange: null,
      codeSpans: [],
      depth: 0,
    }));
  }

  private controlComments(): ControlComment[] {
    const comments: ControlComment[] = [];
    const directive = /<!--\s*docplan-(disable-next-line|disable-line|disable|enable)\b([^]*?)-->/g;
    for (const comment of this.facts.comments) {
      for (const match of comment.text.matchAll(directive)) {
        const at = comment.start + (match.index ?? 0);
        comments.push({
          directive: match[1] as ControlComment['directive'],
          ruleIds: match[2].split(/[\s,]+/).filter((id) => id.length > 0),
          range: this.lines.range(at, at + match[0].length),
        });
      }
    }
    return comments;
  }

  private references(): Reference[] {
    const references: Reference[] = [];
    for (const code of this.facts.inlineCode) {
      let shape = parseReferenceText(code.text);
      let [start, end] = this.codeSpanInner(code.start, code.end, code.text);
      let symbol: string | null = null;
      if (!shape) {
        // `path:42 - FrayContext.run()` in one code span: the reference is the first word, the symbol follows.
        const lead = /^\s*(\S+)(\s+(?:[-–—:]|\().*)$/.exec(code.text);
        shape = lead ? parseReferenceText(lead[1]) : null;
        if (!lead || !shape || shape.line === null) continue;
        const at = this.text.slice(start, end).indexOf(lead[1]);
        if (at < 0) continue;
        start += at;
        end = start + lead[1].length;
        symbol = symbolAfter(lead[2]);
      } else {
        const lineEnd = this.text.indexOf('\n', code.end);
        const rest = this.text.slice(code.end, lineEnd === -1 ? this.text.length : lineEnd);
        symbol = shape.line !== null ? symbolAfter(rest) : null;
      }
      references.push({
        ...shape,
        anchor: null,
        range: this.lines.range(start, end),
        symbol,
        context: code.context === 'table' ? 'table' : 'code-span',
      });
    }
    for (const span of this.facts.prose) {
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
          range: this.lines.range(at, at + match[0].length),
          symbol: symbolAfter(span.text.slice((match.index ?? 0) + match[0].length)),
          context: 'prose',
        });
      }
    }
    for (const link of this.facts.links) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link.url) || link.url.startsWith('//')) continue;
      const [path, anchor] = splitAnchor(link.url);
      if (path === '' && anchor === null) continue;
      const urlAt = this.text.lastIndexOf(link.url, link.end);
      const start = urlAt >= link.start ? urlAt : link.start;
      references.push({
        form: 'link',
        path,
        line: null,
        endLine: null,
        anchor,
        range: this.lines.range(start, urlAt >= link.start ? urlAt + link.url.length : link.end),
        symbol: null,
        context: 'link',
      });
    }
    for (const code of this.facts.codeBlocks) {
      if (code.firstLineStart < 0) continue;
      const header = CODE_HEADER.exec(this.text.slice(code.firstLineStart, code.firstLineEnd));
      const shape = header ? parseReferenceText(header[1]) : null;
      if (!header || !shape) continue;
      const at = code.firstLineStart + this.text.slice(code.firstLineStart, code.firstLineEnd).indexOf(header[1]);
      references.push({
        ...shape,
        form: 'code-header',
        anchor: null,
        range: this.lines.range(at, at + header[1].length),
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

/** Moves `end` back over trailing whitespace so that ranges end at the last character of content. */
function trimEnd(text: string, start: number, end: number): number {
  let result = end;
  while (result > start && /\s/.test(text[result - 1])) result--;
  return result;
}

/**
 * A predicate "offset lies strictly inside one of these spans", in O(log n): the spans (sorted by start, as
 * stage drafts are) are merged into disjoint ones and searched by bisection.
 */
function insideSpans(spans: readonly { start: number; end: number }[]): (offset: number) => boolean {
  const merged: { start: number; end: number }[] = [];
  for (const { start, end } of spans) {
    const last = merged.at(-1);
    if (last && start < last.end) last.end = Math.max(last.end, end);
    else merged.push({ start, end });
  }
  return (offset) => {
    let low = 0;
    let high = merged.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (merged[mid].start < offset) low = mid + 1;
      else high = mid;
    }
    return low > 0 && offset < merged[low - 1].end;
  };
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
