/**
 * The SMS failover port on PostgreSQL: the failovers under way, each made in the same transaction
 * as the WhatsApp failure that starts it, then leased for submission like a message is for
 * dispatch (rows another node holds are skipped).
 */
import type { Pool } from "pg";
import type { SmsFailover, SmsOutcome, SmsState } from "../../core/sms-failover.ts";
import { SMS_VALIDITY_MS } from "../../core/sms-failover.ts";
import type { SmsFailoverRecord } from "../../core/sms-failover-record.ts";
import { smsSegments } from "../../core/sms-segments.ts";
import type { NewWebhook } from "../../core/webhook.ts";
import type { SmsFailoverStore } from "../sms-failover-store.ts";
import { toFailover } from "../table-rows.ts";
import type { PgGroupCommit, Tx } from "./pg-group-commit.ts";

type Row = Record<string, unknown>;
const FINAL = "'delivered', 'undeliverable', 'expired', 'rejected'";

export class PgSmsFailoverTables implements SmsFailoverStore {
  constructor(
    private readonly pool: Pool,
    private readonly group: PgGroupCommit,
    private readonly insertWebhooks: (tx: Tx, list: readonly NewWebhook[]) => Promise<void>,
    private readonly node: string,
  ) {}

  /** Inside the caller's transaction: the failovers of these messages (rows as read) are due (once per message). */
  async startFailovers(tx: Tx, list: readonly { message: Row; at: number }[]): Promise<void> {
    const rows = list.flatMap(({ message: m, at }) => {
      if (!m.sms_failover) return [];
      const f = JSON.parse(String(m.sms_failover)) as SmsFailover;
      return [{ m, f, at }];
    });
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO sms_failovers (seq, account_id, message_id, sender, recipient, text, segments, state, created_at,
         expires_at, next_attempt_at)
       SELECT seq, account_id, message_id, sender, recipient, text, segments, 'pending', at, at + $8::bigint, at
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $9::bigint[])
         AS t(seq, account_id, message_id, sender, recipient, text, segments, at)
       ON CONFLICT (seq) DO NOTHING`,
      [
        rows.map((r) => Number(r.m.seq)),
        rows.map((r) => String(r.m.account_id)),
        rows.map((r) => String(r.m.message_id)),
        rows.map((r) => r.f.from),
        rows.map((r) => String(r.m.recipient)),
        rows.map((r) => r.f.text),
        rows.map((r) => smsSegments(r.f.text)),
        SMS_VALIDITY_MS,
        rows.map((r) => r.at),
      ],
    );
  }

  claim(now: number, limit: number, leaseUntil: number): Promise<SmsFailoverRecord[]> {
    return this.group.write(async (tx) => {
      const { rows } = await tx.query(
        `WITH due AS (
           SELECT seq FROM sms_failovers WHERE state = 'pending' AND next_attempt_at <= $2 AND expires_at > $2
             AND (lease_until IS NULL OR lease_until <= $2)
           ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
         UPDATE sms_failovers f SET lease_until = $1, lease_owner = $4, attempts = attempts + 1
         FROM due WHERE f.seq = due.seq RETURNING f.*`,
        [leaseUntil, now, limit, this.node],
      );
      return rows
        .sort(
          (a, b) => Number(a.next_attempt_at) - Number(b.next_attempt_at) || Number(a.seq) - Number(b.seq),
        )
        .map(toFailover);
    });
  }

  submitted(items: readonly { seq: number; smscId: string; at: number }[]): Promise<void> {
    return this.group.write(async (tx) => {
      for (const i of items)
        await tx.query(
          `UPDATE sms_failovers SET state = 'submitted', smsc_id = $1, submitted_at = $2, lease_until = NULL
           WHERE seq = $3 AND state = 'pending'`,
          [i.smscId, i.at, i.seq],
        );
    });
  }

  reschedule(items: readonly { seq: number; nextAttemptAt: number }[]): Promise<void> {
    return this.group.write(async (tx) => {
      for (const i of items)
        await tx.query(
          "UPDATE sms_failovers SET next_attempt_at = $1, lease_until = NULL WHERE seq = $2 AND state = 'pending'",
          [i.nextAttemptAt, i.seq],
        );
    });
  }

  async findBySmscId(smscId: string): Promise<SmsFailoverRecord | undefined> {
    const { rows } = await this.pool.query(
      "SELECT * FROM sms_failovers WHERE smsc_id = $1 ORDER BY seq DESC LIMIT 1",
      [smscId],
    );
    return rows[0] && toFailover(rows[0]);
  }

  async overdue(now: number, limit: number): Promise<SmsFailoverRecord[]> {
    const { rows } = await this.pool.query(
      "SELECT * FROM sms_failovers WHERE state IN ('pending', 'submitted') AND expires_at <= $1 ORDER BY expires_at LIMIT $2",
      [now, limit],
    );
    return rows.map(toFailover);
  }

  finish(seq: number, outcome: SmsOutcome, webhooks: readonly NewWebhook[]): Promise<boolean> {
    return this.group.write(async (tx) => {
      const { rowCount } = await tx.query(
        `UPDATE sms_failovers SET state = $1, outcome = $2, lease_until = NULL WHERE seq = $3 AND state NOT IN (${FINAL})`,
        [outcome.state, JSON.stringify(outcome), seq],
      );
      if (rowCount === 0) return false;
      await this.insertWebhooks(tx, webhooks);
      return true;
    });
  }

  async counts(): Promise<Record<SmsState, number>> {
    const out: Record<SmsState, number> = {
      pending: 0,
      submitted: 0,
      delivered: 0,
      undeliverable: 0,
      expired: 0,
      rejected: 0,
    };
    const { rows } = await this.pool.query("SELECT state, count(*) AS n FROM sms_failovers GROUP BY state");
    for (const r of rows) out[r.state as SmsState] = Number(r.n);
    return out;
  }
}
