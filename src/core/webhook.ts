/** A webhook of the outbox: stored in the same transaction as the change it reports, then POSTed. */

export interface NewWebhook {
  /** Stable event id, sent on every attempt so receivers can de-duplicate. */
  readonly id: string;
  readonly accountId: string;
  readonly url: string;
  readonly body: string;
  /** Headers that belong to this body (e.g. its signature). */
  readonly headers?: Readonly<Record<string, string>>;
  /** How many reports the body carries (one POST may carry many). */
  readonly reports: number;
  /** The messages it reports on (for the delivery log, per message). */
  readonly messageIds?: readonly string[];
  /** The event subscription that routed it, if one did. */
  readonly subscriptionId?: string;
  readonly createdAt: number;
}

export interface PendingWebhook extends NewWebhook {
  readonly attempts: number;
}
