/**
 * Gives memory back once the server goes idle. A burst of checks (a session restoring a thousand docs, the
 * workspace check) leaves the heap grown far beyond what stays alive, and V8 keeps it resident in a
 * long-lived Node process; a full collection a second after the last check shrinks it again.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const IDLE_MS = 1000;

/** Runs a full garbage collection once no check has finished for a second. */
export class IdleCollector {
  private timer: NodeJS.Timeout | undefined;
  private readonly collect: (() => void) | null;

  constructor() {
    let collect: (() => void) | null = null;
    try {
      // `gc` without `--expose-gc` on the command line (the server is started by editors we do not control).
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
    this.collect = collect;
  }

  /** A check finished: collect once things stay quiet. */
  busy(): void {
    if (!this.collect) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.collect?.(), IDLE_MS);
    this.timer.unref();
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
