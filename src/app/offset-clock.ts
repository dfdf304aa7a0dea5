/**
 * The process clock: real time plus an offset the sandbox API can move forward, so a person or a
 * test can jump past a 24-hour window or a TTL without waiting.
 */
import type { Clock } from "../core/clock.ts";

export class OffsetClock implements Clock {
  #offsetMs = 0;

  now(): number {
    return Date.now() + this.#offsetMs;
  }

  /** Moves time forward (never back: statuses and windows assume time only grows). */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError("the clock only moves forward");
    this.#offsetMs += ms;
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }
}
