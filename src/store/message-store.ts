/** Outbound messages: accepted durably, leased for dispatch, moved on by carrier events. The hot path. */
import type { MessageEventInput } from "../core/events-plan.ts";
import type { StoredMessage } from "../core/message.ts";
import type { InsertOutcome, NewMessage } from "../core/new-message.ts";

export interface MessageStore {
  /** Stores every message durably (fsync'd) before resolving, or none of them. */
  insert(messages: readonly NewMessage[]): Promise<InsertOutcome[]>;
  get(accountId: string, messageId: string): Promise<StoredMessage | undefined>;
  /** Leases up to `limit` accepted messages due for dispatch; a lease that runs out frees them again. */
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
}
