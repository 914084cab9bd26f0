/**
 * A bound on how many scheduled checks run at once. A check yields between its steps, so without a bound
 * every document opened in a burst (a session restored, a folder of plans opened) would be under way at
 * the same time, each holding its model: memory grows with the burst instead of with the bound.
 * Checks a request waits for do not queue here.
 */
export class CheckSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  /** Runs `task` once a slot is free. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolveSlot) => this.waiting.push(resolveSlot));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
