/**
 * The `docplan` command line: `check`, `stages` and `rules`. `main` takes its arguments and I/O explicitly
 * so that tests can run it in process; `cli.ts` is the bundled entry that calls it.
 *
 * Exit status: 0 no error-severity findings (and --max-warnings not exceeded), 1 errors found (or too many
 * warnings), 2 usage error or internal error.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkText } from '../check';
import { resolveConfig } from '../config/load';
import { ALL_RULES } from '../rules/index';
import { DEFAULT_MAX_FILE_SIZE, readDocument, rootRelative } from '../workspace/files';
import { formatStagesText, stagesJson } from './stages';
import { runRun } from './run';
import { runStatus } from './status';
import { runNext } from './next';
import { runSync } from './sync';

import { displayPath, EXIT_OK, EXIT_USAGE, loadConfigFile, parse, parseSize, reportConfigProblems, UsageError, VERSION, workspaceRoot, type CliIo, type Options } from './invocation';
import { runCheck } from './check';

export { nodeIo, parseSize, UsageError, VERSION, type CliIo } from './invocation';

const MAIN_HELP = `Usage: docplan <command> [options]

Checks Markdown design docs and implementation plans.

Commands:
  check [paths or globs...]   Check docs (default: the current directory)
  stages <doc>                Print a doc's stages (--json for JSON)
  run <doc> [--stage N]       Run a doc's validation commands (exit 0 when all pass)
  status [paths...]           Where each plan stands, and its next stage (--json for JSON)
  next <plan>                 The next stage's open items, files and commands (--json for agents)
  sync [paths...] [--write]   Tick done work, untick work that is not there (prints every change)
  rules                       List rules with their default severity

Options:
  -h, --help                  Show help (also: docplan <command> --help)
  -v, --version               Print the version

Exit status: 0 no errors, 1 errors found, 2 usage or internal error.
`;

const STAGES_HELP = `Usage: docplan stages <doc> [options]

Prints the stages of a plan or design doc: number, title, state, changes, validation commands, children.

Options:
      --json          Print JSON (version 1 shape: ranges are LSP ranges, 0-based)
  -c, --config <file> Use this configuration file instead of <root>/.docplan.json
      --root <dir>    Workspace root (default: nearest ancestor with .docplan.json or .git)
  -h, --help          Show this help
`;

const RULES_HELP = `Usage: docplan rules [--json]

Lists every rule: id, default severity and description.
`;

const STAGES_OPTIONS = {
  json: { type: 'boolean' },
  config: { type: 'string', short: 'c' },
  root: { type: 'string' },
  'max-file-size': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

const RULES_OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/** Runs the CLI. Returns the exit status; never throws. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`docplan: ${error.message}\nRun "docplan --help" for usage.\n`);
      return EXIT_USAGE;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`docplan: internal error: ${message}\n`);
    if (io.env.DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return EXIT_USAGE;
  }
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.stderr.write(MAIN_HELP);
    return EXIT_USAGE;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(MAIN_HELP);
    return EXIT_OK;
  }
  if (command === '--version' || command === '-v' || command === '-V') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT_OK;
  }
  switch (command) {
    case 'check':
      return runCheck(rest, io);
    case 'stages':
      return runStages(rest, io);
    case 'rules':
      return runRules(rest, io);
    case 'run':
      return runRun(rest, io, io.stdout === process.stdout ? interruptSignal() : undefined);
    case 'status':
      return runStatus(rest, io);
    case 'next':
      return runNext(rest, io);
    case 'sync':
      return runSync(rest, io);
    default:
      throw new UsageError(command.startsWith('-') ? `unknown option '${command}'` : `unknown command '${command}'`);
  }
}

/** Aborted by Ctrl-C, so that `docplan run` stops the command it is running together with its children. */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  return controller.signal;
}

async function runStages(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, STAGES_OPTIONS);
  if (values.help) {
    io.stdout.write(STAGES_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'stages: name one document' : 'stages: name exactly one document');
  const path = resolve(io.cwd, positionals[0]);
  if (!existsSync(path)) throw new UsageError(`no such file: ${positionals[0]}`);
  const maxFileSize = values['max-file-size'] === undefined ? DEFAULT_MAX_FILE_SIZE : parseSize(values['max-file-size']);
  const root = workspaceRoot(io, values.root);
  const configFile = loadConfigFile(io, root, values.config);
  const { config, problems } = resolveConfig(configFile);
  reportConfigProblems(io, configFile, problems);
  const read = readDocument(path, maxFileSize);
  if (!read.ok) throw new UsageError(`cannot use ${positionals[0]}: ${read.reason}`);
  const rel = rootRelative(root, path);
  const { built } = checkText(read.text, { config, path: rel });
  const doc = stagesJson(rel ?? path, built.model);
  io.stdout.write(values.json ? JSON.stringify(doc, null, 2) + '\n' : formatStagesText({ ...doc, file: displayPath(io, path) }));
  return EXIT_OK;
}

async function runRules(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, RULES_OPTIONS);
  if (values.help) {
    io.stdout.write(RULES_HELP);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`rules takes no arguments; got '${positionals[0]}'`);
  if (values.json) {
    const rules = ALL_RULES.map((rule) => ({ id: rule.id, defaultSeverity: rule.defaultSeverity, kinds: [...rule.kinds], description: rule.description }));
    io.stdout.write(JSON.stringify(rules, null, 2) + '\n');
    return EXIT_OK;
  }
  const idWidth = Math.max(...ALL_RULES.map((rule) => rule.id.length));
  const severityWidth = Math.max(...ALL_RULES.map((rule) => rule.defaultSeverity.length));
  for (const rule of ALL_RULES) io.stdout.write(`${rule.id.padEnd(idWidth)}  ${rule.defaultSeverity.padEnd(severityWidth)}  ${rule.description}\n`);
  return EXIT_OK;
}
