/** URL shortening: domains registered per account, short links (stored with their message), clicks. */
import type { ShortLink } from "../core/short-links.ts";
import type { NewWebhook } from "../core/webhook.ts";

export interface LinkStore {
  /** Registers a shortening domain to an account; false if it already was. */
  putDomain(accountId: string, domain: string, createdAt: number): Promise<boolean>;
  listDomains(accountId: string): Promise<{ domain: string; createdAt: number }[]>;
  deleteDomain(accountId: string, domain: string): Promise<boolean>;
  findShortLink(code: string): Promise<ShortLink | undefined>;
  /** Records a click on a short link and queues its report, if any, atomically; answers the link's click count. */
  recordClick(
    click: { code: string; at: number; userAgent?: string },
    reports?: readonly NewWebhook[],
  ): Promise<number>;
}
