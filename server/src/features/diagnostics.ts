/** Findings -> LSP diagnostics, each linking to its rule's paragraph in the README. */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { ActiveSeverity, ConfigProblem } from '../config/config';
import type { Finding } from '../rules/types';
import { ruleDocsHref } from '../docsLink';

/** The `source` of every DocPlan diagnostic. */
export const DIAGNOSTIC_SOURCE = 'docplan';

const SEVERITY: Record<ActiveSeverity, DiagnosticSeverity> = {
  hint: DiagnosticSeverity.Hint,
  info: DiagnosticSeverity.Information,
  warning: DiagnosticSeverity.Warning,
  error: DiagnosticSeverity.Error,
};

/** LSP severity of a configured severity. */
export function toDiagnosticSeverity(severity: ActiveSeverity): DiagnosticSeverity {
  return SEVERITY[severity] ?? DiagnosticSeverity.Warning;
}

/** One finding as a diagnostic. `docsBase` is the README's URI (or null for no link). */
export function findingToDiagnostic(finding: Finding, docsBase: string | null): Diagnostic {
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: toDiagnosticSeverity(finding.severity),
    source: DIAGNOSTIC_SOURCE,
    code: finding.ruleId,
    message: finding.message,
  };
  if (docsBase) diagnostic.codeDescription = { href: ruleDocsHref(docsBase, finding.ruleId) };
  return diagnostic;
}

/** All findings as diagnostics, in the findings' order. */
export function findingsToDiagnostics(findings: readonly Finding[], docsBase: string | null): Diagnostic[] {
  return findings.map((finding) => findingToDiagnostic(finding, docsBase));
}

/** True when a diagnostic (as a client sends it back in a code action request) is the one made for `finding`. */
export function diagnosticMatchesFinding(diagnostic: Diagnostic, finding: Finding): boolean {
  return (
    diagnostic.code === finding.ruleId &&
    diagnostic.range.start.line === finding.range.start.line &&
    diagnostic.range.start.character === finding.range.start.character &&
    diagnostic.range.end.line === finding.range.end.line &&
    diagnostic.range.end.character === finding.range.end.character
  );
}

/** Problems of a `.docplan.json` as diagnostics on that file (a problem without a range goes on 0:0). */
export function configProblemsToDiagnostics(problems: readonly ConfigProblem[]): Diagnostic[] {
  const origin = { line: 0, character: 0 };
  return problems.map((problem) => ({
    range: problem.range ?? { start: origin, end: origin },
    severity: problem.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: DIAGNOSTIC_SOURCE,
    message: problem.message,
  }));
}
