/**
 * Group commit for every write: each write that arrives while the thread is busy joins the next
 * transaction, so one fsync covers many requests, dispatch steps and report updates at once.
 * A write that fails is rolled back alone and its caller gets the error, while the others commit.
 * If the commit itself fails, every write of the group fails. `onCommit` runs after each commit
 * that reached the disk, before the writers hear of it, with the group's size and the time from
 * its start until it was on disk.
 *
 * With a `sync`, the commit itself does not wait for the disk: the connection commits without
 * fsync and `sync` flushes the log on a background thread, while this thread goes on with the next
 * group. Writers hear of their commit only once a sync that started after it has finished, so a
 * promise still resolves only when its write is on disk; one sync covers every commit before it.
 */
import type Database from "better-sqlite3";

interface Pending {
  readonly fn: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Makes every commit so far durable, off this thread; calls back when it is (or failed). */
export type Sync = (done: (error: Error | null) => void) => void;

export class GroupCommit {
  #pending: Pending[] = [];
  #scheduled = false;
  readonly #commitAll: (batch: readonly Pending[]) => Outcome[];
  /** Commits made but not yet covered by a sync: how to tell their writers, either way. */
  #unsynced: ((error: Error | null) => void)[] = [];
  #syncing = false;
  #idle: (() => void)[] = [];

  constructor(
    db: Database.Database,
    /** After each commit that reached the disk: how many writes it carried, how long it took. */
    private readonly onCommit: (writes: number, seconds: number) => void = () => {},
    private readonly sync?: Sync,
  ) {
    // Fast path: every write in one transaction, no savepoints (they cost more than the writes).
    const all = db.transaction((batch: readonly Pending[]) =>
      batch.map((p): Outcome => ({ ok: true, value: p.fn() })),
    );
    // If any write throws, that transaction is rolled back whole and the group is run again with a
    // savepoint per write, so only the failing ones fail.
    const oneByOne = db.transaction((batch: readonly Pending[]) => {
      const outcomes: Outcome[] = [];
      for (const p of batch) {
        try {
          outcomes.push({ ok: true, value: db.transaction(p.fn)() });
        } catch (error) {
          // A full disk or an I/O error rolls back the whole transaction, not just the savepoint:
          // then nothing of this group can be committed, so fail it all rather than commit a part.
          if (!db.inTransaction) throw error;
          outcomes.push({ ok: false, error });
        }
      }
      return outcomes;
    });
    this.#commitAll = (batch) => {
      try {
        return all(batch);
      } catch {
        return oneByOne(batch);
      }
    };
  }

  /** Runs `fn` (synchronous database work) in the next group commit; resolves once it is on disk. */
  write<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits every write queued so far, now. Callers that batch their own input call it at the end. */
  flush(): void {
    this.#scheduled = false;
    // While the log is being synced, a commit now would wait for the next sync anyway: keep the
    // writes and commit them all when this sync ends, in one transaction instead of many small ones.
    if (this.#syncing) return;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return;
    let outcomes: Outcome[];
    const started = performance.now();
    try {
      outcomes = this.#commitAll(batch);
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    const settle = (error: Error | null) => {
      // Not known to be on disk: every writer of the group is told so (its client may retry).
      if (error) for (const p of batch) p.reject(error);
      else {
        this.onCommit(batch.length, (performance.now() - started) / 1000);
        for (const [i, p] of batch.entries()) {
          const o = outcomes[i] as Outcome;
          if (o.ok) p.resolve(o.value);
          else p.reject(o.error);
        }
      }
    };
    if (!this.sync) {
      settle(null);
      return;
    }
    this.#unsynced.push(settle);
    this.#startSync();
  }

  /** Resolves once every commit so far has been synced and its writers told. */
  synced(): Promise<void> {
    if (!this.#syncing && this.#unsynced.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #startSync(): void {
    const sync = this.sync;
    if (!sync || this.#syncing) return;
    if (this.#unsynced.length === 0) {
      for (const resolve of this.#idle.splice(0)) resolve();
      return;
    }
    this.#syncing = true;
    const covered = this.#unsynced;
    this.#unsynced = [];
    sync((error) => {
      this.#syncing = false;
      for (const settle of covered) settle(error);
      if (this.#pending.length > 0) this.flush();
      else this.#startSync();
    });
  }
}
