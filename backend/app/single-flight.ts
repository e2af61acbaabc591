/**
 * One run per key at a time: callers that ask while a run for their key is under way, or shortly after it ended,
 * get its result. A page that loads several things at once sends one refresh cookie on each request; with
 * one-time-use refresh tokens every refresh after the first would be refused as reuse (and with reusable ones each
 * would open its own session). Sharing the first one's result is what makes them one refresh.
 */
export class SingleFlight<T> {
  private readonly running = new Map<string, Promise<T>>();
  private readonly recent = new Map<string, { value: T; until: number }>();

  /**
   * @param keepMs how long (by `now`) a finished run's result still answers its key: requests of the same burst
   *   that the server reads after the first one finished.
   */
  constructor(
    private readonly now: () => number,
    private readonly keepMs: number,
    private readonly maxRecent = 1000,
  ) {}

  /**
   * Whether this call led the run (false: it joined one under way or just finished). With `remember: false` the
   * result answers only callers that come while it runs.
   */
  async run(key: string, work: () => Promise<T>, options: { remember?: boolean } = {}): Promise<{ value: T; led: boolean }> {
    this.forgetOld();
    const done = this.recent.get(key);
    if (done) return { value: done.value, led: false };
    const current = this.running.get(key);
    if (current) return { value: await current, led: false };
    const started = work().then(
      (value) => {
        this.running.delete(key);
        if (options.remember !== false) this.recent.set(key, { value, until: this.now() + this.keepMs });
        return value;
      },
      (err: unknown) => {
        this.running.delete(key);
        throw err;
      },
    );
    this.running.set(key, started);
    return { value: await started, led: true };
  }

  private forgetOld(): void {
    const now = this.now();
    for (const [key, entry] of this.recent) {
      if (entry.until <= now || this.recent.size > this.maxRecent) this.recent.delete(key);
    }
  }
}
