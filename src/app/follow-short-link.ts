/**
 * A user opens a short link: the click is recorded and, if the send asked for tracking with a
 * tracking URL, its CLICK report is queued in the webhook outbox in the same write, so it is
 * retried like every other report. Answers where to redirect.
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
  let report: NewWebhook | undefined;
  if (link.trackingUrl !== undefined) {
    const message = await ctx.storage.messages.get(link.accountId, link.messageId);
    const formatter = message && ctx.formatters[message.face];
    if (message && formatter?.click) {
      const eventId = uuidv7(now);
      const post = formatter.click({
        eventId,
        message,
        url: link.url,
        domain: link.domain ?? click.host,
        at: now,
        ...(click.userAgent ? { userAgent: click.userAgent } : {}),
      });
      report = {
        id: eventId,
        accountId: link.accountId,
        url: link.trackingUrl,
        body: post.body,
        reports: 1,
        messageIds: [link.messageId],
        createdAt: now,
        ...(post.headers ? { headers: post.headers } : {}),
      };
    }
  }
  await ctx.storage.links.recordClick(
    { code: link.code, at: now, ...(click.userAgent ? { userAgent: click.userAgent } : {}) },
    report,
  );
  return link.url;
}
