/**
 * Report formats of `docplan check`: text (ESLint "stylish"-like), json, sarif (2.1.0) and github (Actions
 * workflow commands). Formatters are pure: reports in, a string out.
 */
import { packageReadmeUri, ruleDocsHref } from '../docsLink';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ActiveSeverity } from '../config/config';
import type { DocKind, Range } from '../model/types';
import type { Finding, Rule } from '../rules/types';

/** The findings of one DocPlan doc. */
export interface FileReport {
  /** Path for machine formats: root-relative with forward slashes, or absolute when outside the root. */
  file: string;
  /** Path for the text format: relative to the current directory. */
  display: string;
  kind: DocKind;
  /** The profile (document family) the doc was read with. */
  profile?: string | null;
  findings: Finding[];
}

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

/** The README anchor explaining a rule (the README installed with DocPlan has a heading per rule id). */
export function ruleHelpUri(ruleId: string): string | undefined {
  const readme = packageReadmeUri();
  return readme ? ruleDocsHref(readme, ruleId) : undefined;
}

/** Counts by severity. */
export interface Totals {
  error: number;
  warning: number;
  info: number;
  hint: number;
}

export function totals(reports: readonly FileReport[]): Totals {
  const result: Totals = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const report of reports) for (const finding of report.findings) result[finding.severity]++;
  return result;
}

function plural(count: number, word: string, suffix = 's'): string {
  return `${count} ${word}${count === 1 ? '' : suffix}`;
}

/** `N problems (E errors, W warnings, I infos, H hints) in F files`. */
export function summaryLine(reports: readonly FileReport[]): string {
  const t = totals(reports);
  const problems = t.error + t.warning + t.info + t.hint;
  return `${plural(problems, 'problem')} (${plural(t.error, 'error')}, ${plural(t.warning, 'warning')}, ${plural(t.info, 'info')}, ${plural(t.hint, 'hint')}) in ${plural(reports.length, 'file')}`;
}

/** ANSI styling, or identity functions when colour is off. */
interface Styles {
  path(text: string): string;
  dim(text: string): string;
  severity(severity: ActiveSeverity, text: string): string;
  summary(hasErrors: boolean, hasProblems: boolean, text: string): string;
}

function styles(color: boolean): Styles {
  const wrap = (open: number, close: number) => (text: string) => (color ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  const red = wrap(31, 39);
  const yellow = wrap(33, 39);
  const blue = wrap(34, 39);
  const green = wrap(32, 39);
  const dim = wrap(2, 22);
  const bold = wrap(1, 22);
  return {
    path: wrap(4, 24),
    dim,
    severity: (severity, text) => (severity === 'error' ? red(text) : severity === 'warning' ? yellow(text) : severity === 'info' ? blue(text) : dim(text)),
    summary: (hasErrors, hasProblems, text) => bold(hasErrors ? red(text) : hasProblems ? yellow(text) : green(text)),
  };
}

/** Characters `text` takes on a terminal line, ignoring ANSI escapes. */
function width(text: string): number {
  // eslint-disable-next-line no-control-regex
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

function pad(text: string, to: number): string {
  return text + ' '.repeat(Math.max(0, to - width(text)));
}

/** Messages are one line in the text format. */
function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ');
}

/**
 * Text: files with problems, each a path header and aligned `line:col  severity  message  rule-id` rows
 * (1-based), then a summary line. `extra` lines (fix counts) go before the summary.
 */
export function formatText(reports: readonly FileReport[], options: { color: boolean; extra?: string[] }): string {
  const s = styles(options.color);
  const out: string[] = [];
  for (const report of reports) {
    if (report.findings.length === 0) continue;
    const rows = report.findings.map((finding) => [
      `${finding.range.start.line + 1}:${finding.range.start.character + 1}`,
      s.severity(finding.severity, finding.severity),
      oneLine(finding.message),
      s.dim(finding.ruleId),
    ]);
    const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => width(row[column]))));
    out.push(s.path(report.display));
    for (const row of rows) out.push(`  ${pad(row[0], widths[0])}  ${pad(row[1], widths[1])}  ${pad(row[2], widths[2])}  ${row[3]}`);
    out.push('');
  }
  for (const line of options.extra ?? []) out.push(line);
  const t = totals(reports);
  const hasProblems = t.error + t.warning + t.info + t.hint > 0;
  out.push(s.summary(t.error > 0, hasProblems, `${hasProblems ? '✖' : '✔'} ${summaryLine(reports)}`));
  return out.join('\n') + '\n';
}

/** One entry of the json format. */
export interface JsonReport {
  file: string;
  kind: DocKind;
  /** The profile (document family) DocPlan read the doc with: `rfc`, `agent-task-plan`, ... */
  profile: string | null;
  diagnostics: { code: string; severity: ActiveSeverity; message: string; range: Range }[];
}

/** JSON: an array with one entry per DocPlan doc checked; ranges are LSP ranges (0-based). */
export function formatJson(reports: readonly FileReport[]): string {
  const entries: JsonReport[] = reports.map((report) => ({
    file: report.file,
    kind: report.kind,
    profile: report.profile ?? null,
    diagnostics: report.findings.map((finding) => ({ code: finding.ruleId, severity: finding.severity, message: finding.message, range: finding.range })),
  }));
  return JSON.stringify(entries, null, 2) + '\n';
}

const SARIF_LEVEL: Record<ActiveSeverity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** SARIF 1-based region; `endColumn` is exclusive, columns count UTF-16 code units. */
function sarifRegion(range: Range) {
  return { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}

/**
 * SARIF 2.1.0: one run, every rule described in `tool.driver.rules`, artifact URIs relative to the
 * workspace root (`%SRCROOT%`, given in `originalUriBaseIds`).
 */
export function formatSarif(reports: readonly FileReport[], options: { rules: readonly Rule[]; version: string; rootUri: string }): string {
  const ruleIndex = new Map(options.rules.map((rule, index) => [rule.id, index]));
  const results = reports.flatMap((report) =>
    report.findings.map((finding) => ({
      ruleId: finding.ruleId,
      ...(ruleIndex.has(finding.ruleId) ? { ruleIndex: ruleIndex.get(finding.ruleId) } : {}),
      level: SARIF_LEVEL[finding.severity],
      message: { text: finding.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: isAbsolute(report.file) ? { uri: pathToFileURL(report.file).href } : { uri: encodeUriPath(report.file), uriBaseId: 'SRCROOT' },
            region: sarifRegion(finding.range),
          },
        },
      ],
    })),
  );
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'docplan',
            version: options.version,
            informationUri: packageReadmeUri() ?? undefined,
            rules: options.rules.map((rule) => ({
              id: rule.id,
              name: rule.id,
              shortDescription: { text: rule.description },
              defaultConfiguration: { level: SARIF_LEVEL[rule.defaultSeverity] },
              helpUri: ruleHelpUri(rule.id),
            })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: options.rootUri.endsWith('/') ? options.rootUri : `${options.rootUri}/` } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function encodeUriPath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** Escapes a workflow command's message (data). */
export function escapeGithubData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value. */
export function escapeGithubProperty(text: string): string {
  return escapeGithubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const GITHUB_COMMAND: Record<ActiveSeverity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

/** GitHub Actions annotations: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`. */
export function formatGithub(reports: readonly FileReport[]): string {
  const lines: string[] = [];
  for (const report of reports) {
    for (const finding of report.findings) {
      const { start, end } = finding.range;
      const line = start.line + 1;
      const col = start.character + 1;
      const endLine = end.line + 1;
      // 1-based inclusive last column; an empty range marks its start column.
      const endColumn = endLine === line ? Math.max(col, end.character) : Math.max(1, end.character);
      const properties = [
        `file=${escapeGithubProperty(report.file)}`,
        `line=${line}`,
        `col=${col}`,
        `endLine=${endLine}`,
        `endColumn=${endColumn}`,
        `title=${escapeGithubProperty(`docplan(${finding.ruleId})`)}`,
      ];
      lines.push(`::${GITHUB_COMMAND[finding.severity]} ${properties.join(',')}::${escapeGithubData(finding.message)}`);
    }
  }
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}
