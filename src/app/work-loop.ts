/**
 * A background worker's heartbeat: runs `step` again at once while it finds work, waits `idleMs`
 * when it finds none, and can be woken early when new work is known to exist. Errors are logged
 * and retried after the idle wait; a crash of one step never stops the loop.
 */
import type { Logger } from "pino";

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
  /** Wall-clock times (not the sandbox clock, which jumps) for `health`. */
  #stepStartedAt = 0;
  #lastEndedAt = Date.now();

  constructor(
    readonly name: string,
    private readonly step: () => Promise<boolean>,
    private readonly idleMs: number,
    private readonly log: Logger,
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

  #schedule(ms: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#run(), ms);
  }

  #run(): void {
    this.#timer = undefined;
    if (this.#running || this.#stopped) return;
    this.#wakeRequested = false;
    this.#stepStartedAt = Date.now();
    this.#running = this.step().then(
      (didWork) => {
        this.#running = undefined;
        this.#lastEndedAt = Date.now();
        this.#schedule(didWork || this.#wakeRequested ? 0 : this.idleMs);
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
