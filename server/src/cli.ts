/**
 * Entry point of the `docplan` command (bundled to dist/cli.js, launched by bin/docplan.js). It is kept
 * light: a `docplan check` whose last run is still valid is replayed from its record (cli/replay.ts) without
 * loading the checker; anything else loads the full CLI (cli/main.ts, bundled to dist/cli-main.js, which is
 * also the script of the check's worker threads) and runs it. Tests import cli/main.ts directly.
 */
import { join } from 'node:path';
import { FULL_BUNDLE, replayCheck } from './cli/replay';

const argv = process.argv.slice(2);
const bundle = join(__dirname, FULL_BUNDLE);
// `docplan check | head` closes the pipe early: that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const replayed = replayCheck(argv, { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr }, bundle);
if (replayed !== null) {
  process.exitCode = replayed;
} else {
  // A path esbuild leaves alone: the full CLI is its own bundle, loaded only when needed.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const full = require(bundle) as typeof import('./cli/main');
  void full.main(argv, full.nodeIo()).then((code) => {
    // Let stdout drain instead of process.exit(): a large report piped to a file must not be cut short.
    process.exitCode = code;
  });
}
