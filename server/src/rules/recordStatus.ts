/**
 * A doc whose own status says its work is over (implemented, done, merged, withdrawn, superseded ...) is a
 * record: nobody restructures a finished proposal to add the section a template asks for, so the template
 * rules (missing-section, missing-goals, missing-non-goals) leave it alone.
 */
import type { DocModel } from '../model/types';
import type { LineIndex } from '../model/text';
import { docStatus, isFinishedStatus } from '../claims/record';

/** True when the doc's status line or front matter says the work it describes is finished or retired. */
export function closedByStatus(model: DocModel, lines: LineIndex): boolean {
  const status = docStatus(model, lines);
  return status !== null && isFinishedStatus(status);
}
