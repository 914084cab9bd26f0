import type { Rule } from './types';
import { allStages, stageName } from './stages';

/**
 * A Validation part that says what to check but gives no command cannot be run, by a person or by DocPlan.
 * A part that holds only an HTML comment prompt (an inserted skeleton) is not started yet and is left alone.
 */
export const validationWithoutCommand: Rule = {
  id: 'validation-without-command',
  description: 'A Validation block with prose or items but no runnable command.',
  defaultSeverity: 'warning',
  kinds: ['plan', 'design', 'tracker'],
  check(model, context) {
    for (const stage of allStages(model)) {
      const part = stage.parts.validation;
      if (!part || stage.commands.length > 0) continue;
      // The paragraph that holds a `**Validate**:` pseudo-heading is the heading, not prose.
      const headingLine = part.heading.range.start.line;
      const prose = part.paragraphs.filter((paragraph) => !(part.heading.pseudo && paragraph.range.start.line === headingLine));
      const hasContent = part.inlineText.trim() !== '' || prose.length > 0 || part.items.length > 0 || part.codeBlocks.some((block) => block.value.trim() !== '');
      if (!hasContent) continue;
      context.report({
        message: `${stageName(stage)}'s Validation has no runnable command: add the exact command (inline code or a bash block) that checks it.`,
        range: part.heading.range,
      });
    }
  },
};
