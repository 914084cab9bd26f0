/** The rule registry: every rule DocPlan runs, in the order their findings are reported on ties. */
import type { Rule } from './types';
import { missingGoals } from './missing-goals';
import { stageTooLarge } from './stage-too-large';

export const ALL_RULES: readonly Rule[] = [missingGoals, stageTooLarge];

/** Rule ids, for validating configuration. */
export const RULE_IDS: ReadonlySet<string> = new Set(ALL_RULES.map((rule) => rule.id));
