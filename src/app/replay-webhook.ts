/**
 * Sending a logged webhook again under its own event id (receivers de-duplicate by it). The
 * platform may replay any event; an account only one of its own, about the message it names —
 * anything else is, to it, no event at all.
 */
import type { WebhookLogStore } from "../store/webhook-log-store.ts";

/** Whose event it must be: the account's, and about this message of theirs. */
export interface ReplayOwner {
  readonly accountId: string;
  readonly messageId: string;
}

/** Queues the event again; false when there is none (or none of the owner's). */
export async function replayWebhook(
  log: WebhookLogStore,
  eventId: string,
  now: number,
  owner?: ReplayOwner,
): Promise<boolean> {
  if (owner) {
    const w = await log.getWebhook(eventId);
    if (!w || w.accountId !== owner.accountId || !w.messageIds.includes(owner.messageId)) return false;
  }
  return log.replay(eventId, now);
}
