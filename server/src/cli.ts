/**
 * Entry point of the `docplan` command (bundled to dist/cli.js, launched by bin/docplan.js). All the work
 * is in `cli/main.ts`, which tests import without running anything. The same bundle is the script of the
 * check's worker threads (`cli/workers.ts` starts them): there it runs the worker loop, not the command.
 */
import { main, nodeIo } from './cli/main';
import { isCheckWorker } from './cli/workers';

if (!isCheckWorker()) {
  void main(process.argv.slice(2), nodeIo()).then((code) => {
    // Let stdout drain instead of process.exit(): a large report piped to a file must not be cut short.
    process.exitCode = code;
  });
}
