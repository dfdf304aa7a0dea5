/**
 * The SMS failover port on SQLite: the failovers under way, each a durable record made in the same
 * transaction as the WhatsApp failure that starts it, then leased for submission like a message is
 * for dispatch.
 */
import type Database from "better-sqlite3";
import type { SmsFailover, SmsOutcome, SmsState } from "../../core/sms-failover.ts";
import { SMS_VALIDITY_MS } from "../../core/sms-failover.ts";
import type { SmsFailoverRecord } from "../../core/sms-failover-record.ts";
import { smsSegments } from "../../core/sms-segments.ts";
import type { NewWebhook } from "../../core/webhook.ts";
import type { SmsFailoverStore } from "../sms-failover-store.ts";
import { toFailover } from "../table-rows.ts";

type Row = Record<string, unknown>;
type Write = <T>(fn: () => T) => Promise<T>;

const FINAL = "'delivered', 'undeliverable', 'expired', 'rejected'";

function prepare(db: Database.Database) {
  return {
    message: db.prepare("SELECT account_id, message_id, recipient, sms_failover FROM messages WHERE seq = ?"),
    insert: db.prepare(
      `INSERT INTO sms_failovers (seq, account_id, message_id, sender, recipient, text, segments, state, created_at,
         expires_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT (seq) DO NOTHING`,
    ),
    claim: db.prepare(
      `UPDATE sms_failovers SET lease_until = ?, attempts = attempts + 1
       WHERE seq IN (SELECT seq FROM sms_failovers WHERE state = 'pending' AND next_attempt_at <= ? AND expires_at > ?
                     AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_attempt_at LIMIT ?)
       RETURNING *`,
    ),
    submitted: db.prepare(
      "UPDATE sms_failovers SET state = 'submitted', smsc_id = ?, submitted_at = ?, lease_until = NULL WHERE seq = ? AND state = 'pending'",
    ),
    reschedule: db.prepare(
      "UPDATE sms_failovers SET next_attempt_at = ?, lease_until = NULL WHERE seq = ? AND state = 'pending'",
    ),
    bySmscId: db.prepare("SELECT * FROM sms_failovers WHERE smsc_id = ? ORDER BY seq DESC LIMIT 1"),
    overdue: db.prepare(
      "SELECT * FROM sms_failovers WHERE state IN ('pending', 'submitted') AND expires_at <= ? ORDER BY expires_at LIMIT ?",
    ),
    finish: db.prepare(
      `UPDATE sms_failovers SET state = ?, outcome = ?, lease_until = NULL WHERE seq = ? AND state NOT IN (${FINAL})`,
    ),
    counts: db.prepare("SELECT state, count(*) AS n FROM sms_failovers GROUP BY state"),
  };
}

export class SqliteSmsFailoverTables implements SmsFailoverStore {
  readonly #write: Write;
  readonly #insertWebhook: (w: NewWebhook) => void;
  readonly #stmt: ReturnType<typeof prepare>;

  constructor(db: Database.Database, write: Write, insertWebhook: (w: NewWebhook) => void) {
    this.#write = write;
    this.#insertWebhook = insertWebhook;
    this.#stmt = prepare(db);
  }

  /** Inside the caller's transaction: the failover of message `seq` is due now (once per message). */
  startFailover(seq: number, at: number): void {
    const m = this.#stmt.message.get(seq) as Row | undefined;
    if (!m?.sms_failover) return;
    const f = JSON.parse(String(m.sms_failover)) as SmsFailover;
    this.#stmt.insert.run(
      seq,
      m.account_id,
      m.message_id,
      f.from,
      m.recipient,
      f.text,
      smsSegments(f.text),
      at,
      at + SMS_VALIDITY_MS,
      at,
    );
  }

  claim(now: number, limit: number, leaseUntil: number): Promise<SmsFailoverRecord[]> {
    return this.#write(() =>
      (this.#stmt.claim.all(leaseUntil, now, now, now, limit) as Row[]).map(toFailover),
    );
  }

  submitted(items: readonly { seq: number; smscId: string; at: number }[]): Promise<void> {
    return this.#write(() => {
      for (const i of items) this.#stmt.submitted.run(i.smscId, i.at, i.seq);
    });
  }

  reschedule(items: readonly { seq: number; nextAttemptAt: number }[]): Promise<void> {
    return this.#write(() => {
      for (const i of items) this.#stmt.reschedule.run(i.nextAttemptAt, i.seq);
    });
  }

  async findBySmscId(smscId: string): Promise<SmsFailoverRecord | undefined> {
    const row = this.#stmt.bySmscId.get(smscId) as Row | undefined;
    return row && toFailover(row);
  }

  async overdue(now: number, limit: number): Promise<SmsFailoverRecord[]> {
    return (this.#stmt.overdue.all(now, limit) as Row[]).map(toFailover);
  }

  finish(seq: number, outcome: SmsOutcome, webhooks: readonly NewWebhook[]): Promise<boolean> {
    return this.#write(() => {
      if (this.#stmt.finish.run(outcome.state, JSON.stringify(outcome), seq).changes === 0) return false;
      for (const w of webhooks) this.#insertWebhook(w);
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
    for (const r of this.#stmt.counts.all() as Row[]) out[r.state as SmsState] = Number(r.n);
    return out;
  }
}
