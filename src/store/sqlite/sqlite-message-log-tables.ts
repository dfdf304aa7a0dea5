/**
 * The message log on SQLite: reads only, by the messages' primary key (newest first) and a filter,
 * so the hot path keeps its indexes and pays nothing for the console.
 */
import type Database from "better-sqlite3";
import type { MessageStatus } from "../../core/message-status.ts";
import type {
  MessageBucket,
  MessageLogFilter,
  MessageLogPage,
  MessageLogStore,
} from "../message-log-store.ts";
import { toMessage } from "../table-rows.ts";

type Row = Record<string, unknown>;

export class SqliteMessageLogTables implements MessageLogStore {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  async list(f: MessageLogFilter): Promise<MessageLogPage> {
    const where = ["account_id = ?"];
    const args: (string | number)[] = [f.accountId];
    const add = (sql: string, v: string | number | undefined) => {
      if (v === undefined) return;
      where.push(sql);
      args.push(v);
    };
    add("sender = ?", f.sender);
    add("recipient = ?", f.recipient);
    add("status = ?", f.status);
    add("face = ?", f.face);
    add("accepted_at >= ?", f.since);
    add("accepted_at < ?", f.until);
    const firstPage = f.beforeSeq === undefined && f.afterSeq === undefined;
    const total = firstPage
      ? Number(
          (
            this.#db
              .prepare(`SELECT count(*) AS n FROM messages WHERE ${where.join(" AND ")}`)
              .get(...args) as Row
          ).n,
        )
      : undefined;
    const page = [...where];
    const pageArgs = [...args];
    if (f.beforeSeq !== undefined) {
      page.push("seq < ?");
      pageArgs.push(f.beforeSeq);
    }
    if (f.afterSeq !== undefined) {
      page.push("seq > ?");
      pageArgs.push(f.afterSeq);
    }
    const rows = this.#db
      .prepare(`SELECT * FROM messages WHERE ${page.join(" AND ")} ORDER BY seq DESC LIMIT ?`)
      .all(...pageArgs, f.limit) as Row[];
    return { messages: rows.map(toMessage), ...(total !== undefined ? { total } : {}) };
  }

  async buckets(accountId: string, since: number, until: number, bucketMs: number): Promise<MessageBucket[]> {
    const rows = this.#db
      .prepare(
        `SELECT CAST((accepted_at - ?) / ? AS INTEGER) AS b, status, count(*) AS n FROM messages
         WHERE account_id = ? AND accepted_at >= ? AND accepted_at < ? GROUP BY b, status ORDER BY b`,
      )
      .all(since, bucketMs, accountId, since, until) as Row[];
    const out = new Map<number, Partial<Record<MessageStatus, number>>>();
    for (const r of rows) {
      const at = since + Number(r.b) * bucketMs;
      const counts = out.get(at) ?? {};
      counts[r.status as MessageStatus] = Number(r.n);
      out.set(at, counts);
    }
    return [...out].map(([at, counts]) => ({ at, counts }));
  }

  async webhookTotals(accountId: string, since: number) {
    const rows = this.#db
      .prepare(
        `SELECT state, sum(reports) AS n, avg(delivered_at - created_at) AS mean, max(delivered_at - created_at) AS top
         FROM webhooks WHERE account_id = ? AND created_at >= ? GROUP BY state`,
      )
      .all(accountId, since) as Row[];
    const of = (s: string) => rows.find((r) => r.state === s);
    const delivered = of("delivered");
    return {
      pending: Number(of("pending")?.n ?? 0),
      delivered: Number(delivered?.n ?? 0),
      failed: Number(of("failed")?.n ?? 0),
      ...(delivered?.mean != null ? { meanLatencyMs: Math.round(Number(delivered.mean)) } : {}),
      ...(delivered?.top != null ? { maxLatencyMs: Number(delivered.top) } : {}),
    };
  }
}
