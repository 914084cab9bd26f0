/** The Stage Dependencies section and `Depends on` parts, read into edges of the stage graph. */
import type { BuildContext } from './context';
import { stageMentions, type StageDraft } from './stages';
import type { Section, StageDependencies, StageMention } from './types';

/** Edges from the Stage Dependencies section (arrows, "requires") and from each stage's Depends-on part. */
export function stageDependencies(context: BuildContext, flatSections: Section[], drafts: StageDraft[]): StageDependencies {
  const { lines } = context;
  const section = flatSections.find((candidate) => candidate.name === 'stage-dependencies') ?? null;
  const result: StageDependencies = { section, mentions: [], edges: [] };
  if (section) {
    const start = lines.offsetAt(section.heading.range.end);
    const end = lines.offsetAt(section.range.end);
    result.mentions = stageMentions(context, start, end);
    const byLine = new Map<number, StageMention[]>();
    for (const mention of result.mentions) {
      const list = byLine.get(mention.range.start.line) ?? [];
      list.push(mention);
      byLine.set(mention.range.start.line, list);
    }
    for (const [line, mentions] of byLine) edgesOnLine(lines.lineText(line), mentions, result);
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
function edgesOnLine(lineText: string, mentions: StageMention[], into: StageDependencies): void {
  if (mentions.length < 2) return;
  let start = 0;
  const ends = [...lineText.matchAll(/[.;!?](?=\s|$)/g)].map((match) => (match.index ?? 0) + 1);
  for (const end of [...ends, lineText.length]) {
    const inSentence = mentions.filter((mention) => mention.range.start.character >= start && mention.range.start.character < end);
    edgesInSentence(lineText, start, end, inSentence, into);
    start = end;
  }
}

function edgesInSentence(lineText: string, start: number, end: number, mentions: StageMention[], into: StageDependencies): void {
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
