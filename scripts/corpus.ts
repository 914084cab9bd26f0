/**
 * `npm run corpus -- <folder> [--verdicts <tsv>]... [--manifest <file>] [--json <file>] [--as-docs] [--checker <bin/docplan.js>]`
 *
 * Runs `docplan check` (in process, the same entry point as the CLI) over every document of the
 * real-docs manifest, one batch per repository with that repository's tree as the workspace, and prints
 * what a person needs to judge the result: per profile and per rule, the findings with the text of the
 * line they point at; then how many plans and design docs were recognised, and whether any ordinary
 * file was. With `--verdicts`, it joins judged verdicts (repo, path, line, rule, or `rule~text` for the findings
 * of that rule whose message contains text) and prints precision per
 * rule, listing the findings nobody has judged yet. `--as-docs` previews what the rules say about the plans
 * and design docs detection misses: it lists them in a configuration's `include`, so they are checked
 * whatever their content (ordinary files are never forced). `--checker` runs another checkout's built CLI
 * instead of this one (after `npm run build` there), to compare branches. The folder layout is the one of
 * scripts/gather-corpus.mjs: `<folder>/repos/<owner>__<name>/`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../server/src/cli/main';

/** One document of the manifest; `family` is a formats.md family, or `ordinary`. */
export interface ManifestDoc {
  repo: string;
  commit: string;
  path: string;
  family: string;
}

/** What the checker said about one document. */
export interface DocResult extends ManifestDoc {
  /** The kind (or profile, when the checker reports one) it was recognised as; null when it was not. */
  profile: string | null;
  findings: Finding[];
}

/** One finding, located by repository, path and 1-based line. */
export interface Finding {
  repo: string;
  path: string;
  line: number;
  rule: string;
  message: string;
  text: string;
}

/** A judged finding from verdicts.tsv. */
export interface Verdict {
  repo: string;
  path: string;
  line: number;
  rule: string;
  verdict: 'right' | 'wrong';
  reason: string;
  /**
   * Written `rule~text` in the rule column: the verdict is only for the findings of that key whose message
   * contains `text`, for a line where one rule says several things (a design doc's `missing-section`
   * findings all sit on line 1). It wins over a plain verdict of the same key.
   */
  messageContains?: string;
}

/** Rules about references (issue 10); every other rule is counted as a structure rule. */
export const REFERENCE_RULES = new Set([
  'missing-file', 'line-out-of-range', 'stale-line', 'line-drift', 'broken-doc-link', 'reference-outside-workspace',
  'reference-unreadable', 'placeholder-text', 'references-shared', 'file-not-deleted',
]);

const ORDINARY = 'ordinary';

interface JsonEntry {
  file: string;
  kind: string | null;
  profile?: string | null;
  diagnostics: { code: string; message: string; range: { start: { line: number } } }[];
}

/** The folder a repository is materialised in. */
export function repoRoot(folder: string, repo: string): string {
  return join(folder, 'repos', repo.replace('/', '__'));
}

/** Checks every manifest doc, one `docplan check --format json` per repository. */
export async function checkCorpus(folder: string, docs: readonly ManifestDoc[], options: { asDocs?: boolean; checker?: string } = {}): Promise<DocResult[]> {
  const byRepo = new Map<string, ManifestDoc[]>();
  for (const doc of docs) byRepo.set(doc.repo, [...(byRepo.get(doc.repo) ?? []), doc]);
  const results: DocResult[] = [];
  for (const [repo, repoDocs] of byRepo) {
    const root = repoRoot(folder, repo);
    const present = repoDocs.filter((doc) => existsSync(join(root, doc.path)));
    for (const doc of repoDocs) if (!present.includes(doc)) process.stderr.write(`corpus: missing ${repo} ${doc.path} (see scripts/gather-corpus.mjs)\n`);
    if (present.length === 0) continue;
    let stdout = '';
    let stderr = '';
    const io = { cwd: root, env: {}, stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } };
    // No cache: the point is what this build of the checker says, not what an earlier one said.
    const args = ['check', '--format', 'json', '--no-cache', '--root', root];
    const configDir = options.asDocs ? mkdtempSync(join(tmpdir(), 'docplan-corpus-')) : undefined;
    if (configDir) {
      const include = present.filter((doc) => doc.family !== ORDINARY).map((doc) => doc.path);
      writeFileSync(join(configDir, 'docplan.json'), JSON.stringify({ include }));
      args.push('--config', join(configDir, 'docplan.json'));
    }
    const argv = [...args, ...present.map((doc) => doc.path)];
    const code = await runChecker(argv, io, options.checker).finally(() => configDir && rmSync(configDir, { recursive: true, force: true }));
    if (code === 2) throw new Error(`docplan check failed in ${root}: ${stderr.trim()}`);
    const entries = new Map((JSON.parse(stdout) as JsonEntry[]).map((entry) => [entry.file.replaceAll('\\', '/'), entry]));
    for (const doc of present) {
      const entry = entries.get(doc.path);
      const lines = readFileSync(join(root, doc.path), 'utf8').split(/\r\n|\r|\n/);
      const findings = (entry?.diagnostics ?? []).map((diagnostic) => {
        const line = diagnostic.range.start.line + 1;
        return { repo, path: doc.path, line, rule: diagnostic.code, message: diagnostic.message.replace(/\s+/g, ' '), text: (lines[line - 1] ?? '').trim() };
      });
      results.push({ ...doc, profile: entry ? (entry.profile ?? entry.kind ?? 'unknown') : null, findings });
    }
  }
  return results;
}

/** `docplan` in process, or another checkout's built CLI (`<checkout>/bin/docplan.js`) to compare branches. */
async function runChecker(argv: string[], io: { cwd: string; stdout: { write(text: string): unknown }; stderr: { write(text: string): unknown } }, checker?: string): Promise<number> {
  if (!checker) return main(argv, { ...io, env: {} });
  const result = spawnSync(process.execPath, [checker, ...argv], { cwd: io.cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  io.stdout.write(result.stdout ?? '');
  io.stderr.write(result.stderr ?? (result.error ? String(result.error) : ''));
  return result.status ?? 2;
}

/** Parses verdicts.tsv: tab-separated repo, path, line, rule, verdict, reason; `#` lines and a header are skipped. */
export function parseVerdicts(text: string): Verdict[] {
  const verdicts: Verdict[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '' || raw.startsWith('#') || (index === 0 && raw.startsWith('repo\t'))) return;
    const [repo, path, line, ruleColumn, verdict, ...reason] = raw.split('\t');
    const [rule, ...fragment] = (ruleColumn ?? '').split('~');
    if (!repo || !path || !rule || !/^\d+$/.test(line ?? '') || (verdict !== 'right' && verdict !== 'wrong') || (fragment.length > 0 && fragment.join('~') === '')) {
      throw new Error(`verdicts line ${index + 1}: expected repo, path, line, rule (or rule~message text), right|wrong, reason`);
    }
    const messageContains = fragment.length > 0 ? { messageContains: fragment.join('~') } : {};
    verdicts.push({ repo, path, line: Number(line), rule, verdict, reason: reason.join('\t'), ...messageContains });
  });
  return verdicts;
}

const keyOf = (item: { repo: string; path: string; line: number; rule: string }) => `${item.repo}\t${item.path}\t${item.line}\t${item.rule}`;
const where = (finding: Finding) => `${finding.repo}/${finding.path}:${finding.line}`;
const percent = (part: number, whole: number) => (whole === 0 ? '-' : `${Math.round((100 * part) / whole)}%`);
const countBy = <T>(items: readonly T[], key: (item: T) => string) => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b));
};

/** The findings section: per profile, per rule, each finding with its line's text. */
export function renderFindings(results: readonly DocResult[]): string[] {
  const out: string[] = [];
  const profiles = [...new Set(results.filter((doc) => doc.profile !== null).map((doc) => doc.profile!))].sort();
  for (const profile of profiles) {
    const docs = results.filter((doc) => doc.profile === profile);
    const findings = docs.flatMap((doc) => doc.findings);
    out.push(`== profile ${profile}: ${docs.length} docs detected, ${findings.length} findings`);
    for (const [rule, count] of countBy(findings, (finding) => finding.rule)) {
      const ruleFindings = findings.filter((finding) => finding.rule === rule);
      out.push(`-- ${rule}: ${count} findings in ${new Set(ruleFindings.map((finding) => finding.repo + finding.path)).size} docs`);
      for (const finding of ruleFindings) out.push(`${where(finding)} ${rule} ${finding.message}`, `    | ${finding.text}`);
    }
    out.push('');
  }
  return out;
}

/** The recognition section: plans and design docs recognised, per family; ordinary files must stay silent. */
export function renderRecognition(results: readonly DocResult[]): string[] {
  const plans = results.filter((doc) => doc.family !== ORDINARY);
  const ordinary = results.filter((doc) => doc.family === ORDINARY);
  const recognised = plans.filter((doc) => doc.profile !== null);
  const ordinaryRecognised = ordinary.filter((doc) => doc.profile !== null);
  const out = ['== recognition', `plans and design docs recognised: ${recognised.length}/${plans.length} (${percent(recognised.length, plans.length)})`];
  for (const [family] of countBy(plans, (doc) => doc.family)) {
    const docs = plans.filter((doc) => doc.family === family);
    const chosen = countBy(docs, (doc) => doc.profile ?? 'not recognised').map(([profile, count]) => `${profile} ${count}`);
    out.push(`  ${family}: ${docs.filter((doc) => doc.profile !== null).length}/${docs.length} (${chosen.join(', ')})`);
    for (const doc of docs.filter((item) => item.profile === null)) out.push(`    not recognised: ${doc.repo}/${doc.path}`);
  }
  out.push(`ordinary files recognised: ${ordinaryRecognised.length}/${ordinary.length} (must be 0)`);
  for (const doc of ordinaryRecognised) out.push(`  recognised as ${doc.profile}: ${doc.repo}/${doc.path}`);
  out.push(`diagnostics on ordinary files: ${ordinary.reduce((sum, doc) => sum + doc.findings.length, 0)} (must be 0)`, '');
  return out;
}

/** The precision section: verdicts joined to findings by repo, path, line and rule. */
export function renderPrecision(results: readonly DocResult[], verdicts: readonly Verdict[]): string[] {
  const plain = new Map(verdicts.filter((verdict) => verdict.messageContains === undefined).map((verdict) => [keyOf(verdict), verdict]));
  const specific = verdicts.filter((verdict) => verdict.messageContains !== undefined);
  const verdictOf = (finding: Finding) =>
    specific.find((verdict) => keyOf(verdict) === keyOf(finding) && finding.message.includes(verdict.messageContains!)) ?? plain.get(keyOf(finding));
  const findings = results.flatMap((doc) => doc.findings);
  const judged = findings.filter((finding) => verdictOf(finding) !== undefined);
  const right = (items: readonly Finding[]) => items.filter((finding) => verdictOf(finding)?.verdict === 'right').length;
  const row = (label: string, items: readonly Finding[]) => {
    const seen = items.filter((finding) => verdictOf(finding) !== undefined);
    return `${label.padEnd(30)} ${`${right(seen)}/${seen.length}`.padStart(9)} ${percent(right(seen), seen.length).padStart(9)} ${String(items.length - seen.length).padStart(9)}`;
  };
  const out = ['== precision (judged right / judged; unjudged findings are not counted)', `${'rule'.padEnd(30)} ${'right'.padStart(9)} ${'precision'.padStart(9)} ${'unjudged'.padStart(9)}`];
  for (const [rule] of countBy(findings, (finding) => finding.rule)) out.push(row(rule, findings.filter((finding) => finding.rule === rule)));
  out.push(row('structure rules', findings.filter((finding) => !REFERENCE_RULES.has(finding.rule))));
  out.push(row('reference rules', findings.filter((finding) => REFERENCE_RULES.has(finding.rule))));
  out.push(row('all', findings));
  const unjudged = findings.filter((finding) => verdictOf(finding) === undefined);
  out.push('', `unjudged findings: ${unjudged.length}`);
  for (const finding of unjudged) out.push(`  ${where(finding)} ${finding.rule} ${finding.message}`, `      | ${finding.text}`);
  const current = new Set(findings.map(keyOf));
  const gone = verdicts.filter((verdict) =>
    verdict.messageContains === undefined ? !current.has(keyOf(verdict)) : !findings.some((finding) => keyOf(finding) === keyOf(verdict) && finding.message.includes(verdict.messageContains!)),
  );
  out.push(`verdicts with no finding now: ${gone.length} (${gone.filter((verdict) => verdict.verdict === 'wrong').length} judged wrong, now silent)`);
  out.push(`judged: ${judged.length}/${findings.length} findings`, '');
  return out;
}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index < 0) return undefined;
  const [, value] = args.splice(index, 2);
  if (value === undefined) throw new Error(`${name} needs a value`);
  return value;
}

async function cli(argv: readonly string[]): Promise<number> {
  const args = [...argv];
  const manifestFile = option(args, '--manifest') ?? resolve(__dirname, '..', 'test', 'corpus', 'manifest.json');
  const verdictFiles: string[] = [];
  for (let file = option(args, '--verdicts'); file !== undefined; file = option(args, '--verdicts')) verdictFiles.push(file);
  const jsonFile = option(args, '--json');
  const checker = option(args, '--checker');
  const asDocs = args.includes('--as-docs');
  if (asDocs) args.splice(args.indexOf('--as-docs'), 1);
  const folder = resolve(args[0] ?? '/work/corpus');
  const docs = (JSON.parse(readFileSync(manifestFile, 'utf8')) as { docs: ManifestDoc[] }).docs;
  const results = await checkCorpus(folder, docs, { asDocs, checker: checker && resolve(checker) });
  const lines = [...renderFindings(results), ...renderRecognition(results)];
  if (verdictFiles.length > 0) lines.push(...renderPrecision(results, verdictFiles.flatMap((file) => parseVerdicts(readFileSync(file, 'utf8')))));
  process.stdout.write(lines.join('\n') + '\n');
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify(results, null, 1) + '\n');
  return 0;
}

if (require.main === module) {
  cli(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`corpus: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
