/**
 * Understanding a validation command: `cd api && FOO=1 uv run pytest tests/x.py::test_a -v | tee log`
 * becomes a normalized invocation of a known test runner (`pytest`, with cwd `api`, env `FOO=1` and the
 * runner's own arguments), or a clear `unsupported` verdict with a reason.
 *
 * The command is tokenized by a real shell parser (shell-quote), never by splitting on spaces. Then:
 * - the command is split into segments at `&&`, `||`, `;`, `|` and `&`; `cd dir` segments change the
 *   working directory of the segments after them; pipes feed the output of a runner into `tee`/`grep` and
 *   the like, which are ignored;
 * - in each segment, leading environment assignments (`FOO=1`, `env FOO=1`), redirections (`2>&1`,
 *   `> out`) and wrappers (`uv run`, `poetry run`, `pipenv run`, `pdm run`, `hatch run`, `rye run`,
 *   `conda run -n x`, `python -m`, `npx`, `pnpm [exec|dlx]`, `yarn [exec]`, `bunx`, `time`, `env`,
 *   `node_modules/.bin/x`) are stripped until a test runner is found;
 * - `npm test -- args`, `npm run x -- args`, `pnpm test`, `yarn x args` are resolved through the
 *   package.json script the caller reads for us (`readScript`), and the extra arguments are appended.
 *
 * Every word keeps its offsets in the command text (the unquoted content of `"tests/x.py::T::t[a]"`),
 * so that diagnostics, hovers and fixes can point at the exact selector. Offsets are `null` when the word
 * cannot be located unambiguously (escapes inside quotes, line continuations).
 *
 * Nothing here touches the file system. Anything the parser cannot be sure about (command substitution
 * `$(...)` or backticks, variables, unterminated quotes, subshells, unknown programs) is `unsupported`:
 * callers report nothing (at most a hint), never a false `test-not-found`.
 */
import { ENV_ASSIGNMENT, segmentWords, stripSingleQuoted, tokenize, unbalancedQuote, type Token, type Word } from './shellWords';

export type { Word } from './shellWords';

/** The test runners DocPlan understands. */
export type RunnerId = 'pytest' | 'jest' | 'vitest' | 'node-test' | 'mocha' | 'go' | 'cargo';

/** One runner call found in a command. */
export interface Invocation {
  runner: RunnerId;
  /** Working directory relative to where the command runs (the workspace folder): posix, '' for itself. */
  cwd: string;
  /** Environment assignments before the runner (`null` value: assigned from a variable). */
  env: Record<string, string | null>;
  /** The words that named the runner, wrappers included (`uv run pytest`, `go test`, `npm test`). */
  program: Word[];
  /** The runner's own arguments (after `go test` / `cargo test` / `vitest run` / `node`). */
  args: Word[];
  /** Index of the segment in the command's chain (0 for the first command). */
  segment: number;
}

/** Why a command is not understood. */
export type UnsupportedKind = 'empty' | 'syntax' | 'substitution' | 'variable' | 'unknown-runner' | 'script' | 'subshell';

/** The result of analysing a command. */
export type CommandAnalysis =
  | { status: 'ok'; text: string; invocations: Invocation[] }
  | { status: 'unsupported'; text: string; kind: UnsupportedKind; reason: string };

/** Callbacks for what cannot be known from the command text alone. */
export interface CommandOptions {
  /**
   * The body of a package.json script (`npm test`, `npm run unit`, `pnpm test`, `yarn unit`), given the
   * directory the package manager runs in (relative to the workspace folder) and the script name; null
   * when there is no such script (or no package.json). Without it, such commands are `unsupported`.
   */
  readScript?: (cwd: string, name: string) => string | null;
}


const CHAIN_OPS = new Set(['&&', '||', ';', '|', '&', '|&', ';;']);
const MAX_SCRIPT_DEPTH = 3;

/** Analyses a validation command. Never throws. */
export function analyzeCommand(text: string, options: CommandOptions = {}): CommandAnalysis {
  try {
    return analyze(text, options, 0);
  } catch (error) {
    return { status: 'unsupported', text, kind: 'syntax', reason: `the command could not be parsed (${error instanceof Error ? error.message : String(error)})` };
  }
}

function unsupported(text: string, kind: UnsupportedKind, reason: string): CommandAnalysis {
  return { status: 'unsupported', text, kind, reason };
}

function analyze(text: string, options: CommandOptions, depth: number): CommandAnalysis {
  if (text.trim() === '') return unsupported(text, 'empty', 'the command is empty');
  if (text.length > 10_000) return unsupported(text, 'syntax', 'the command is too long to analyse');
  const quoteProblem = unbalancedQuote(text);
  if (quoteProblem) return unsupported(text, 'syntax', quoteProblem);
  if (/`/.test(stripSingleQuoted(text))) return unsupported(text, 'substitution', 'the command uses command substitution (backticks); its tests cannot be known without running it');
  const tokens = tokenize(text);
  const segments: Token[][] = [[]];
  const separators: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'comment') break;
    if (token.kind === 'op' && CHAIN_OPS.has(token.op)) {
      segments.push([]);
      separators.push(token.op);
      continue;
    }
    segments[segments.length - 1].push(token);
  }
  let cwd = '';
  const invocations: Invocation[] = [];
  let firstProblem: CommandAnalysis | null = null;
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index];
    if (segment.length === 0) continue;
    // The left side of a pipe is a runner; the right side (`tee`, `grep`, `tail`) is not interesting.
    const pipedInto = index > 0 && (separators[index - 1] === '|' || separators[index - 1] === '|&');
    if (segment.some((token) => token.kind === 'op' && (token.op === '(' || token.op === ')'))) {
      const substitution = segment.some((token, i) => token.kind === 'word' && token.word.value.endsWith('$') && segment[i + 1]?.kind === 'op');
      if (pipedInto) continue;
      return substitution
        ? unsupported(text, 'substitution', 'the command uses command substitution `$(...)`; its tests cannot be known without running it')
        : unsupported(text, 'subshell', 'the command uses a subshell `( ... )`, which DocPlan does not follow');
    }
    const words = segmentWords(segment);
    if (pipedInto) continue;
    if (words.status === 'variable') {
      const result = unsupported(text, 'variable', `the command uses the variable $${words.name}; its tests cannot be known without running it`);
      if (isCd(segment)) return result;
      firstProblem ??= result;
      continue;
    }
    const list = words.words;
    if (list.length === 0) continue;
    if (list[0].value === 'cd' || list[0].value === 'pushd') {
      const target = list[1]?.value ?? '';
      if (target === '' || target === '~' || target === '-' || target.startsWith('/') || target.startsWith('~')) {
        return unsupported(text, 'syntax', `\`cd ${target}\` leaves the workspace folder; DocPlan only follows relative directories`);
      }
      const next = joinPosix(cwd, target);
      if (next === null) return unsupported(text, 'syntax', `\`cd ${target}\` leaves the workspace folder`);
      cwd = next;
      continue;
    }
    const found = findRunner(list, words.env, cwd, options, depth);
    if (found.status === 'ok') {
      for (const invocation of found.invocations) invocations.push({ ...invocation, segment: index });
    } else if (found.status === 'problem') {
      firstProblem ??= unsupported(text, found.kind, found.reason);
    }
  }
  if (invocations.length > 0) return { status: 'ok', text, invocations };
  return firstProblem ?? unsupported(text, 'unknown-runner', 'no known test runner (pytest, jest, vitest, node --test, mocha, go test, cargo test) in the command');
}

function isCd(segment: Token[]): boolean {
  const first = segment[0];
  return first?.kind === 'word' && (first.word.value === 'cd' || first.word.value === 'pushd');
}

/** `a` joined with relative `b`, posix; null when it climbs above the root. */
function joinPosix(a: string, b: string): string | null {
  const parts = a === '' ? [] : a.split('/');
  for (const part of b.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

type RunnerSearch =
  | { status: 'ok'; invocations: Omit<Invocation, 'segment'>[] }
  | { status: 'problem'; kind: UnsupportedKind; reason: string }
  | { status: 'none' };

const PYTHON = /^(?:.*\/)?(?:python|python3|python3\.\d+|py)$/;
const OPTS_WITH_VALUE: Record<string, Set<string>> = {
  uv: new Set(['--with', '--with-editable', '--with-requirements', '--extra', '--group', '--only-group', '--no-group', '--package', '-p', '--python', '--project', '--env-file', '--index', '--default-index', '--index-url', '--extra-index-url', '--find-links', '-f', '--directory', '--config-file', '--cache-dir', '--color', '--index-strategy', '--keyring-provider', '--resolution', '--prerelease', '--exclude-newer', '--link-mode', '--refresh-package', '--reinstall-package', '--upgrade-package', '-P', '--no-binary-package', '--no-build-package']),
  poetry: new Set(['-C', '--directory', '-P', '--project']),
  pdm: new Set(['-p', '--project', '-L', '--lockfile']),
  hatch: new Set(['-e', '--env']),
  conda: new Set(['-n', '--name', '-p', '--prefix', '--cwd']),
  npx: new Set(['-p', '--package', '-c', '--call']),
  pnpm: new Set(['-C', '--dir', '--filter', '-F', '-w']),
  yarn: new Set(['--cwd']),
  env: new Set(['-u', '--unset', '-C', '--chdir', '-S']),
  time: new Set(['-f', '--format', '-o', '--output']),
  timeout: new Set(['-s', '--signal', '-k', '--kill-after']),
};

/** Strips wrappers from the front of `words` until a runner is found. */
function findRunner(input: Word[], env: Record<string, string | null>, baseCwd: string, options: CommandOptions, depth: number): RunnerSearch {
  let words = input;
  let cwd = baseCwd;
  const program: Word[] = [];
  for (let guard = 0; guard < 20 && words.length > 0; guard++) {
    const head = words[0];
    const name = basename(head.value);
    const skipOptions = (tool: string, from: number): number => {
      let i = from;
      while (i < words.length && words[i].value.startsWith('-') && words[i].value !== '--') {
        const option = words[i].value;
        const withValue = OPTS_WITH_VALUE[tool]?.has(option) ?? false;
        if ((option === '--directory' || option === '-C' || option === '--dir' || option === '--cwd' || option === '--chdir') && words[i + 1]) {
          const next = joinPosix(cwd, words[i + 1].value);
          if (next !== null) cwd = next;
        } else if (option.startsWith('--directory=') || option.startsWith('--cwd=') || option.startsWith('--dir=')) {
          const next = joinPosix(cwd, option.slice(option.indexOf('=') + 1));
          if (next !== null) cwd = next;
        }
        i += withValue ? 2 : 1;
      }
      if (words[i]?.value === '--') i++;
      return i;
    };
    const take = (count: number) => {
      program.push(...words.slice(0, count));
      words = words.slice(count);
    };
    // Environment-ish prefixes.
    if (name === 'env') {
      let i = skipOptions('env', 1);
      while (i < words.length && ENV_ASSIGNMENT.test(words[i].value)) {
        const [, key, value] = ENV_ASSIGNMENT.exec(words[i].value)!;
        env = { ...env, [key]: value };
        i++;
      }
      take(i);
      continue;
    }
    if (name === 'time' || name === 'nohup' || name === 'exec' || name === 'command' || name === 'nice' || name === 'xvfb-run') {
      take(skipOptions(name, 1));
      continue;
    }
    if (name === 'timeout') {
      const i = skipOptions('timeout', 1);
      take(Math.min(words.length, i + 1));
      continue;
    }
    // Python environment managers.
    if ((name === 'uv' || name === 'poetry' || name === 'pipenv' || name === 'pdm' || name === 'rye' || name === 'hatch') && words[1]?.value === 'run') {
      take(skipOptions(name, 2));
      continue;
    }
    if (name === 'uv' && words[1]?.value === 'tool' && words[2]?.value === 'run') {
      take(skipOptions('uv', 3));
      continue;
    }
    if (name === 'uvx' || name === 'pipx' && words[1]?.value === 'run') {
      take(skipOptions('uv', name === 'uvx' ? 1 : 2));
      continue;
    }
    if (name === 'conda' && words[1]?.value === 'run') {
      take(skipOptions('conda', 2));
      continue;
    }
    if (PYTHON.test(head.value)) {
      let i = 1;
      while (i < words.length && words[i].value.startsWith('-') && words[i].value !== '-m') i += words[i].value === '-X' || words[i].value === '-W' ? 2 : 1;
      if (words[i]?.value === '-m' && words[i + 1]) {
        const module = words[i + 1].value;
        if (module === 'pytest' || module === 'py.test') {
          take(i + 2);
          return ok('pytest', program, words, env, cwd);
        }
        return { status: 'problem', kind: 'unknown-runner', reason: `\`python -m ${module}\` is not a test runner DocPlan knows` };
      }
      return { status: 'problem', kind: 'unknown-runner', reason: 'a Python script is not a test runner DocPlan knows' };
    }
    // JavaScript package runners.
    if (name === 'npx' || name === 'bunx' || name === 'pnpx') {
      take(skipOptions('npx', 1));
      continue;
    }
    if ((name === 'pnpm' || name === 'yarn' || name === 'bun' || name === 'npm') && (words[1]?.value === 'exec' || words[1]?.value === 'dlx' || words[1]?.value === 'x')) {
      take(skipOptions(name, 2));
      continue;
    }
    if (name === 'npm' || name === 'pnpm' || name === 'yarn' || name === 'bun') {
      const first = skipOptions(name, 1);
      const scriptSearch = resolveScript(name, words, first, env, cwd, options, depth);
      if (scriptSearch) return scriptSearch;
      // `pnpm vitest`, `yarn jest`: a binary, when no script has that name.
      take(first);
      continue;
    }
    // The runners themselves.
    if (name === 'pytest' || name === 'py.test') {
      take(1);
      return ok('pytest', program, words, env, cwd);
    }
    if (name === 'jest') {
      take(1);
      return ok('jest', program, words, env, cwd);
    }
    if (name === 'vitest') {
      const sub = words[1]?.value;
      take(sub === 'run' || sub === 'watch' || sub === 'dev' || sub === 'related' ? 2 : 1);
      return ok('vitest', program, words, env, cwd);
    }
    if (name === 'mocha' || name === '_mocha') {
      take(1);
      return ok('mocha', program, words, env, cwd);
    }
    if (name === 'node' || name === 'nodejs') {
      if (words.slice(1).some((word) => word.value === '--test')) {
        take(1);
        return ok('node-test', program, words, env, cwd);
      }
      return { status: 'problem', kind: 'unknown-runner', reason: '`node` without `--test` runs a script, not a test runner DocPlan knows' };
    }
    if (name === 'go' && words[1]?.value === 'test') {
      take(2);
      return ok('go', program, words, env, cwd);
    }
    if (name === 'cargo' && words[1]?.value === 'test') {
      take(2);
      return ok('cargo', program, words, env, cwd);
    }
    if (name === 'cargo' && words[1]?.value?.startsWith('+') && words[2]?.value === 'test') {
      take(3);
      return ok('cargo', program, words, env, cwd);
    }
    return { status: 'problem', kind: 'unknown-runner', reason: `\`${head.value}\` is not a test runner DocPlan knows` };
  }
  return { status: 'none' };
}

function ok(runner: RunnerId, program: Word[], args: Word[], env: Record<string, string | null>, cwd: string): RunnerSearch {
  return { status: 'ok', invocations: [{ runner, cwd, env, program, args }] };
}

const NPM_BUILTINS = new Set(['install', 'i', 'ci', 'add', 'remove', 'uninstall', 'publish', 'pack', 'init', 'link', 'audit', 'outdated', 'update', 'version', 'view', 'info', 'config', 'cache', 'ls', 'list', 'why', 'create', 'build', 'prune', 'rebuild', 'dedupe']);

/**
 * `npm test -- -t x`, `npm run unit -- x`, `pnpm test x`, `yarn unit x`: the script body parsed as a
 * command, with the extra arguments appended to its last runner.
 */
function resolveScript(
  manager: string,
  words: Word[],
  first: number,
  env: Record<string, string | null>,
  cwd: string,
  options: CommandOptions,
  depth: number,
): RunnerSearch | null {
  const verb = words[first]?.value;
  if (verb === undefined) return { status: 'problem', kind: 'unknown-runner', reason: `\`${manager}\` without a script is not a test runner` };
  let scriptName: string;
  let rest: number;
  if (verb === 'test' || verb === 't' || verb === 'tst') {
    scriptName = 'test';
    rest = first + 1;
  } else if (verb === 'run' || verb === 'run-script' || verb === 'rum' || verb === 'urn') {
    const script = words[first + 1];
    if (!script) return { status: 'problem', kind: 'script', reason: `\`${manager} run\` without a script name` };
    scriptName = script.value;
    rest = first + 2;
  } else if (manager !== 'npm' && !NPM_BUILTINS.has(verb)) {
    // `yarn unit`, `pnpm unit`: a script when package.json has one, else a binary (handled by the caller).
    const body = options.readScript?.(cwd, verb) ?? null;
    if (body === null) return null;
    scriptName = verb;
    rest = first + 1;
  } else {
    return { status: 'problem', kind: 'unknown-runner', reason: `\`${manager} ${verb}\` is not a test runner` };
  }
  // Options between the script and `--` belong to the package manager (`npm test --silent -- -t x`).
  let extraStart = rest;
  while (extraStart < words.length && words[extraStart].value.startsWith('-') && words[extraStart].value !== '--' && manager === 'npm') extraStart++;
  const extra = words.slice(extraStart);
  if (extra[0]?.value === '--') extra.shift();
  if (!options.readScript) return { status: 'problem', kind: 'script', reason: `\`${manager} ${verb}\` runs a package.json script, which was not read` };
  const body = options.readScript(cwd, scriptName);
  if (body === null) return { status: 'problem', kind: 'script', reason: `no "${scriptName}" script in ${cwd === '' ? '' : `${cwd}/`}package.json` };
  if (depth >= MAX_SCRIPT_DEPTH) return { status: 'problem', kind: 'script', reason: `the "${scriptName}" script nests other scripts too deeply` };
  const inner = analyze(body, { readScript: options.readScript }, depth + 1);
  if (inner.status !== 'ok') return { status: 'problem', kind: inner.kind === 'unknown-runner' ? 'unknown-runner' : 'script', reason: `the "${scriptName}" script (\`${body}\`): ${inner.reason}` };
  // Words of the script have no offsets in the doc's command; the extra arguments keep theirs.
  const invocations = inner.invocations.map((invocation, i) => {
    const last = i === inner.invocations.length - 1;
    const scrub = (word: Word): Word => ({ ...word, start: null, end: null });
    return {
      runner: invocation.runner,
      cwd: joinPosix(cwd, invocation.cwd) ?? cwd,
      env: { ...env, ...invocation.env },
      program: [...words.slice(0, rest), ...invocation.program.map(scrub)],
      args: [...invocation.args.map(scrub), ...(last ? extra : [])],
    };
  });
  return { status: 'ok', invocations };
}

function basename(value: string): string {
  const slash = value.lastIndexOf('/');
  return slash === -1 ? value : value.slice(slash + 1);
}
