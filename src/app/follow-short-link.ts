/**
 * A user opens a short link: the click is recorded and, if the send tracks clicks, its CLICK
 * report is queued in the webhook outbox in the same write (to the send's tracking URL, else to
 * each of the account's subscriptions that take CLICK), so it is retried like every other report.
 * Answers where to redirect.
 */
import type { NewWebhook } from "../core/webhook.ts";
import type { AppContext } from "./context.ts";
import { uuidv7 } from "./ids.ts";

export interface Click {
  readonly code: string;
  /** The host the link was opened under: a custom domain, or OpenBSP's own (`/s/` links). */
  readonly host: string;
  /** True when the link was opened as `https://{custom domain}/{code}`. */
  readonly underCustomDomain: boolean;
  readonly userAgent?: string;
}

export async function followShortLink(ctx: AppContext, click: Click): Promise<string | undefined> {
  const link = await ctx.storage.links.findShortLink(click.code);
  // A custom domain serves its own links only.
  if (!link || (click.underCustomDomain && link.domain !== click.host)) return undefined;
  const now = ctx.clock.now();
  const reports: NewWebhook[] = [];
  if (link.trackingUrl !== undefined || link.tracked) {
    const message = await ctx.storage.messages.get(link.accountId, link.messageId);
    const formatter = message && ctx.formatters[message.face];
    const account = message && (await ctx.storage.catalog.getAccount(link.accountId));
    if (message && account && formatter?.click) {
      // The send's own trackingUrl, else the account's subscriptions that take CLICK.
      const routes: { url: string; subscriptionId?: string }[] =
        link.trackingUrl !== undefined
          ? [{ url: link.trackingUrl }]
          : (formatter.subscribedUrls?.(
              account,
              await ctx.storage.subscriptions.subscriptionsOf(account.id),
              "click",
              {
                sender: message.from,
                applicationId: message.applicationId,
                entityId: message.entityId,
              },
            ) ?? []);
      for (const route of routes) {
        const eventId = uuidv7(now);
        const post = formatter.click({
          eventId,
          message,
          url: link.url,
          domain: link.domain ?? click.host,
          at: now,
          ...(click.userAgent ? { userAgent: click.userAgent } : {}),
        });
        reports.push({
          id: eventId,
          accountId: link.accountId,
          url: route.url,
          body: post.body,
          reports: 1,
          messageIds: [link.messageId],
          createdAt: now,
          ...(post.headers ? { headers: post.headers } : {}),
          ...(route.subscriptionId ? { subscriptionId: route.subscriptionId } : {}),
        });
      }
    }
  }
  await ctx.storage.links.recordClick(
    { code: link.code, at: now, ...(click.userAgent ? { userAgent: click.userAgent } : {}) },
    reports,
  );
  return link.url;
}
