/**
 * The delivery log: one record per POST of a webhook, kept whether it worked or not, and the
 * health of each endpoint (an account's URL). An endpoint that has failed without a success for
 * longer than the window is disabled, as Svix does; its webhooks are kept as dead letters until
 * it is enabled again.
 */

export interface WebhookAttempt {
  /** The webhook's event id (the `webhook-id` every attempt of it carries). */
  readonly eventId: string;
  readonly accountId: string;
  readonly url: string;
  readonly at: number;
  readonly requestBytes: number;
  /** The receiver's HTTP status; absent when none came (timeout, refused connection). */
  readonly status?: number;
  /** The first bytes of the receiver's answer. */
  readonly responseHead?: string;
  readonly latencyMs: number;
  readonly error?: string;
  /** The attempt counted as delivered. */
  readonly ok: boolean;
}

/** An attempt as the log lists it: with its sequence number and what the webhook was about. */
export interface LoggedAttempt extends WebhookAttempt {
  readonly seq: number;
  readonly messageIds: readonly string[];
  readonly subscriptionId?: string;
}

export interface WebhookEndpoint {
  readonly accountId: string;
  readonly url: string;
  /** Since when every attempt has failed; absent while healthy. */
  readonly failingSince?: number;
  readonly disabledAt?: number;
  /** Webhooks kept for it while disabled. */
  readonly deadLetters: number;
}

/** The default failure window before an endpoint is disabled: 5 days, as Svix. */
export const DEFAULT_DISABLE_AFTER_MS = 5 * 86_400_000;

/** Whether an endpoint failing since `failingSince` is to be disabled at `now`. */
export function endpointToDisable(failingSince: number | undefined, now: number, windowMs: number): boolean {
  return failingSince !== undefined && windowMs > 0 && now - failingSince >= windowMs;
}

/** How many bytes of a receiver's answer the log keeps. */
export const RESPONSE_HEAD_BYTES = 256;
