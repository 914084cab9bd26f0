/**
 * How the language server talks to its client. Standalone (`docplan-language-server --stdio`, node-ipc,
 * a socket or a pipe) the transport is named on the command line, as every LSP client expects. Inside VS
 * Code the extension starts the server as a worker thread of the extension host and talks over the
 * worker's message port: starting a thread costs a fraction of starting a Node process, and that is most
 * of the time between activation and the client being ready.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createConnection, PortMessageReader, PortMessageWriter, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { SERVER_WORKER_MARKER } from '../protocol';

const TRANSPORTS = ['--stdio', '--node-ipc', '--socket', '--pipe'];

/** True when this server runs as the extension host's worker thread (started by the VS Code client). */
export function runsAsWorker(): boolean {
  return !isMainThread && parentPort !== null && (workerData as { marker?: unknown } | undefined)?.marker === SERVER_WORKER_MARKER;
}

/**
 * The server's connection: over the parent's message port in a worker, else over the transport of the
 * command line. Without one, prints the usage and exits with status 2 (a mistyped command must not hang).
 */
export function openConnection(): Connection {
  if (runsAsWorker() && parentPort) {
    return createConnection(ProposedFeatures.all, new PortMessageReader(parentPort), new PortMessageWriter(parentPort));
  }
  if (!process.argv.some((arg) => TRANSPORTS.some((flag) => arg === flag || arg.startsWith(`${flag}=`)))) {
    process.stderr.write('Usage: docplan-language-server --stdio   (or --node-ipc, --socket=<port>, --pipe=<name>)\n');
    process.exit(2);
  }
  return createConnection(ProposedFeatures.all);
}
