/**
 * The message port on PostgreSQL: the accept and dispatch hot path. Every request's messages that
 * arrive while a transaction commits go into the next one as ONE multi-row insert (with their short
 * links); dispatch leases messages with rows another node holds skipped; carrier events are
 * planned on the rows locked in the transaction, so two nodes reporting on one message cannot both
 * move it.
 */
import type { Pool } from "pg";
import type { Account, Sender } from "../../core/account.ts";
import type { MessageEventInput, PlanEvents } from "../../core/events-plan.ts";
import type { StoredMessage } from "../../core/message.ts";
import type { InsertOutcome, NewMessage } from "../../core/new-message.ts";
import type { NewShortLink } from "../../core/short-links.ts";
import type { NewWebhook } from "../../core/webhook.ts";
import type { MessageStore } from "../message-store.ts";
import type { DueWork } from "../storage-factory.ts";
import { toAccount, toMessage, toSender } from "../table-rows.ts";
import type { Batcher, PgGroupCommit, Tx } from "./pg-group-commit.ts";
import type { PgLinkTables } from "./pg-link-tables.ts";
import type { PgSmsFailoverTables } from "./pg-sms-failover-tables.ts";

type Row = Record<string, unknown>;
const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
const key = (accountId: string, messageId: string) => `${accountId}\u0000${messageId}`;

export class PgMessageTables implements MessageStore {
  readonly #inserts: Batcher<readonly NewMessage[], InsertOutcome[]>;

  constructor(
    private readonly parts: {
      readonly pool: Pool;
      readonly group: PgGroupCommit;
      readonly insertWebhooks: (tx: Tx, list: readonly NewWebhook[]) => Promise<void>;
      readonly links: PgLinkTables;
      readonly sms: PgSmsFailoverTables;
      /** Marks work the transaction being committed makes due (told to the workers after the commit). */
      readonly due: (work: DueWork) => void;
      readonly node: string;
    },
    private readonly plan: PlanEvents,
  ) {
    this.#inserts = { run: (tx, calls) => this.#insertAll(tx, calls) };
  }

  insert(messages: readonly NewMessage[]): Promise<InsertOutcome[]> {
    return this.parts.group.batch(this.#inserts, messages);
  }

  /** Every call's messages of one group in one statement; a message id already stored is a duplicate. */
  async #insertAll(tx: Tx, calls: readonly (readonly NewMessage[])[]): Promise<InsertOutcome[][]> {
    const all = calls.flat();
    if (all.length === 0) return calls.map(() => []);
    const col = <T>(f: (m: NewMessage) => T) => all.map(f);
    const { rows } = await tx.query(
      `INSERT INTO messages (account_id, message_id, bulk_id, face, sender, recipient, content, callback_data,
         notify_url, entity_id, application_id, reply_to, sms_failover, status, accepted_at, expires_at,
         next_attempt_at, category)
       SELECT a, m, b, f, s, r, c, cb, n, e, ap, rt, sf, 'accepted', acc, exp, acc, cat
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
         $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::bigint[], $15::bigint[], $16::text[])
         WITH ORDINALITY AS t(a, m, b, f, s, r, c, cb, n, e, ap, rt, sf, acc, exp, cat, ord)
       ORDER BY ord
       ON CONFLICT (account_id, message_id) DO NOTHING
       RETURNING seq, account_id, message_id`,
      [
        col((m) => m.accountId),
        col((m) => m.messageId),
        col((m) => m.bulkId ?? null),
        col((m) => m.face),
        col((m) => m.from),
        col((m) => m.to),
        col((m) => JSON.stringify(m.content)),
        col((m) => m.callbackData ?? null),
        col((m) => m.notifyUrl ?? null),
        col((m) => m.entityId ?? null),
        col((m) => m.applicationId ?? null),
        col((m) => m.replyTo ?? null),
        col((m) => json(m.smsFailover)),
        col((m) => m.acceptedAt),
        col((m) => m.expiresAt),
        col((m) => m.category ?? null),
      ],
    );
    const inserted = new Map<string, number>();
    for (const r of rows) inserted.set(key(String(r.account_id), String(r.message_id)), Number(r.seq));
    if (inserted.size > 0) this.parts.due("dispatch");
    // The first of a key in the group is the one stored; any other is its duplicate.
    const claimed = new Set<string>();
    const missing: NewMessage[] = [];
    const links: { accountId: string; messageId: string; createdAt: number; link: NewShortLink }[] = [];
    for (const m of all) {
      const k = key(m.accountId, m.messageId);
      if (inserted.has(k) && !claimed.has(k)) {
        claimed.add(k);
        for (const link of m.shortLinks ?? [])
          links.push({ accountId: m.accountId, messageId: m.messageId, createdAt: m.acceptedAt, link });
      } else missing.push(m);
    }
    await this.parts.links.insertLinks(tx, links);
    const existing = new Map<string, StoredMessage>();
    if (missing.length > 0) {
      const found = await tx.query(
        `SELECT m.* FROM messages m JOIN unnest($1::text[], $2::text[]) AS k(a, id)
           ON m.account_id = k.a AND m.message_id = k.id`,
        [missing.map((m) => m.accountId), missing.map((m) => m.messageId)],
      );
      for (const r of found.rows) existing.set(key(String(r.account_id), String(r.message_id)), toMessage(r));
    }
    const seen = new Set<string>();
    return calls.map((call) =>
      call.map((m): InsertOutcome => {
        const k = key(m.accountId, m.messageId);
        const seq = inserted.get(k);
        if (seq !== undefined && !seen.has(k)) {
          seen.add(k);
          return { kind: "inserted", seq };
        }
        return { kind: "duplicate", existing: existing.get(k) as StoredMessage };
      }),
    );
  }

  async get(accountId: string, messageId: string): Promise<StoredMessage | undefined> {
    const { rows } = await this.parts.pool.query(
      "SELECT * FROM messages WHERE account_id = $1 AND message_id = $2",
      [accountId, messageId],
    );
    return rows[0] && toMessage(rows[0]);
  }

  claim(now: number, limit: number, leaseUntil: number): Promise<StoredMessage[]> {
    return this.parts.group.write(async (tx) => {
      const { rows } = await tx.query(
        `WITH due AS (
           SELECT seq FROM messages WHERE status = 'accepted' AND next_attempt_at <= $2
             AND (lease_until IS NULL OR lease_until <= $2)
           ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
         UPDATE messages m SET lease_until = $1, lease_owner = $4, attempts = attempts + 1
         FROM due WHERE m.seq = due.seq RETURNING m.*`,
        [leaseUntil, now, limit, this.parts.node],
      );
      return rows
        .sort(
          (a, b) => Number(a.next_attempt_at) - Number(b.next_attempt_at) || Number(a.seq) - Number(b.seq),
        )
        .map(toMessage);
    });
  }

  reschedule(items: readonly { seq: number; nextAttemptAt: number }[]): Promise<void> {
    return this.parts.group.write(async (tx) => {
      if (items.length === 0) return;
      await tx.query(
        `UPDATE messages m SET next_attempt_at = v.at, lease_until = NULL
         FROM unnest($1::bigint[], $2::bigint[]) AS v(seq, at) WHERE m.seq = v.seq`,
        [items.map((i) => i.seq), items.map((i) => i.nextAttemptAt)],
      );
    });
  }

  applyEvents(items: readonly MessageEventInput[]): Promise<number> {
    return this.parts.group.write(async (tx) => {
      if (items.length === 0) return 0;
      const seqs = [...new Set(items.map((i) => i.seq))];
      // Locked in seq order (no deadlock between nodes), read as committed once the lock is ours.
      const locked = await tx.query(
        "SELECT * FROM messages WHERE seq = ANY($1::bigint[]) ORDER BY seq FOR UPDATE",
        [seqs],
      );
      const rows = new Map<number, Row>(locked.rows.map((r) => [Number(r.seq), r]));
      const messages = new Map<number, StoredMessage>();
      for (const [seq, r] of rows) messages.set(seq, toMessage(r));
      const accountIds = [...new Set([...messages.values()].map((m) => m.accountId))];
      const numbers = [...new Set([...messages.values()].map((m) => m.from))];
      const [accountRows, senderRows] = await Promise.all([
        tx.query("SELECT * FROM accounts WHERE id = ANY($1::text[])", [accountIds]),
        tx.query("SELECT * FROM senders WHERE number = ANY($1::text[])", [numbers]),
      ]);
      const accounts = new Map<string, Account>(accountRows.rows.map((r) => [String(r.id), toAccount(r)]));
      const senders = new Map<string, Sender>(senderRows.rows.map((r) => [String(r.number), toSender(r)]));
      const inputs: Parameters<PlanEvents>[0][number][] = [];
      for (const { seq, event } of items) {
        const message = messages.get(seq);
        if (!message) continue;
        const account = accounts.get(message.accountId) as Account;
        // A sender removed since the message was accepted still reports, under its number alone.
        const sender = senders.get(message.from) ?? {
          number: message.from,
          accountId: message.accountId,
          wabaId: "",
          aliases: {},
        };
        inputs.push({ message, event, account, sender });
      }
      const plan = this.plan(inputs);
      await this.#move(tx, plan.moves);
      if (plan.webhooks.length > 0) {
        await this.parts.insertWebhooks(tx, plan.webhooks);
        this.parts.due("webhooks");
      }
      if (plan.failovers?.length) {
        await this.parts.sms.startFailovers(
          tx,
          plan.failovers.flatMap((f) => {
            const message = rows.get(f.seq);
            return message ? [{ message, at: f.at }] : [];
          }),
        );
        this.parts.due("sms-failover");
      }
      return plan.moves.length;
    });
  }

  /** The plan's status moves: one statement when each message moves once (the usual batch), else in order. */
  async #move(tx: Tx, moves: ReturnType<PlanEvents>["moves"]): Promise<void> {
    if (moves.length === 0) return;
    const sql = `UPDATE messages m SET status = v.status, error = coalesce(v.error, m.error),
        sent_at = coalesce(m.sent_at, v.sent_at), done_at = coalesce(m.done_at, v.done_at),
        seen_at = coalesce(m.seen_at, v.seen_at), lease_until = NULL
      FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[])
        AS v(seq, from_status, status, error, sent_at, done_at, seen_at)
      WHERE m.seq = v.seq AND m.status = v.from_status`;
    const params = (list: typeof moves) => [
      list.map((mv) => mv.seq),
      list.map((mv) => mv.from),
      list.map((mv) => mv.transition.status),
      list.map((mv) => json(mv.transition.error)),
      list.map((mv) => mv.transition.sentAt ?? null),
      list.map((mv) => mv.transition.doneAt ?? null),
      list.map((mv) => mv.transition.seenAt ?? null),
    ];
    if (new Set(moves.map((mv) => mv.seq)).size === moves.length) {
      await tx.query(sql, params(moves));
      return;
    }
    // A message moving twice in one batch (sent, then delivered): each move sees the one before.
    for (const mv of moves) await tx.query(sql, params([mv]));
  }

  async overdue(now: number, limit: number): Promise<number[]> {
    const { rows } = await this.parts.pool.query(
      "SELECT seq FROM messages WHERE status IN ('accepted', 'sent') AND expires_at <= $1 ORDER BY expires_at LIMIT $2",
      [now, limit],
    );
    return rows.map((r) => Number(r.seq));
  }
}
