/**
 * A background worker's heartbeat: runs `step` again at once while it finds work, waits `idleMs`
 * when it finds none, and can be woken early when new work is known to exist. Errors are logged
 * and retried after the idle wait; a crash of one step never stops the loop.
 */
import type { Logger } from "pino";

export class WorkLoop {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #wakeRequested = false;

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

  #schedule(ms: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#run(), ms);
  }

  #run(): void {
    this.#timer = undefined;
    if (this.#running || this.#stopped) return;
    this.#wakeRequested = false;
    this.#running = this.step().then(
      (didWork) => {
        this.#running = undefined;
        this.#schedule(didWork || this.#wakeRequested ? 0 : this.idleMs);
      },
      (err: unknown) => {
        this.#running = undefined;
        this.log.error({ err, loop: this.name }, "worker step failed; retrying");
        this.#schedule(this.idleMs);
      },
    );
  }
}
