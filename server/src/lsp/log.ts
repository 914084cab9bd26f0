/**
 * The server's log (the client's output channel) and the guards that turn a handler's exception into a
 * logged line and a fallback answer: the server never crashes on one bad request.
 */
import { ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** Writes `DocPlan: ...` lines to the client's log. */
export class ServerLog {
  private readonly logged = new Set<string>();

  constructor(private readonly connection: Connection) {}

  /** Logs a failure of `context`; never throws, even when the connection is gone. */
  error(context: string, error: unknown): void {
    try {
      this.connection.console.error(`DocPlan: ${context} failed: ${describe(error)}`);
    } catch {
      // The connection itself is gone; nothing left to tell.
    }
  }

  /** Logs a line once per server lifetime (settings problems, unknown rule ids in settings). */
  once(message: string): void {
    if (this.logged.has(message)) return;
    this.logged.add(message);
    this.connection.console.warn(`DocPlan: ${message}`);
  }

  /** Logs an error line that is not an exception (rule errors of a document). */
  errorLine(message: string): void {
    this.connection.console.error(`DocPlan: ${message}`);
  }

  info(message: string): void {
    this.connection.console.info(`DocPlan: ${message}`);
  }

  warn(message: string): void {
    this.connection.console.warn(`DocPlan: ${message}`);
  }

  /** Wraps a request handler: exceptions are logged and answered with `fallback` (ResponseErrors pass through). */
  guard<P, R>(name: string, fallback: R, handler: (params: P, token: CancellationToken) => R | Promise<R>) {
    return async (params: P, token: CancellationToken): Promise<R> => {
      try {
        return await handler(params, token);
      } catch (error) {
        if (error instanceof ResponseError) throw error;
        this.error(name, error);
        return fallback;
      }
    };
  }

  /** Wraps a notification or event handler the same way. */
  guardEvent<P>(name: string, handler: (params: P) => void | Promise<void>): (params: P) => void {
    return (params: P) => {
      try {
        const result = handler(params);
        if (result instanceof Promise) result.catch((error: unknown) => this.error(name, error));
      } catch (error) {
        this.error(name, error);
      }
    };
  }
}
