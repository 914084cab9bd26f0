/**
 * `node --test`: positional arguments are files, directories or globs (default: node's test file
 * patterns under the working directory); `--test-name-pattern` (repeatable, any may match, `/re/flags`
 * allowed) is matched, as node does across versions, against a test's own name, its suites' names and its
 * full name; `--test-skip-pattern` is not checked.
 */
import { type ArgSpec, parseArgs, type Runner, unknown, values, type Verdict } from './types';
import { slashFormPattern } from '../patterns';
import { backtrackingMiss, checkNames, completionNames, type JsRunnerConfig, selectFiles } from './javascript';

const SPEC: ArgSpec = {
  withValue: new Set([
    '--test-name-pattern', '--test-skip-pattern', '--import', '--require', '-r', '--loader', '--experimental-loader', '--test-reporter', '--test-reporter-destination',
    '--test-concurrency', '--test-timeout', '--test-shard', '--env-file', '--conditions', '-C', '--input-type', '--stack-size', '--max-old-space-size', '--test-isolation',
    '--test-global-setup', '--test-coverage-include', '--test-coverage-exclude',
  ]),
};

const CONFIG: JsRunnerConfig = {
  id: 'node-test',
  isDefaultTestFile: (_path, inCwd) => {
    const base = inCwd.slice(inCwd.lastIndexOf('/') + 1);
    return /(?:^|\/)test\//.test(inCwd) || /^test\.[cm]?[jt]s$/.test(base) || /^test-.+\.[cm]?[jt]s$/.test(base) || /.+[.\-_]test\.[cm]?[jt]s$/.test(base);
  },
  fileFilter: 'path',
  recursiveDirs: true,
  configFiles: [],
};

export const nodeTestRunner: Runner = {
  id: 'node-test',
  check(invocation, index) {
    const parsed = parseArgs(invocation.args, SPEC);
    const files = parsed.positional.filter((word) => word.value !== '--test');
    const patterns = values(parsed, '--test-name-pattern');
    const stubName = patterns.length === 1 ? patterns[0].value.value : null;
    const selection = selectFiles(CONFIG, invocation, index, files, stubName);
    const out: Verdict[] = [...selection.verdicts];
    for (const { flag, value } of patterns) {
      const compiled = slashFormPattern(value.value);
      if ('unknown' in compiled) {
        out.push(unknown(value, flag.value, value.value, compiled.unknown));
        continue;
      }
      const regex = compiled.pattern;
      const verdict = checkNames('node-test', index, selection.files, selection.scopeComplete, value, flag.value, (test) => regex.test(test.fullName) || test.path.some((name) => regex.test(name)), true);
      out.push(backtrackingMiss(verdict, value, flag.value));
    }
    return out;
  },
  names(invocation, index) {
    const parsed = parseArgs(invocation.args, SPEC);
    return completionNames(index, selectFiles(CONFIG, invocation, index, parsed.positional, null).files);
  },
};
