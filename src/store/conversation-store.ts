/** Conversations: inbound messages and the customer-service window they open. */
import type { InboundMessage } from "../core/inbound.ts";
import type { NewWebhook } from "../core/webhook.ts";

export interface ConversationStore {
  /** When `user` last wrote to `sender`, if ever. */
  lastInboundAt(sender: string, user: string): Promise<number | undefined>;
  /** How many messages `user` has sent to `sender` (the simulated network numbers them for stable ids). */
  inboundCount(sender: string, user: string): Promise<number>;
  /**
   * Stores an inbound message, refreshes the user's window and queues its webhooks, atomically.
   * A message id already stored changes nothing (a repeat) and answers false.
   */
  recordInbound(message: InboundMessage, webhooks: readonly NewWebhook[]): Promise<boolean>;
  /** The inbound message with that id (its `wamid`), to whichever sender it went. */
  findInbound(messageId: string): Promise<InboundMessage | undefined>;
  /** Every message `user` has sent, to any sender, oldest first. */
  listInboundFrom(user: string): Promise<InboundMessage[]>;
}
