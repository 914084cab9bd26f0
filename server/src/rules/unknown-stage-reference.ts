import type { StageMention } from '../model/types';
import type { Rule } from './types';
import { allStages, stageKey, stageName } from './stages';

/** A dependency on a stage that does not exist is either a typo or a stage that was renumbered away. */
export const unknownStageReference: Rule = {
  id: 'unknown-stage-reference',
  description: 'The stage dependencies (or a stage’s Depends on) name a stage that does not exist.',
  defaultSeverity: 'error',
  kinds: ['plan', 'design', 'tracker'],
  check(model, context) {
    const stages = allStages(model);
    const labels = new Set(stages.map((stage) => stage.label));
    const keys = new Set(stages.map(stageKey));
    const mentions: StageMention[] = [...model.stageDependencies.mentions, ...stages.flatMap((stage) => stage.dependsOn)];
    for (const mention of mentions) {
      if (!labels.has(mention.label) || keys.has(stageKey(mention))) continue;
      context.report({
        message: `${stageName(mention)} is referenced but this document has no ${stageName(mention)}.`,
        range: mention.range,
      });
    }
  },
};
