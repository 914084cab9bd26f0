/**
 * vitest: positional arguments are substrings of test file paths (`file:line` allowed), `-t` /
 * `--testNamePattern` a case-sensitive regular expression over the full name (describe titles and the test
 * title joined by spaces). Default test files: `*.{test,spec}.?(c|m)[jt]s?(x)`.
 */
import { type ArgSpec, has, joinRel, parseArgs, type Runner, values } from './types';
import { jsPattern } from '../patterns';
import { checkRegexFilters, completionNames, type JsRunnerConfig, selectFiles } from './javascript';

const SPEC: ArgSpec = {
  withValue: new Set([
    '-t', '--testNamePattern', '-c', '--config', '-r', '--root', '--dir', '--project', '--reporter', '--shard', '--environment', '--pool', '--testTimeout', '--outputFile',
    '--mode', '--maxWorkers', '--minWorkers', '--retry', '--sequence.seed', '--exclude', '--include', '--bail', '--tags-filter', '--browser.name',
  ]),
};

const CONFIG: JsRunnerConfig = {
  id: 'vitest',
  isDefaultTestFile: (path) => /\.(?:test|spec)\.[cm]?[jt]sx?$/.test(path),
  fileFilter: 'substring',
  recursiveDirs: true,
  configFiles: ['vitest.config.ts', 'vitest.config.js', 'vitest.config.mts', 'vitest.config.mjs', 'vitest.workspace.ts', 'vitest.workspace.js'],
};

export const vitestRunner: Runner = {
  id: 'vitest',
  check(invocation, index) {
    const parsed = parseArgs(invocation.args, SPEC);
    if (has(parsed, '--changed', '--related')) return [];
    const root = values(parsed, '--root', '-r', '--dir')[0]?.value.value;
    const scoped = root ? { ...invocation, cwd: joinRel(invocation.cwd, root) } : invocation;
    const names = values(parsed, '-t', '--testNamePattern');
    const stubName = names.length === 1 ? names[0].value.value : null;
    const selection = selectFiles(CONFIG, scoped, index, parsed.positional, stubName);
    return [...selection.verdicts, ...checkRegexFilters('vitest', index, selection, names, (source) => jsPattern(source))];
  },
  names(invocation, index) {
    const parsed = parseArgs(invocation.args, SPEC);
    return completionNames(index, selectFiles(CONFIG, invocation, index, parsed.positional, null).files);
  },
};
