/**
 * Gives memory back once the server goes idle. A burst of checks (a session restoring a thousand docs, the
 * workspace check) leaves the heap grown far beyond what stays alive, and V8 keeps it resident in a
 * long-lived Node process; a full collection a second after the last check shrinks it again. That
 * collection also compacts: a plain one frees the dead objects but leaves the old generation's pages half
 * empty and resident (51 MB committed for 24 MB alive, measured with a thousand docs open).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const IDLE_MS = 1000;

/** Runs a full, compacting garbage collection once no check has finished for a second. */
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
    this.timer = setTimeout(() => this.collectCompacting(), IDLE_MS);
    this.timer.unref();
  }

  private collectCompacting(): void {
    if (!this.collect) return;
    // V8 reads this flag at each full collection, so it holds for this one only. It is process-wide: a
    // worker's collection meanwhile compacts too, which costs time, not correctness.
    setFlagsFromString('--compact-on-every-full-gc');
    try {
      this.collect();
    } finally {
      setFlagsFromString('--no-compact-on-every-full-gc');
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
