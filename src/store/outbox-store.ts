/**
 * The webhook outbox. Rows are written by the other ports in the transaction of the change they
 * report; this port leases them for delivery and records each attempt.
 */
import type { PendingWebhook } from "../core/webhook.ts";

export interface OutboxStore {
  /** Leases up to `limit` webhooks due now; a lease that runs out frees them again. */
  claim(now: number, limit: number, leaseUntil: number): Promise<PendingWebhook[]>;
  delivered(ids: readonly string[], now: number): Promise<void>;
  /** Gives the lease back and waits until `nextAttemptAt`. */
  retry(id: string, attempts: number, nextAttemptAt: number, error: string): Promise<void>;
  /** Gives up on the webhook (final). */
  failed(id: string, attempts: number, error: string): Promise<void>;
  /** Reports (not POSTs) by state of their webhook. */
  counts(): Promise<{ pending: number; delivered: number; failed: number }>;
}
