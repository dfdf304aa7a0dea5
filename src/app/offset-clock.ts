/**
 * The process clock: real time plus an offset the sandbox API can move forward, so a person or a
 * test can jump past a 24-hour window or a TTL without waiting. The offset lives in shared memory,
 * so the HTTP thread and the store's thread (where the workers run) always agree on the time.
 */
import type { Clock } from "../core/clock.ts";

export class OffsetClock implements Clock {
  readonly #offset: Float64Array;

  constructor(shared: SharedArrayBuffer = new SharedArrayBuffer(8)) {
    this.#offset = new Float64Array(shared);
  }

  /** The shared memory to hand to another thread's OffsetClock. */
  get shared(): SharedArrayBuffer {
    return this.#offset.buffer as SharedArrayBuffer;
  }

  now(): number {
    return Date.now() + (this.#offset[0] as number);
  }

  /** Moves time forward (never back: statuses and windows assume time only grows). Single writer: the HTTP thread. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError("the clock only moves forward");
    this.#offset[0] = (this.#offset[0] as number) + ms;
  }

  /** Moves time forward to `offsetMs` if it is behind it (another node of a cluster advanced it). */
  catchUp(offsetMs: number): void {
    if (offsetMs > (this.#offset[0] as number)) this.#offset[0] = offsetMs;
  }

  get offsetMs(): number {
    return this.#offset[0] as number;
  }
}
