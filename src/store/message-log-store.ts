/**
 * The message log: what the console reads of outbound messages, apart from the hot path's port so
 * that reading many messages costs the accept path nothing (no index of its own is written).
 */
import type { Face, StoredMessage } from "../core/message.ts";
import type { MessageStatus } from "../core/message-status.ts";

/** Which messages of an account to list, newest first. Every field narrows; none: all of them. */
export interface MessageLogFilter {
  readonly accountId: string;
  readonly sender?: string;
  readonly recipient?: string;
  readonly status?: MessageStatus;
  readonly face?: Face;
  /** Accepted at or after (ms). */
  readonly since?: number;
  /** Accepted before (ms). */
  readonly until?: number;
  /** Only messages stored before this one (keyset paging: the last seq of the previous page). */
  readonly beforeSeq?: number;
  /** Only messages stored after this one (what is new since a page was read). */
  readonly afterSeq?: number;
  readonly limit: number;
}

export interface MessageLogPage {
  readonly messages: StoredMessage[];
  /** How many messages match the filter, paging aside: counted for a first page only (no seq bound). */
  readonly total?: number;
}

/** Messages accepted in one time bucket, by where they are now. */
export interface MessageBucket {
  /** The bucket's start (ms). */
  readonly at: number;
  readonly counts: Readonly<Partial<Record<MessageStatus, number>>>;
}

/** Webhooks created since a time: how many, how they ended, and how long delivery took. */
export interface WebhookTotals {
  readonly pending: number;
  readonly delivered: number;
  readonly failed: number;
  /** Mean time from creation to delivery of the delivered ones (ms), if any. */
  readonly meanLatencyMs?: number;
  /** The longest of those (ms), if any. */
  readonly maxLatencyMs?: number;
}

export interface MessageLogStore {
  list(filter: MessageLogFilter): Promise<MessageLogPage>;
  /** Messages accepted in [since, until) per `bucketMs`, by status; buckets with none are left out. */
  buckets(accountId: string, since: number, until: number, bucketMs: number): Promise<MessageBucket[]>;
  /** The account's webhooks created since `since`. */
  webhookTotals(accountId: string, since: number): Promise<WebhookTotals>;
}
