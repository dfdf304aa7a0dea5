/**
 * The webhook outbox on PostgreSQL. The other tables queue their webhooks with `insert`, inside
 * their own transaction; this port leases them for delivery (rows another node holds are skipped)
 * and records each attempt.
 */
import type { Pool } from "pg";
import type { NewWebhook, PendingWebhook } from "../../core/webhook.ts";
import type { OutboxStore } from "../outbox-store.ts";
import { toWebhook } from "../table-rows.ts";
import type { PgGroupCommit, Tx } from "./pg-group-commit.ts";

export class PgOutboxTables implements OutboxStore {
  constructor(
    private readonly pool: Pool,
    private readonly group: PgGroupCommit,
    private readonly node: string,
  ) {}

  /** Inside the caller's transaction: queues webhooks in one statement (an id already queued is left alone). */
  async insert(tx: Tx, list: readonly NewWebhook[]): Promise<void> {
    if (list.length === 0) return;
    await tx.query(
      `INSERT INTO webhooks (id, account_id, url, body, reports, created_at, next_attempt_at, headers, message_ids,
         subscription_id)
       SELECT id, account_id, url, body, reports, created_at, created_at, headers, message_ids, subscription_id
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::bigint[], $7::text[], $8::text[],
         $9::text[]) AS t(id, account_id, url, body, reports, created_at, headers, message_ids, subscription_id)
       ON CONFLICT (id) DO NOTHING`,
      [
        list.map((w) => w.id),
        list.map((w) => w.accountId),
        list.map((w) => w.url),
        list.map((w) => w.body),
        list.map((w) => w.reports),
        list.map((w) => w.createdAt),
        list.map((w) => (w.headers === undefined ? null : JSON.stringify(w.headers))),
        list.map((w) => (w.messageIds && w.messageIds.length > 0 ? JSON.stringify(w.messageIds) : null)),
        list.map((w) => w.subscriptionId ?? null),
      ],
    );
  }

  claim(now: number, limit: number, leaseUntil: number): Promise<PendingWebhook[]> {
    return this.group.write(async (tx) => {
      const { rows } = await tx.query(
        `WITH due AS (
           SELECT id FROM webhooks w WHERE state = 'pending' AND next_attempt_at <= $2
             AND (lease_until IS NULL OR lease_until <= $2)
             AND NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.account_id = w.account_id
                             AND e.url = w.url AND e.disabled_at IS NOT NULL)
           ORDER BY next_attempt_at LIMIT $3 FOR UPDATE OF w SKIP LOCKED)
         UPDATE webhooks w SET lease_until = $1, lease_owner = $4 FROM due WHERE w.id = due.id
         RETURNING w.*`,
        [leaseUntil, now, limit, this.node],
      );
      return rows.sort((a, b) => Number(a.next_attempt_at) - Number(b.next_attempt_at)).map(toWebhook);
    });
  }

  delivered(ids: readonly string[], now: number): Promise<void> {
    return this.group.write(async (tx) => {
      await tx.query(
        `UPDATE webhooks SET state = 'delivered', attempts = attempts + 1, delivered_at = $1, lease_until = NULL
         WHERE id = ANY($2::text[]) AND state = 'pending'`,
        [now, ids],
      );
    });
  }

  retry(id: string, attempts: number, nextAttemptAt: number, error: string): Promise<void> {
    return this.group.write(async (tx) => {
      await tx.query(
        `UPDATE webhooks SET attempts = $1, next_attempt_at = $2, last_error = $3, lease_until = NULL
         WHERE id = $4 AND state = 'pending'`,
        [attempts, nextAttemptAt, error, id],
      );
    });
  }

  failed(id: string, attempts: number, error: string): Promise<void> {
    return this.group.write(async (tx) => {
      await tx.query(
        `UPDATE webhooks SET state = 'failed', attempts = $1, last_error = $2, lease_until = NULL
         WHERE id = $3 AND state = 'pending'`,
        [attempts, error, id],
      );
    });
  }

  async counts() {
    const { rows } = await this.pool.query("SELECT state, sum(reports) AS n FROM webhooks GROUP BY state");
    const count = (s: string) => Number(rows.find((r) => r.state === s)?.n ?? 0);
    return { pending: count("pending"), delivered: count("delivered"), failed: count("failed") };
  }
}
