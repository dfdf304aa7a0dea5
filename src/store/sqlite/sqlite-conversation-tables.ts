/** The conversation port on SQLite: inbound messages and the windows they open. */
import type Database from "better-sqlite3";
import type { InboundMessage } from "../../core/inbound.ts";
import type { NewWebhook } from "../../core/webhook.ts";
import type { ConversationStore } from "../conversation-store.ts";
import { toInbound } from "../table-rows.ts";
import type { prepareStatements } from "./statements.ts";

type Row = Record<string, unknown>;
type Write = <T>(fn: () => T) => Promise<T>;

export class SqliteConversationTables implements ConversationStore {
  readonly #db: Database.Database;
  readonly #stmt: ReturnType<typeof prepareStatements>;
  readonly #write: Write;
  readonly #insertWebhook: (w: NewWebhook) => void;

  constructor(
    db: Database.Database,
    stmt: ReturnType<typeof prepareStatements>,
    write: Write,
    insertWebhook: (w: NewWebhook) => void,
  ) {
    this.#db = db;
    this.#stmt = stmt;
    this.#write = write;
    this.#insertWebhook = insertWebhook;
  }

  async inboundCount(sender: string, user: string): Promise<number> {
    const row = this.#db
      .prepare("SELECT count(*) AS n FROM inbound WHERE sender = ? AND user_number = ?")
      .get(sender, user) as Row;
    return Number(row.n);
  }

  async lastInboundAt(sender: string, user: string): Promise<number | undefined> {
    const row = this.#stmt.window.get(sender, user) as Row | undefined;
    return row ? Number(row.last_inbound_at) : undefined;
  }

  async findInbound(messageId: string): Promise<InboundMessage | undefined> {
    const row = this.#stmt.inboundById.get(messageId) as Row | undefined;
    return row ? toInbound(row) : undefined;
  }

  async listInboundFrom(user: string): Promise<InboundMessage[]> {
    return (this.#stmt.inboundFrom.all(user) as Row[]).map(toInbound);
  }

  recordInbound(m: InboundMessage, webhooks: readonly NewWebhook[]): Promise<boolean> {
    return this.#write(() => {
      const { changes } = this.#db
        .prepare(
          `INSERT INTO inbound (message_id, sender, user_number, content, received_at, context_message_id, context_from, contact_name)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING`,
        )
        .run(
          m.messageId,
          m.to,
          m.from,
          JSON.stringify(m.content),
          m.receivedAt,
          m.quote?.messageId ?? null,
          m.quote?.from ?? null,
          m.contactName ?? null,
        );
      if (changes === 0) return false;
      this.#db
        .prepare(
          `INSERT INTO windows (sender, user_number, last_inbound_at) VALUES (?, ?, ?)
           ON CONFLICT (sender, user_number) DO UPDATE SET last_inbound_at = max(last_inbound_at, excluded.last_inbound_at)`,
        )
        .run(m.to, m.from, m.receivedAt);
      for (const w of webhooks) this.#insertWebhook(w);
      return true;
    });
  }
}
