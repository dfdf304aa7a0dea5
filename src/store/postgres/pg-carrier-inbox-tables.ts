/**
 * The carrier inbox on PostgreSQL: raw carrier posts, leased for processing like the webhook
 * outbox, to this node (rows another node holds are skipped).
 */
import type { Pool } from "pg";
import type { CarrierInboxStore, CarrierPost, NewCarrierPost } from "../carrier-inbox-store.ts";
import type { DueWork } from "../storage-factory.ts";
import type { PgGroupCommit } from "./pg-group-commit.ts";

type Row = Record<string, unknown>;

const toPost = (r: Row): CarrierPost => ({
  seq: Number(r.seq),
  carrier: String(r.carrier),
  sender: String(r.sender),
  body: String(r.body),
  publicBase: String(r.public_base),
  receivedAt: Number(r.received_at),
  attempts: Number(r.attempts),
});

export class PgCarrierInboxTables implements CarrierInboxStore {
  constructor(
    private readonly pool: Pool,
    private readonly group: PgGroupCommit,
    private readonly due: (work: DueWork) => void,
    private readonly node: string,
  ) {}

  put(p: NewCarrierPost): Promise<void> {
    return this.group.write(async (tx) => {
      await tx.query(
        `INSERT INTO carrier_inbox (carrier, sender, body, public_base, received_at, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $5)`,
        [p.carrier, p.sender, p.body, p.publicBase, p.receivedAt],
      );
      this.due("carrier-intake");
    });
  }

  async claim(now: number, limit: number, leaseUntil: number): Promise<CarrierPost[]> {
    // An idle poll costs a read, not a write through the group commit.
    const due = await this.pool.query(
      `SELECT 1 FROM carrier_inbox WHERE state = 'pending' AND next_attempt_at <= $1
         AND (lease_until IS NULL OR lease_until <= $1) LIMIT 1`,
      [now],
    );
    if (due.rows.length === 0) return [];
    return this.group.write(async (tx) => {
      const { rows } = await tx.query(
        `WITH due AS (
           SELECT seq FROM carrier_inbox WHERE state = 'pending' AND next_attempt_at <= $1
             AND (lease_until IS NULL OR lease_until <= $1) ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED)
         UPDATE carrier_inbox c SET lease_until = $3, lease_owner = $4 FROM due WHERE c.seq = due.seq
         RETURNING c.*`,
        [now, limit, leaseUntil, this.node],
      );
      return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map(toPost);
    });
  }

  done(seqs: readonly number[]): Promise<void> {
    return this.group.write(async (tx) => {
      if (seqs.length === 0) return;
      await tx.query(
        `UPDATE carrier_inbox SET state = 'done', lease_until = NULL, attempts = attempts + 1
         WHERE seq = ANY($1::bigint[])`,
        [seqs],
      );
    });
  }

  retry(seq: number, nextAttemptAt: number, error: string): Promise<void> {
    return this.group.write(async (tx) => {
      await tx.query(
        `UPDATE carrier_inbox SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2, lease_until = NULL
         WHERE seq = $3 AND state = 'pending'`,
        [nextAttemptAt, error, seq],
      );
    });
  }

  async pending(): Promise<number> {
    const { rows } = await this.pool.query("SELECT count(*) AS n FROM carrier_inbox WHERE state = 'pending'");
    return Number(rows[0]?.n ?? 0);
  }
}
