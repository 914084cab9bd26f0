/** `docplan check`: collect the files, check them (cached, over threads), report, and the exit status. */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_MAX_DOC_MS } from '../check';
import { BUDGET_RULE_ID } from '../rules/engine';
import { parseRuleOverride, type ConfigInput, type DocPlanConfig } from '../config/config';
import { CONFIG_FILE_NAME, readConfigFile, resolveConfig } from '../config/load';
import { ALL_RULES } from '../rules/index';
import { collectFiles, DEFAULT_MAX_FILE_SIZE, describeError, readDocument, rootRelative } from '../workspace/files';
import { FORMATS, formatGithub, formatJson, formatSarif, formatText, totals, type FileReport, type Format } from './format';
import type { BatchItem, BatchSettings, DocOutcome } from './batch';
import { CheckCache, hashText } from './cache';
import { checkParallel, threadCount } from './workers';
import { CHECK_OPTIONS } from './checkOptions';
import { RunRecorder, SHARED_LIBRARIES } from './replay';
import { forgetSnapshotIndexes } from './snapshotIndex';

import { displayPath, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, loadConfigFile, parse, parseCount, parseSize, reportConfigProblems, UsageError, VERSION, workspaceRoot, type CliIo } from './invocation';

const CHECK_HELP = `Usage: docplan check [paths or globs...] [options]

Checks Markdown files (*.md, *.markdown) under the given directories (default: .), files matching the
given globs, and files named explicitly. .gitignore files are honoured; node_modules and .git are skipped.
Markdown that is not a design doc, plan or tracker is silently ignored.

Options:
  -f, --format <name>       text (default), json, sarif or github
  -o, --output <file>       Write the report to a file instead of stdout
      --fix                 Apply safe fixes, write changed files, then report what remains
      --rule <id=severity>  Override a rule's severity (off|hint|info|warning|error); repeatable
  -c, --config <file>       Use this configuration file instead of <root>/.docplan.json
      --root <dir>          Workspace root (default: nearest ancestor with .docplan.json or .git); without
                            it (and without --config), a folder below the root holding its own
                            .docplan.json is checked as a workspace of its own
      --max-warnings <n>    Exit 1 when there are more than n warnings
      --max-file-size <n>   Skip larger files (bytes, or with a K/M/G suffix; default 5M)
      --max-doc-ms <n>      Time budget per document in milliseconds (default 10000): what is left when it
                            runs out is skipped, and an info finding on line 1 says what
      --quiet               Report errors only
      --no-cache            Check every file again instead of reusing unchanged results (the cache is on
                            by default; --fix does not use it)
      --cache-location <dir>  Where the cache lives (default: <root>/node_modules/.cache/docplan)
      --threads <n>         Worker threads (default: one per core when there are enough files)
      --color, --no-color   Force colours on or off (default: when stdout is a terminal and NO_COLOR is unset)
  -h, --help                Show this help

Exit status: 0 no errors, 1 errors found (or more warnings than --max-warnings), 2 usage or internal error.
`;

function ruleOverrides(rules: readonly string[] | undefined): ConfigInput | undefined {
  if (!rules || rules.length === 0) return undefined;
  const input: ConfigInput = { rules: {} };
  for (const text of rules) {
    const parsed = parseRuleOverride(text);
    if (!parsed) throw new UsageError(`--rule expects rule-id=severity (severity: off, hint, info, warning or error), got '${text}'`);
    input.rules![parsed.id] = parsed.severity;
  }
  return input;
}

/** Runs `docplan check` with its arguments; returns the exit status. */
export async function runCheck(args: readonly string[], io: CliIo): Promise<number> {
  const { values: parsed, positionals } = parse(args, CHECK_OPTIONS);
  // `--no-cache` wins over `--cache`, as `--no-color` over `--color`.
  const values = { ...parsed, cache: parsed['no-cache'] ? false : parsed.cache };
  if (values.help) {
    io.stdout.write(CHECK_HELP);
    return EXIT_OK;
  }
  const format = (values.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}; got '${values.format}'`);
  const maxWarnings = values['max-warnings'] === undefined ? null : parseCount('--max-warnings', values['max-warnings']);
  const maxFileSize = values['max-file-size'] === undefined ? DEFAULT_MAX_FILE_SIZE : parseSize(values['max-file-size']);
  const maxDocMs = values['max-doc-ms'] === undefined ? DEFAULT_MAX_DOC_MS : parseCount('--max-doc-ms', values['max-doc-ms']);
  const overrides = ruleOverrides(values.rule);
  const root = workspaceRoot(io, values.root);
  // This run's snapshot of the tree starts now, whatever an earlier run in this process saw.
  forgetSnapshotIndexes();
  // Record this run for the light entry's replay (cli/replay.ts): stamps first, stderr as it is written.
  let recorder = RunRecorder.start(['check', ...args], io, __filename);
  if (recorder !== null && recorder.root !== root) recorder = null;
  let stderrText = '';
  if (recorder !== null) {
    const stderr = io.stderr;
    io = { ...io, stderr: { write: (text: string) => ((stderrText += text), stderr.write(text)) } };
  }
  if (recorder !== null && values.config !== undefined) recorder.addFiles([resolve(io.cwd, values.config)]);
  const configFile = loadConfigFile(io, root, values.config);
  const { config, problems } = resolveConfig(configFile, overrides);
  reportConfigProblems(io, configFile, problems);

  const collected = collectFiles(positionals.length > 0 ? positionals : ['.'], { cwd: io.cwd, root });
  for (const warning of collected.warnings) io.stderr.write(`docplan: warning: ${warning}\n`);
  if (collected.missing.length > 0) {
    for (const missing of collected.missing) io.stderr.write(`docplan: no such file or directory: ${missing}\n`);
    return EXIT_USAGE;
  }

  // A file belongs to the nearest folder below the root that holds its own .docplan.json (as nested ESLint
  // configs do), else to the root. Each folder has its configuration and its workspace: references and
  // validation commands are resolved inside it, never outside.
  const configs: DocPlanConfig[] = [config];
  const folders = new Map<string, number>([[root, 0]]);
  const folderOfDir = new Map<string, string>();
  const nearestFolder = (dir: string): string => {
    if (dir === root || rootRelative(root, dir) === null) return root;
    let known = folderOfDir.get(dir);
    if (known === undefined) {
      known = existsSync(join(dir, CONFIG_FILE_NAME)) ? dir : nearestFolder(dirname(dir));
      folderOfDir.set(dir, known);
    }
    return known;
  };
  const folderOf = (path: string): { root: string; config: number } => {
    const folderRoot = values.config === undefined && values.root === undefined ? nearestFolder(dirname(path)) : root;
    let index = folders.get(folderRoot);
    if (index === undefined) {
      const nested = readConfigFile(folderRoot);
      const resolved = resolveConfig(nested, overrides);
      reportConfigProblems(io, nested, resolved.problems.slice(0, nested.problems.length));
      index = configs.push(resolved.config) - 1;
      folders.set(folderRoot, index);
    }
    return { root: folderRoot, config: index };
  };

  const cache = values.cache === false || values.fix ? null : openCache(io, root, values['cache-location']);
  // The recorder stamped the root's directories before anything was read: the cache needs the same stamps.
  if (cache !== null && recorder !== null) cache.useStamps(root, recorder.dirStamps);
  const configHashes = configs.map((each) => hashText(JSON.stringify(each)));
  const workspaceKey = (folderRoot: string) => cache?.folderKey(folderRoot) ?? '';

  // Read every file (the cache keys on contents), answer from the cache what it can, check the rest.
  const outcomes: (DocOutcome | null)[] = [];
  const docHashes: string[] = [];
  const toCheck: { at: number; item: BatchItem }[] = [];
  if (recorder !== null && !collected.files.every((path) => rootRelative(root, path) !== null)) recorder = null;
  recorder?.addFiles(collected.files);
  for (const path of collected.files) {
    const read = readDocument(path, maxFileSize);
    if (!read.ok) {
      io.stderr.write(`docplan: skipped ${displayPath(io, path)}: ${read.reason}\n`);
      outcomes.push(null);
      docHashes.push('');
      continue;
    }
    const folder = folderOf(path);
    while (configHashes.length < configs.length) configHashes.push(hashText(JSON.stringify(configs[configHashes.length])));
    const docHash = hashText(`${rootRelative(folder.root, path)}\0${read.text}`);
    docHashes.push(docHash);
    const cached = cache?.lookup(path, docHash, configHashes[folder.config], () => workspaceKey(folder.root)) ?? null;
    outcomes.push(cached);
    if (!cached) toCheck.push({ at: outcomes.length - 1, item: { path, folderRoot: folder.root, config: folder.config, text: read.text } });
  }
  const threads = threadCount(toCheck.length, values.threads === undefined ? null : Math.max(1, parseCount('--threads', values.threads)));
  const settings: BatchSettings = { configs, maxFileSize, maxDocMs, fix: values.fix === true, git: true, record: cache !== null };
  const checked = await checkParallel(
    toCheck.map((each) => each.item),
    settings,
    threads,
    io.fixText,
  );
  if (io.env.DOCPLAN_TIMING === '1') {
    io.stderr.write(`docplan: timing: ${collected.files.length - toCheck.length} from the cache, ${toCheck.length} checked on ${threads} thread${threads === 1 ? '' : 's'}\n`);
    for (const { item } of toCheck) io.stderr.write(`docplan: timing: checked ${displayPath(io, item.path)}\n`);
  }
  toCheck.forEach(({ at, item }, k) => {
    const outcome = checked[k];
    outcomes[at] = outcome;
    // A check cut off by its time budget depends on the machine's load, not only on the files: not cached.
    const cutOff = outcome.findings.some((finding) => finding.ruleId === BUDGET_RULE_ID);
    const clean = outcome.internalError === null && outcome.ruleErrors.length === 0 && outcome.skipped === null && !cutOff;
    if (cutOff) recorder = null;
    if (cache && clean) cache.store(item.path, docHashes[at], configHashes[item.config], outcome.kind === null || outcome.disabled ? null : workspaceKey(item.folderRoot), outcome);
  });
  if (cache) {
    const problem = cache.save();
    if (problem !== null) io.stderr.write(`docplan: note: the cache could not be written (${problem}); the next run checks everything again\n`);
    if (problem !== null || cache.discarded !== null) recorder = null;
    for (const path of collected.files) recorder?.addFiles(cache.dependencies(path));
  } else {
    recorder = null;
  }

  const reports: FileReport[] = [];
  let internalError = false;
  let fixesApplied = 0;
  let filesFixed = 0;
  collected.files.forEach((path, at) => {
    const outcome = outcomes[at];
    if (!outcome) return;
    const display = displayPath(io, path);
    if (outcome.skipped !== null) {
      io.stderr.write(`docplan: skipped ${display}: ${outcome.skipped}\n`);
      return;
    }
    if (outcome.internalError !== null) {
      io.stderr.write(`docplan: internal error while checking ${display}: ${outcome.internalError}\n`);
      internalError = true;
      return;
    }
    if (outcome.kind === null || outcome.disabled) return;
    for (const note of outcome.notes) io.stderr.write(`docplan: note: ${display}: ${note}\n`);
    for (const ruleError of outcome.ruleErrors) {
      io.stderr.write(`docplan: internal error in rule ${ruleError} (while checking ${display})\n`);
      internalError = true;
    }
    if (outcome.fixError !== null) {
      io.stderr.write(`docplan: ${outcome.fixError.replace(/^(not fixed|cannot write)/, `$1 ${display}`)}\n`);
      if (outcome.fixError.startsWith('cannot write')) {
        internalError = true;
        return;
      }
    }
    if (outcome.fixesApplied > 0) {
      fixesApplied += outcome.fixesApplied;
      filesFixed++;
    }
    let findings = outcome.findings;
    // The budget's note is kept: without it, a cut-off check would pass for a clean one.
    if (values.quiet) findings = findings.filter((finding) => finding.severity === 'error' || finding.ruleId === BUDGET_RULE_ID);
    reports.push({ file: rootRelative(root, path) ?? path, display, kind: outcome.kind, profile: outcome.profile, findings });
  });

  const fixLine = values.fix ? `Fixed ${fixesApplied} problem${fixesApplied === 1 ? '' : 's'} in ${filesFixed} file${filesFixed === 1 ? '' : 's'}.` : null;
  const color = values['no-color'] ? false : values.color ? true : values.output === undefined && wantsColor(io);
  let output: string;
  switch (format) {
    case 'json':
      output = formatJson(reports);
      break;
    case 'sarif':
      output = formatSarif(reports, { rules: ALL_RULES, version: VERSION, rootUri: pathToFileURL(root).href });
      break;
    case 'github':
      output = formatGithub(reports);
      break;
    default:
      output = formatText(reports, { color, extra: fixLine ? [fixLine] : [] });
  }
  if (fixLine && format !== 'text') io.stderr.write(`docplan: ${fixLine}\n`);
  if (values.output !== undefined) {
    try {
      writeFileSync(resolve(io.cwd, values.output), output);
    } catch (error) {
      io.stderr.write(`docplan: cannot write ${values.output}: ${describeError(error)}\n`);
      return EXIT_USAGE;
    }
  } else {
    io.stdout.write(output);
  }

  if (internalError) return EXIT_USAGE;
  const exit = checkExit(io, reports, maxWarnings);
  recorder?.finish(exit, output, stderrText);
  return exit;
}

function checkExit(io: CliIo, reports: readonly FileReport[], maxWarnings: number | null): number {
  const counts = totals(reports);
  if (counts.error > 0) return EXIT_FINDINGS;
  if (maxWarnings !== null && counts.warning > maxWarnings) {
    io.stderr.write(`docplan: too many warnings (${counts.warning}; --max-warnings is ${maxWarnings})\n`);
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}

/**
 * The running checker bundle's size and mtime: a rebuilt checker (same version number, other rules) must not
 * reuse what an older build found. Empty when running from source (tests), where the version alone keys it.
 */
function checkerStamp(): string {
  if (!__filename.endsWith('.js')) return '';
  // The bundle and the libraries it shares with the language server (see scripts/build.mjs).
  return [__filename, join(dirname(__filename), SHARED_LIBRARIES)].map((file) => {
    try {
      const stats = statSync(file);
      return `+${stats.size}.${Math.round(stats.mtimeMs)}`;
    } catch {
      return '';
    }
  }).join('');
}

/** The cache of `--cache-location` or `<root>/node_modules/.cache/docplan`, saying so when an old one was discarded. */
function openCache(io: CliIo, root: string, location: string | undefined): CheckCache {
  const cache = CheckCache.open(location === undefined ? join(root, 'node_modules', '.cache', 'docplan') : resolve(io.cwd, location), `${VERSION}${checkerStamp()}`);
  if (cache.discarded !== null) io.stderr.write(`docplan: note: ignored the cache file ${displayPath(io, cache.file)} (${cache.discarded}); it will be rebuilt\n`);
  return cache;
}

function wantsColor(io: CliIo): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  return io.stdout.isTTY === true;
}
