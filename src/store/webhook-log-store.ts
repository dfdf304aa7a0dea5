/**
 * The webhook delivery log and endpoint health: every attempt the webhook sender made, listable
 * by message, subscription, event and time; endpoints failing, disabled (their webhooks kept as
 * dead letters) and enabled again; replays, which queue a webhook again under its own event id.
 */
import type { NewWebhook } from "../core/webhook.ts";
import type { LoggedAttempt, WebhookAttempt, WebhookEndpoint } from "../core/webhook-attempt.ts";

export interface AttemptFilter {
  readonly accountId?: string;
  readonly eventId?: string;
  readonly messageId?: string;
  readonly subscriptionId?: string;
  /** Attempts made at or after this time. */
  readonly from?: number;
  /** Attempts made before this time. */
  readonly to?: number;
  /** Only attempts with a lower sequence number (paging back from the newest). */
  readonly beforeSeq?: number;
  readonly limit: number;
}

/** A stored webhook as the log shows it. */
export interface LoggedWebhook {
  readonly id: string;
  readonly accountId: string;
  readonly url: string;
  readonly body: string;
  readonly state: "pending" | "delivered" | "failed" | "dead";
  readonly attempts: number;
  readonly createdAt: number;
  readonly messageIds: readonly string[];
  readonly subscriptionId?: string;
}

export interface ReplayRange {
  readonly accountId?: string;
  readonly url?: string;
  /** Webhooks created at or after this time… */
  readonly from: number;
  /** …and before this one. */
  readonly to: number;
}

export interface WebhookLogStore {
  /**
   * Keeps the attempts and updates their endpoints' health (a success clears a failure streak);
   * answers, for each endpoint that failed here, since when it has been failing.
   */
  recordAttempts(
    attempts: readonly WebhookAttempt[],
  ): Promise<{ accountId: string; url: string; failingSince: number }[]>;
  /** Newest first. */
  listAttempts(filter: AttemptFilter): Promise<LoggedAttempt[]>;
  getWebhook(eventId: string): Promise<LoggedWebhook | undefined>;
  endpoints(accountId?: string): Promise<WebhookEndpoint[]>;
  /**
   * Disables the endpoint: its pending and given-up webhooks become dead letters, no more are sent.
   * When it was not disabled yet, `notices` (the account told, elsewhere) are queued in the same
   * write; answers whether it was.
   */
  disableEndpoint(
    accountId: string,
    url: string,
    at: number,
    notices?: readonly NewWebhook[],
  ): Promise<boolean>;
  /** Enables it again and queues its dead letters; answers how many. False-y 0 when it was not disabled. */
  enableEndpoint(accountId: string, url: string, now: number): Promise<number>;
  /** Queues the webhook again (same id, attempts from zero); false when there is none. */
  replay(eventId: string, now: number): Promise<boolean>;
  /** Queues again every finished webhook created in the range; answers how many. */
  replayRange(range: ReplayRange, now: number): Promise<number>;
  /** Forgets attempts made, and delivered webhooks created, before `before`; answers how many attempts. */
  prune(before: number): Promise<number>;
}
