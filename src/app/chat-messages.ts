/**
 * The messages of one chat (a business sender and a user), as a user's reaction or quote names
 * them: the business's outbound messages to the user and the user's inbound messages to it.
 */
import type { Sender } from "../core/account.ts";
import { type InboundQuote, QUOTE_MATCH_MS } from "../core/inbound.ts";
import type { AppContext } from "./context.ts";

export type ChatMessage =
  | { readonly direction: "outbound"; readonly acceptedAt: number }
  | { readonly direction: "inbound" };

/** `messageId` if it is a message of the chat between `sender` and `user`, either way. */
export async function findChatMessage(
  ctx: AppContext,
  sender: Sender,
  user: string,
  messageId: string,
): Promise<ChatMessage | undefined> {
  // Both by primary or unique index: (account, message id) and the inbound message id.
  const out = await ctx.storage.messages.get(sender.accountId, messageId);
  if (out && out.from === sender.number && out.to === user)
    return { direction: "outbound", acceptedAt: out.acceptedAt };
  const inbound = await ctx.storage.conversations.findInbound(messageId);
  if (inbound && inbound.to === sender.number && inbound.from === user) return { direction: "inbound" };
  return undefined;
}

/**
 * What an inbound quoting `message` carries: the quoted message's sender — the business for its own
 * message accepted within QUOTE_MATCH_MS of `now` (older ones are unmatched, as Infobip's cache of
 * outbound messages is), the user for their own.
 */
export function quoteOf(
  message: ChatMessage,
  messageId: string,
  sender: Sender,
  user: string,
  now: number,
): InboundQuote {
  if (message.direction === "inbound") return { messageId, from: user };
  return now - message.acceptedAt <= QUOTE_MATCH_MS ? { messageId, from: sender.number } : { messageId };
}
