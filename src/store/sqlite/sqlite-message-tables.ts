/**
 * The message port on SQLite: the accept and dispatch hot path. Inserts store a message's short
 * links with it; carrier events are planned and applied with their webhooks and SMS failovers in
 * one transaction of the group commit.
 */
import type { Account, Sender } from "../../core/account.ts";
import type { MessageEventInput, PlanEvents } from "../../core/events-plan.ts";
import type { StoredMessage } from "../../core/message.ts";
import type { InsertOutcome, NewMessage } from "../../core/new-message.ts";
import { DEFAULT_THROUGHPUT_MPS, takeSlot } from "../../core/pacing.ts";
import type { NewWebhook } from "../../core/webhook.ts";
import type { Backlog, MessageStore } from "../message-store.ts";
import type { DueWork } from "../storage-factory.ts";
import { toAccount, toMessage, toSender } from "../table-rows.ts";
import type { SqliteLinkTables } from "./sqlite-link-tables.ts";
import type { SqliteSmsFailoverTables } from "./sqlite-sms-failover-tables.ts";
import type { SqliteSubscriptionTables } from "./sqlite-subscription-tables.ts";
import type { prepareStatements } from "./statements.ts";

type Row = Record<string, unknown>;
type Write = <T>(fn: () => T) => Promise<T>;
const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
const num = (row: unknown): number | undefined =>
  row === undefined ? undefined : Number((row as Row).next_slot_at);

export class SqliteMessageTables implements MessageStore {
  readonly #stmt: ReturnType<typeof prepareStatements>;
  readonly #write: Write;
  readonly #plan: PlanEvents;
  readonly #links: SqliteLinkTables;
  readonly #sms: SqliteSmsFailoverTables;
  readonly #subscriptions: SqliteSubscriptionTables;
  readonly #insertWebhook: (w: NewWebhook) => void;
  readonly #due: (work: DueWork) => void;

  constructor(
    parts: {
      readonly stmt: ReturnType<typeof prepareStatements>;
      readonly write: Write;
      readonly insertWebhook: (w: NewWebhook) => void;
      readonly links: SqliteLinkTables;
      readonly sms: SqliteSmsFailoverTables;
      readonly subscriptions: SqliteSubscriptionTables;
      /** Marks work the write being committed makes due (told to the workers after the commit). */
      readonly due: (work: DueWork) => void;
    },
    plan: PlanEvents,
  ) {
    this.#stmt = parts.stmt;
    this.#write = parts.write;
    this.#insertWebhook = parts.insertWebhook;
    this.#links = parts.links;
    this.#sms = parts.sms;
    this.#subscriptions = parts.subscriptions;
    this.#due = parts.due;
    this.#plan = plan;
  }

  insert(messages: readonly NewMessage[]): Promise<InsertOutcome[]> {
    return this.#write(() => messages.map((m) => this.#insertOne(m)));
  }

  #insertOne(m: NewMessage): InsertOutcome {
    const info = this.#stmt.insertMessage.run(
      m.accountId,
      m.messageId,
      m.bulkId ?? null,
      m.face,
      m.from,
      m.to,
      JSON.stringify(m.content),
      m.callbackData ?? null,
      m.notifyUrl ?? null,
      m.entityId ?? null,
      m.applicationId ?? null,
      m.replyTo ?? null,
      json(m.smsFailover),
      m.acceptedAt,
      m.expiresAt,
      m.acceptedAt,
      m.category ?? null,
    );
    if (info.changes === 1) {
      this.#due("dispatch");
      if (m.shortLinks) this.#links.insertLinks(m.accountId, m.messageId, m.acceptedAt, m.shortLinks);
      return { kind: "inserted", seq: Number(info.lastInsertRowid) };
    }
    const existing = this.#stmt.messageById.get(m.accountId, m.messageId) as Row;
    return { kind: "duplicate", existing: toMessage(existing) };
  }

  async get(accountId: string, messageId: string) {
    const row = this.#stmt.messageById.get(accountId, messageId) as Row | undefined;
    return row && toMessage(row);
  }

  claim(now: number, limit: number, leaseUntil: number) {
    return this.#write(() => {
      const due = this.#stmt.dueMessages.all(now, now, limit) as Row[];
      const claimed: number[] = [];
      // Each sender's next slot, read once per claim and written back at its end: O(1) per message.
      const slots = new Map<string, number | undefined>();
      for (const r of due) {
        const seq = Number(r.seq);
        const tier = r.throughput_mps === null ? DEFAULT_THROUGHPUT_MPS : Number(r.throughput_mps);
        if (r.slot_at !== null || tier <= 0) {
          claimed.push(seq);
          continue;
        }
        const from = String(r.sender);
        if (!slots.has(from)) slots.set(from, num(this.#stmt.nextSlot.get(from)));
        const slot = takeSlot(slots.get(from), tier, now);
        const expiresAt = Number(r.expires_at);
        if (slot.slotAt >= expiresAt) {
          // It would go out too late: it keeps no slot and waits for the expiry sweep.
          this.#stmt.waitForSlot.run(expiresAt, null, seq);
          continue;
        }
        slots.set(from, slot.nextSlotAt);
        if (slot.slotAt <= now) {
          this.#stmt.takeSlot.run(slot.slotAt, seq);
          claimed.push(seq);
        } else this.#stmt.waitForSlot.run(Math.ceil(slot.slotAt), slot.slotAt, seq);
      }
      for (const [from, next] of slots) if (next !== undefined) this.#stmt.setNextSlot.run(from, next);
      if (claimed.length === 0) return [];
      return (this.#stmt.claimMessages.all(leaseUntil, JSON.stringify(claimed)) as Row[]).map(toMessage);
    });
  }

  reschedule(items: readonly { seq: number; nextAttemptAt: number }[]): Promise<void> {
    return this.#write(() => {
      for (const i of items) this.#stmt.reschedule.run(i.nextAttemptAt, i.seq);
    });
  }

  applyEvents(items: readonly MessageEventInput[]): Promise<number> {
    return this.#write(() => {
      const accounts = new Map<string, Account>();
      const senders = new Map<string, Sender>();
      const messages = new Map<number, StoredMessage>();
      const inputs: Parameters<PlanEvents>[0][number][] = [];
      for (const { seq, event } of items) {
        let message = messages.get(seq);
        if (!message) {
          const row = this.#stmt.messageBySeq.get(seq) as Row | undefined;
          if (!row) continue;
          message = toMessage(row);
          messages.set(seq, message);
        }
        let account = accounts.get(message.accountId);
        if (!account) {
          account = toAccount(this.#stmt.accountById.get(message.accountId) as Row);
          accounts.set(message.accountId, account);
        }
        let sender = senders.get(message.from);
        if (!sender) {
          const row = this.#stmt.sender.get(message.from) as Row | undefined;
          // A sender removed since the message was accepted still reports, under its number alone.
          sender = row
            ? toSender(row)
            : { number: message.from, accountId: message.accountId, wabaId: "", aliases: {} };
          senders.set(message.from, sender);
        }
        inputs.push({
          message,
          event,
          account,
          sender,
          subscriptions: this.#subscriptions.subscriptionsNow(message.accountId),
        });
      }
      const plan = this.#plan(inputs);
      for (const { seq, from, transition: t } of plan.moves) {
        this.#stmt.transition.run(
          t.status,
          json(t.error),
          t.sentAt ?? null,
          t.doneAt ?? null,
          t.seenAt ?? null,
          seq,
          from,
        );
      }
      for (const w of plan.webhooks) this.#insertWebhook(w);
      for (const f of plan.failovers ?? []) this.#sms.startFailover(f.seq, f.at);
      if (plan.failovers?.length) this.#due("sms-failover");
      return plan.moves.length;
    });
  }

  setCarrierIds(items: readonly { seq: number; carrierId: string }[]): Promise<void> {
    return this.#write(() => {
      for (const i of items) this.#stmt.setCarrierId.run(i.carrierId, i.seq);
    });
  }

  async byCarrierId(carrierIds: readonly string[]): Promise<Map<string, { seq: number; messageId: string }>> {
    const out = new Map<string, { seq: number; messageId: string }>();
    for (const id of carrierIds) {
      const row = this.#stmt.seqByCarrierId.get(id) as Row | undefined;
      if (row) out.set(id, { seq: Number(row.seq), messageId: String(row.message_id) });
    }
    return out;
  }

  async overdue(now: number, limit: number): Promise<number[]> {
    const rows = this.#stmt.overdue.all(now, limit) as Row[];
    return rows.map((r) => Number(r.seq));
  }

  async backlog(): Promise<Backlog> {
    const n = Number((this.#stmt.waiting.get() as { n: number }).n);
    const row = this.#stmt.earliestDue.get() as { at: number } | undefined;
    return row ? { waiting: n, earliestDueAt: Number(row.at) } : { waiting: n };
  }
}
