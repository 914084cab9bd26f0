/** Stage status tables and each stage's combined mark and state (heading marks, table rows, checklists). */
import type { BuildContext } from './context';
import { normalizeHeading, statusMark } from './vocabulary';
import type { Stage, StatusTable } from './types';

/** Tables with a stage column and a status column (`| Stage | Description | Status |`). */
export function statusTables(context: BuildContext): StatusTable[] {
  const { facts, text, lines } = context;
  const tables: StatusTable[] = [];
  for (const table of facts.tables) {
    const headers = table.header.map((cell) => normalizeHeading(cell.text));
    const stageColumn = headers.findIndex((header) => /^(?:stage|phase|step|milestone|task)s?$|^#$/.test(header));
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
      const numberAt = stageCell.start + text.slice(stageCell.start, stageCell.end).indexOf(number);
      rows.push({
        stageNumber: number,
        stageRange: lines.range(numberAt, numberAt + number.length),
        description: descriptionColumn >= 0 ? (row.cells[descriptionColumn]?.text ?? '') : '',
        status: statusCell.text,
        statusRange: lines.range(statusCell.start, statusCell.end),
        mark,
        range: lines.range(row.start, row.end),
      });
    }
    const labelWord = /^(stage|phase|step|milestone|task)/.exec(headers[stageColumn])?.[1];
    const label = labelWord ? labelWord[0].toUpperCase() + labelWord.slice(1) : null;
    tables.push({ label, range: lines.range(table.start, table.end), rows, vocabulary });
  }
  return tables;
}

/** Combines heading marks, status-table rows and checklists into each stage's mark and state. */
export function applyStatus(stages: Stage[], tables: StatusTable[]): void {
  const rowMarks = new Map<string, StatusTable['rows'][number]>();
  for (const table of tables) {
    for (const row of table.rows) {
      const key = `${table.label ?? '*'} ${row.stageNumber}`;
      if (!rowMarks.has(key)) rowMarks.set(key, row);
    }
  }
  for (const stage of stages) {
    // A YAML todo's status is its mark and state, set where it was read.
    if (stage.source === 'front-matter') continue;
    const row = stage.parentNumber === null ? (rowMarks.get(`${stage.label} ${stage.number}`) ?? rowMarks.get(`* ${stage.number}`)) : undefined;
    stage.mark = stage.headingMark?.mark ?? row?.mark ?? null;
    const boxes = [...stage.changes, ...stage.validationItems, ...stage.completionCriteria].filter((item) => item.checked !== null);
    const checked = boxes.filter((item) => item.checked).length;
    if (stage.mark === 'done' || (boxes.length > 0 && checked === boxes.length)) stage.state = 'done';
    else if (checked > 0 || stage.mark === 'in-progress') stage.state = 'in-progress';
    else stage.state = 'not-started';
  }
}
