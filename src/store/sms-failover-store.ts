/** SMS failovers under way. Rows are created by MessageStore.applyEvents when a move starts one. */
import type { SmsOutcome, SmsState } from "../core/sms-failover.ts";
import type { SmsFailoverRecord } from "../core/sms-failover-record.ts";
import type { NewWebhook } from "../core/webhook.ts";

export interface SmsFailoverStore {
  /** Leases failovers due for submission to the SMSC. */
  claim(now: number, limit: number, leaseUntil: number): Promise<SmsFailoverRecord[]>;
  /** Records the SMSC's ids of submitted SMS (their receipts will name them). */
  submitted(items: readonly { seq: number; smscId: string; at: number }[]): Promise<void>;
  /** Puts claimed failovers back to wait (the SMSC was unreachable or busy). */
  reschedule(items: readonly { seq: number; nextAttemptAt: number }[]): Promise<void>;
  findBySmscId(smscId: string): Promise<SmsFailoverRecord | undefined>;
  /** Failovers not yet final whose validity has run out. */
  overdue(now: number, limit: number): Promise<SmsFailoverRecord[]>;
  /**
   * Makes a failover final with its report webhooks, atomically; false (and nothing written) when
   * it already was final, so a repeated receipt reports nothing twice.
   */
  finish(seq: number, outcome: SmsOutcome, webhooks: readonly NewWebhook[]): Promise<boolean>;
  counts(): Promise<Record<SmsState, number>>;
}
