/**
 * The link port on PostgreSQL: shortening domains per account, the short links of messages
 * (written in the messages' own insert) and every click on them.
 */
import type { Pool } from "pg";
import type { NewShortLink, ShortLink } from "../../core/short-links.ts";
import type { NewWebhook } from "../../core/webhook.ts";
import type { LinkStore } from "../link-store.ts";
import type { PgGroupCommit, Tx } from "./pg-group-commit.ts";

export class PgLinkTables implements LinkStore {
  constructor(
    private readonly pool: Pool,
    private readonly group: PgGroupCommit,
    private readonly insertWebhooks: (tx: Tx, list: readonly NewWebhook[]) => Promise<void>,
  ) {}

  /** Inside the messages' insert: the links of messages just stored, in one statement. */
  async insertLinks(
    tx: Tx,
    list: readonly { accountId: string; messageId: string; createdAt: number; link: NewShortLink }[],
  ): Promise<void> {
    if (list.length === 0) return;
    await tx.query(
      `INSERT INTO short_links (code, account_id, message_id, url, domain, tracking_url, created_at, tracked)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[],
         $8::int[])
       ON CONFLICT (code) DO NOTHING`,
      [
        list.map((l) => l.link.code),
        list.map((l) => l.accountId),
        list.map((l) => l.messageId),
        list.map((l) => l.link.url),
        list.map((l) => l.link.domain ?? null),
        list.map((l) => l.link.trackingUrl ?? null),
        list.map((l) => l.createdAt),
        list.map((l) => (l.link.tracked ? 1 : null)),
      ],
    );
  }

  putDomain(accountId: string, domain: string, createdAt: number): Promise<boolean> {
    return this.group.write(
      async (tx) =>
        (
          await tx.query(
            "INSERT INTO url_domains (account_id, domain, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            [accountId, domain, createdAt],
          )
        ).rowCount === 1,
    );
  }

  async listDomains(accountId: string): Promise<{ domain: string; createdAt: number }[]> {
    const { rows } = await this.pool.query(
      'SELECT domain, created_at FROM url_domains WHERE account_id = $1 ORDER BY domain COLLATE "C"',
      [accountId],
    );
    return rows.map((r) => ({ domain: String(r.domain), createdAt: Number(r.created_at) }));
  }

  deleteDomain(accountId: string, domain: string): Promise<boolean> {
    return this.group.write(
      async (tx) =>
        (await tx.query("DELETE FROM url_domains WHERE account_id = $1 AND domain = $2", [accountId, domain]))
          .rowCount === 1,
    );
  }

  async findShortLink(code: string): Promise<ShortLink | undefined> {
    const r = (await this.pool.query("SELECT * FROM short_links WHERE code = $1", [code])).rows[0];
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
    return this.group.write(async (tx) => {
      await tx.query("INSERT INTO link_clicks (code, clicked_at, user_agent) VALUES ($1, $2, $3)", [
        click.code,
        click.at,
        click.userAgent ?? null,
      ]);
      if (reports.length > 0) await this.insertWebhooks(tx, reports);
      const { rows } = await tx.query("SELECT count(*) AS n FROM link_clicks WHERE code = $1", [click.code]);
      return Number(rows[0]?.n);
    });
  }
}
