/**
 * mocha: positional arguments are spec files, directories (recursive with `--recursive`) or globs; default
 * `./test/*.{js,cjs,mjs}` (a `.mocharc.*` may change it: the scope then counts as incomplete). `--grep` /
 * `-g` is a regular expression (`/re/flags` allowed) over the full title, `--fgrep` / `-f` a substring;
 * `--invert` turns both around and is not checked.
 */
import { type ArgSpec, has, parseArgs, type Runner, unknown, values } from './types';
import { slashFormPattern } from '../patterns';
import { checkNames, checkRegexFilters, completionNames, type JsRunnerConfig, selectFiles } from './javascript';

const SPEC: ArgSpec = {
  withValue: new Set([
    '-g', '--grep', '-f', '--fgrep', '-r', '--require', '-R', '--reporter', '-u', '--ui', '-t', '--timeout', '--timeouts', '-s', '--slow', '--config', '--package', '--extension',
    '--ignore', '--exclude', '--file', '--spec', '-j', '--jobs', '--retries', '-O', '--reporter-option', '--reporter-options', '-n', '--node-option', '--loader', '--import',
  ]),
};

function config(recursive: boolean): JsRunnerConfig {
  return {
    id: 'mocha',
    isDefaultTestFile: (_path, inCwd) => (recursive ? /^test\//.test(inCwd) : /^test\/[^/]+$/.test(inCwd)) && /\.[cm]?js$/.test(inCwd),
    fileFilter: 'path',
    recursiveDirs: recursive,
    configFiles: ['.mocharc.js', '.mocharc.cjs', '.mocharc.json', '.mocharc.jsonc', '.mocharc.yml', '.mocharc.yaml'],
  };
}

export const mochaRunner: Runner = {
  id: 'mocha',
  check(invocation, index) {
    const parsed = parseArgs(invocation.args, SPEC);
    const spec = [...parsed.positional, ...values(parsed, '--spec').map((v) => v.value)];
    const grep = values(parsed, '-g', '--grep');
    const fgrep = values(parsed, '-f', '--fgrep');
    const stubName = grep.length + fgrep.length === 1 ? (grep[0] ?? fgrep[0]).value.value : null;
    const selection = selectFiles(config(has(parsed, '--recursive')), invocation, index, spec, stubName);
    const { files, scopeComplete } = selection;
    if (has(parsed, '-i', '--invert')) {
      const inverted = [...grep, ...fgrep].map(({ flag, value }) => unknown(value, flag.value, value.value, '--invert selects the tests that do not match'));
      return [...selection.verdicts, ...inverted];
    }
    return [
      ...selection.verdicts,
      // --grep takes mocha's `/re/flags` form too.
      ...checkRegexFilters('mocha', index, selection, grep, (source) => slashFormPattern(source)),
      ...fgrep.map(({ flag, value }) => checkNames('mocha', index, files, scopeComplete, value, flag.value, (test) => test.fullName.includes(value.value), false)),
    ];
  },
  names(invocation, index) {
    const parsed = parseArgs(invocation.args, SPEC);
    return completionNames(index, selectFiles(config(has(parsed, '--recursive')), invocation, index, parsed.positional, null).files);
  },
};
