/**
 * Group commit on PostgreSQL: the writes that arrive while a transaction is being committed join
 * the next one, so one COMMIT (one WAL flush) covers many requests. Writes of one kind that have a
 * batcher (the accept path's message inserts) run as ONE statement for the whole group (a
 * multi-row insert). Two lanes, each with one transaction open at a time: the batched writes
 * (accepted messages: new rows, which no other write touches) and every other write (dispatch,
 * webhooks, the simulated network), so a request's insert never waits behind the background's
 * round trips in the same transaction, nor they behind it.
 *
 * A write that fails rolls the group back; the group then runs again with a savepoint per write,
 * so only the failing ones fail. If the commit itself fails, every write of the group fails.
 * `onCommit` runs after each commit, before the writers hear of it.
 */
import type { Pool, PoolClient } from "pg";

/** What a write is given: the group's transaction. */
export type Tx = Pick<PoolClient, "query">;

/** Runs many callers' items as one statement; answers one result per item, in order. */
export interface Batcher<I, R> {
  run(tx: Tx, items: readonly I[]): Promise<R[]>;
}

type Pending =
  | {
      readonly kind: "write";
      readonly fn: (tx: Tx) => Promise<unknown>;
      readonly resolve: (v: unknown) => void;
      readonly reject: (e: unknown) => void;
    }
  | {
      readonly kind: "batch";
      readonly batcher: Batcher<unknown, unknown>;
      readonly item: unknown;
      readonly resolve: (v: unknown) => void;
      readonly reject: (e: unknown) => void;
    };

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** One queue of writes and its loop: one group transaction at a time. */
interface Lane {
  pending: Pending[];
  running: boolean;
  idle: Promise<void>;
}

const lane = (): Lane => ({ pending: [], running: false, idle: Promise.resolve() });

export class PgGroupCommit {
  readonly #lanes = { batch: lane(), write: lane() };
  #stats = { commits: 0, writes: 0 };

  constructor(
    private readonly pool: Pool,
    /** After each commit: how many writes it carried, how long it took (connect to COMMIT). */
    private readonly onCommit: (writes: number, seconds: number) => void = () => {},
  ) {}

  /** Runs `fn` in the next group transaction; resolves once it is committed. */
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#lanes.write.pending.push({ kind: "write", fn, resolve: resolve as (v: unknown) => void, reject });
      this.#schedule(this.#lanes.write);
    });
  }

  /** Adds `item` to the batcher's one statement in the next group transaction. */
  batch<I, R>(batcher: Batcher<I, R>, item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#lanes.batch.pending.push({
        kind: "batch",
        batcher: batcher as Batcher<unknown, unknown>,
        item,
        resolve: resolve as (v: unknown) => void,
        reject,
      });
      this.#schedule(this.#lanes.batch);
    });
  }

  /** How many transactions and writes so far (the mean batch size is their ratio). */
  get stats(): { readonly commits: number; readonly writes: number } {
    return this.#stats;
  }

  /** Resolves once every write queued so far has been committed (or failed). */
  async drained(): Promise<void> {
    await Promise.all([this.#lanes.batch.idle, this.#lanes.write.idle]);
  }

  #schedule(l: Lane): void {
    if (l.running) return;
    l.running = true;
    // Let the writes of this turn of the event loop join before the group starts.
    l.idle = new Promise<void>((done) => setImmediate(() => void this.#loop(l).finally(done)));
  }

  async #loop(l: Lane): Promise<void> {
    try {
      while (l.pending.length > 0) {
        const group = l.pending;
        l.pending = [];
        await this.#commitGroup(group);
      }
    } finally {
      l.running = false;
    }
  }

  async #commitGroup(group: readonly Pending[]): Promise<void> {
    let outcomes: Outcome[];
    let client: PoolClient | undefined;
    const started = performance.now();
    try {
      client = await this.pool.connect();
      try {
        outcomes = await this.#all(client, group);
      } catch {
        await client.query("ROLLBACK").catch(() => undefined);
        outcomes = await this.#oneByOne(client, group);
      }
    } catch (error) {
      client?.release(true);
      for (const p of group) p.reject(error);
      return;
    }
    client.release();
    this.#stats.commits++;
    this.#stats.writes += group.length;
    this.onCommit(group.length, (performance.now() - started) / 1000);
    for (const [i, p] of group.entries()) {
      const o = outcomes[i] as Outcome;
      if (o.ok) p.resolve(o.value);
      else p.reject(o.error);
    }
  }

  /** Fast path: every write in one transaction, each batcher's items in one statement. */
  async #all(client: PoolClient, group: readonly Pending[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = new Array(group.length);
    await client.query("BEGIN");
    const batches = new Map<Batcher<unknown, unknown>, number[]>();
    group.forEach((p, i) => {
      if (p.kind !== "batch") return;
      const list = batches.get(p.batcher) ?? [];
      list.push(i);
      batches.set(p.batcher, list);
    });
    for (const [batcher, indexes] of batches) {
      const items = indexes.map((i) => (group[i] as Pending & { kind: "batch" }).item);
      const results = await batcher.run(client, items);
      indexes.forEach((i, n) => {
        outcomes[i] = { ok: true, value: results[n] };
      });
    }
    for (const [i, p] of group.entries()) {
      if (p.kind === "write") outcomes[i] = { ok: true, value: await p.fn(client) };
    }
    await client.query("COMMIT");
    return outcomes;
  }

  /** After a failure: each write under its own savepoint, so only the failing ones fail. */
  async #oneByOne(client: PoolClient, group: readonly Pending[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    await client.query("BEGIN");
    for (const p of group) {
      await client.query("SAVEPOINT w");
      try {
        const value = p.kind === "write" ? await p.fn(client) : (await p.batcher.run(client, [p.item]))[0];
        await client.query("RELEASE SAVEPOINT w");
        outcomes.push({ ok: true, value });
      } catch (error) {
        // A broken connection fails the whole group (the ROLLBACK TO fails too and throws).
        await client.query("ROLLBACK TO SAVEPOINT w");
        outcomes.push({ ok: false, error });
      }
    }
    await client.query("COMMIT");
    return outcomes;
  }
}
