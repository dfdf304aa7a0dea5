/**
 * The message port on PostgreSQL: the accept and dispatch hot path. Every request's messages that
 * arrive while a transaction commits go into the next one as ONE multi-row insert (with their short
 * links); dispatch leases messages with rows another node holds skipped; carrier events are
 * planned on the rows locked in the transaction, so two nodes reporting on one message cannot both
 * move it.
 */
import type { Pool } from "pg";
import type { Account, Sender } from "../../core/account.ts";
import { NO_SUBSCRIPTIONS } from "../../core/event-subscription.ts";
import type { MessageEventInput, PlanEvents } from "../../core/events-plan.ts";
import type { StoredMessage } from "../../core/message.ts";
import type { InsertOutcome, NewMessage } from "../../core/new-message.ts";
import { DEFAULT_THROUGHPUT_MPS, takeSlot } from "../../core/pacing.ts";
import type { NewShortLink } from "../../core/short-links.ts";
import type { NewWebhook } from "../../core/webhook.ts";
import type { Backlog, MessageStore } from "../message-store.ts";
import type { DueWork } from "../storage-factory.ts";
import { toAccount, toMessage, toSender } from "../table-rows.ts";
import type { Batcher, PgGroupCommit, Tx } from "./pg-group-commit.ts";
import type { PgLinkTables } from "./pg-link-tables.ts";
import type { PgSmsFailoverTables } from "./pg-sms-failover-tables.ts";
import type { PgSubscriptionTables } from "./pg-subscription-tables.ts";

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
      readonly subscriptions: PgSubscriptionTables;
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

  /**
   * Leases the due messages, pacing each sender (see MessageStore.claim): the due rows are locked
   * (rows another node holds skipped), then the senders' sender_pacing rows, in sender order, so
   * claims on several nodes take one sender's slots one after the other and never deadlock.
   */
  claim(now: number, limit: number, leaseUntil: number): Promise<StoredMessage[]> {
    return this.parts.group.write(async (tx) => {
      const due = (
        await tx.query(
          `SELECT m.seq, m.sender, m.slot_at, m.expires_at, s.throughput_mps
           FROM messages m LEFT JOIN senders s ON s.number = m.sender
           WHERE m.status = 'accepted' AND m.next_attempt_at <= $1 AND (m.lease_until IS NULL OR m.lease_until <= $1)
           ORDER BY m.next_attempt_at, m.seq LIMIT $2 FOR UPDATE OF m SKIP LOCKED`,
          [now, limit],
        )
      ).rows;
      if (due.length === 0) return [];
      const tierOf = (r: Row) =>
        r.throughput_mps === null ? DEFAULT_THROUGHPUT_MPS : Number(r.throughput_mps);
      const needSlot = (r: Row) => r.slot_at === null && tierOf(r) > 0;
      const senders = [...new Set(due.filter(needSlot).map((r) => String(r.sender)))].sort();
      // Each sender's next slot, locked until the commit (a sender new to pacing gets its row; 0
      // stands for "no slot taken yet": takeSlot never starts before now).
      const slots = new Map<string, number>();
      if (senders.length > 0) {
        const { rows } = await tx.query(
          `INSERT INTO sender_pacing (sender, next_slot_at) SELECT s, 0 FROM unnest($1::text[]) AS s ORDER BY s
           ON CONFLICT (sender) DO UPDATE SET next_slot_at = sender_pacing.next_slot_at
           RETURNING sender, next_slot_at`,
          [senders],
        );
        for (const r of rows) slots.set(String(r.sender), Number(r.next_slot_at));
      }
      const claimed: { seq: number; slotAt: number | null }[] = [];
      const waiting: { seq: number; at: number; slotAt: number | null }[] = [];
      for (const r of due) {
        const seq = Number(r.seq);
        if (!needSlot(r)) {
          claimed.push({ seq, slotAt: null });
          continue;
        }
        const from = String(r.sender);
        const slot = takeSlot(slots.get(from), tierOf(r), now);
        const expiresAt = Number(r.expires_at);
        if (slot.slotAt >= expiresAt) {
          // It would go out too late: it keeps no slot and waits for the expiry sweep.
          waiting.push({ seq, at: expiresAt, slotAt: null });
          continue;
        }
        slots.set(from, slot.nextSlotAt);
        if (slot.slotAt <= now) claimed.push({ seq, slotAt: slot.slotAt });
        else waiting.push({ seq, at: Math.ceil(slot.slotAt), slotAt: slot.slotAt });
      }
      if (senders.length > 0)
        await tx.query(
          `UPDATE sender_pacing p SET next_slot_at = v.next
           FROM unnest($1::text[], $2::float8[]) AS v(sender, next) WHERE p.sender = v.sender`,
          [senders, senders.map((s) => slots.get(s) as number)],
        );
      if (waiting.length > 0)
        await tx.query(
          `UPDATE messages m SET next_attempt_at = v.at, slot_at = v.slot
           FROM unnest($1::bigint[], $2::bigint[], $3::float8[]) AS v(seq, at, slot) WHERE m.seq = v.seq`,
          [waiting.map((w) => w.seq), waiting.map((w) => w.at), waiting.map((w) => w.slotAt)],
        );
      if (claimed.length === 0) return [];
      const { rows } = await tx.query(
        `UPDATE messages m SET lease_until = $1, lease_owner = $2, attempts = m.attempts + 1,
           slot_at = coalesce(v.slot, m.slot_at)
         FROM unnest($3::bigint[], $4::float8[]) AS v(seq, slot) WHERE m.seq = v.seq RETURNING m.*`,
        [leaseUntil, this.parts.node, claimed.map((c) => c.seq), claimed.map((c) => c.slotAt)],
      );
      const order = new Map(claimed.map((c, i) => [c.seq, i]));
      return rows
        .sort((a, b) => (order.get(Number(a.seq)) as number) - (order.get(Number(b.seq)) as number))
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
      // Cached per account on this node (a change through any node drops it): no query on a hit.
      const subscriptions = new Map(
        await Promise.all(
          accountIds.map(async (id) => [id, await this.parts.subscriptions.subscriptionsOf(id)] as const),
        ),
      );
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
        inputs.push({
          message,
          event,
          account,
          sender,
          subscriptions: subscriptions.get(message.accountId) ?? NO_SUBSCRIPTIONS,
        });
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

  setCarrierIds(items: readonly { seq: number; carrierId: string }[]): Promise<void> {
    return this.parts.group.write(async (tx) => {
      if (items.length === 0) return;
      // An id already another message's is not given (as SQLite's UPDATE OR IGNORE); within the
      // list, the first message given an id keeps it.
      await tx.query(
        `UPDATE messages m SET carrier_id = v.id
         FROM (SELECT DISTINCT ON (id) seq, id FROM unnest($1::bigint[], $2::text[]) WITH ORDINALITY AS u(seq, id, n)
               ORDER BY id, n) AS v
         WHERE m.seq = v.seq AND NOT EXISTS (SELECT 1 FROM messages o WHERE o.carrier_id = v.id AND o.seq <> v.seq)`,
        [items.map((i) => i.seq), items.map((i) => i.carrierId)],
      );
    });
  }

  async byCarrierId(carrierIds: readonly string[]): Promise<Map<string, { seq: number; messageId: string }>> {
    const out = new Map<string, { seq: number; messageId: string }>();
    if (carrierIds.length === 0) return out;
    const { rows } = await this.parts.pool.query(
      "SELECT seq, message_id, carrier_id FROM messages WHERE carrier_id = ANY($1::text[])",
      [[...carrierIds]],
    );
    for (const r of rows)
      out.set(String(r.carrier_id), { seq: Number(r.seq), messageId: String(r.message_id) });
    return out;
  }

  /** Both read the partial index of messages waiting for dispatch (messages_due), never the table. */
  async backlog(): Promise<Backlog> {
    const { rows } = await this.parts.pool.query(
      `SELECT (SELECT count(*) FROM messages WHERE status = 'accepted') AS n,
              (SELECT min(next_attempt_at) FROM messages WHERE status = 'accepted') AS at`,
    );
    const n = Number(rows[0]?.n ?? 0);
    const at = rows[0]?.at;
    return at === null || at === undefined ? { waiting: n } : { waiting: n, earliestDueAt: Number(at) };
  }

  async overdue(now: number, limit: number): Promise<number[]> {
    const { rows } = await this.parts.pool.query(
      "SELECT seq FROM messages WHERE status IN ('accepted', 'sent') AND expires_at <= $1 ORDER BY expires_at LIMIT $2",
      [now, limit],
    );
    return rows.map((r) => Number(r.seq));
  }
}
