/** The carrier inbox on SQLite: raw carrier posts, leased for processing like the webhook outbox. */
import type Database from "better-sqlite3";
import type { CarrierInboxStore, CarrierPost, NewCarrierPost } from "../carrier-inbox-store.ts";
import type { DueWork } from "../storage-factory.ts";

type Row = Record<string, unknown>;
type Write = <T>(fn: () => T) => Promise<T>;

const toPost = (r: Row): CarrierPost => ({
  seq: Number(r.seq),
  carrier: String(r.carrier),
  sender: String(r.sender),
  body: String(r.body),
  publicBase: String(r.public_base),
  receivedAt: Number(r.received_at),
  attempts: Number(r.attempts),
});

export class SqliteCarrierInboxTables implements CarrierInboxStore {
  readonly #db: Database.Database;
  readonly #write: Write;
  readonly #due: (work: DueWork) => void;

  constructor(db: Database.Database, write: Write, due: (work: DueWork) => void) {
    this.#db = db;
    this.#write = write;
    this.#due = due;
  }

  put(p: NewCarrierPost): Promise<void> {
    return this.#write(() => {
      this.#db
        .prepare(
          `INSERT INTO carrier_inbox (carrier, sender, body, public_base, received_at, next_attempt_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(p.carrier, p.sender, p.body, p.publicBase, p.receivedAt, p.receivedAt);
      this.#due("carrier-intake");
    });
  }

  claim(now: number, limit: number, leaseUntil: number): Promise<CarrierPost[]> {
    // An idle poll costs a read, not a write through the group commit.
    const due = this.#db
      .prepare(
        `SELECT 1 FROM carrier_inbox WHERE state = 'pending' AND next_attempt_at <= ?
           AND (lease_until IS NULL OR lease_until <= ?) LIMIT 1`,
      )
      .get(now, now);
    if (!due) return Promise.resolve([]);
    return this.#write(() => {
      const rows = this.#db
        .prepare(
          `SELECT * FROM carrier_inbox WHERE state = 'pending' AND next_attempt_at <= ?
             AND (lease_until IS NULL OR lease_until <= ?) ORDER BY seq LIMIT ?`,
        )
        .all(now, now, limit) as Row[];
      const lease = this.#db.prepare("UPDATE carrier_inbox SET lease_until = ? WHERE seq = ?");
      for (const r of rows) lease.run(leaseUntil, r.seq);
      return rows.map(toPost);
    });
  }

  done(seqs: readonly number[]): Promise<void> {
    return this.#write(() => {
      const done = this.#db.prepare(
        "UPDATE carrier_inbox SET state = 'done', lease_until = NULL, attempts = attempts + 1 WHERE seq = ?",
      );
      for (const seq of seqs) done.run(seq);
    });
  }

  retry(seq: number, nextAttemptAt: number, error: string): Promise<void> {
    return this.#write(() => {
      this.#db
        .prepare(
          `UPDATE carrier_inbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, lease_until = NULL
           WHERE seq = ? AND state = 'pending'`,
        )
        .run(nextAttemptAt, error, seq);
    });
  }

  async pending(): Promise<number> {
    const row = this.#db
      .prepare("SELECT count(*) AS n FROM carrier_inbox WHERE state = 'pending'")
      .get() as Row;
    return Number(row.n);
  }
}
