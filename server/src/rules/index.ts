/** The rule registry: every rule DocPlan runs, in the order their findings are reported on ties. */
import type { Rule } from './types';
import { missingGoals } from './missing-goals';
import { missingNonGoals } from './missing-non-goals';
import { missingSection } from './missing-section';
import { goalNotMeasurable } from './goal-not-measurable';
import { placeholderText } from './placeholder-text';
import { stageMissingPart } from './stage-missing-part';
import { stageTooLarge } from './stage-too-large';
import { stageNumbering } from './stage-numbering';
import { unknownStageReference } from './unknown-stage-reference';
import { dependencyCycle } from './dependency-cycle';
import { statusMismatch } from './status-mismatch';
import { validationWithoutCommand } from './validation-without-command';
import { missingFile } from './missing-file';
import { fileNotDeleted } from './file-not-deleted';
import { lineOutOfRange } from './line-out-of-range';
import { staleLine } from './stale-line';
import { lineDrift } from './line-drift';
import { brokenDocLink } from './broken-doc-link';
import { referenceOutsideWorkspace } from './reference-outside-workspace';
import { referenceUnreadable } from './reference-unreadable';
import { testFileMissing } from './test-file-missing';
import { testNotFound } from './test-not-found';
import { requirementReferenceUnknown } from './requirement-reference-unknown';
import { requirementNotCovered } from './requirement-not-covered';
import { scenarioMissing } from './scenario-missing';
import { requirementWithoutShall } from './requirement-without-shall';
import { emptyDeltaSection } from './empty-delta-section';
import { duplicateRequirement } from './duplicate-requirement';
import { duplicateTaskId } from './duplicate-task-id';
import { unknownTaskDependency } from './unknown-task-dependency';
import { todoStatusMismatch } from './todo-status-mismatch';
import { completionNotInCode } from './completion-not-in-code';
import { completionWithoutChange } from './completion-without-change';
import { doneNotTicked } from './done-not-ticked';
import { validationEvidence } from './validation-evidence';

export const ALL_RULES: readonly Rule[] = [
  missingGoals,
  missingNonGoals,
  missingSection,
  goalNotMeasurable,
  placeholderText,
  stageMissingPart,
  stageTooLarge,
  stageNumbering,
  unknownStageReference,
  dependencyCycle,
  statusMismatch,
  validationWithoutCommand,
  missingFile,
  fileNotDeleted,
  lineOutOfRange,
  staleLine,
  lineDrift,
  brokenDocLink,
  referenceOutsideWorkspace,
  referenceUnreadable,
  testFileMissing,
  testNotFound,
  requirementReferenceUnknown,
  requirementNotCovered,
  scenarioMissing,
  requirementWithoutShall,
  emptyDeltaSection,
  duplicateRequirement,
  duplicateTaskId,
  unknownTaskDependency,
  todoStatusMismatch,
  completionNotInCode,
  completionWithoutChange,
  doneNotTicked,
  validationEvidence,
];

/** Rule ids, for validating configuration. */
export const RULE_IDS: ReadonlySet<string> = new Set(ALL_RULES.map((rule) => rule.id));
