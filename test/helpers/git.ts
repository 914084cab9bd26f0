/** Running git in the temporary repositories tests build, isolated from the machine's git configuration. */
import { execFileSync } from 'node:child_process';

/** No global or system configuration: hooks, signing or a default branch elsewhere cannot change a test. */
const ISOLATED_ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

/** Runs `git args...` in `cwd` with a fixed identity and returns its standard output; throws on failure. */
export function git(cwd: string, ...args: string[]): string {
  return runGit(cwd, ISOLATED_ENV, args);
}

/** `git args...` committed at `date` (ISO 8601), for tests that place commits in time. */
export function gitAt(cwd: string, date: string, ...args: string[]): string {
  return runGit(cwd, { ...ISOLATED_ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }, args);
}

function runGit(cwd: string, env: NodeJS.ProcessEnv, args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=DocPlan Test', '-c', 'user.email=docplan@example.invalid', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
