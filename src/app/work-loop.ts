/**
 * A background worker's heartbeat: runs `step` again at once while it finds work, waits `idleMs`
 * when it finds none, and can be woken early when new work is known to exist. Errors are logged
 * and retried after the idle wait; a crash of one step never stops the loop. A loop that yields to
 * accept rests, while requests pour in, long enough after each step to take only its share of the
 * thread.
 */
import { performance } from "node:perf_hooks";
import type { Logger } from "pino";
import type { AcceptPressure } from "./accept-pressure.ts";

/** How a background loop gives way to accepting requests. */
export interface YieldTo {
  readonly pressure: AcceptPressure;
  /** The share of the thread the loop keeps during a burst (0 < share ≤ 1). */
  readonly share: number;
}

/** A loop as readiness sees it: alive unless stopped, or stuck in a step, or its timer never fired. */
export interface LoopHealth {
  readonly name: string;
  readonly alive: boolean;
  /** How long the step under way has run, if one is. */
  readonly stepMs?: number;
}

export class WorkLoop {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #wakeRequested = false;
  /** Resting to make room for accept: a wake does not cut the rest short. */
  #resting = false;
  /** Wall-clock times (not the sandbox clock, which jumps) for `health`. */
  #stepStartedAt = 0;
  #lastEndedAt = Date.now();

  constructor(
    readonly name: string,
    private readonly step: () => Promise<boolean>,
    private readonly idleMs: number,
    private readonly log: Logger,
    private readonly yieldTo?: YieldTo,
  ) {}

  start(): void {
    this.#schedule(0);
  }

  /** Run soon: new work exists. Cheap to call often. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#wakeRequested = true;
      return;
    }
    if (this.#resting) return;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  /**
   * Alive: a step under way for at most `stallMs`, or waiting for a timer that is due within
   * `stallMs` (so a blocked thread or a hung carrier shows).
   */
  health(stallMs: number, now = Date.now()): LoopHealth {
    if (this.#stopped) return { name: this.name, alive: false };
    if (this.#running) {
      const stepMs = now - this.#stepStartedAt;
      return { name: this.name, alive: stepMs <= stallMs, stepMs };
    }
    return { name: this.name, alive: now - this.#lastEndedAt <= this.idleMs + stallMs };
  }

  #schedule(ms: number, resting = false): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#resting = resting;
    this.#timer = setTimeout(() => this.#run(), ms);
  }

  #run(): void {
    this.#timer = undefined;
    this.#resting = false;
    if (this.#running || this.#stopped) return;
    this.#wakeRequested = false;
    const started = performance.now();
    this.#stepStartedAt = Date.now();
    this.#running = this.step().then(
      (didWork) => {
        this.#running = undefined;
        this.#lastEndedAt = Date.now();
        if (!(didWork || this.#wakeRequested)) return this.#schedule(this.idleMs);
        const now = performance.now();
        const y = this.yieldTo;
        if (y?.pressure.busy(now)) return this.#schedule(((now - started) * (1 - y.share)) / y.share, true);
        this.#schedule(0);
      },
      (err: unknown) => {
        this.#running = undefined;
        this.#lastEndedAt = Date.now();
        this.log.error({ err, loop: this.name }, "worker step failed; retrying");
        this.#schedule(this.idleMs);
      },
    );
  }
}
