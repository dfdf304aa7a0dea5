/**
 * A user's message reaches a business sender: stored, the user's 24-hour window refreshed, and
 * forwarded to every face's inbound receiver the account has configured, all in one transaction.
 */
import type { InboundMessage } from "../core/inbound.ts";
import type { NewWebhook } from "../core/webhook.ts";
import type { AppContext } from "./context.ts";
import { uuidv7 } from "./ids.ts";

export type InboundResult =
  | { readonly kind: "received" }
  | { readonly kind: "unknown-sender" }
  /** A message with that id is already stored: nothing changed. */
  | { readonly kind: "duplicate" };

export async function receiveInbound(
  ctx: AppContext,
  message: InboundMessage,
  /** OpenBSP's base URL as clients reach it (media URLs in the webhooks); the caller's request knows it best. */
  publicBase = ctx.config.publicUrl ?? `http://${ctx.config.host}:${ctx.config.port}`,
): Promise<InboundResult> {
  const sender = await ctx.storage.catalog.findSender(message.to);
  if (!sender) return { kind: "unknown-sender" };
  const account = await ctx.storage.catalog.getAccount(sender.accountId);
  const webhooks: NewWebhook[] = [];
  if (account) {
    const subscriptions = await ctx.storage.subscriptions.subscriptionsOf(account.id);
    for (const formatter of Object.values(ctx.formatters)) {
      // The subscriptions that take inbound messages to this sender, else the dialect's inbound URL.
      const subscribed =
        formatter.subscribedUrls?.(account, subscriptions, "inbound", {
          sender: sender.number,
          wabaId: sender.wabaId,
        }) ?? [];
      const fallback = formatter.inboundUrl(account);
      const routes: { url: string; subscriptionId?: string }[] =
        subscribed.length > 0 ? subscribed : fallback ? [{ url: fallback }] : [];
      if (routes.length === 0) continue;
      const post = formatter.inbound(message, sender, account, publicBase);
      for (const route of routes)
        webhooks.push({
          id: uuidv7(message.receivedAt),
          accountId: sender.accountId,
          url: route.url,
          body: post.body,
          ...(post.headers ? { headers: post.headers } : {}),
          reports: 1,
          messageIds: [message.messageId],
          createdAt: message.receivedAt,
          ...(route.subscriptionId ? { subscriptionId: route.subscriptionId } : {}),
        });
    }
  }
  const stored = await ctx.storage.conversations.recordInbound(message, webhooks);
  if (!stored) return { kind: "duplicate" };
  return { kind: "received" };
}
