/**
 * Group commit for every write: each write that arrives while the thread is busy joins the next
 * transaction, so one fsync covers many requests, dispatch steps and report updates at once.
 * A write that fails is rolled back alone and its caller gets the error, while the others commit.
 * If the commit itself fails, every write of the group fails. `onCommit` runs after each commit
 * that reached the disk, before the writers hear of it, with the group's size and commit time.
 */
import type Database from "better-sqlite3";

interface Pending {
  readonly fn: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommit {
  #pending: Pending[] = [];
  #scheduled = false;
  readonly #commitAll: (batch: readonly Pending[]) => Outcome[];

  constructor(
    db: Database.Database,
    /** After each commit that reached the disk: how many writes it carried, how long it took. */
    private readonly onCommit: (writes: number, seconds: number) => void = () => {},
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
    this.onCommit(batch.length, (performance.now() - started) / 1000);
    for (const [i, p] of batch.entries()) {
      const o = outcomes[i] as Outcome;
      if (o.ok) p.resolve(o.value);
      else p.reject(o.error);
    }
  }
}
