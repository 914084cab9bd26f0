/**
 * jest: positional arguments are regular expressions over test file paths (`testPathPatterns`), `-t` /
 * `--testNamePattern` a case-insensitive regular expression over the full name (describe titles and the
 * test title joined by spaces). Default test files: `__tests__/**` and `*.test.*` / `*.spec.*`.
 */
import { type ArgSpec, has, parseArgs, type Runner, values } from './types';
import { jsPattern } from '../patterns';
import { checkRegexFilters, completionNames, type JsRunnerConfig, selectFiles } from './javascript';

const SPEC: ArgSpec = {
  withValue: new Set([
    '-t', '--testNamePattern', '-c', '--config', '--rootDir', '--roots', '--selectProjects', '--shard', '-w', '--maxWorkers', '--reporters', '--coverageDirectory',
    '--testTimeout', '--seed', '--outputFile', '--env', '--testEnvironment', '--testMatch', '--testPathPatterns', '--testPathPattern', '--testPathIgnorePatterns',
    '--setupFiles', '--setupFilesAfterEnv', '--maxConcurrency', '--collectCoverageFrom', '--coverageProvider', '--changedSince', '--testRunner', '--moduleNameMapper',
  ]),
};

const CONFIG: JsRunnerConfig = {
  id: 'jest',
  isDefaultTestFile: (path) => /(?:^|\/)__tests__\//.test(path) || /\.(?:test|spec)\.[cm]?[jt]sx?$/.test(path),
  fileFilter: 'regex',
  recursiveDirs: true,
  configFiles: ['jest.config.js', 'jest.config.ts', 'jest.config.mjs', 'jest.config.cjs', 'jest.config.json'],
};

export const jestRunner: Runner = {
  id: 'jest',
  check(invocation, index) {
    const parsed = parseArgs(invocation.args, SPEC);
    if (has(parsed, '--findRelatedTests', '--listTests', '--onlyChanged', '-o', '--changedSince')) return [];
    const names = values(parsed, '-t', '--testNamePattern');
    const stubName = names.length === 1 ? names[0].value.value : null;
    const patterns = [...parsed.positional, ...values(parsed, '--testPathPatterns', '--testPathPattern').map((v) => v.value)];
    const selection = selectFiles(CONFIG, invocation, index, patterns, stubName);
    // jest matches -t case-insensitively.
    return [...selection.verdicts, ...checkRegexFilters('jest', index, selection, names, (source) => jsPattern(source, 'i'))];
  },
  names(invocation, index) {
    const parsed = parseArgs(invocation.args, SPEC);
    return completionNames(index, selectFiles(CONFIG, invocation, index, parsed.positional, null).files);
  },
};
