/**
 * The other direction: work that is done but was never ticked. An unticked item is done when it makes at
 * least one checkable claim and every claim holds (and, where git knows the item, one of its files changed
 * after it was written: a file that already existed is not work done for this item); a validation item is
 * done when every command it holds last passed. A stage is done when all its items are ticked and its
 * validation last passed.
 */
import type { ListItem, Stage } from '../model/types';
import { stageTargets } from '../run/targets';
import { entryKey, type ResultEntry } from '../evidence/results';
import { stageValidation, type StageValidation } from '../evidence/validation';
import { describeHeldClaim } from './extract';
import type { ItemCompletion } from './items';

/** Why an unticked item counts as done, or null when it does not. */
export function doneReason(entry: ItemCompletion, doc: string, byKey: ReadonlyMap<string, ResultEntry>): string | null {
  if (entry.item.checked !== false) return null;
  if (entry.part === 'validation') {
    const commands = commandsOfItem(entry.stage, entry.item);
    if (commands.length === 0) return null;
    const allPassed = commands.every((command) => byKey.get(entryKey({ doc, ...command }))?.outcome === 'passed');
    return allPassed ? `its command${commands.length === 1 ? '' : 's'} last passed` : null;
  }
  if (entry.claims.length === 0) return null;
  if (!entry.verdicts.every((verdict) => verdict.status === 'holds')) return null;
  if (entry.history !== null && !entry.history.filesChanged) return null;
  return entry.verdicts.map((verdict) => describeHeldClaim(verdict.claim)).join(', ');
}

/** The identities (stage, text, occurrence) of the commands an item holds. */
function commandsOfItem(stage: Stage, item: ListItem): { stage: string; command: string; occurrence: number }[] {
  const targets = stageTargets(stage).filter((target) => target.stageNumber === stage.number);
  return targets.filter((target) => stage.commands[target.index]?.item === item).map((target) => ({ stage: target.stageNumber, command: target.text, occurrence: target.occurrence }));
}

/** The stage's validation if it is done by its items and its last validation, else null. */
export function stageDoneBy(stage: Stage, itemsByStage: ReadonlyMap<Stage, readonly ItemCompletion[]>, doc: string, byKey: ReadonlyMap<string, ResultEntry>): StageValidation | null {
  const own = itemsWithin(stage, itemsByStage);
  if (own.length === 0 || own.some((entry) => entry.item.checked !== true)) return null;
  const validation = stageValidation(stage, doc, byKey);
  return validation.status === 'passed' ? validation : null;
}

/** Items grouped by the stage that holds them, built once per check so each stage's lookup is not a scan of every item. */
export function groupItemsByStage(items: readonly ItemCompletion[]): Map<Stage, ItemCompletion[]> {
  const byStage = new Map<Stage, ItemCompletion[]>();
  for (const entry of items) {
    const list = byStage.get(entry.stage);
    if (list) list.push(entry);
    else byStage.set(entry.stage, [entry]);
  }
  return byStage;
}

function itemsWithin(stage: Stage, itemsByStage: ReadonlyMap<Stage, readonly ItemCompletion[]>): ItemCompletion[] {
  return [...(itemsByStage.get(stage) ?? []), ...stage.children.flatMap((child) => itemsWithin(child, itemsByStage))];
}
