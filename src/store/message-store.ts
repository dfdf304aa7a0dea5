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
  /** Leases up to `limit` accepted messages due for dispatch; a lease that runs out frees them again. */
  claim(now: number, limit: number, leaseUntil: number): Promise<StoredMessage[]>;
  /** Puts claimed messages back to wait until `nextAttemptAt` (the carrier said: later). */
  reschedule(items: readonly { seq: number; nextAttemptAt: number }[]): Promise<void>;
  /**
   * Applies carrier events atomically with the webhooks and SMS failovers they cause, deciding each
   * with the PlanEvents the storage was built with; returns how many changed a status.
   */
  applyEvents(items: readonly MessageEventInput[]): Promise<number>;
  /** Seqs of messages not yet decided whose time-to-live has passed. */
  overdue(now: number, limit: number): Promise<number[]>;
  /** How many messages wait for dispatch and since when the earliest is due; cheap (an index read). */
  backlog(): Promise<Backlog>;
}
