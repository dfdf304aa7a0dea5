/**
 * The message log on PostgreSQL: reads only, by the messages' primary key (newest first) and a
 * filter, so the hot path keeps its indexes and pays nothing for the console.
 */
import type { Pool } from "pg";
import type { MessageStatus } from "../../core/message-status.ts";
import type {
  MessageBucket,
  MessageLogFilter,
  MessageLogPage,
  MessageLogStore,
  WebhookTotals,
} from "../message-log-store.ts";
import { toMessage } from "../table-rows.ts";

export class PgMessageLogTables implements MessageLogStore {
  constructor(private readonly pool: Pool) {}

  async list(f: MessageLogFilter): Promise<MessageLogPage> {
    const args: (string | number)[] = [];
    const where: string[] = [];
    const add = (column: string, op: string, v: string | number | undefined) => {
      if (v === undefined) return;
      args.push(v);
      where.push(`${column} ${op} $${args.length}`);
    };
    add("account_id", "=", f.accountId);
    add("sender", "=", f.sender);
    add("recipient", "=", f.recipient);
    add("status", "=", f.status);
    add("face", "=", f.face);
    add("accepted_at", ">=", f.since);
    add("accepted_at", "<", f.until);
    const firstPage = f.beforeSeq === undefined && f.afterSeq === undefined;
    const total = firstPage
      ? Number(
          (await this.pool.query(`SELECT count(*) AS n FROM messages WHERE ${where.join(" AND ")}`, args))
            .rows[0]?.n ?? 0,
        )
      : undefined;
    add("seq", "<", f.beforeSeq);
    add("seq", ">", f.afterSeq);
    args.push(f.limit);
    const { rows } = await this.pool.query(
      `SELECT * FROM messages WHERE ${where.join(" AND ")} ORDER BY seq DESC LIMIT $${args.length}`,
      args,
    );
    return { messages: rows.map(toMessage), ...(total !== undefined ? { total } : {}) };
  }

  async buckets(accountId: string, since: number, until: number, bucketMs: number): Promise<MessageBucket[]> {
    const { rows } = await this.pool.query(
      `SELECT (accepted_at - $1) / $2 AS b, status, count(*) AS n FROM messages
       WHERE account_id = $3 AND accepted_at >= $1 AND accepted_at < $4 GROUP BY b, status ORDER BY b`,
      [since, bucketMs, accountId, until],
    );
    const out = new Map<number, Partial<Record<MessageStatus, number>>>();
    for (const r of rows) {
      const at = since + Number(r.b) * bucketMs;
      const counts = out.get(at) ?? {};
      counts[r.status as MessageStatus] = Number(r.n);
      out.set(at, counts);
    }
    return [...out].map(([at, counts]) => ({ at, counts }));
  }

  async webhookTotals(accountId: string, since: number): Promise<WebhookTotals> {
    const { rows } = await this.pool.query(
      `SELECT state, sum(reports) AS n, avg(delivered_at - created_at) AS mean, max(delivered_at - created_at) AS top
       FROM webhooks WHERE account_id = $1 AND created_at >= $2 GROUP BY state`,
      [accountId, since],
    );
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
