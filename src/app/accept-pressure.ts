/**
 * Whether requests are arriving fast enough that background work should make room for them. The
 * store tells the workers after each commit that made dispatch due; while such commits come often
 * (a burst of sends), dispatch, the simulated network and webhook delivery run at a reduced share
 * of the store's thread, and catch up when the burst ends (see `WorkLoop`).
 */
export class AcceptPressure {
  #windowStart = 0;
  #inWindow = 0;
  #busyUntil = 0;

  constructor(
    /** Commits per window that count as a burst. */
    private readonly threshold = 20,
    private readonly windowMs = 100,
  ) {}

  /** A commit that carried accepted messages reached the disk. */
  arrived(now: number): void {
    if (now - this.#windowStart >= this.windowMs) {
      this.#windowStart = now;
      this.#inWindow = 0;
    }
    if (++this.#inWindow === this.threshold) this.#busyUntil = now + this.windowMs;
  }

  busy(now: number): boolean {
    return now < this.#busyUntil;
  }
}
