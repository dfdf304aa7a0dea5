/**
 * A business marks a user's message read, optionally showing it is typing an answer, or only shows
 * it is typing: checked against what the user sent this sender, then passed to the carrier side
 * (the simulated phone shows it). Whether a dialect lets an account do it is the face's business.
 */
import type { Sender } from "../core/account.ts";
import { READ_RECEIPT_MAX_AGE_MS, TYPING_INDICATOR_MS } from "../core/read-receipts.ts";
import type { AppContext } from "./context.ts";

export type MarkReadResult =
  | { readonly kind: "marked" }
  /** No message with that id reached this sender (unknown, or another sender's or account's). */
  | { readonly kind: "unknown-message" }
  /** The message arrived more than 30 days ago. */
  | { readonly kind: "too-old" };

export async function markRead(
  ctx: AppContext,
  sender: Sender,
  messageId: string,
  typing = false,
): Promise<MarkReadResult> {
  const message = await ctx.storage.conversations.findInbound(messageId);
  // Another sender's message answers as an unknown one: its existence is not the caller's to learn.
  if (!message || message.to !== sender.number) return { kind: "unknown-message" };
  const now = ctx.clock.now();
  if (now - message.receivedAt > READ_RECEIPT_MAX_AGE_MS) return { kind: "too-old" };
  const chat = { sender: sender.number, user: message.from };
  await ctx.chatSignals?.read({ ...chat, messageId, sentAt: message.receivedAt, readAt: now });
  if (typing) await ctx.chatSignals?.typing({ ...chat, until: now + TYPING_INDICATOR_MS, messageId });
  return { kind: "marked" };
}

export type TypingResult =
  | { readonly kind: "shown" }
  /** The user of chat `index` has not written to its sender in the last 30 days: there is no chat to type in. */
  | { readonly kind: "no-chat"; readonly index: number };

/** Shows each sender typing to its user, who must have written to it; all of them or none. */
export async function showTyping(
  ctx: AppContext,
  chats: readonly { sender: Sender; user: string }[],
): Promise<TypingResult> {
  const now = ctx.clock.now();
  for (const [index, chat] of chats.entries()) {
    const last = await ctx.storage.conversations.lastInboundAt(chat.sender.number, chat.user);
    if (last === undefined || now - last > READ_RECEIPT_MAX_AGE_MS) return { kind: "no-chat", index };
  }
  for (const chat of chats)
    await ctx.chatSignals?.typing({
      sender: chat.sender.number,
      user: chat.user,
      until: now + TYPING_INDICATOR_MS,
    });
  return { kind: "shown" };
}
