/** The conversation port on PostgreSQL: inbound messages and the windows they open. */
import type { Pool } from "pg";
import type { InboundMessage } from "../../core/inbound.ts";
import type { NewWebhook } from "../../core/webhook.ts";
import type { ConversationStore } from "../conversation-store.ts";
import { toInbound } from "../table-rows.ts";
import type { PgGroupCommit, Tx } from "./pg-group-commit.ts";

export class PgConversationTables implements ConversationStore {
  constructor(
    private readonly pool: Pool,
    private readonly group: PgGroupCommit,
    private readonly insertWebhooks: (tx: Tx, list: readonly NewWebhook[]) => Promise<void>,
  ) {}

  async inboundCount(sender: string, user: string): Promise<number> {
    const { rows } = await this.pool.query(
      "SELECT count(*) AS n FROM inbound WHERE sender = $1 AND user_number = $2",
      [sender, user],
    );
    return Number(rows[0]?.n);
  }

  async lastInboundAt(sender: string, user: string): Promise<number | undefined> {
    const { rows } = await this.pool.query(
      "SELECT last_inbound_at FROM windows WHERE sender = $1 AND user_number = $2",
      [sender, user],
    );
    return rows[0] ? Number(rows[0].last_inbound_at) : undefined;
  }

  async findInbound(messageId: string): Promise<InboundMessage | undefined> {
    const { rows } = await this.pool.query("SELECT * FROM inbound WHERE message_id = $1", [messageId]);
    return rows[0] ? toInbound(rows[0]) : undefined;
  }

  async listInboundFrom(user: string): Promise<InboundMessage[]> {
    const { rows } = await this.pool.query(
      "SELECT * FROM inbound WHERE user_number = $1 ORDER BY received_at, arrival",
      [user],
    );
    return rows.map(toInbound);
  }

  recordInbound(m: InboundMessage, webhooks: readonly NewWebhook[]): Promise<boolean> {
    return this.group.write(async (tx) => {
      const { rowCount } = await tx.query(
        `INSERT INTO inbound (message_id, sender, user_number, content, received_at, context_message_id, context_from, contact_name)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (message_id) DO NOTHING`,
        [
          m.messageId,
          m.to,
          m.from,
          JSON.stringify(m.content),
          m.receivedAt,
          m.quote?.messageId ?? null,
          m.quote?.from ?? null,
          m.contactName ?? null,
        ],
      );
      if (rowCount === 0) return false;
      await tx.query(
        `INSERT INTO windows (sender, user_number, last_inbound_at) VALUES ($1, $2, $3)
         ON CONFLICT (sender, user_number) DO UPDATE
           SET last_inbound_at = greatest(windows.last_inbound_at, excluded.last_inbound_at)`,
        [m.to, m.from, m.receivedAt],
      );
      await this.insertWebhooks(tx, webhooks);
      return true;
    });
  }
}
