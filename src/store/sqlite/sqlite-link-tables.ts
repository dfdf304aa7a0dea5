/**
 * The link port on SQLite: shortening domains per account, the short links of messages (written in
 * the message's own insert) and every click on them.
 */
import type Database from "better-sqlite3";
import type { NewShortLink, ShortLink } from "../../core/short-links.ts";
import type { NewWebhook } from "../../core/webhook.ts";
import type { LinkStore } from "../link-store.ts";

type Row = Record<string, unknown>;
type Write = <T>(fn: () => T) => Promise<T>;

export class SqliteLinkTables implements LinkStore {
  readonly #write: Write;
  readonly #stmt: ReturnType<typeof prepare>;
  readonly #insertWebhook: (w: NewWebhook) => void;

  constructor(db: Database.Database, write: Write, insertWebhook: (w: NewWebhook) => void) {
    this.#write = write;
    this.#stmt = prepare(db);
    this.#insertWebhook = insertWebhook;
  }

  /** Inside the message insert's transaction: the links of a message that was just stored. */
  insertLinks(accountId: string, messageId: string, createdAt: number, links: readonly NewShortLink[]): void {
    for (const l of links) {
      this.#stmt.insertLink.run(
        l.code,
        accountId,
        messageId,
        l.url,
        l.domain ?? null,
        l.trackingUrl ?? null,
        createdAt,
        l.tracked ? 1 : null,
      );
    }
  }

  putDomain(accountId: string, domain: string, createdAt: number): Promise<boolean> {
    return this.#write(() => this.#stmt.putDomain.run(accountId, domain, createdAt).changes === 1);
  }

  async listDomains(accountId: string): Promise<{ domain: string; createdAt: number }[]> {
    return (this.#stmt.listDomains.all(accountId) as Row[]).map((r) => ({
      domain: String(r.domain),
      createdAt: Number(r.created_at),
    }));
  }

  deleteDomain(accountId: string, domain: string): Promise<boolean> {
    return this.#write(() => this.#stmt.deleteDomain.run(accountId, domain).changes === 1);
  }

  async findShortLink(code: string): Promise<ShortLink | undefined> {
    const r = this.#stmt.link.get(code) as Row | undefined;
    if (!r) return undefined;
    return {
      code: String(r.code),
      accountId: String(r.account_id),
      messageId: String(r.message_id),
      url: String(r.url),
      ...(r.domain != null ? { domain: String(r.domain) } : {}),
      ...(r.tracking_url != null ? { trackingUrl: String(r.tracking_url) } : {}),
      ...(r.tracked ? { tracked: true } : {}),
      createdAt: Number(r.created_at),
    };
  }

  recordClick(
    click: { code: string; at: number; userAgent?: string },
    reports: readonly NewWebhook[] = [],
  ): Promise<number> {
    return this.#write(() => {
      this.#stmt.insertClick.run(click.code, click.at, click.userAgent ?? null);
      for (const report of reports) this.#insertWebhook(report);
      return Number((this.#stmt.clickCount.get(click.code) as Row).n);
    });
  }
}

function prepare(db: Database.Database) {
  return {
    insertLink: db.prepare(
      `INSERT INTO short_links (code, account_id, message_id, url, domain, tracking_url, created_at, tracked)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING`,
    ),
    link: db.prepare("SELECT * FROM short_links WHERE code = ?"),
    putDomain: db.prepare(
      "INSERT INTO url_domains (account_id, domain, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    ),
    listDomains: db.prepare(
      "SELECT domain, created_at FROM url_domains WHERE account_id = ? ORDER BY domain",
    ),
    deleteDomain: db.prepare("DELETE FROM url_domains WHERE account_id = ? AND domain = ?"),
    insertClick: db.prepare("INSERT INTO link_clicks (code, clicked_at, user_agent) VALUES (?, ?, ?)"),
    clickCount: db.prepare("SELECT count(*) AS n FROM link_clicks WHERE code = ?"),
  };
}
