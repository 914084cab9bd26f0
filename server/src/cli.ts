/**
 * Entry point of the `docplan` command (bundled to dist/cli.js, launched by bin/docplan.js). All the work
 * is in `cli/main.ts`, which tests import without running anything.
 */
import { main, nodeIo } from './cli/main';

void main(process.argv.slice(2), nodeIo()).then((code) => {
  // Let stdout drain instead of process.exit(): a large report piped to a file must not be cut short.
  process.exitCode = code;
});
