/** Outbound messages: accepted durably, leased for dispatch, moved on by carrier events. The hot path. */
import type { MessageEventInput } from "../core/events-plan.ts";
import type { StoredMessage } from "../core/message.ts";
import type { InsertOutcome, NewMessage } from "../core/new-message.ts";

/** Messages waiting for dispatch (status accepted), for operators (queue depth and age). */
export interface Backlog {
  readonly waiting: number;
  /** The earliest `next_attempt_at` among them; absent when none waits. */
  readonly earliestDueAt?: number;
}

export interface MessageStore {
  /** Stores every message durably (fsync'd) before resolving, or none of them. */
  insert(messages: readonly NewMessage[]): Promise<InsertOutcome[]>;
  get(accountId: string, messageId: string): Promise<StoredMessage | undefined>;
  /**
   * Leases up to `limit` accepted messages due for dispatch, oldest first; a lease that runs out
   * frees them again. Paces each sender at its tier (`Sender.throughputMps`, core/pacing.ts): a
   * due message first takes its sender's next send slot (once; retries keep it), and one whose slot
   * is later is not returned but waits for it, still accepted; one whose slot would fall at or past
   * its TTL takes none and waits for `overdue`. Slots are taken in the claim's transaction, against
   * the sender's next slot kept in the store, so several nodes claiming at once share one pace.
   */
  claim(now: number, limit: number, leaseUntil: number): Promise<StoredMessage[]>;
  /** Puts claimed messages back to wait until `nextAttemptAt` (the carrier said: later). */
  reschedule(items: readonly { seq: number; nextAttemptAt: number }[]): Promise<void>;
  /**
   * Applies carrier events atomically with the webhooks and SMS failovers they cause, deciding each
   * with the PlanEvents the storage was built with; returns how many changed a status.
   */
  applyEvents(items: readonly MessageEventInput[]): Promise<number>;
  /**
   * Keeps the carrier's id of each message (Meta's `wamid`), so the carrier's later statuses find it;
   * an id is one message's only (a second message given it keeps none).
   */
  setCarrierIds(items: readonly { seq: number; carrierId: string }[]): Promise<void>;
  /** The messages the carrier knows by these ids, by carrier id (ids no message has are absent). */
  byCarrierId(carrierIds: readonly string[]): Promise<Map<string, { seq: number; messageId: string }>>;
  /** Seqs of messages not yet decided whose time-to-live has passed. */
  overdue(now: number, limit: number): Promise<number[]>;
  /** How many messages wait for dispatch and since when the earliest is due; cheap (an index read). */
  backlog(): Promise<Backlog>;
}
